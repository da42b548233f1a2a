"""SQLite's side files (`index.sqlite-wal`, `-shm`, `-journal`) in a bad state, and a full disk.

Whatever sits where they go, commands answer from the files: a silent rebuild, or an index in memory with one
sentence saying why; never "busy" forever, never a traceback. A failed index write leaves no temp file, and a
full disk is called a full disk.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from reliability_helpers import entry_text, many_entries, within, write_files

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal

SIDECARS = ("-shm", "-wal", "-journal")
NOTE = "entries/2023/2024-01-08-note-7.md"


@pytest.fixture
def journal(tmp_path: Path, clean_env: None) -> Journal:
    journal = write_files(tmp_path / "j", many_entries(20))
    assert run(journal, "index").exit_code == 0
    return journal


def run(journal: Journal, *args: str) -> Result:
    return within(120, lambda: CliRunner().invoke(main, ["-j", str(journal.root), *args]))


def add_entry(journal: Journal) -> None:
    (journal.entries_dir / "2024-09-09-late.md").write_text(entry_text("Late", "latecomer"), encoding="utf-8")


def empty_folder(path: Path) -> None:
    path.mkdir()


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_out(path: Path) -> None:
    path.symlink_to(path.parent.parent.parent / "elsewhere")


def leftover_files(journal: Journal) -> list[str]:
    """Files in the state folder other than the index, its lock and SQLite's usual side files."""
    usual = {"index.sqlite", "index.lock", ".gitignore", *(f"index.sqlite{s}" for s in SIDECARS)}
    return sorted(name for name in os.listdir(journal.state_dir) if name not in usual)


def assert_answers_from_the_files(journal: Journal) -> None:
    searched = run(journal, "search", "latecomer")
    assert searched.exit_code == 0, searched.output
    assert "entries/2024-09-09-late.md" in searched.output
    assert "busy" not in searched.output.lower()
    assert run(journal, "search", "marker7x").output.count(NOTE) == 1


@pytest.mark.parametrize("sidecar", SIDECARS)
@pytest.mark.parametrize("put", [empty_folder, fifo, link_out])
def test_a_broken_sidecar_is_a_silent_rebuild(
    journal: Journal, sidecar: str, put: Callable[[Path], None]
) -> None:
    side = Path(f"{journal.index_path}{sidecar}")
    if side.exists():
        side.unlink()
    put(side)
    add_entry(journal)
    assert_answers_from_the_files(journal)
    rebuilt = run(journal, "index", "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "21 added" in rebuilt.output and "memory" not in rebuilt.output
    assert side.is_file() or not os.path.lexists(side)
    assert not (journal.root.parent / "elsewhere").exists(), "SQLite wrote through a link out of the journal"
    with Index(journal) as index:
        assert not index.in_memory


@pytest.mark.parametrize("sidecar", SIDECARS)
def test_a_folder_with_something_in_it_is_kept_and_the_index_lives_in_memory(
    journal: Journal, sidecar: str
) -> None:
    side = Path(f"{journal.index_path}{sidecar}")
    if side.exists():
        side.unlink()
    side.mkdir()
    (side / "keep.txt").write_text("not ours", encoding="utf-8")
    add_entry(journal)
    assert_answers_from_the_files(journal)
    rebuilt = run(journal, "index", "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Traceback" not in rebuilt.output
    assert f"index.sqlite{sidecar} in {journal.state_dir} is a folder that is not empty" in rebuilt.output
    assert "the index is kept in memory" in rebuilt.output
    assert (side / "keep.txt").read_text(encoding="utf-8") == "not ours"


def page_limited(real: Callable[..., sqlite3.Connection]) -> Callable[..., sqlite3.Connection]:
    """sqlite3.connect for files that cannot grow: SQLite's SQLITE_FULL, as on a full disk."""

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(database, *args, **kwargs)
        if "mode=memory" not in str(database):
            # A limit below the current size is read as "no more pages than now".
            conn.execute("PRAGMA max_page_count = 1")
        return conn

    return connect


def test_a_full_disk_during_a_rebuild_is_called_a_full_disk_and_leaves_no_temp_file(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite3, "connect", page_limited(sqlite3.connect))
    rebuilt = run(journal, "index", "--rebuild")
    monkeypatch.undo()
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "(the disk is full: the index is kept in memory)" in rebuilt.output
    assert "read-only" not in rebuilt.output
    assert leftover_files(journal) == []


def test_a_full_disk_while_updating_the_index_is_one_clear_line(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(300):
        (journal.entries_dir / f"2024-10-01-more-{i}.md").write_text(
            entry_text(f"More {i}", "words " * 200), encoding="utf-8"
        )
    monkeypatch.setattr(sqlite3, "connect", page_limited(sqlite3.connect))
    searched = run(journal, "search", "marker7x")
    indexed = run(journal, "index")
    monkeypatch.undo()
    assert searched.exit_code == 0, searched.output
    assert (
        "The disk is full, so the index could not be updated; results may be out of date." in searched.output
    )
    assert NOTE in searched.output
    assert indexed.exit_code == 1
    assert "Traceback" not in indexed.output and "read-only" not in indexed.output
    assert "The disk is full: the index could not be updated." in indexed.output
    assert leftover_files(journal) == []
