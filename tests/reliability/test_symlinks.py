"""Symbolic links never make mljournal write outside the journal (a cloned journal can carry any link).

The rule: a write follows a link only to a place inside the journal (the link stays a link, its target gets
the bytes); a link that leads out is refused with one sentence, nothing written. `.mljournal` is never
followed at all: the index is kept in memory, and the trash and `roadmap move` (which records its progress
there) refuse. The journal's lock is taken on the journal folder itself, so it creates nothing anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from reliability_helpers import entry_text, write_files

from mljournal.cli import main
from mljournal.core.entries.store import StoreError, save_entry
from mljournal.core.entries.tagging import current_tags, update_tags
from mljournal.core.entries.trash import trash_entry
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap

ENTRY = "entries/2024-03-01-note.md"
ROADMAP = "# kept\ntopics:\n  - id: basics\n    title: Basics\n    status: todo\n"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def run(journal: Journal, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-j", str(journal.root), *args], env={"MLJOURNAL_DIR": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file under `folder` with its bytes (links by their target), to prove nothing was written there."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = (
            f"-> {os.readlink(path)}" if path.is_symlink() else (path.read_bytes() if path.is_file() else "/")
        )
    return found


def journal_with_entry(root: Path) -> Journal:
    return write_files(root, {ENTRY: entry_text("Note", "gradient words", tags="[ml]")}, roadmap=ROADMAP)


def test_a_symlinked_state_folder_is_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.sqlite").write_bytes(b"someone else's file")
    (elsewhere / "index.lock").write_bytes(b"also theirs")
    before = snapshot(elsewhere)
    journal = journal_with_entry(tmp_path / "journal")
    journal.state_dir.symlink_to(elsewhere, target_is_directory=True)

    indexed = run(journal, "index")
    assert indexed.exit_code == 0, indexed.output
    assert indexed.output.count("symbolic link") == 1 and "in memory" in indexed.output
    found = run(journal, "search", "gradient")
    assert found.exit_code == 0 and ENTRY in found.output
    assert run(journal, "tag", ENTRY, "+linked").exit_code == 0
    assert run(journal, "new", "Another", "--no-edit").exit_code == 0
    assert run(journal, "roadmap", "set", "basics", "done").exit_code == 0
    moved = run(journal, "roadmap", "move", "basics", "fundamentals")
    assert moved.exit_code == 1 and "symbolic link" in moved.output and "Nothing was changed" in moved.output
    with pytest.raises(StoreError, match="symbolic link"):
        trash_entry(journal, ENTRY)

    assert snapshot(elsewhere) == before
    assert journal.state_dir.is_symlink()
    assert "linked" in current_tags((journal.root / ENTRY).read_bytes())
    with Index(journal) as index:
        assert index.memory is not None and index.memory.announce is not None
        assert "symbolic link" in index.memory.announce


def test_a_symlinked_roadmap_inside_the_journal_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    journal = journal_with_entry(tmp_path / "journal")
    real = journal.root / "plans" / "roadmap.yaml"
    real.parent.mkdir()
    journal.roadmap_path.replace(real)
    journal.roadmap_path.symlink_to(Path("plans") / "roadmap.yaml")
    for args in (["roadmap", "set", "basics", "done"], ["roadmap", "add", "basics", "Child topic"]):
        result = run(journal, *args)
        assert result.exit_code == 0, result.output
    assert journal.roadmap_path.is_symlink()
    roadmap, _problems = load_roadmap(real)
    basics = roadmap.find("basics")
    assert basics is not None and basics.status == "done" and len(basics.children) == 1
    assert real.read_text(encoding="utf-8").startswith("# kept\n")


def test_a_symlinked_roadmap_leading_out_of_the_journal_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "shared-roadmap.yaml"
    outside.write_text(ROADMAP, encoding="utf-8")
    journal = write_files(tmp_path / "journal", {ENTRY: entry_text("Note", "words")})
    journal.roadmap_path.symlink_to(outside)
    for args in (["roadmap", "set", "basics", "done"], ["roadmap", "rename", "basics", "New"]):
        result = run(journal, *args)
        assert result.exit_code == 1
        assert "out of the journal" in result.output and "nothing was changed" in result.output
    assert journal.roadmap_path.is_symlink() and outside.read_text(encoding="utf-8") == ROADMAP


def test_new_and_tag_agree_on_a_symlinked_entries_folder(tmp_path: Path) -> None:
    # Leading out of the journal: both refuse, and nothing appears there.
    outside = tmp_path / "outside-notes"
    outside.mkdir()
    (outside / "2024-01-01-theirs.md").write_text(entry_text("Theirs", "words"), encoding="utf-8")
    before = snapshot(outside)
    journal = Journal(tmp_path / "journal")
    journal.root.mkdir()
    journal.entries_dir.symlink_to(outside, target_is_directory=True)
    created = run(journal, "new", "Mine", "--no-edit")
    tagged = run(journal, "tag", "entries/2024-01-01-theirs.md", "+mine")
    assert created.exit_code == 1 and tagged.exit_code == 1, (created.output, tagged.output)
    assert "out of the journal" in created.output and "outside the journal" in tagged.output
    assert snapshot(outside) == before

    # Inside the journal: both work, through the link.
    inside = tmp_path / "second"
    (inside / "notes").mkdir(parents=True)
    second = Journal(inside)
    second.entries_dir.symlink_to("notes", target_is_directory=True)
    made = run(second, "new", "Mine", "--no-edit", "--date", "2024-05-01")
    assert made.exit_code == 0, made.output
    relpath = made.output.strip().splitlines()[-1]
    assert relpath.startswith("entries/")
    retagged = run(second, "tag", relpath, "+mine")
    assert retagged.exit_code == 0, retagged.output
    assert current_tags((inside / "notes" / Path(relpath).name).read_bytes()) == ["mine"]
    assert second.entries_dir.is_symlink()


def test_a_symlinked_entry_inside_the_journal_is_edited_through_the_link(tmp_path: Path) -> None:
    journal = journal_with_entry(tmp_path / "journal")
    link = journal.root / "entries" / "2024-03-02-alias.md"
    link.symlink_to("2024-03-01-note.md")
    # The app edits an entry by the path the index lists, the link's own.
    update_tags(journal, "entries/2024-03-02-alias.md", add=["through"], remove=[])
    save_entry(
        journal, "entries/2024-03-02-alias.md", (journal.root / ENTRY).read_bytes() + b"more\n", expected=None
    )
    assert link.is_symlink()
    text = (journal.root / ENTRY).read_bytes()
    assert "through" in current_tags(text) and text.endswith(b"more\n")


@pytest.mark.anyio
async def test_the_app_says_why_the_index_is_in_memory_and_writes_nothing_there(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from mljournal.tui.app import make_app
    from mljournal.tui.screens.main import MainScreen

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    journal = journal_with_entry(tmp_path / "journal")
    journal.state_dir.symlink_to(elsewhere, target_is_directory=True)
    app = make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(80):
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, MainScreen) and screen.ready and not any(w.is_running for w in app.workers):
                break
        said = [str(notification.message) for notification in app._notifications]
        assert any("symbolic link" in message and "in memory" in message for message in said), said
    assert list(elsewhere.iterdir()) == []
