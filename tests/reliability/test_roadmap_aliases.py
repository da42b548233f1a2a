"""A roadmap.yaml with YAML aliases is refused with the alias's line, never a RecursionError.

`topics: &a [{id: t1, children: *a}]` makes a topic its own child: `roadmap add` died with a RecursionError
traceback and the app said "maximum recursion depth exceeded".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_helpers import entry_text, write_files
from test_hostile_tui import app_for, settle

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import RoadmapError, add_topic, load_roadmap, set_status

SELF_ALIASES = {
    "flow": ("topics: &a [{id: t1, title: T, children: *a}]\n", 1),
    "block": ("title: Mine\ntopics: &a\n  - id: t1\n    title: T\n    children: *a\n", 5),
    "repeated topic": ("topics:\n  - &t {id: a, title: A}\n  - id: b\n    children: [*t]\n", 4),
}
COMMANDS = [["roadmap", "add", "t1", "New"], ["roadmap", "add", "-", "New"], ["roadmap", "set", "t1", "done"]]


def journal_with(tmp_path: Path, roadmap: str) -> Journal:
    return write_files(
        tmp_path / "journal", {"entries/2024-03-01-a.md": entry_text("A", "words")}, roadmap=roadmap
    )


@pytest.mark.parametrize("name", sorted(SELF_ALIASES))
def test_the_roadmap_reader_refuses_aliases_with_the_line(tmp_path: Path, name: str) -> None:
    text, line = SELF_ALIASES[name]
    roadmap, problems = load_roadmap(journal_with(tmp_path, text).roadmap_path)
    assert list(roadmap.walk()) == []
    assert [(p.code, p.line) for p in problems] == [("roadmap-parse-alias", line)]
    assert f"line {line}" in problems[0].message and "alias" in problems[0].message


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("name", sorted(SELF_ALIASES))
def test_roadmap_commands_refuse_in_one_line(
    tmp_path: Path, name: str, command: list[str], clean_env: None
) -> None:
    text, line = SELF_ALIASES[name]
    journal = journal_with(tmp_path, text)
    before = journal.roadmap_path.read_bytes()
    result = CliRunner().invoke(main, ["--journal", str(journal.root), *command])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message and "recursion" not in message.lower()
    assert "alias" in message and f"line {line}" in message
    assert journal.roadmap_path.read_bytes() == before
    for edit in (
        lambda: add_topic(journal.roadmap_path, "t1", "X"),
        lambda: set_status(journal.roadmap_path, "t1", "done"),
    ):
        with pytest.raises(RoadmapError):
            edit()
    assert journal.roadmap_path.read_bytes() == before


def test_check_reports_the_alias(tmp_path: Path, clean_env: None) -> None:
    journal = journal_with(tmp_path, SELF_ALIASES["block"][0])
    result = CliRunner().invoke(main, ["--journal", str(journal.root), "check"])
    assert "roadmap.yaml:5: roadmap.yaml uses the YAML alias *a on line 5" in result.output


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_app_says_why_and_never_mentions_recursion(tmp_path: Path, anyio_backend: str) -> None:
    from mljournal.tui.roadmap_edits import AddTopic
    from mljournal.tui.widgets.navigator import Navigator

    journal = journal_with(tmp_path, SELF_ALIASES["block"][0])
    with Index(journal) as index:
        index.sync()
    before = journal.roadmap_path.read_bytes()
    app = app_for(journal)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        navigator = screen.query_one(Navigator)
        shown = " ".join(str(node.label) for node in navigator.root.children[0].children)
        assert "alias *a on line 5" in shown, shown
        screen.roadmap_editor.apply(AddTopic("t1", "Inside"))  # what pressing `a` on the topic asks for
        await settle(pilot)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "alias" in said and "recursion" not in said.lower(), said
    assert journal.roadmap_path.read_bytes() == before
