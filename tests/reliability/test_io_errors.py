"""Full disks, refused writes, read-only journals and files that vanish mid-scan: a clear message, nothing lost.

The suite runs as root, where chmod stops nothing, so faults are injected where the operating system would
report them (`os.fsync`, `os.replace`, `tempfile.mkstemp`, `open`), with the errno it would use.
"""

from __future__ import annotations

import builtins
import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from reliability_helpers import entry_text, write_files

from mljournal.cli import main
from mljournal.core.atomic import TEMP_PREFIX
from mljournal.core.entries.new import create_entry
from mljournal.core.entries.store import StoreError, read_entry, save_entry
from mljournal.core.entries.tagging import update_tags
from mljournal.core.entries.trash import trash_entry
from mljournal.core.index import Index
from mljournal.core.index import sync as index_module
from mljournal.core.journal import Journal
from mljournal.core.roadmap import RoadmapError, set_status

ENTRY = "entries/2024-03-01-note.md"
ORIGINAL = entry_text("Original words", "Nothing may happen to these words.")
ROADMAP = "topics:\n  - id: basics\n    title: Basics\n    status: todo\n"

FAULTS = {
    errno.ENOSPC: "the disk is full",
    errno.EACCES: "permission denied",
    errno.EROFS: "read-only file system",
    errno.EDQUOT: "quota",
    errno.EIO: "Input/output error",
}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return write_files(tmp_path / "journal", {ENTRY: ORIGINAL, "roadmap.yaml": ROADMAP})


def raiser(code: int) -> Callable[..., Any]:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under root (temp files included), with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inject(monkeypatch: pytest.MonkeyPatch, where: str, code: int) -> None:
    if where == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", raiser(code))
    else:
        monkeypatch.setattr(os, where, raiser(code))


@pytest.mark.parametrize("where", ["mkstemp", "fsync", "replace"])
@pytest.mark.parametrize("code", sorted(FAULTS))
def test_a_failed_save_names_the_file_and_reason_and_keeps_the_original(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, where: str, code: int
) -> None:
    _raw, version = read_entry(journal, ENTRY)
    before = files_under(journal.root)
    inject(monkeypatch, where, code)
    with pytest.raises(StoreError) as caught:
        save_entry(journal, ENTRY, b"new words", expected=version)
    message = str(caught.value)
    assert ENTRY in message and FAULTS[code].lower() in message.lower()
    assert message.endswith("Nothing was changed.")
    monkeypatch.undo()
    # The original is byte for byte intact and no temp file was left behind.
    assert files_under(journal.root) == before


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_create_tags_and_trash_fail_cleanly(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    before = files_under(journal.root)
    inject(monkeypatch, "mkstemp", code)
    with pytest.raises(StoreError, match=re.escape(FAULTS[code])):
        create_entry(journal, title="A new thought")
    with pytest.raises(StoreError, match=re.escape(FAULTS[code])):
        update_tags(journal, ENTRY, add=["x"], remove=[])
    monkeypatch.undo()
    inject(monkeypatch, "link", code)
    monkeypatch.setattr("shutil.move", raiser(code))
    with pytest.raises(StoreError, match=re.escape(FAULTS[code])):
        trash_entry(journal, ENTRY)
    monkeypatch.undo()
    after = files_under(journal.root)
    # A trash folder may have been made before the move failed; no entry bytes may have changed or moved.
    assert {k: v for k, v in after.items() if not k.startswith(".mljournal/")} == before


@pytest.mark.parametrize("where", ["mkstemp", "fsync", "replace"])
def test_a_failed_roadmap_edit_says_why_in_words_and_keeps_the_file(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    inject(monkeypatch, where, errno.ENOSPC)
    with pytest.raises(RoadmapError) as caught:
        set_status(journal.roadmap_path, "basics", "done")
    message = str(caught.value)
    assert "roadmap.yaml" in message and "disk is full" in message and "Errno" not in message
    monkeypatch.undo()
    assert journal.roadmap_path.read_text(encoding="utf-8") == ROADMAP
    assert not list(journal.root.glob(f"{TEMP_PREFIX}*"))


def test_cli_save_error_is_one_line_without_a_traceback(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, clean_env: None
) -> None:
    inject(monkeypatch, "mkstemp", errno.ENOSPC)
    result = CliRunner().invoke(main, ["-j", str(journal.root), "tag", ENTRY, "+new"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "the disk is full" in result.output and ENTRY in result.output
    assert (journal.root / ENTRY).read_text(encoding="utf-8") == ORIGINAL


def test_cli_roadmap_set_on_a_full_disk_is_one_clear_line(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, clean_env: None
) -> None:
    inject(monkeypatch, "replace", errno.ENOSPC)
    result = CliRunner().invoke(main, ["-j", str(journal.root), "roadmap", "set", "basics", "done"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Errno" not in result.output
    assert "disk is full" in result.output
    assert journal.roadmap_path.read_text(encoding="utf-8") == ROADMAP


# -- files that change under a running sync ------------------------------------------------------------------


def _deleting_walk(victim: str) -> Callable[..., Iterator[tuple[str, os.stat_result]]]:
    real_walk = index_module.walk_entry_files

    def walk(journal: Journal, *args: Any) -> Iterator[tuple[str, os.stat_result]]:
        for relpath, stat in real_walk(journal, *args):
            yield relpath, stat
            if relpath == victim:
                # Listed, then gone before it is read: another program deleted it at the worst moment.
                (journal.root / relpath).unlink()

    return walk


def test_a_file_deleted_between_listing_and_reading_does_not_break_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = "entries/2024-03-02-keep.md"
    journal = write_files(tmp_path / "j", {ENTRY: ORIGINAL, keep: entry_text("Kept", "still here")})
    monkeypatch.setattr(index_module, "walk_entry_files", _deleting_walk(ENTRY))
    with Index(journal) as index:
        index.sync()
        monkeypatch.undo()
        assert index.entry_row(keep) is not None
        # The next sync (the app's next start, or the watcher) forgets the vanished file.
        index.sync()
        assert [row[0] for row in index.conn.execute("SELECT path FROM entries")] == [keep]


def test_an_unreadable_file_is_listed_with_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = "entries/2024-03-02-keep.md"
    journal = write_files(tmp_path / "j", {ENTRY: ORIGINAL, keep: entry_text("Kept", "still here")})
    victim = str(journal.root / ENTRY)
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == victim:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    with Index(journal) as index:
        index.sync()
        problems = index.problems()
    monkeypatch.undo()
    assert [(path, p.code) for path, p in problems] == [(ENTRY, "unreadable")]
    assert "could not be read" in problems[0][1].message and "Permission denied" in problems[0][1].message
    assert (journal.root / ENTRY).read_text(encoding="utf-8") == ORIGINAL


# -- a journal whose state folder cannot be written ----------------------------------------------------------


@pytest.fixture
def read_only_journal(tmp_path: Path) -> Journal:
    """`.mljournal` is a plain file, so the index folder cannot be made, even by root."""
    journal = write_files(
        tmp_path / "ro",
        {ENTRY: ORIGINAL, "entries/2024-03-02-more.md": entry_text("More gradient notes", "gradient")},
    )
    journal.state_dir.write_text("not a folder", encoding="utf-8")
    return journal


def test_read_only_journal_opens_with_an_in_memory_index(read_only_journal: Journal) -> None:
    with Index(read_only_journal) as index:
        assert index.in_memory
        index.sync()
        assert index.total() == 2
        assert [hit.row.path for hit in index.search("gradient").hits] == ["entries/2024-03-02-more.md"]
    assert read_only_journal.state_dir.read_text(encoding="utf-8") == "not a folder"


def test_cli_on_a_read_only_journal_reads_and_says_so(read_only_journal: Journal, clean_env: None) -> None:
    runner = CliRunner()
    root = str(read_only_journal.root)
    searched = runner.invoke(main, ["-j", root, "search", "gradient"])
    assert searched.exit_code == 0, searched.output
    assert "entries/2024-03-02-more.md" in searched.output
    indexed = runner.invoke(main, ["-j", root, "index"])
    assert indexed.exit_code == 0 and "read-only" in indexed.output
