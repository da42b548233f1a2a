"""The index is only a cache: damaged, foreign, outdated, locked or deleted, it comes back from the files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from reliability_helpers import Child, many_entries, write_files

from mljournal.cli import main
from mljournal.core.index import SCHEMA_VERSION, Index
from mljournal.core.journal import Journal

QUERIES = ("gradient", "tag:bayes", "kernel -tag:batch1", "marker7x", "after:2024-06-01", "")


def snapshot(journal: Journal) -> dict[str, list[str]]:
    """What a user sees: the paths each query returns, in order, after the usual start-up sync."""
    with Index(journal) as index:
        index.sync()
        return {q: [hit.row.path for hit in index.search(q, limit=500).hits] for q in QUERIES}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return write_files(tmp_path / "j", many_entries(40))


@pytest.fixture
def before(journal: Journal) -> dict[str, list[str]]:
    found = snapshot(journal)
    assert found["marker7x"] == ["entries/2023/2024-01-08-note-7.md"]
    assert len(found[""]) == 40
    return found


def _truncate(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(os.path.getsize(path) // 3)


def _garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _wrong_version(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _dropped_fts(path: Path) -> None:
    # Right id and version, but a table is gone: the kind of damage a half-copied file shows.
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE entries_fts")
    conn.commit()
    conn.close()


def _a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    "damage", [_truncate, _garbage, _empty, _wrong_version, _foreign, _dropped_fts, _a_folder]
)
def test_a_damaged_index_is_rebuilt_without_being_asked(
    journal: Journal, before: dict[str, list[str]], damage: Callable[[Path], None]
) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{journal.index_path}{suffix}").unlink(missing_ok=True)
    damage(journal.index_path)
    assert snapshot(journal) == before


def test_deleting_the_state_folder_loses_nothing(journal: Journal, before: dict[str, list[str]]) -> None:
    entries_before = {p: p.read_bytes() for p in journal.entries_dir.rglob("*.md")}
    shutil.rmtree(journal.state_dir)
    assert snapshot(journal) == before
    assert {p: p.read_bytes() for p in journal.entries_dir.rglob("*.md")} == entries_before


def test_cli_search_after_damage_gives_the_same_answer(
    journal: Journal, before: dict[str, list[str]], clean_env: None
) -> None:
    _garbage(journal.index_path)
    result = CliRunner().invoke(main, ["-j", str(journal.root), "search", "marker7x"])
    assert result.exit_code == 0, result.output
    assert "entries/2023/2024-01-08-note-7.md" in result.output


class ImpatientConnection(sqlite3.Connection):
    """A connection whose busy timeout is 0.2 s whatever the caller asks for: reaches "still locked" fast."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.replace(" ", "").lower().startswith("pragmabusy_timeout="):
            sql = "PRAGMA busy_timeout = 200"
        return super().execute(sql, *args)


def impatient_connect(real: Callable[..., sqlite3.Connection]) -> Callable[..., sqlite3.Connection]:
    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs["timeout"] = 0.2
        kwargs["factory"] = ImpatientConnection
        return real(*args, **kwargs)

    return connect


def add_late_entry(journal: Journal) -> None:
    (journal.entries_dir / "2024-09-09-late.md").write_text(
        "---\ntitle: Late\n---\nwritten while locked, latecomer\n", encoding="utf-8"
    )


@pytest.mark.slow
@pytest.mark.parametrize("how", ["write", "exclusive"])
def test_an_index_locked_for_a_while_is_waited_for_not_deleted(
    journal: Journal, before: dict[str, list[str]], spawn: Callable[..., Child], how: str
) -> None:
    add_late_entry(journal)
    inode = journal.index_path.stat().st_ino
    holder = spawn("hold-lock", str(journal.index_path), "3", how)
    assert holder.read_line() == "locked"
    with Index(journal) as index:
        report = index.sync()
        assert report.added == ["entries/2024-09-09-late.md"]
        assert [hit.row.title for hit in index.search("latecomer").hits] == ["Late"]
        assert not index.in_memory
    holder.finish()
    assert journal.index_path.stat().st_ino == inode, "a busy index was replaced"


@pytest.mark.slow
@pytest.mark.parametrize("how", ["write", "exclusive"])
def test_cli_answers_in_words_when_the_index_stays_locked(
    journal: Journal,
    before: dict[str, list[str]],
    spawn: Callable[..., Child],
    monkeypatch: pytest.MonkeyPatch,
    clean_env: None,
    how: str,
) -> None:
    """Past SQLite's busy timeout (shortened here) a command answers from the files or says the index is busy."""
    add_late_entry(journal)
    inode = journal.index_path.stat().st_ino
    holder = spawn("hold-lock", str(journal.index_path), "4", how)
    assert holder.read_line() == "locked"
    monkeypatch.setattr(sqlite3, "connect", impatient_connect(sqlite3.connect))
    result = CliRunner().invoke(main, ["-j", str(journal.root), "search", "latecomer"])
    monkeypatch.undo()
    holder.finish()
    assert not isinstance(result.exception, sqlite3.Error), f"a locked index ended in {result.exception!r}"
    assert "Late" in result.output or "busy" in result.output.lower(), result.output
    assert journal.index_path.stat().st_ino == inode, "a busy index was replaced"
