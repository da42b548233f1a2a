"""Opening the index: the connection, the rebuild of a missing or broken file, the in-memory fallback, staleness.

The files under `entries/` are the truth. The index can be deleted at any time; it is rebuilt silently when it
is missing, corrupt, foreign or from another schema version, and kept in memory when `.mljournal/` can't be
written. One index holds one SQLite connection and must be used from one thread.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Self

from mljournal.core.index.schema import APPLICATION_ID, create_schema, schema_ok
from mljournal.core.journal import Journal, state_dir_problem

_MEMORY_ANCHORS: dict[str, sqlite3.Connection] = {}
_MEMORY_LOCK = threading.Lock()
_HEADER_READERS: dict[tuple[int, int], int] = {}
"""Read-only descriptors of index files by (device, inode), for `Index.is_stale`, kept open, never closed
while their file is the index.

POSIX record locks belong to the process, and closing *any* descriptor of a file releases all of them: opening
the index to read its header and closing it again dropped the locks of every SQLite connection this process
held on it. Another process closing its last connection then took the file for itself and deleted the WAL and
shared-memory files under them, and the app's next open met "disk I/O error" and rebuilt the whole index.
SQLite keeps its own descriptors open for the same reason."""
_HEADER_LOCK = threading.Lock()


def _header_reader(path: Path, identity: tuple[int, int]) -> int | None:
    """An open descriptor of the index file whose (device, inode) is `identity`; None if `path` is another now.

    Opening the file for a new identity closes the descriptors of older ones: those files were replaced, so
    their space is freed and no live connection of this process relies on locks there for long.
    """
    with _HEADER_LOCK:
        reader = _HEADER_READERS.get(identity)
        if reader is not None:
            return reader
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        stat = os.fstat(reader)
        found = (stat.st_dev, stat.st_ino)
        # Kept even when it is not the file asked for: closing it could drop locks of the file now there.
        _HEADER_READERS[found] = reader
        for old in [key for key in _HEADER_READERS if key != found]:
            os.close(_HEADER_READERS.pop(old))
        return reader if found == identity and S_ISREG(stat.st_mode) else None


def _connect(path: Path | str) -> sqlite3.Connection:
    # check_same_thread stays on: a connection belongs to the thread that opened it.
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside the index."""
READ_ONLY_REASON = "the journal is read-only"
BUSY_REASON = "the index is busy (another program holds it)"
FULL_REASON = "the disk is full"


class IndexBlocked(OSError):
    """Something that is not ours sits where the index must write; its message says what and where."""


def _not_a_file(path: str) -> bool:
    """Whether something other than a regular file (a folder, pipe or symbolic link) is at `path`."""
    try:
        return not S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False
    except OSError:
        return True


def is_disk_full(error: BaseException) -> bool:
    """Whether an OSError or an SQLite error means the disk (or the quota) is full."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    # SQLITE_FULL: "database or disk is full".
    return isinstance(error, sqlite3.Error) and (
        getattr(error, "sqlite_errorcode", None) == 13 or "disk is full" in str(error)
    )


def _memory_reason(error: BaseException) -> str:
    """Why an index could not be kept on disk, for `MemoryFallback.reason`."""
    if is_disk_full(error):
        return FULL_REASON
    if isinstance(error, IndexBlocked):
        return str(error)
    return READ_ONLY_REASON


@dataclass(frozen=True, slots=True)
class MemoryFallback:
    """Why an index is kept in memory: `.mljournal/` can't be written, the disk is full, the file is busy."""

    reason: str
    """A clause for the user: "the disk is full", "the journal is read-only"."""
    announce: str | None = None
    """The sentence to say as soon as the index opens, when the reason is a symbolic link; None in every
    other case, which the callers explain in their own words."""


class IndexConnection:
    """One SQLite connection to a journal's index, opened (or rebuilt, or kept in memory) as the files need."""

    def __init__(self, journal: Journal, *, path: Path | None = None) -> None:
        self.journal = journal
        self.path = path or journal.index_path
        self.memory: MemoryFallback | None = None
        """Why the index is kept in memory instead of on disk; None while it is on disk."""
        self.rebuilt = False
        self.conn = self._open()
        self._identity = self._file_identity()

    @property
    def in_memory(self) -> bool:
        """Whether the index is kept in memory (see `memory` for why)."""
        return self.memory is not None

    @property
    def memory_reason(self) -> str | None:
        """Why the index is kept in memory, as a clause for the user ("the disk is full"); None on disk."""
        return None if self.memory is None else self.memory.reason

    @property
    def in_memory_reason(self) -> str | None:
        """The sentence to say as soon as the index opens in memory (`MemoryFallback.announce`), or None."""
        return None if self.memory is None else self.memory.announce

    def _open(self) -> sqlite3.Connection:
        # A symlinked `.mljournal` (or index file) would make SQLite write wherever it points: never follow it.
        # (A `.mljournal` that is a plain file just can't be made: the read-only fallback below says so.)
        problem = None
        if self.journal.state_dir.is_symlink():
            problem = state_dir_problem(self.journal)
        elif self.path.is_symlink():
            problem = f"{self.path.name} is a symbolic link, and mljournal never writes through one"
        if problem is not None:
            return self._open_in_memory(problem, announce=f"{problem}, so the index is kept in memory.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return self._open_in_memory(_memory_reason(error))
        state = self._try_existing()
        if isinstance(state, sqlite3.Connection):
            return state
        if state == "busy":
            return self._open_in_memory(BUSY_REASON)
        # Missing, corrupt, foreign or outdated: it is only a cache, so start again from the files. Under a
        # lock, so that two processes starting at once don't delete each other's fresh index.
        with self._rebuild_lock():
            state = self._try_existing()
            if isinstance(state, sqlite3.Connection):
                return state
            if state == "busy":
                return self._open_in_memory(BUSY_REASON)
            try:
                self._build_fresh_file()
                conn = _connect(self.path)
                if self._schema_ok(conn):
                    self.rebuilt = True
                    return conn
                conn.close()
                reason = READ_ONLY_REASON
            except (sqlite3.DatabaseError, OSError) as error:
                reason = _memory_reason(error)
        return self._open_in_memory(reason)

    def _try_existing(self) -> sqlite3.Connection | str:
        """A connection to a sound index, or why not: "missing", "broken" or "busy" (locked by another)."""
        if not os.path.lexists(self.path):
            return "missing"
        # A folder, pipe or link where the index or one of SQLite's side files goes: SQLite would fail on
        # every write ("attempt to write a readonly database") or report the index busy forever.
        if any(_not_a_file(f"{self.path}{suffix}") for suffix in ("", *SIDECAR_SUFFIXES)):
            return "broken"
        conn = None
        try:
            # mode=rw: never create an empty file here; creating is `_build_fresh_file`'s job.
            conn = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=10.0, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 10000")
            if self._schema_ok(conn):
                return conn
        except sqlite3.OperationalError as error:
            if conn is not None:
                conn.close()
            # Locked is not broken: another process holds it. Never delete an index someone is using.
            return "busy" if "locked" in str(error) or "busy" in str(error) else "broken"
        except sqlite3.DatabaseError:
            pass
        if conn is not None:
            conn.close()
        return "broken"

    def _build_fresh_file(self) -> None:
        """Build an empty index beside the old one and swap it in, so nobody sees a half-made schema."""
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        try:
            conn = _connect(temp)
            try:
                self._create_schema(conn)
            finally:
                conn.close()
            # A stale WAL beside the old file would be replayed into the new one: remove it first.
            self._clear_sidecars()
            os.replace(temp, self.path)
        except BaseException:
            # A full disk or a refused write: leave no half-made file behind.
            for suffix in ("", *SIDECAR_SUFFIXES):
                with contextlib.suppress(OSError):
                    os.unlink(f"{temp}{suffix}")
            raise

    def _clear_sidecars(self) -> None:
        """Remove SQLite's side files of the old index, and whatever else sits at their names.

        An empty folder there goes too; a folder with something in it is not ours to delete, and raises.
        """
        for suffix in SIDECAR_SUFFIXES:
            side = f"{self.path}{suffix}"
            try:
                is_folder = S_ISDIR(os.lstat(side).st_mode)
            except FileNotFoundError:
                continue
            try:
                if is_folder:
                    os.rmdir(side)
                else:
                    os.unlink(side)
            except FileNotFoundError:
                continue
            except OSError as error:
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                raise IndexBlocked(
                    f"{self.path.name}{suffix} in {self.path.parent} is a folder that is not empty, where the"
                    " index keeps a file"
                ) from error

    @contextlib.contextmanager
    def _rebuild_lock(self) -> Iterator[None]:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks; rebuilds are still atomic
            yield
            return
        try:
            handle = open(self.path.with_name("index.lock"), "a+b")  # noqa: SIM115 - held across the yield
        except OSError:
            yield
            return
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _open_in_memory(self, reason: str, *, announce: str | None = None) -> sqlite3.Connection:
        """A working index in memory, for a journal whose `.mljournal/` can't be written (or is locked).

        Every `Index` of the same journal in this process shares one in-memory database (SQLite's shared
        cache), so the TUI's sync worker and its query workers see the same entries.
        """
        self.memory = MemoryFallback(reason, announce)
        digest = hashlib.blake2b(str(self.journal.root.absolute()).encode(), digest_size=8).hexdigest()
        uri = f"file:mljournal-{digest}?mode=memory&cache=shared"
        with _MEMORY_LOCK:
            if uri not in _MEMORY_ANCHORS:
                # The anchor keeps the shared database alive for the life of the process.
                anchor = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
                self._create_schema(anchor)
                _MEMORY_ANCHORS[uri] = anchor
                self.rebuilt = True
        conn = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None)
        # In shared-cache mode a reader would get "table is locked" while another thread writes.
        conn.execute("PRAGMA read_uncommitted = 1")
        return conn

    def _file_identity(self) -> tuple[int, int] | None:
        if self.in_memory:
            return None
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return stat.st_dev, stat.st_ino

    def is_stale(self) -> bool:
        """Whether another program deleted, replaced or overwrote the index file under this connection.

        None of these shows as an error: a connection goes on reading a deleted file, and in WAL mode it
        trusts its page cache while the side files say nothing changed. A long-lived holder (the app) would
        answer from a ghost while new connections build a fresh index, so it asks this before each use and
        reopens. One small read: cheap enough for every query.
        """
        if self.in_memory:
            return False
        # Never open and close the file here: see `_HEADER_READERS`.
        try:
            stat = os.stat(self.path)
            identity = (stat.st_dev, stat.st_ino)
            if identity != self._identity:
                return True
            reader = _header_reader(self.path, identity)
            if reader is None:
                return True
            header = os.pread(reader, 100, 0)
        except OSError:
            return True
        return header[:16] != b"SQLite format 3\x00" or header[68:72] != APPLICATION_ID.to_bytes(4, "big")

    _schema_ok = staticmethod(schema_ok)
    _create_schema = staticmethod(create_schema)
    """A class attribute, not a call of the function, so that a test can patch `Index._create_schema`."""

    def _get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
