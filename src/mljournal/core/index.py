"""The SQLite index: a rebuildable cache of the entry files, for instant search by text, tag, topic and date.

The files under `entries/` are the truth. This index can be deleted at any time; it is rebuilt silently when it
is missing, corrupt, foreign or from another schema version. One `Index` holds one SQLite connection and must be
used from one thread (open one per worker: opening is cheap).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import TYPE_CHECKING, Any, NamedTuple

from mljournal.core.atomic import cleanup_stale_temp_files, remove_stale_temp_files
from mljournal.core.cjk import index_form, only_single_characters, readable
from mljournal.core.journal import (
    ENTRY_SUFFIXES,
    Journal,
    JournalError,
    open_regular_file,
    state_dir_problem,
    undecodable_name,
    walk_entry_files,
)
from mljournal.core.model import Entry, Problem
from mljournal.core.progress import ProgressCallback, Throttled
from mljournal.core.query import FTS_TOKENIZE

if TYPE_CHECKING:
    from mljournal.core.links import Link, LinkResolver, ResolvedLinks

SCHEMA_VERSION = 12
"""Bump whenever the tables change, or what the reader records in them, so an index of another version is
rebuilt from the files. 6: inline #tags are indexed and tags an edit refuses are problems; 7: CJK runs are
indexed as bigrams; 8: front-matter that is not at the top of the file is a problem; 9: links between entries
(`entry_links`, `entry_link_keys`, `entry_keys`); 10: `minutes:` is stored per entry (for the time summed
per phase); 11: both together (10 was used for each alone while they were written); 12: an index of
`(day, word_count, minutes)` for the dashboard's activity per day."""

APPLICATION_ID = 0x6D6C6A6E  # "mljn": tells our index apart from any other SQLite file at that path.

FTS_COLUMNS = ("title", "description", "tags", "body", "categories", "keywords")
# bm25 weights per FTS column, in FTS_COLUMNS order: a hit in the title matters most, then tags and the
# description; the body is the baseline.
BM25_WEIGHTS = (10.0, 4.0, 5.0, 1.0, 2.0, 2.0)
BATCH_SIZE = 500
COMMIT_ROWS = 10_000
"""Rows written per transaction during a sync (readers keep seeing the previous state meanwhile)."""
FTS_HASH_BYTES = 32 * 1024 * 1024
"""FTS5's buffer of pending terms (its `hashsize` setting); see `Index._create_schema`."""
RANK_WINDOW = 4000
"""Matches are ranked by bm25 in windows of this many (see `Index._ranked_ids`)."""
PREFIX_RANK_WINDOW = 1000
"""The window for queries with a prefix term (`lea*`), whose matches cost more each to score."""
DATE_LIST_LIMIT = 20_000
"""A date range with at most this many entries is listed once per query; a wider one is checked per match."""
INDEX_BYTES = 8 * 1024 * 1024
"""How much of one entry file the index reads and parses. Parsing costs many times a body's size in memory
(its text, its words, FTS5's terms: 3.4 GB for a 200 MB file), and no journal entry written by hand comes
near this; a bigger file is a log or a dump pasted in, indexed in part and named by `mljournal check`."""
LINK_SCAN_LIMIT = 1_000_000
"""Characters of a body read for links (Markdown parsing costs about 1 ms per KB): a link past the first
megabyte of a pasted log is not indexed."""
PARALLEL_THRESHOLD = 2000
"""Syncs that read at least this many files parse them in worker processes; fewer are not worth the start-up."""


@dataclass(frozen=True, slots=True)
class EntryRow:
    """What the index knows about one entry: enough for a list row and a search result."""

    id: int
    path: str
    title: str
    date: str | None
    day: str | None
    tags: tuple[str, ...]
    topics: tuple[str, ...]
    description: str
    word_count: int
    draft: bool
    problem_count: int


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry's row and a snippet of the text around the match."""

    row: EntryRow
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]
    total: int
    hint: str | None


@dataclass(slots=True)
class SyncReport:
    """What a sync changed, for `mljournal index` and the TUI's progress line."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A parsed query with topic ids expanded to their subtrees, ready to run against this index."""

    text: str
    match: str | None
    exclude_match: str | None
    tags_all: tuple[str, ...]
    tags_none: tuple[str, ...]
    topics_all: tuple[tuple[str, ...], ...]
    topics_none: tuple[str, ...]
    start_day: str | None
    end_day: str | None
    hint: str | None
    terms: tuple[str, ...]
    prefix: bool = False
    """Whether the text match has a prefix term (`lea*`), whose matches cost more each to rank."""
    read_as: tuple[tuple[str, str], ...] = ()
    """Prefixes no indexed word starts with, each with the shorter word searched instead (`gradeint`, `grade`)."""

    @property
    def ranked(self) -> bool:
        return self.match is not None


# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_PREFIX_TERM = re.compile(r'"\s*\*')
"""A prefix term in an FTS5 expression from the query parser: a quoted string followed by `*`."""
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


def load_for_index(root: str, relpath: str, mtime: float) -> tuple[Entry, str]:
    """Read and parse one entry file for the index: the entry and a hash of its bytes. Never raises.

    Only the first `INDEX_BYTES` of a file are parsed (the rest is hashed as it streams past), so a huge
    file costs a bounded amount of memory; the entry then carries a problem saying how much was indexed.
    """
    from mljournal.core.document import parse_document
    from mljournal.core.entry import entry_from_document

    try:
        raw, digest, size = _read_head(os.path.join(root, relpath), INDEX_BYTES)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        entry = Entry(
            path=relpath,
            title=relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0],
            date=None,
            problems=[Problem("unreadable", f"The file could not be read: {reason}.")],
        )
        return entry, ""
    entry = entry_from_document(relpath, parse_document(raw), mtime)
    if size > len(raw):
        entry.problems.append(
            Problem(
                "indexed-partly",
                f"The file is {_megabytes(size)}: only its first {_megabytes(INDEX_BYTES)} are indexed, so"
                " search finds words in that part only (the file itself is untouched).",
            )
        )
    return entry, digest


def _read_head(path: str, limit: int) -> tuple[bytes, str, int]:
    """The first `limit` bytes of a regular file (cut after a line end when the file is longer), a hash of
    all its bytes, and its size. Reads the rest in small chunks, for the hash only."""
    hasher = hashlib.blake2b(digest_size=16)
    with open_regular_file(path) as handle:
        # `read(limit)` allocates `limit` bytes up front, 8 MB for every 3 KB entry (a third of a second over
        # 10,000 entries); a file that fits is read whole, sized by the file system as a plain read is.
        fits = os.fstat(handle.fileno()).st_size <= limit
        head = handle.read() if fits else handle.read(limit)
        if len(head) > limit:  # it grew after the fstat: keep the bound, hash all of it
            hasher.update(head)
            head = head[:limit]
        else:
            hasher.update(head)
        size = len(head)
        while chunk := handle.read(1024 * 1024):
            hasher.update(chunk)
            size += len(chunk)
    if size > len(head):
        # A cut mid-line could split a UTF-8 character or a Markdown construct: end on a whole line.
        line_end = head.rfind(b"\n", max(0, len(head) - 64 * 1024))
        if line_end > 0:
            head = head[: line_end + 1]
    return head, hasher.hexdigest(), size


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _worker_start_method() -> str | None:
    """How to start parse workers here: "fork", "spawn", or None when neither is safe.

    A fork starts a worker in milliseconds with everything already imported, where a spawned one spends a few
    hundred re-importing it, time the SQLite writer waits for. But forking a process that runs other threads
    (the TUI syncs in a worker thread) can copy a lock some thread holds and deadlock the child, and macOS
    frameworks break under fork; so fork only on Linux, from a single-threaded process (the command line).
    The child never touches the parent's SQLite connection, and multiprocessing ends it with os._exit, so
    the connection is not closed there either.
    """
    import sys
    import threading

    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    # `spawn` workers re-import __main__ from its file, which must exist.
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return "spawn" if main_file is None or os.path.exists(main_file) else None


def _prepare_worker(parent_pid: int) -> None:
    """Runs first in each parsing worker."""
    _exit_with_parent(parent_pid)
    _lower_priority()


def _lower_priority() -> None:
    # The process writing SQLite is the one the sync waits for; with as many workers as cores, it would
    # share the CPU evenly with them. Niced workers parse with what it leaves.
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice on Windows
        os.nice(10)


PARENT_POLL_SECONDS = 1.0
"""How often a parse worker checks that its parent is still alive, where the kernel can't tell it."""


def _exit_with_parent(parent_pid: int) -> None:
    """End this worker when the process that started it dies, even by SIGKILL.

    Forked workers share the pipes of the pool's queues, so a dead parent's workers never see the end of
    them and wait forever for work (a killed `mljournal import` left two each, blocked for ten minutes).
    On Linux the kernel sends SIGKILL at the parent's death (PR_SET_PDEATHSIG); elsewhere, or if that is
    refused, a thread notices the worker has been handed to another parent.
    """
    import sys

    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            import ctypes
            import signal

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the signal was armed
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent_pid:
            # os._exit: nothing to flush or clean up in a parser, and a normal exit would wait for the pool's
            # threads, which wait for the dead parent.
            os._exit(1)


class _Rows(NamedTuple):
    """One parsed file as the index stores it, less what the writer adds (id, path, size, mtime)."""

    head: tuple[Any, ...]
    """The entries row's columns from `title` to `minutes`."""
    tail: tuple[Any, ...]
    """The entries row's `hash`, `problems` and `problem_count`."""
    fts: tuple[str, ...]
    """The FTS row, in FTS_COLUMNS order."""
    tags: list[tuple[str, str]]
    """(lower-cased tag, tag as written), one per distinct tag."""
    topics: list[str]
    links: list[tuple[str, str, str, str, int]]
    """(kind, target, heading, text, file line) per link that may point to an entry, in order."""
    link_keys: list[str]
    """The distinct keys of those links (`mljournal.core.links.link_keys`)."""
    keys: tuple[str, ...]
    """The keys a link to this entry is found under (`mljournal.core.links.entry_keys`)."""


def _rows(entry: Entry, digest: str) -> _Rows:
    # Built where the file is parsed (a worker process in big syncs): plain tuples cost a third as much to
    # unpickle as an Entry, and JSON encoding here is time the SQLite writer doesn't spend.
    problems = [[p.code, p.message, p.line] for p in entry.problems]
    head = (
        entry.title,
        entry.date,
        entry.date_sort,
        entry.day,
        int(entry.date_inferred),
        entry.updated,
        entry.description,
        _to_json(entry.tags),
        _to_json(entry.topics),
        _to_json(entry.categories),
        _to_json(entry.keywords),
        int(entry.draft),
        entry.word_count,
        entry.minutes,
    )
    tail = (digest, _to_json(problems) if problems else None, len(problems))
    # CJK runs are stored as bigrams so a word inside a run can be found (see `mljournal.core.cjk`); other
    # text comes back from `index_form` as it went in.
    fts = (
        index_form(entry.title),
        index_form(entry.description),
        index_form(" ".join(entry.tags)),
        index_form(entry.body),
        index_form(" ".join(entry.categories)),
        index_form(" ".join(entry.keywords)),
    )
    names = {tag.lower(): tag for tag in reversed(entry.tags)}
    links, link_keys, keys = _link_rows(entry)
    return _Rows(
        head, tail, fts, list(names.items()), list(dict.fromkeys(entry.topics)), links, link_keys, keys
    )


def _link_rows(entry: Entry) -> tuple[list[tuple[str, str, str, str, int]], list[str], tuple[str, ...]]:
    """An entry's links as written, with the keys they can resolve under; not what they resolve to.

    Resolution waits until a question is asked (`Index.links_from`, `backlinks`, `broken_links`): a link
    resolved here would go stale when its *target* is renamed, deleted or created, which a sync that reads
    only changed files would never notice. Stored unresolved, every answer joins against the entries as they
    are now, and indexing stays one pass over the changed files. The keys make "who may link to X" an indexed
    lookup instead of resolving every link in the journal.

    Cost, on a cold rebuild of 10,000 generated 3 KB entries (bench/index_bench.py's) on a busy 2-core
    machine: a body without `[[` or `](` (nor `][`, `]:`) skips the parser, so a journal without links indexes
    as fast as before. With three links in every entry, markdown-it reads each body in about 0.25 ms (its
    block pass walks every character in Python), as long as reading the file and its front-matter takes:
    8 s of CPU instead of 4 (wall 4.5-9 s instead of 2.5-4.5 s, the parse running in the worker processes).
    Only a cold rebuild reads every file; a sync reads just what changed.
    """
    from mljournal.core.links import entry_keys, link_keys, read_links

    body = entry.body
    if len(body) > LINK_SCAN_LIMIT:
        body = body[: body.rfind("\n", 0, LINK_SCAN_LIMIT) + 1 or LINK_SCAN_LIMIT]
    links = read_links(body)
    offset = entry.body_line - 1
    rows: list[tuple[str, str, str, str, int]] = [
        (link.kind, link.target, link.heading, link.text, link.line + offset) for link in links
    ]
    keys = dict.fromkeys(key for link in links for key in link_keys(entry.path, link))
    return rows, list(keys), entry_keys(entry.path, entry.title)


def _load_batch(root: str, items: list[tuple[str, float]]) -> list[_Rows]:
    # Runs in a worker process during big syncs; module-level so it can be pickled by reference.
    return [_rows(*load_for_index(root, relpath, mtime)) for relpath, mtime in items]


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
    """Why an index could not be kept on disk, for `Index.memory_reason`."""
    if is_disk_full(error):
        return FULL_REASON
    if isinstance(error, IndexBlocked):
        return str(error)
    return READ_ONLY_REASON


class Index:
    """The journal's SQLite index. See the module docstring."""

    def __init__(self, journal: Journal, *, path: Path | None = None) -> None:
        self.journal = journal
        self.path = path or journal.index_path
        self.in_memory = False
        self.memory_reason: str | None = None
        """Why the index is kept in memory, as a clause for the user ("the disk is full")."""
        self.in_memory_reason: str | None = None
        """The sentence to say as soon as the index opens when it is kept in memory because of a symbolic
        link (`memory_reason` holds the clause); None in every other case, which the callers explain."""
        self.rebuilt = False
        self._roadmap_cache: tuple[float, Any] | None = None
        self.conn = self._open()
        self._identity = self._file_identity()

    # --- opening and schema -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        # A symlinked `.mljournal` (or index file) would make SQLite write wherever it points: never follow it.
        # (A `.mljournal` that is a plain file just can't be made: the read-only fallback below says so.)
        problem = None
        if self.journal.state_dir.is_symlink():
            problem = state_dir_problem(self.journal)
        elif self.path.is_symlink():
            problem = f"{self.path.name} is a symbolic link, and mljournal never writes through one"
        if problem is not None:
            self.in_memory_reason = f"{problem}, so the index is kept in memory."
            return self._open_in_memory(problem)
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

    def _open_in_memory(self, reason: str) -> sqlite3.Connection:
        """A working index in memory, for a journal whose `.mljournal/` can't be written (or is locked).

        Every `Index` of the same journal in this process shares one in-memory database (SQLite's shared
        cache), so the TUI's sync worker and its query workers see the same entries.
        """
        self.in_memory = True
        self.memory_reason = reason
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

    @staticmethod
    def _schema_ok(conn: sqlite3.Connection) -> bool:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
            return False
        # Touch every table so a truncated or damaged file fails here, not in the middle of a search.
        for table in ("entries", "entry_tags", "entry_topics", "entries_fts", "meta"):
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
        # WAL is a property of the file, set when it was built. Asking to set it again takes a lock, and two
        # threads opening the index at once then wait on each other's busy handler (~150 ms at app start).
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        return True

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        # sqlite-utils costs ~0.1 s to import; only building the schema needs it, not every search.
        import sqlite_utils

        with contextlib.suppress(sqlite3.DatabaseError):
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        db = sqlite_utils.Database(conn)
        db.table("entries").create(
            {
                "id": int,
                "path": str,
                "title": str,
                "date": str,
                "date_sort": float,
                "day": str,
                "date_inferred": int,
                "updated": str,
                "description": str,
                "tags": str,
                "topics": str,
                "categories": str,
                "keywords": str,
                "draft": int,
                "word_count": int,
                "minutes": float,
                "size": int,
                "mtime_ns": int,
                "hash": str,
                "problems": str,
                "problem_count": int,
            },
            pk="id",
            not_null={"path", "title"},
        )
        db.table("entries").create_index(["path"], unique=True)
        # One index serves both newest-first listing and date filters: it walks a day range in order, so
        # `on:2023 ... LIMIT 50` stops after 50 rows instead of sorting the whole year.
        db.table("entries").create_index(["day", "date_sort", "id"])
        # The dashboard's activity per day reads only these columns: covered by this index it is one walk
        # of the index, 20 ms at 100,000 entries, instead of 150 ms of row lookups for the two sums.
        db.table("entries").create_index(["day", "word_count", "minutes"])
        # Only entries that record `minutes:` (few, or none): "does any?" is one lookup, not a scan.
        conn.execute("CREATE INDEX entries_minutes ON entries (minutes) WHERE minutes IS NOT NULL")
        conn.execute(
            "CREATE TABLE entry_tags (tag TEXT NOT NULL, entry_id INTEGER NOT NULL, name TEXT NOT NULL,"
            " PRIMARY KEY (tag, entry_id)) WITHOUT ROWID"
        )
        conn.execute("CREATE INDEX entry_tags_entry ON entry_tags (entry_id)")
        conn.execute(
            "CREATE TABLE entry_topics (topic TEXT NOT NULL, entry_id INTEGER NOT NULL,"
            " PRIMARY KEY (topic, entry_id)) WITHOUT ROWID"
        )
        conn.execute("CREATE INDEX entry_topics_entry ON entry_topics (entry_id)")
        # Links as written (see `_link_rows` for why they are resolved when asked, not here).
        conn.execute(
            "CREATE TABLE entry_links (entry_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
            " target TEXT NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL,"
            " PRIMARY KEY (entry_id, seq)) WITHOUT ROWID"
        )
        conn.execute(
            "CREATE TABLE entry_link_keys (key TEXT NOT NULL, entry_id INTEGER NOT NULL,"
            " PRIMARY KEY (key, entry_id)) WITHOUT ROWID"
        )
        conn.execute("CREATE INDEX entry_link_keys_entry ON entry_link_keys (entry_id)")
        # Each entry's own keys (title, stem, path), so a link is resolved against the few entries it may
        # name (`link_resolver`) instead of all of them.
        conn.execute(
            "CREATE TABLE entry_keys (key TEXT NOT NULL, entry_id INTEGER NOT NULL,"
            " PRIMARY KEY (key, entry_id)) WITHOUT ROWID"
        )
        conn.execute("CREATE INDEX entry_keys_entry ON entry_keys (entry_id)")
        columns = ", ".join(FTS_COLUMNS)
        # A prefix index for 3-letter prefixes: without it `kal*` merges the doclists of every term
        # starting with "kal" on each keystroke (0.4 s at 100,000 entries); with it, one lookup. 2-letter
        # prefixes would cost another 30% of cold indexing time; they are rare enough to be merged.
        conn.execute(
            f"CREATE VIRTUAL TABLE entries_fts USING fts5({columns}, tokenize = '{FTS_TOKENIZE}', prefix = '3')"
        )
        # FTS5 writes its pending terms out as a new segment each time they pass `hashsize` bytes (1 MB by
        # default), and then spends much of its time merging those small segments. With a 32 MB buffer the
        # FTS inserts of 10,000 entries took 1.2 s instead of 1.8 s (same machine, back to back). It is a
        # cap, not an allocation, and it is stored with the table, so later syncs use it too.
        conn.execute(f"INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', {FTS_HASH_BYTES})")
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("CREATE VIRTUAL TABLE entries_vocab USING fts5vocab(entries_fts, 'row')")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sync -------------------------------------------------------------------------------------------

    def sync(self, *, full: bool = False, progress: ProgressCallback | None = None) -> SyncReport:
        """Bring the index in line with the files: re-read only what changed (size or mtime), drop what vanished.

        `full=True` re-reads every file. `progress(done, total)` is called while files are read, at most a few
        times a second and once at the end (see `mljournal.core.progress`).
        """
        started = time.perf_counter()
        report = SyncReport(rebuilt=self.rebuilt)
        # (path, id, size, mtime_ns) by path. Each file the walk finds is popped, so what is left has vanished:
        # at 100,000 entries a no-change sync is mostly this loop and the walk, so it does no more than that.
        known: dict[str, tuple[str, int, int, int]] = {
            row[0]: row for row in self.conn.execute("SELECT path, id, size, mtime_ns FROM entries")
        }
        todo: list[tuple[str, os.stat_result, int | None]] = []
        folders: list[tuple[str, int]] = []
        temp_files: list[Path] = []
        skipped: list[tuple[str, Problem]] = []
        for relpath, stat in walk_entry_files(self.journal, folders, temp_files, skipped):
            previous = known.pop(relpath, None)
            if previous is None:
                todo.append((relpath, stat, None))
            elif full or previous[2] != stat.st_size or previous[3] != stat.st_mtime_ns:
                todo.append((relpath, stat, previous[1]))
            else:
                report.unchanged += 1
        vanished = [(path, row[1]) for path, row in known.items()]
        self._apply(todo, vanished, report, progress)
        # Saves killed half-way leave hidden temp files; the scan found them for free, so tidy the old ones
        # (young ones may be another process's save in progress). roadmap.yaml's live in the root.
        if not self.in_memory:
            remove_stale_temp_files(temp_files)
            cleanup_stale_temp_files(self.journal.root)
        fingerprint = json.dumps(sorted(folders))
        if fingerprint != self._get_meta("folders"):
            self._set_meta("folders", fingerprint)
        # What the walk passed over (pipes, names that are not UTF-8) is not in the entries table; kept here
        # for `problems()`, and as fresh as the last full walk, like the rest of the index.
        passed_over = _to_json(sorted([path, p.code, p.message] for path, p in skipped))
        if passed_over != (self._get_meta("skipped") or "[]"):
            self._set_meta("skipped", passed_over)
        report.seconds = time.perf_counter() - started
        self.rebuilt = False
        return report

    def rebuild(self, *, progress: ProgressCallback | None = None) -> SyncReport:
        """Throw the index away and build it again from every file (`mljournal index --rebuild`)."""
        if not self.in_memory:
            self.close()
            try:
                with self._rebuild_lock():
                    self._build_fresh_file()
                self.conn = _connect(self.path)
                if not self._schema_ok(self.conn):
                    raise sqlite3.DatabaseError("the new index does not read back")
                self._identity = self._file_identity()
            except (sqlite3.DatabaseError, OSError) as error:
                # Files are the truth: a cache that can't be rebuilt on disk is rebuilt in memory.
                self.close()
                self.conn = self._open_in_memory(_memory_reason(error))
        if self.in_memory:
            with self._write():
                for table in (
                    "entries",
                    "entries_fts",
                    "entry_tags",
                    "entry_topics",
                    "entry_links",
                    "entry_link_keys",
                    "entry_keys",
                    "meta",
                ):
                    self.conn.execute(f"DELETE FROM {table}")
        self.rebuilt = True
        return self.sync(progress=progress)

    def quick_sync(self, *, progress: ProgressCallback | None = None) -> SyncReport | None:
        """Sync only when a folder under `entries/` changed since the last sync (or the index is new).

        Stat-ing a few folders costs far less than stat-ing 100,000 files, so `mljournal search` can afford it
        on every run. Adding, removing or renaming a file (which is how most editors save) changes its folder;
        an edit in place that leaves the folder alone is picked up by `mljournal index` or the next app start.
        """
        stored = self._get_meta("folders")
        if not self.rebuilt and stored is not None:
            try:
                unchanged = all(
                    os.stat(folder).st_mtime_ns == mtime_ns for folder, mtime_ns in json.loads(stored)
                )
            except (OSError, ValueError, TypeError):
                unchanged = False
            if unchanged:
                return None
        return self.sync(progress=progress)

    def _get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def refresh(self, relpaths: Iterable[str], *, progress: ProgressCallback | None = None) -> SyncReport:
        """Re-read just these files (after a save, or when the watcher saw them change); vanished ones go.

        `progress(done, total)` is called as in `sync`. An index made afresh when it was opened (it was missing
        or found damaged) is filled from every file instead: re-reading only these would leave it holding just
        them, and every reader (the app's list and counts) would show a journal of one entry.
        """
        if self.rebuilt:
            return self.sync(progress=progress)
        started = time.perf_counter()
        report = SyncReport()
        todo: list[tuple[str, os.stat_result, int | None]] = []
        vanished: list[tuple[str, int]] = []
        for relpath in dict.fromkeys(relpaths):
            if undecodable_name(relpath):
                continue  # never indexed (see `walk_entry_files`), and SQLite can't even look it up
            row = self.conn.execute("SELECT id FROM entries WHERE path = ?", (relpath,)).fetchone()
            entry_id = row[0] if row else None
            try:
                absolute = self.journal.abspath(relpath)
                stat = absolute.stat()
                is_entry = absolute.is_file() and relpath.lower().endswith(ENTRY_SUFFIXES)
            except (OSError, JournalError):
                stat, is_entry = None, False
            if stat is not None and is_entry and not Path(relpath).name.startswith("."):
                todo.append((relpath, stat, entry_id))
            elif entry_id is not None:
                vanished.append((relpath, entry_id))
        self._apply(todo, vanished, report, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _apply(
        self,
        todo: list[tuple[str, os.stat_result, int | None]],
        vanished: list[tuple[str, int]],
        report: SyncReport,
        progress: ProgressCallback | None,
    ) -> None:
        total = len(todo)
        report_progress = Throttled(progress)
        if vanished:
            with self._write():
                self._delete_ids([entry_id for _, entry_id in vanished])
            report.removed.extend(path for path, _ in vanished)
        done = 0
        batches = [todo[start : start + BATCH_SIZE] for start in range(0, total, BATCH_SIZE)]
        loaded_batches = self._load_batches(batches)
        # Several batches per transaction: every commit turns FTS5's pending terms into a new segment, and
        # thousands of small segments make FTS5 spend its time merging them (most of the cost at 100,000).
        per_commit = max(1, COMMIT_ROWS // BATCH_SIZE)
        for start in range(0, len(batches), per_commit):
            with self._write():
                for batch in batches[start : start + per_commit]:
                    self._store(batch, next(loaded_batches), report)
                    done += len(batch)
                    report_progress(done, total)

    def _load_batches(
        self, batches: list[list[tuple[str, os.stat_result, int | None]]]
    ) -> Iterator[list[_Rows]]:
        """Parsed batches, in order. Big syncs parse in worker processes while this one writes to SQLite."""
        root = str(self.journal.root)
        jobs = [[(relpath, stat.st_mtime) for relpath, stat, _ in batch] for batch in batches]
        workers = min(4, os.cpu_count() or 1)
        start_method = _worker_start_method()
        if sum(len(job) for job in jobs) < PARALLEL_THRESHOLD or workers < 2 or start_method is None:
            for job in jobs:
                yield _load_batch(root, job)
            return
        import multiprocessing
        from collections import deque
        from concurrent.futures import Future, ProcessPoolExecutor

        # The parser's modules, imported before any fork, so forked workers start with them (each would
        # otherwise spend about 0.1 s importing them while the writer waits for its first batch).
        import mljournal.core.document
        import mljournal.core.entry
        import mljournal.core.links  # noqa: F401

        done = 0
        try:
            context = multiprocessing.get_context(start_method)
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_prepare_worker,
                initargs=(os.getpid(),),
            ) as pool:
                pending: deque[Future[list[_Rows]]] = deque()
                # Workers take a few hundred milliseconds to start: parse the first batch here meanwhile.
                submitted = 1
                while submitted < len(jobs) and len(pending) < workers * 2:
                    pending.append(pool.submit(_load_batch, root, jobs[submitted]))
                    submitted += 1
                yield _load_batch(root, jobs[0])
                done = 1
                while done < len(jobs):
                    # A bounded look-ahead keeps memory flat however many files there are.
                    while submitted < len(jobs) and len(pending) < workers * 2:
                        pending.append(pool.submit(_load_batch, root, jobs[submitted]))
                        submitted += 1
                    result = pending.popleft().result()
                    yield result
                    done += 1
        except Exception:
            # A pool that can't start or breaks (no usable `spawn`, a killed worker, a __main__ that can't
            # be re-imported) must not fail the sync: parse what is left here.
            pass
        for job in jobs[done:]:
            yield _load_batch(root, job)

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock up front, so two processes syncing at once queue up instead of
        # failing half-way with "database is locked".
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            # SQLite has already rolled back after some errors (SQLITE_FULL among them); a second
            # ROLLBACK would fail and hide the error that says what went wrong.
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _delete_ids(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        rows = [(entry_id,) for entry_id in ids]
        self.conn.executemany("DELETE FROM entries WHERE id = ?", rows)
        self.conn.executemany("DELETE FROM entries_fts WHERE rowid = ?", rows)
        self.conn.executemany("DELETE FROM entry_tags WHERE entry_id = ?", rows)
        self.conn.executemany("DELETE FROM entry_topics WHERE entry_id = ?", rows)
        self.conn.executemany("DELETE FROM entry_links WHERE entry_id = ?", rows)
        self.conn.executemany("DELETE FROM entry_link_keys WHERE entry_id = ?", rows)
        self.conn.executemany("DELETE FROM entry_keys WHERE entry_id = ?", rows)

    def _store(
        self,
        batch: list[tuple[str, os.stat_result, int | None]],
        loaded: list[_Rows],
        report: SyncReport,
    ) -> None:
        """Write one parsed batch inside the caller's transaction. Updated entries keep their ids."""
        # Look ids up again inside the write lock: another process may have indexed these files meanwhile.
        current: dict[str, int] = {}
        paths = [relpath for relpath, _, _ in batch]
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            marks = ",".join("?" * len(chunk))
            current.update(self.conn.execute(f"SELECT path, id FROM entries WHERE path IN ({marks})", chunk))
        # Take the next free id before deleting: an updated entry may hold the highest id, which would
        # otherwise be handed to a new entry in this same batch.
        next_id = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()[0]) + 1
        self._delete_ids(list(current.values()))
        entry_rows = []
        fts_rows = []
        tag_rows: list[tuple[str, int, str]] = []
        topic_rows: list[tuple[str, int]] = []
        link_rows: list[tuple[Any, ...]] = []
        key_rows: list[tuple[str, int]] = []
        own_key_rows: list[tuple[str, int]] = []
        for (relpath, stat, _), rows in zip(batch, loaded, strict=True):
            entry_id = current.get(relpath)
            if entry_id is None:
                entry_id, next_id = next_id, next_id + 1
                report.added.append(relpath)
            else:
                report.updated.append(relpath)
            entry_rows.append((entry_id, relpath, *rows.head, stat.st_size, stat.st_mtime_ns, *rows.tail))
            fts_rows.append((entry_id, *rows.fts))
            tag_rows.extend((key, entry_id, name) for key, name in rows.tags)
            topic_rows.extend((topic, entry_id) for topic in rows.topics)
            link_rows.extend((entry_id, seq, *link) for seq, link in enumerate(rows.links))
            key_rows.extend((key, entry_id) for key in rows.link_keys)
            own_key_rows.extend((key, entry_id) for key in rows.keys)
        cursor = self.conn.cursor()
        cursor.executemany(
            "INSERT INTO entries (id, path, title, date, date_sort, day, date_inferred, updated,"
            " description, tags, topics, categories, keywords, draft, word_count, minutes, size, mtime_ns,"
            " hash, problems, problem_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            entry_rows,
        )
        cursor.executemany(
            f"INSERT INTO entries_fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?,?,?,?,?,?,?)",
            fts_rows,
        )
        cursor.executemany("INSERT OR IGNORE INTO entry_tags (tag, entry_id, name) VALUES (?,?,?)", tag_rows)
        cursor.executemany("INSERT OR IGNORE INTO entry_topics (topic, entry_id) VALUES (?,?)", topic_rows)
        if link_rows:
            cursor.executemany(
                "INSERT INTO entry_links (entry_id, seq, kind, target, heading, text, line)"
                " VALUES (?,?,?,?,?,?,?)",
                link_rows,
            )
            cursor.executemany("INSERT OR IGNORE INTO entry_link_keys (key, entry_id) VALUES (?,?)", key_rows)
        cursor.executemany("INSERT OR IGNORE INTO entry_keys (key, entry_id) VALUES (?,?)", own_key_rows)

    # --- reading ----------------------------------------------------------------------------------------

    _ROW_COLUMNS = (
        "e.id, e.path, e.title, e.date, e.day, e.tags, e.topics, e.description, e.word_count, e.draft,"
        " e.problem_count"
    )

    @staticmethod
    def _row(values: Sequence[Any]) -> EntryRow:
        return EntryRow(
            id=values[0],
            path=values[1],
            title=values[2],
            date=values[3],
            day=values[4],
            tags=tuple(json.loads(values[5] or "[]")),
            topics=tuple(json.loads(values[6] or "[]")),
            description=values[7] or "",
            word_count=values[8] or 0,
            draft=bool(values[9]),
            problem_count=values[10] or 0,
        )

    def total(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def entry_row(self, relpath: str) -> EntryRow | None:
        values = self.conn.execute(
            f"SELECT {self._ROW_COLUMNS} FROM entries e WHERE e.path = ?", (relpath,)
        ).fetchone()
        return self._row(values) if values else None

    def rows(self, ids: Sequence[int]) -> list[EntryRow]:
        """The rows for these ids, in the given order (ids that no longer exist are left out)."""
        found: dict[int, EntryRow] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for values in self.conn.execute(
                f"SELECT {self._ROW_COLUMNS} FROM entries e WHERE e.id IN ({marks})", chunk
            ):
                row = self._row(values)
                found[row.id] = row
        return [found[i] for i in ids if i in found]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of entries carrying it, most used first (case-insensitive)."""
        # Tags compare case-insensitively; show each under the spelling most entries use.
        totals: dict[str, int] = {}
        spelling: dict[str, tuple[int, str]] = {}
        for tag, name, count in self.conn.execute(
            "SELECT tag, name, count(*) FROM entry_tags GROUP BY tag, name ORDER BY tag, name"
        ):
            totals[tag] = totals.get(tag, 0) + count
            if count > spelling.get(tag, (0, ""))[0]:
                spelling[tag] = (count, name)
        return sorted(
            ((spelling[tag][1], n) for tag, n in totals.items()), key=lambda item: (-item[1], item[0])
        )

    def month_counts(self) -> list[tuple[str, int]]:
        """("2024-03", 4) per month that has entries, newest first."""
        return [
            (month, count)
            for month, count in self.conn.execute(
                "SELECT substr(day, 1, 7) AS month, count(*) FROM entries WHERE day IS NOT NULL"
                " GROUP BY month ORDER BY month DESC"
            )
        ]

    def topic_links(self) -> dict[str, set[str]]:
        """Topic id -> paths of the entries that link it directly."""
        links: dict[str, set[str]] = {}
        for topic, path in self.conn.execute(
            "SELECT t.topic, e.path FROM entry_topics t JOIN entries e ON e.id = t.entry_id"
        ):
            links.setdefault(topic, set()).add(path)
        return links

    # --- links ------------------------------------------------------------------------------------------

    def link_resolver(self, links: Iterable[tuple[str, Link]] | None = None) -> LinkResolver:
        """A resolver over the entries as indexed now: all of them, or those `links` may resolve to.

        `links` are (linking entry's path, link) pairs. Resolution only ever picks an entry sharing a key with
        the link (`link_keys`), so a resolver over those few answers these links exactly as one over every
        entry would; that one costs about 40 ms to build at 10,000 entries, too much for each entry shown.
        """
        from mljournal.core.links import LinkResolver, link_keys

        if links is None:
            return LinkResolver(self.conn.execute("SELECT path, title FROM entries"))
        keys = list(dict.fromkeys(key for source, link in links for key in link_keys(source, link)))
        rows: list[tuple[str, str]] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows.extend(
                self.conn.execute(
                    "SELECT path, title FROM entries WHERE id IN"
                    f" (SELECT entry_id FROM entry_keys WHERE key IN ({','.join('?' * len(chunk))}))",
                    chunk,
                )
            )
        return LinkResolver(rows)

    def _stored_links(self, where: str, values: Sequence[Any]) -> list[tuple[str, Link]]:
        from mljournal.core.links import Link

        return [
            (path, Link(kind, target, text, heading, line))
            for path, kind, target, heading, text, line in self.conn.execute(
                "SELECT e.path, l.kind, l.target, l.heading, l.text, l.line FROM entry_links l"
                f" JOIN entries e ON e.id = l.entry_id WHERE {where} ORDER BY e.path, l.seq",
                values,
            )
        ]

    def links_from(self, relpath: str) -> ResolvedLinks:
        """The links of the entry at `relpath`, resolved against the entries indexed now.

        Each link's `line` is a line of the file.
        """
        from mljournal.core.links import ResolvedLinks

        stored = self._stored_links("e.path = ?", (relpath,))
        resolver = self.link_resolver(stored)
        resolved: list[tuple[Link, str]] = []
        unresolved: list[Link] = []
        for source, link in stored:
            target = resolver.resolve(source, link)
            if target is not None:
                resolved.append((link, target))
            elif resolver.is_entry_link(link):
                unresolved.append(link)
        return ResolvedLinks(resolved, unresolved)

    def backlinks(self, relpath: str) -> list[str]:
        """The paths of the other entries with a link that resolves to the entry at `relpath`, sorted."""
        from mljournal.core.links import entry_keys

        row = self.conn.execute("SELECT title FROM entries WHERE path = ?", (relpath,)).fetchone()
        if row is None:
            return []
        keys = entry_keys(relpath, row[0])
        candidates = [
            entry_id
            for (entry_id,) in self.conn.execute(
                f"SELECT DISTINCT entry_id FROM entry_link_keys WHERE key IN ({','.join('?' * len(keys))})",
                keys,
            )
        ]
        stored: list[tuple[str, Link]] = []
        for start in range(0, len(candidates), 500):
            chunk = candidates[start : start + 500]
            stored.extend(self._stored_links(f"l.entry_id IN ({','.join('?' * len(chunk))})", chunk))
        resolver = self.link_resolver(stored)
        return sorted(
            {
                source
                for source, link in stored
                if source != relpath and resolver.resolve(source, link) == relpath
            }
        )

    def broken_links(self) -> list[tuple[str, Link]]:
        """Every link meant for an entry that resolves to none, by path and line."""
        resolver = self.link_resolver()
        return [
            (source, link)
            for source, link in self._stored_links("1", ())
            if resolver.resolve(source, link) is None and resolver.is_entry_link(link)
        ]

    def problems(self) -> list[tuple[str, Problem]]:
        """Every problem recorded while reading the files, by path."""
        found: list[tuple[str, Problem]] = []
        for path, problems in self.conn.execute(
            "SELECT path, problems FROM entries WHERE problem_count > 0 ORDER BY path"
        ):
            for code, message, line in json.loads(problems):
                found.append((path, Problem(code, message, line)))
        # Files the walk could not index at all (see `walk_entry_files`).
        for path, code, message in json.loads(self._get_meta("skipped") or "[]"):
            found.append((path, Problem(code, message)))
        found.sort(key=lambda item: item[0])
        return found

    # --- search -----------------------------------------------------------------------------------------

    def _roadmap(self) -> Any:
        """The journal's roadmap, re-read only when roadmap.yaml changes (topic: filters need its tree)."""
        from mljournal.core.roadmap import load_roadmap

        try:
            mtime = self.journal.roadmap_path.stat().st_mtime
        except OSError:
            mtime = -1.0
        if self._roadmap_cache is None or self._roadmap_cache[0] != mtime:
            roadmap, _problems = load_roadmap(self.journal.roadmap_path)
            self._roadmap_cache = (mtime, roadmap)
        return self._roadmap_cache[1]

    def _expand_topic(self, topic_id: str) -> tuple[str, ...]:
        try:
            roadmap = self._roadmap()
            ids = tuple(roadmap.subtree_ids(topic_id)) if roadmap.find(topic_id) is not None else ()
        except Exception:
            # A broken roadmap must not break search: match the id itself.
            ids = ()
        return ids or (topic_id,)

    def prepare(self, query: str, *, today: date | None = None) -> PreparedQuery:
        """Parse `query` in the search language and expand topic ids to their subtrees."""
        from mljournal.core.query import parse_query

        parsed = parse_query(query, today=today)
        read_as: list[tuple[str, str]] = []
        return PreparedQuery(
            text=query,
            match=self._spell_out_prefixes(parsed.match, read_as),
            exclude_match=self._spell_out_prefixes(parsed.exclude_match),
            tags_all=tuple(tag.lower() for tag in parsed.tags_all),
            tags_none=tuple(tag.lower() for tag in parsed.tags_none),
            topics_all=tuple(self._expand_topic(topic) for topic in parsed.topics_all),
            topics_none=tuple(
                topic for topic_id in parsed.topics_none for topic in self._expand_topic(topic_id)
            ),
            start_day=parsed.dates.start,
            end_day=parsed.dates.end,
            hint=parsed.hint,
            terms=parsed.terms,
            prefix=bool(_PREFIX_TERM.search(parsed.match or "")),
            read_as=tuple(read_as),
        )

    def _spell_out_prefixes(
        self, match: str | None, read_as: list[tuple[str, str]] | None = None
    ) -> str | None:
        """`match` with the prefixes FTS5 would get wrong (`mis*` read as `mi*`, `attentio*` past the stored
        stem "attent") replaced by the indexed words they stand for; see `mljournal.core.prefixes`."""
        if match is None or not _PREFIX_TERM.search(match):
            return match
        from mljournal.core.prefixes import spell_out_prefixes

        try:
            # A per-connection table, not part of the schema: an index of any version can have it.
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.entries_instances"
                " USING fts5vocab(main, entries_fts, instance)"
            )
            return spell_out_prefixes(match, self.conn, "entries_vocab", "temp.entries_instances", read_as)
        except sqlite3.Error:
            return match  # FTS5's own reading of the prefix: not always right, but still an answer

    def _few_days_match(self, conditions: list[str], values: list[Any]) -> bool:
        """Whether a date range holds few enough entries to list them (counting stops early)."""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM entries WHERE {' AND '.join(conditions)} LIMIT ?)"
        limit = DATE_LIST_LIMIT + 1
        return int(self.conn.execute(sql, [*values, limit]).fetchone()[0]) <= DATE_LIST_LIMIT

    def _filters(self, q: PreparedQuery, id_column: str = "e.id") -> tuple[list[str], list[Any]]:
        """SQL conditions on `id_column` for everything but the ranked text match; parameters only.

        With `id_column="e.id"` the query has the entries table as `e`; with `"f.rowid"` it reads the FTS
        table alone, and the date filter becomes a lookup in the `day` index.
        """
        where: list[str] = []
        params: list[Any] = []
        # A unary plus keeps SQLite from handing `rowid IN (...)` to FTS5 as an index constraint: FTS5
        # would then re-run the whole MATCH once per listed id (seconds at 100,000 entries). As a plain
        # filter, the list is built once and each match is checked against it.
        guard = "+" if id_column == "f.rowid" else ""
        for tag in q.tags_all:
            where.append(f"{guard}{id_column} IN (SELECT entry_id FROM entry_tags WHERE tag = ?)")
            params.append(tag)
        if q.tags_none:
            marks = ",".join("?" * len(q.tags_none))
            where.append(
                f"{guard}{id_column} NOT IN (SELECT entry_id FROM entry_tags WHERE tag IN ({marks}))"
            )
            params.extend(q.tags_none)
        for subtree in q.topics_all:
            marks = ",".join("?" * len(subtree))
            where.append(
                f"{guard}{id_column} IN (SELECT entry_id FROM entry_topics WHERE topic IN ({marks}))"
            )
            params.extend(subtree)
        if q.topics_none:
            marks = ",".join("?" * len(q.topics_none))
            where.append(
                f"{guard}{id_column} NOT IN (SELECT entry_id FROM entry_topics WHERE topic IN ({marks}))"
            )
            params.extend(q.topics_none)
        day_conditions: list[str] = []
        if q.start_day is not None:
            day_conditions.append("day >= ?")
            params.append(q.start_day)
        if q.end_day is not None:
            day_conditions.append("day < ?")
            params.append(q.end_day)
        if day_conditions:
            if id_column == "e.id":
                where.extend(f"e.{condition}" for condition in day_conditions)
            elif self._few_days_match(day_conditions, params[-len(day_conditions) :]):
                conditions = " AND ".join(day_conditions)
                where.append(f"{guard}{id_column} IN (SELECT id FROM entries WHERE {conditions})")
            else:
                # Looked up per match, not listed: a wide range can hold most of the journal, and listing
                # 60,000 ids costs more than checking the matches a search has.
                conditions = " AND ".join(f"d.{condition}" for condition in day_conditions)
                where.append(f"EXISTS (SELECT 1 FROM entries d WHERE d.id = {id_column} AND {conditions})")
        if q.exclude_match is not None:
            where.append(
                f"{guard}{id_column} NOT IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)"
            )
            params.append(q.exclude_match)
        return where, params

    def count(self, q: PreparedQuery) -> int:
        """How many entries match (all of them, not just a page)."""
        try:
            if q.match is not None:
                where, params = self._filters(q, "f.rowid")
                sql = "SELECT count(*) FROM entries_fts f WHERE entries_fts MATCH ?"
                params = [q.match, *params]
            else:
                where, params = self._filters(q)
                sql = "SELECT count(*) FROM entries e WHERE 1"
            if where:
                sql += " AND " + " AND ".join(where)
            return int(self.conn.execute(sql, params).fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def page(self, q: PreparedQuery, offset: int, limit: int) -> list[EntryRow]:
        """One page of results in order: best match first when there are words, else newest first."""
        offset, limit = max(0, offset), max(0, limit)
        try:
            if q.match is not None:
                return self.rows(self._ranked_ids(q, offset, limit))
            where, params = self._filters(q)
            sql = f"SELECT {self._ROW_COLUMNS} FROM entries e"
            if where:
                sql += " WHERE " + " AND ".join(where)
            sql += " ORDER BY e.day DESC, e.date_sort DESC, e.id DESC LIMIT ? OFFSET ?"
            return [self._row(values) for values in self.conn.execute(sql, [*params, limit, offset])]
        except sqlite3.OperationalError:
            # The parser quotes every term, so this is not expected; a search must still never crash.
            return []

    def position(self, q: PreparedQuery, relpath: str) -> int | None:
        """Where the entry at `relpath` stands (0-based) in the results of `q`, or None if it isn't there.

        Known cheaply only for newest-first listings: it is the number of matching entries that sort before
        it, one count over the `(day, date_sort, id)` index. A ranked search returns None (its order is
        known only by ranking).
        """
        if q.ranked:
            return None
        target = self.conn.execute(
            "SELECT id, day, date_sort FROM entries WHERE path = ?", (relpath,)
        ).fetchone()
        if target is None or target[1] is None or target[2] is None:
            return None
        entry_id, day, date_sort = target
        where, params = self._filters(q)
        condition = " AND ".join(where) if where else "1"
        try:
            if not self.conn.execute(
                f"SELECT count(*) FROM entries e WHERE e.id = ? AND {condition}", [entry_id, *params]
            ).fetchone()[0]:
                return None
            before = "(e.day > ? OR (e.day = ? AND (e.date_sort > ? OR (e.date_sort = ? AND e.id > ?))))"
            return int(
                self.conn.execute(
                    f"SELECT count(*) FROM entries e WHERE {condition} AND {before}",
                    [*params, day, day, date_sort, date_sort, entry_id],
                ).fetchone()[0]
            )
        except sqlite3.OperationalError:
            return None

    def _ranked_ids(self, q: PreparedQuery, offset: int, limit: int) -> list[int]:
        """Ids of matching entries in relevance order, ranked window by window.

        bm25 has to score every match before it can sort, which for a very common word or a short prefix at
        100,000 entries costs over 100 ms. So matches are taken in windows of `RANK_WINDOW`, newest-indexed
        first (ids grow as entries are added, and `YYYY-MM-DD-` file names make a cold index chronological),
        and ranked by bm25 within each window. A query with fewer matches than that, which is most of them,
        is ranked exactly; a huge result set shows the best of the recent matches first.
        """
        where, params = self._filters(q, "f.rowid")
        base = "FROM entries_fts f WHERE entries_fts MATCH ?" + "".join(f" AND {w}" for w in where)
        base_params: list[Any] = [q.match, *params]
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)

        def rowid_at(position: int) -> int | None:
            row = self.conn.execute(
                f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?", [*base_params, position]
            ).fetchone()
            return None if row is None else int(row[0])

        ids: list[int] = []
        # A prefix (the word still being typed) scores every term it expands to, so it gets a smaller window.
        size = PREFIX_RANK_WINDOW if q.prefix else RANK_WINDOW
        window, skip = divmod(offset, size)
        while len(ids) < limit:
            high = None if window == 0 else rowid_at(window * size)
            if window > 0 and high is None:
                break
            low = rowid_at((window + 1) * size)
            bounds, bound_params = "", []
            if high is not None:
                bounds += " AND f.rowid <= ?"
                bound_params.append(high)
            if low is not None:
                bounds += " AND f.rowid > ?"
                bound_params.append(low)
            sql = (
                f"SELECT f.rowid {base}{bounds} ORDER BY bm25(entries_fts, {weights}), f.rowid DESC"
                " LIMIT ? OFFSET ?"
            )
            rows = self.conn.execute(sql, [*base_params, *bound_params, limit - len(ids), skip]).fetchall()
            ids.extend(int(row[0]) for row in rows)
            if low is None:
                break
            window, skip = window + 1, 0
        return ids

    def snippets(self, q: PreparedQuery, ids: Sequence[int]) -> dict[int, str]:
        """A snippet around the match for each of these entries (for a page of results, not all of them)."""
        if q.match is None or not ids:
            return {}
        marks = ",".join("?" * len(ids))
        # A rowid range plus a plain filter, not `rowid IN (...)`: FTS5 would run the MATCH once per id,
        # which for a prefix spelled out as an OR of a hundred words costs 0.2 s a page. A page of ranked
        # hits comes from one or two rank windows, so the range holds at most a few thousand matches.
        # The FTS columns hold CJK text as bigrams: a snippet is turned back into what was written.
        pairs = not only_single_characters(q.terms)
        try:
            return {
                int(rowid): readable(snippet, marks_cover_pairs=pairs)
                for rowid, snippet in self.conn.execute(
                    "SELECT rowid, snippet(entries_fts, -1, '[', ']', '…', 24) FROM entries_fts"
                    f" WHERE entries_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
                    [q.match, min(ids), max(ids), *ids],
                )
            }
        except sqlite3.OperationalError:
            return {}

    def search(
        self, query: str, *, limit: int = 50, offset: int = 0, today: date | None = None
    ) -> SearchResult:
        """Run `query` in the search language: a page of hits with snippets, the total, and any hint."""
        q = self.prepare(query, today=today)
        rows = self.page(q, offset, limit)
        snippets = self.snippets(q, [row.id for row in rows])
        hits = [Hit(row, snippets.get(row.id, "")) for row in rows]
        total = self.count(q) if (len(hits) == limit or offset) else len(hits)
        return SearchResult(hits=hits, total=total, hint=q.hint)
