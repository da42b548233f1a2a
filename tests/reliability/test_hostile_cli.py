"""Hostile titles, tags, bodies and roadmap topics never reach the terminal as commands through the CLI.

Every command that prints journal text (`search`, `show`, `tags`, `check`, `roadmap`, `tag`, `new`) is run on
a journal full of escape sequences, OSC titles, C1 controls, bidi overrides, NUL bytes, Rich markup and
100,000-character lines; the output must hold none of the dangerous characters, and each text still shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mljournal.cli import main
from mljournal.core.journal import Journal

# Everything a terminal may act on: C0 controls but tab and newline, ESC among them; DEL and C1 (0x9b is a
# one-byte CSI); bidi embeddings, overrides and isolates, and the marks and separators that reorder text.
DANGEROUS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]"
)

# In YAML double quotes: \e is ESC, \a is BEL, \0 is NUL, \x9b is the C1 CSI, \u202e a right-to-left override.
HOSTILE_TITLE_YAML = (
    r"[bold]B[/bold] [@click=app.quit]Q[/] [link=file:///etc/passwd]L[/link] \e]0;pwned\a \e[2J"
    r" \u202Eevil\u202C \x9b31m nul\0x"
)
HOSTILE_BODY = (
    "Body with \x1b[31mred\x1b[0m, \x1b]8;;file:///etc/passwd\x07a link\x1b]8;;\x07, \x1bP+q\x1b\\, "
    "\x9b2J, bell\x07, nul\x00, \u2066isolate\u2069 and [@click=app.quit]markup[/].\n\n"
    + "z" * 100_000
    + "\n"
)

FILES: dict[str, str] = {
    "entries/2024-03-01-hostile.md": (
        f'---\ntitle: "{HOSTILE_TITLE_YAML}"\ndate: 2024-03-01\n'
        'tags: ["\\e[31mredtag", "[bold]boldtag", "\\u202Ertl"]\n'
        'topics: ["\\e]0;topic\\a"]\n---\n\n' + HOSTILE_BODY
    ),
    # The date itself is hostile, so `check` has a problem message that quotes it.
    "entries/2024-03-02-bad-date.md": '---\ntitle: "Bad date"\ndate: "\\e]0;x\\a soon"\n---\n\nhostile words\n',
    "entries/2024-03-03-plain.md": "---\ntitle: Plain hostile neighbour\ndate: 2024-03-03\n---\n\nhostile\n",
}

ROADMAP = (
    'title: "\\e]0;roadmap\\a Road [bold]map"\ntopics:\n'
    '  - id: basics\n    title: "\\e[2JBasics \\u202Eevil [@click=app.quit]x"\n    status: learning\n'
    '    notes: "\\e[31mnotes"\n'
    "  - id: second\n    title: Second\n"
)


@pytest.fixture(scope="module")
def hostile_journal(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    root = tmp_path_factory.mktemp("hostile")
    for relpath, text in FILES.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "roadmap.yaml").write_text(ROADMAP, encoding="utf-8")
    return Journal(root)


def run(journal: Journal, *args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(
        main, ["-j", str(journal.root), *args], input=stdin, env={"MLJOURNAL_DIR": ""}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def assert_safe(result: Result) -> None:
    text = result.output
    found = sorted({f"U+{ord(c):04X}" for c in DANGEROUS.findall(text)})
    assert not found, f"raw control characters reached the terminal: {found}"


@pytest.mark.parametrize(
    "args",
    [
        ("search", "hostile"),
        ("search", "--json", "hostile"),
        ("search", "\x1b]0;typed\x07 \u202e"),
        ("search", "tag:\x1b[31mredtag"),
        ("show", "entries/2024-03-01-hostile.md"),
        ("show", "entries/2024-03-02-bad-date.md"),
        ("tags",),
        ("check",),
        ("roadmap",),
        ("roadmap", "--json"),
        ("roadmap", "next"),
        ("roadmap", "set", "basics", "done"),
    ],
    ids=lambda args: " ".join(a.encode("unicode_escape").decode() for a in args),
)
def test_cli_output_holds_no_terminal_controls(hostile_journal: Journal, args: tuple[str, ...]) -> None:
    result = run(hostile_journal, *args)
    assert_safe(result)
    assert result.output.strip(), "the command printed nothing at all"


def test_the_text_is_shown_escaped_not_dropped(hostile_journal: Journal) -> None:
    shown = run(hostile_journal, "show", "entries/2024-03-01-hostile.md").output
    # Markup is literal text, escapes are visible as \x1b, and the 100,000-character line arrives whole.
    assert "[@click=app.quit]Q[/]" in shown and "[link=file:///etc/passwd]L[/link]" in shown
    # (The entry reader drops C0 controls from titles; the body keeps them, shown as visible escapes.)
    assert "]0;pwned" in shown and "\\u202e" in shown and "\\x9b" in shown
    assert "\\x1b[31mred\\x1b[0m" in shown and "nul\\x00" in shown and "\\u2066isolate" in shown
    assert "z" * 100_000 in shown
    found = run(hostile_journal, "search", "markup").output
    assert "[bold]B[/bold]" in found and "entries/2024-03-01-hostile.md" in found
    assert "\\x1b[31mredtag" in run(hostile_journal, "tags").output


def test_json_output_round_trips_the_title(hostile_journal: Journal) -> None:
    import json

    items = json.loads(run(hostile_journal, "search", "--json", "markup").output)
    titles = {item["title"] for item in items}
    # JSON carries the title as the index holds it: markup and the right-to-left override intact, escaped.
    assert any(t.startswith("[bold]B[/bold] [@click=app.quit]Q[/]") and "\u202e" in t for t in titles)


def test_new_and_tag_echo_hostile_titles_safely(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    created = run(journal, "new", "\x1b]0;t\x07 \u202e[bold]new", "--tag", "\x1b[2Jt", stdin="body\n")
    assert_safe(created)
    relpath = created.output.strip().splitlines()[-1]
    assert (journal.root / relpath).is_file() and relpath.startswith("entries/")
    tagged = run(journal, "tag", relpath, "+\x9bevil", "+\x1b]0;x\x07")
    assert_safe(tagged)
