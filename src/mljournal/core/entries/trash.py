"""The trash: moving entries to `.mljournal/trash/<timestamp>/`, listing what is there, and restoring it."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from mljournal.core.dates import local_now
from mljournal.core.entries.store import (
    _MAX_NAME_ATTEMPTS,
    StoreError,
    _abspath,
    _locked,
    _store_errors,
    _timestamp,
    _write_path,
)
from mljournal.core.journal import Journal, state_dir_problem


def trash_entry(journal: Journal, relpath: str, *, clock: Callable[[], datetime] = local_now) -> str:
    """Move the entry to `.mljournal/trash/<timestamp>/<relpath>`; return that path relative to the root."""
    source = _abspath(journal, relpath)
    _usable_state_dir(journal, "move to the trash", relpath)
    with _locked(journal), _store_errors("move to the trash", relpath):
        if not source.is_file():
            if source.exists():
                raise StoreError(f"Could not move {relpath} to the trash: it is not a file.")
            raise FileNotFoundError(errno.ENOENT, "not found", str(source))
        batch = _new_trash_folder(journal, _timestamp(clock()))
        target = batch / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        _move_without_replacing(source, target)
    return journal.relpath(target)


def _usable_state_dir(journal: Journal, action: str, relpath: str) -> None:
    """Refuse to use the trash when `.mljournal` is a symlink (or not a folder): it could lead anywhere."""
    problem = state_dir_problem(journal)
    if problem is None:
        problem = None if not journal.trash_dir.is_symlink() else "its trash folder is a symbolic link"
    if problem is not None:
        raise StoreError(f"Could not {action} {relpath}: {problem}. Nothing was changed.")


def _new_trash_folder(journal: Journal, stamp: str) -> Path:
    journal.trash_dir.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, _MAX_NAME_ATTEMPTS + 1):
        folder = journal.trash_dir / (stamp if attempt == 1 else f"{stamp}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise StoreError("Could not make a folder in the trash.")


def _move_without_replacing(source: Path, target: Path) -> None:
    """Move a file to `target`, raising FileExistsError rather than replacing whatever is there."""
    try:
        # A hard link refuses an existing target atomically, unlike rename, which would replace it.
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        # No hard links here (another device, or a file system without them): check, then move.
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from error
        shutil.move(source, target)
        return
    source.unlink()


def list_trash(journal: Journal) -> list[str]:
    """Every file in the trash (relative to the journal root), newest deletion first."""
    trash = journal.trash_dir
    if not trash.is_dir():
        return []
    found: list[str] = []
    for batch in sorted((p for p in trash.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True):
        found.extend(sorted(journal.relpath(p) for p in batch.rglob("*") if p.is_file()))
    return found


@dataclass(frozen=True, slots=True)
class TrashedEntry:
    """One file in the trash: which deletion it came from, when, and where it lived."""

    id: str
    """The deletion's folder name in the trash (`20240501-093000`); `mljournal restore ID` takes it."""
    trash_path: str
    """Where the file is now, relative to the journal root (`.mljournal/trash/<id>/<original path>`)."""
    original_path: str
    """Where it was, and where `restore_entry` puts it back."""
    deleted_at: datetime | None
    """When it was deleted (local time, from the folder name); None when the name is not a timestamp."""


def trashed_entries(journal: Journal) -> list[TrashedEntry]:
    """Every file in the trash with its deletion time and original path, newest deletion first."""
    found: list[TrashedEntry] = []
    prefix_length = len(journal.relpath(journal.trash_dir)) + 1
    for trash_path in list_trash(journal):
        batch, _slash, original = trash_path[prefix_length:].partition("/")
        if original:
            found.append(TrashedEntry(batch, trash_path, original, _deletion_time(batch)))
    return found


def _deletion_time(batch: str) -> datetime | None:
    stamp = "-".join(batch.split("-")[:2])  # a second deletion in the same second is `<stamp>-2`
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def find_trashed(journal: Journal, reference: str | None = None) -> list[TrashedEntry]:
    """The trashed files `reference` means: a deletion id, an original path (its newest deletion), or a path
    in the trash; None means the newest deletion. [] when nothing matches."""
    trashed = trashed_entries(journal)
    if not trashed:
        return []
    if reference is None:
        return [item for item in trashed if item.id == trashed[0].id]
    wanted = reference.strip().replace("\\", "/").removeprefix("./")
    by_id = [item for item in trashed if item.id == wanted]
    if by_id:
        return by_id
    by_trash_path = [item for item in trashed if item.trash_path == wanted]
    if by_trash_path:
        return by_trash_path
    by_original = [item for item in trashed if item.original_path == wanted]
    return by_original[:1]


def restore_entry(journal: Journal, trash_relpath: str) -> str:
    """Move a trashed file back where it was and return its relpath; a taken name gets `-restored`."""
    source = _abspath(journal, trash_relpath)
    trash_root = journal.trash_dir
    try:
        inside = source.relative_to(trash_root)
    except ValueError:
        raise StoreError(f"{trash_relpath} is not in the trash.") from None
    parts = PurePosixPath(inside.as_posix()).parts
    if len(parts) < 2:
        raise StoreError(f"{trash_relpath} is not a trashed entry.")
    original = PurePosixPath(*parts[1:])
    _usable_state_dir(journal, "restore", trash_relpath)
    _write_path(journal, (journal.root / original).parent)
    with _locked(journal), _store_errors("restore", trash_relpath):
        if not source.is_file():
            raise FileNotFoundError(errno.ENOENT, "not found", str(source))
        destination = journal.root / original
        destination.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(_MAX_NAME_ATTEMPTS):
            if attempt == 0:
                candidate = destination
            else:
                extra = "-restored" if attempt == 1 else f"-restored-{attempt}"
                candidate = destination.with_name(f"{destination.stem}{extra}{destination.suffix}")
            try:
                _move_without_replacing(source, candidate)
            except FileExistsError:
                continue
            _remove_empty_folders(source.parent, stop=trash_root)
            return journal.relpath(candidate)
    raise StoreError(f"Could not find a free name to restore {trash_relpath}.")


def _remove_empty_folders(folder: Path, *, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
