"""Hostile files and names: YAML bombs and code tags are refused cheaply, nothing is written or read outside.

`within` only keeps a runaway parse from hanging the suite; the tests assert what was refused, not how fast.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import entry_text, within, write_files

from mljournal.cli import main
from mljournal.core.entries.importer import import_sources
from mljournal.core.entries.new import create_entry
from mljournal.core.entries.read import load_entry
from mljournal.core.entries.store import StoreError
from mljournal.core.frontmatter.read import parse_document
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap

GUARD = 60.0
"""Seconds before a parse counts as hung; real refusals take milliseconds."""


def alias_bomb(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


DEEP_FLOW = "deep: " + "[" * 10_000 + "]" * 10_000 + "\n"
DEEP_BLOCK = "deep:\n" + "".join(" " * i + "- \n" for i in range(1, 3000))
DEEP_MAPS = "deep:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 3000))
PYTHON_TAGS = (
    "apply: !!python/object/apply:os.system ['touch /tmp/mljournal-pwned']\n"
    "name: !!python/name:os.system\n"
    "new: !!python/object/new:builtins.eval ['1']\n"
    "module: !!python/module:os\n"
)

HOSTILE_YAML = {
    "alias bomb": alias_bomb(),
    "deep flow": DEEP_FLOW,
    "deep block": DEEP_BLOCK,
    "deep maps": DEEP_MAPS,
    "python tags": PYTHON_TAGS,
}
FRONT_MATTER_ONLY = {
    # Composing 100,000 levels crashes the process inside libyaml, so this must be refused before composing.
    # Not in HOSTILE_YAML: roadmap.yaml still composes first (roadmap.py, routed).
    "compact deep lists": "deep:\n" + "- " * 100_000 + "x\n",
    "self-referring alias": "loop: &loop [*loop]\n",
    "deep through aliases": "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 500)).replace("*a0", "0"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML) + sorted(FRONT_MATTER_ONLY))
def test_hostile_front_matter_is_refused_with_a_problem(name: str) -> None:
    hostile = HOSTILE_YAML.get(name) or FRONT_MATTER_ONLY[name]
    raw = f"---\ntitle: Kept title\n{hostile}---\n\nThe body survives.\n".encode()
    document = within(GUARD, lambda: parse_document(raw))
    assert document.problems, f"{name}: nothing was reported"
    assert "The body survives." in document.body
    assert document.metadata.get("title") == "Kept title"
    repr(document)
    entry = within(GUARD, lambda: load_entry(Path("/j"), "entries/x.md", raw=raw, mtime=0.0))
    assert entry.problems
    for problem in entry.problems:
        assert problem.message[:1].isupper() and "Error" not in problem.message, problem.message
    assert not Path("/tmp/mljournal-pwned").exists()


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
def test_hostile_roadmap_is_refused_with_a_problem(tmp_path: Path, name: str) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_text(
        f"title: Roadmap\n{HOSTILE_YAML[name]}topics:\n  - id: a\n    title: A\n", encoding="utf-8"
    )
    roadmap, problems = within(GUARD, lambda: load_roadmap(path))
    # Either refused outright, or read with the hostile key ignored; never a crash, never code run.
    if name == "python tags":
        assert problems, "a !!python tag passed without a word"
    assert not Path("/tmp/mljournal-pwned").exists()
    del roadmap


def test_alias_bomb_inside_the_topics_is_refused(tmp_path: Path) -> None:
    bomb = alias_bomb(9).replace("\n", "\n  ")
    text = f"x:\n  {bomb}\ntopics:\n  - id: a\n    title: A\n    notes: *a8\n    children: [*a8, *a8]\n"
    path = tmp_path / "roadmap.yaml"
    path.write_text(text, encoding="utf-8")
    _roadmap, problems = within(GUARD, lambda: load_roadmap(path))
    assert problems


def test_an_index_sync_over_hostile_files_records_them_all(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"entries/{name.replace(' ', '-')}.md": f"---\ntitle: {name}\n{text}---\nbody {i}\n"
        for i, (name, text) in enumerate(sorted(HOSTILE_YAML.items()))
    }
    journal = write_files(tmp_path / "j", files)

    def sync() -> tuple[int, list[str]]:
        with Index(journal) as index:
            index.sync()
            return index.total(), sorted({path for path, _problem in index.problems()})

    total, with_problems = within(GUARD, sync)
    assert total == len(files)
    assert with_problems == sorted(files)


# -- paths -----------------------------------------------------------------------------------------------------

HOSTILE_TITLES = [
    "../../etc/passwd",
    "../../../../tmp/evil",
    "/abs/path",
    "/",
    "..",
    ".",
    "CON",
    "nul.txt",
    "aux",
    "a/b\\c:d*e?f",
    "\x00nul",
    "~/.bashrc",
    ".hidden",
    "-rf",
    "$(touch pwned)",
    "x" * 10_000,
    "é" * 5_000,
    "\u202eevil\u202c",
]


def assert_only_inside_entries(journal: Journal, relpath: str) -> None:
    path = (journal.root / relpath).resolve()
    assert path.parent == journal.entries_dir.resolve(), relpath
    assert not path.name.startswith((".", "-")), relpath
    assert path.suffix == ".md" and len(path.name.encode()) <= 255


def outside_files(tmp_path: Path, journal: Journal) -> set[Path]:
    return {p for p in tmp_path.rglob("*") if journal.root not in p.parents and p != journal.root}


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=lambda t: repr(t[:20]))
def test_create_entry_never_writes_outside_entries(tmp_path: Path, title: str) -> None:
    journal = write_files(tmp_path / "j", {})
    before = outside_files(tmp_path, journal)
    relpath = create_entry(journal, title=title)
    assert_only_inside_entries(journal, relpath)
    assert outside_files(tmp_path, journal) == before
    # The title is kept in the front-matter even though the name had to be tamed (NULs aside).
    assert load_entry(journal.root, relpath).title


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused_in_words(tmp_path: Path, title: str) -> None:
    journal = write_files(tmp_path / "j", {})
    with pytest.raises(StoreError, match="needs a title"):
        create_entry(journal, title=title)
    assert list(journal.entries_dir.iterdir()) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_any_title_lands_directly_in_entries(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    journal = write_files(tmp_path_factory.mktemp("t") / "j", {})
    assert_only_inside_entries(journal, create_entry(journal, title=title))


@pytest.mark.parametrize("title", ["../../etc/passwd", "/abs/evil", "..", "CON", "x" * 10_000])
def test_cli_new_never_writes_outside_entries(tmp_path: Path, title: str) -> None:
    journal = write_files(tmp_path / "j", {})
    before = outside_files(tmp_path, journal)
    result = CliRunner().invoke(main, ["-j", str(journal.root), "new", title], input="piped body\n")
    assert result.exit_code == 0, result.output
    assert_only_inside_entries(journal, result.output.strip().splitlines()[-1])
    assert outside_files(tmp_path, journal) == before


# -- symlinks --------------------------------------------------------------------------------------------------


@pytest.fixture
def linked_journal(tmp_path: Path) -> Journal:
    """A journal whose entries/ holds links out of the journal, a loop, and a link back to its own root."""
    outside = tmp_path / "outside"
    (outside / "deeper").mkdir(parents=True)
    (outside / "secret.md").write_text(entry_text("Outside secret", "topsecretword"), encoding="utf-8")
    (outside / "deeper" / "more.md").write_text(
        entry_text("Deeper secret", "topsecretword"), encoding="utf-8"
    )
    journal = write_files(
        tmp_path / "j",
        {
            "entries/2024-01-01-real.md": entry_text("Real", "realword"),
            "entries/sub/2024-01-02-inner.md": entry_text("Inner", "innerword"),
        },
    )
    entries = journal.entries_dir
    (entries / "secret-link.md").symlink_to(outside / "secret.md")
    (entries / "outside-folder").symlink_to(outside, target_is_directory=True)
    (entries / "etc-passwd.md").symlink_to("/etc/passwd")
    (entries / "loop-a.md").symlink_to(entries / "loop-b.md")
    (entries / "loop-b.md").symlink_to(entries / "loop-a.md")
    (entries / "sub" / "up").symlink_to(entries, target_is_directory=True)
    (entries / "root-link").symlink_to(journal.root, target_is_directory=True)
    (entries / "inside-link.md").symlink_to(entries / "2024-01-01-real.md")
    return journal


def test_index_does_not_follow_links_out_of_the_journal_or_loop(linked_journal: Journal) -> None:
    def sync() -> tuple[set[str], list[str]]:
        with Index(linked_journal) as index:
            index.sync()
            paths = {row[0] for row in index.conn.execute("SELECT path FROM entries")}
            return paths, [hit.row.path for hit in index.search("topsecretword").hits]

    paths, secret_hits = within(GUARD, sync)
    assert secret_hits == []
    assert not any("secret" in p or "outside" in p or "passwd" in p for p in paths), paths
    assert {"entries/2024-01-01-real.md", "entries/sub/2024-01-02-inner.md"} <= paths
    # Each real file at most twice (its own path and a link inside the journal to it), never endlessly.
    assert len(paths) <= 4, paths


def test_show_refuses_a_link_out_of_the_journal(linked_journal: Journal) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-j", str(linked_journal.root), "show", "entries/secret-link.md"])
    assert result.exit_code != 0 and "topsecretword" not in result.output
    assert "not inside the journal" in result.output


def test_import_skips_links_and_never_copies_what_they_point_at(
    tmp_path: Path, linked_journal: Journal
) -> None:
    source = tmp_path / "blog"
    source.mkdir()
    (source / "post.md").write_text(entry_text("Post", "postword"), encoding="utf-8")
    (source / "stolen.md").symlink_to(tmp_path / "outside" / "secret.md")
    (source / "stolen-folder").symlink_to(tmp_path / "outside", target_is_directory=True)
    (source / "loop").symlink_to(source, target_is_directory=True)
    report = within(GUARD, lambda: import_sources(linked_journal, [source]))
    assert report.copied == ["entries/blog/post.md"]
    copied = [p for p in (linked_journal.entries_dir / "blog").rglob("*") if p.is_file()]
    assert [p.name for p in copied] == ["post.md"]
    assert not any("topsecretword" in p.read_text(encoding="utf-8") for p in copied)
    reasons = dict(report.skipped)
    assert "symbolic link" in reasons[str(source / "stolen.md")]


def test_import_of_a_link_given_directly_is_skipped(tmp_path: Path, linked_journal: Journal) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "outside" / "secret.md")
    report = import_sources(linked_journal, [link])
    assert report.copied == [] and "symbolic link" in report.skipped[0][1]
    assert not os.path.lexists(linked_journal.entries_dir / "link.md")
