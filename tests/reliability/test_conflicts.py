"""Two writers on one entry never overwrite each other silently; two syncing processes leave a sound index."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_helpers import Child, entry_text, many_entries, write_files

from mljournal.core.entries.store import ConflictError, read_entry, save_entry
from mljournal.core.index import Index

ENTRY = "entries/2024-03-01-shared.md"
ORIGINAL = entry_text("Shared", "the first words")
MINE = entry_text("Shared", "my words, typed in the app")
THEIRS = entry_text("Shared", "their words, typed in another terminal")


def test_two_processes_saving_one_entry_the_later_one_keeps_both(
    tmp_path: Path, spawn: Callable[..., Child]
) -> None:
    journal = write_files(tmp_path / "j", {ENTRY: ORIGINAL})
    first = spawn("save-with-version", str(journal.root), ENTRY, MINE, stdin=True)
    second = spawn("save-with-version", str(journal.root), ENTRY, THEIRS, stdin=True)
    # Both have read the original before either saves: the situation of two open editors.
    assert first.read_line() == "read"
    assert second.read_line() == "read"
    first.send("go")
    assert first.read_line() == "saved"
    second.send("go")
    answer = second.read_line()
    second.finish()
    first.finish()
    assert answer.startswith("conflict entries/2024-03-01-shared-conflict-")
    assert "was changed by another program since you opened it" in answer
    copy = answer.split()[1]
    assert (journal.root / ENTRY).read_text(encoding="utf-8") == MINE
    assert (journal.root / copy).read_text(encoding="utf-8") == THEIRS
    with Index(journal) as index:
        index.sync()
        assert {row[0] for row in index.conn.execute("SELECT path FROM entries")} == {ENTRY, copy}


def test_external_editor_change_and_deletion_are_conflicts(tmp_path: Path) -> None:
    journal = write_files(tmp_path / "j", {ENTRY: ORIGINAL})
    _raw, version = read_entry(journal, ENTRY)
    (journal.root / ENTRY).write_text(THEIRS, encoding="utf-8")
    with pytest.raises(ConflictError, match="changed by another program"):
        save_entry(journal, ENTRY, MINE.encode(), expected=version)
    assert (journal.root / ENTRY).read_text(encoding="utf-8") == THEIRS
    (journal.root / ENTRY).unlink()
    with pytest.raises(ConflictError, match="deleted by another program"):
        save_entry(journal, ENTRY, MINE.encode(), expected=version)
    assert not (journal.root / ENTRY).exists()


def test_touch_without_change_is_not_a_conflict(tmp_path: Path) -> None:
    import os

    journal = write_files(tmp_path / "j", {ENTRY: ORIGINAL})
    _raw, version = read_entry(journal, ENTRY)
    os.utime(journal.root / ENTRY, ns=(1, 1))
    save_entry(journal, ENTRY, MINE.encode(), expected=version)
    assert (journal.root / ENTRY).read_text(encoding="utf-8") == MINE


def assert_index_consistent(index: Index, expected_paths: set[str]) -> None:
    conn = index.conn
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    paths = [row[0] for row in conn.execute("SELECT path FROM entries")]
    assert len(paths) == len(set(paths)), "duplicate paths in the index"
    assert set(paths) == expected_paths
    entry_ids = {row[0] for row in conn.execute("SELECT id FROM entries")}
    fts_ids = {row[0] for row in conn.execute("SELECT rowid FROM entries_fts")}
    assert fts_ids == entry_ids, "FTS rows and entries rows disagree"
    orphans = conn.execute(
        "SELECT count(*) FROM entry_tags WHERE entry_id NOT IN (SELECT id FROM entries)"
    ).fetchone()[0]
    assert orphans == 0
    # The FTS index agrees with its own content (FTS5's built-in consistency check raises if not).
    conn.execute("INSERT INTO entries_fts(entries_fts) VALUES ('integrity-check')")


@pytest.mark.slow
@pytest.mark.parametrize("start", ["no index", "stale index"])
def test_two_processes_syncing_at_once_leave_a_consistent_index(
    tmp_path: Path, spawn: Callable[..., Child], start: str
) -> None:
    files = many_entries(300)
    journal = write_files(tmp_path / "j", files)
    if start == "stale index":
        # Both processes then race to update and delete the same rows and to hand out ids to new files.
        with Index(journal) as index:
            index.sync()
        for i, relpath in enumerate(sorted(files)[:120]):
            if i % 3 == 0:
                (journal.root / relpath).unlink()
                del files[relpath]
            else:
                (journal.root / relpath).write_text(files[relpath] + "\nedited\n", encoding="utf-8")
        extra = {
            f"entries/new/2024-05-{i % 28 + 1:02d}-extra-{i}.md": entry_text(f"Extra {i}", "x")
            for i in range(60)
        }
        write_files(journal.root, extra)
        files.update(extra)
    go = tmp_path / "go"
    children = [spawn("sync", str(journal.root), str(go)) for _ in range(2)]
    go.touch()
    outputs = [child.finish(timeout=120) for child in children]
    assert all(out.startswith("synced") for out in outputs), outputs
    with Index(journal) as index:
        assert index.total() == len(files)
        assert_index_consistent(index, set(files))
        # Searching works on the shared index: every note's unique marker finds exactly that note.
        for i in (150, 299):
            hits = index.search(f"marker{i}x").hits
            assert [hit.row.title for hit in hits] == [f"Note {i} about {files_word(i)}"]
        # And a third sync has nothing left to do.
        report = index.sync()
        assert not report.changed and report.unchanged == len(files)


def files_word(i: int) -> str:
    return ("gradient", "tensor", "bayes", "kernel", "dropout", "softmax", "entropy")[i % 7]
