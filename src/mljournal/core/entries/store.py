"""Reading and writing entry files: versions, conflicts, save, save-as-copy, and the field-edit loop.

Every function here takes a `Journal` and `/`-separated paths relative to its root, writes through
`core.atomic`, and turns operating-system errors into a `StoreError` carrying one sentence for the user.
Files are the truth: nothing here ever replaces a file it did not mean to, and a failed write leaves the
original bytes where they were. The index is not touched; callers refresh it (`Index.refresh`).

Every write holds the journal's lock (`core.locking.journal_lock`) from the moment it reads or checks the
file until the new bytes are in place, and follows a symbolic link only to a place inside the journal
(`core.journal.write_target`). `new`, `tagging` and `trash` build on the helpers here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mljournal.core.atomic import atomic_create_bytes, atomic_write_bytes
from mljournal.core.dates import local_now
from mljournal.core.errors import MLJournalError, describe_os_error
from mljournal.core.frontmatter import FrontMatterEditError, set_field
from mljournal.core.journal import Journal, JournalError, open_regular_file, write_target
from mljournal.core.locking import journal_lock

_MAX_NAME_ATTEMPTS = 1000
"""Bounds the retry loops that look for a free file name, so a pathological folder can't spin forever."""

_EDIT_ATTEMPTS = 5
"""How often a field edit re-reads and re-applies itself when a program that ignores our lock (an editor)
saved the file between our read and our write; past that, it gives up with the file as the other left it."""


@dataclass(frozen=True, slots=True)
class FileVersion:
    """What a file looked like when it was read, to notice later that another program changed it."""

    mtime_ns: int
    size: int
    sha256: str

    def same_content(self, other: FileVersion | None) -> bool:
        """True when `other` has the same bytes; a bare `touch` (new mtime, same bytes) is not a change."""
        return other is not None and self.size == other.size and self.sha256 == other.sha256


class StoreError(MLJournalError):
    """A write that could not happen, with one sentence for the user; the file on disk is unchanged."""


class ConflictError(StoreError):
    """The file changed on disk since it was read (`expected`); `current` is None when it was deleted."""

    def __init__(self, relpath: str, current: FileVersion | None) -> None:
        self.relpath = relpath
        self.current = current
        if current is None:
            message = f"{relpath} was deleted by another program since you opened it."
        else:
            message = f"{relpath} was changed by another program since you opened it."
        super().__init__(message)


def version_of_bytes(data: bytes, *, mtime_ns: int = 0) -> FileVersion:
    """The version of some bytes (the editor uses it to compare what it has with what it read)."""
    return FileVersion(mtime_ns=mtime_ns, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def file_version(path: Path) -> FileVersion:
    """The current version of the file at `path`; raises OSError (e.g. FileNotFoundError) like `open`."""
    with open_regular_file(path) as handle:
        stat = os.fstat(handle.fileno())
        data = handle.read()
    return version_of_bytes(data, mtime_ns=stat.st_mtime_ns)


def read_entry(journal: Journal, relpath: str) -> tuple[bytes, FileVersion]:
    """The raw bytes of an entry and their version, read together so the version matches the bytes."""
    path = _abspath(journal, relpath)
    with _store_errors("read", relpath), open_regular_file(path) as handle:
        stat = os.fstat(handle.fileno())
        data = handle.read()
    return data, version_of_bytes(data, mtime_ns=stat.st_mtime_ns)


def _current_version(path: Path) -> FileVersion | None:
    try:
        return file_version(path)
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _store_errors(action: str, relpath: str) -> Iterator[None]:
    """Turn OSError into a StoreError whose message names the file and says what went wrong."""
    try:
        yield
    except StoreError:
        raise
    except OSError as error:
        raise StoreError(describe_os_error(action, relpath, error)) from error


def _abspath(journal: Journal, relpath: str) -> Path:
    try:
        return journal.abspath(relpath)
    except JournalError as error:
        raise StoreError(str(error)) from error


def _write_path(journal: Journal, path: Path) -> Path:
    """The real file a write to `path` replaces: symlinks followed only inside the journal, else refused."""
    try:
        return write_target(journal.root, path)
    except JournalError as error:
        raise StoreError(str(error)) from error


@contextlib.contextmanager
def _locked(journal: Journal) -> Iterator[None]:
    """Hold the journal's write lock; a journal kept busy too long becomes a StoreError (nothing changed)."""
    try:
        with journal_lock(journal.root):
            yield
    except StoreError:
        raise
    except JournalError as error:
        raise StoreError(str(error)) from error


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


# -- saving --------------------------------------------------------------------------------------------------


def save_entry(journal: Journal, relpath: str, raw: bytes, *, expected: FileVersion | None) -> FileVersion:
    """Atomically write `raw` to the entry and return the new version.

    With `expected` (the version the editor read), raises `ConflictError` instead of writing when the file's
    bytes are no longer those; `expected=None` writes regardless (a new file, or "overwrite theirs").
    """
    path = _write_path(journal, _abspath(journal, relpath))
    with _locked(journal), _store_errors("save", relpath):
        if expected is not None:
            current = _current_version(path)
            if not expected.same_content(current):
                raise ConflictError(relpath, current)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, raw)
        return version_of_bytes(raw, mtime_ns=path.stat().st_mtime_ns)


def save_as_copy(
    journal: Journal, relpath: str, raw: bytes, *, clock: Callable[[], datetime] = local_now
) -> str:
    """Write `raw` beside the entry as `<stem>-conflict-<timestamp>.md` ("keep both"); return its relpath."""
    path = _abspath(journal, relpath)
    stem = f"{path.stem}-conflict-{_timestamp(clock())}"
    suffix = path.suffix or ".md"
    _write_path(journal, path.parent)
    with _locked(journal), _store_errors("save a copy of", relpath):
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, _MAX_NAME_ATTEMPTS + 1):
            name = f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}"
            target = path.with_name(name)
            try:
                atomic_create_bytes(target, raw)
            except FileExistsError:
                continue
            return journal.relpath(target)
    raise StoreError(f"Could not find a free name for a copy of {relpath}.")


# -- front-matter edits --------------------------------------------------------------------------------------


def _edit_field(journal: Journal, relpath: str, what: str, change: Callable[[bytes], bytes]) -> None:
    """Apply `change` (old bytes to new bytes) to the entry under the journal's lock, keeping other bytes.

    Under the lock no other mljournal can write in between; a program that ignores the lock (an editor) and
    saves between our read and our write is not overwritten: the edit is applied again to its bytes.
    """
    with _locked(journal):
        for _attempt in range(_EDIT_ATTEMPTS):
            raw, version = read_entry(journal, relpath)
            new_raw = change(raw)
            if new_raw == raw:
                return
            try:
                save_entry(journal, relpath, new_raw, expected=version)
            except ConflictError as conflict:
                if conflict.current is None:
                    raise
                continue
            return
    raise StoreError(
        f"Could not change the {what} of {relpath}: another program kept rewriting it. Nothing was changed."
    )


def _set_field(raw: bytes, relpath: str, key: str, value: Any, what: str) -> bytes:
    try:
        return set_field(raw, key, value)
    except FrontMatterEditError as error:
        raise StoreError(f"Could not change the {what} of {relpath}: {error}") from error
