"""Reading entry files for the index: the bounded head read and hash, the rows one file becomes, and the
worker processes that parse big syncs while the writer stores what they send."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from typing import Any, NamedTuple

from mljournal.core.journal import open_regular_file
from mljournal.core.model import Entry, Problem
from mljournal.core.text.cjk import index_form

INDEX_BYTES = 8 * 1024 * 1024
"""How much of one entry file the index reads and parses. Parsing costs many times a body's size in memory
(its text, its words, FTS5's terms: 3.4 GB for a 200 MB file), and no journal entry written by hand comes
near this; a bigger file is a log or a dump pasted in, indexed in part and named by `mljournal check`."""
LINK_SCAN_LIMIT = 1_000_000
"""Characters of a body read for links (Markdown parsing costs about 1 ms per KB): a link past the first
megabyte of a pasted log is not indexed."""
PARALLEL_THRESHOLD = 2000
"""Syncs that read at least this many files parse them in worker processes; fewer are not worth the start-up."""

# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def load_for_index(root: str, relpath: str, mtime: float) -> tuple[Entry, str]:
    """Read and parse one entry file for the index: the entry and a hash of its bytes. Never raises.

    Only the first `INDEX_BYTES` of a file are parsed (the rest is hashed as it streams past), so a huge
    file costs a bounded amount of memory; the entry then carries a problem saying how much was indexed.
    """
    from mljournal.core.entries.read import entry_from_document
    from mljournal.core.frontmatter.read import parse_document

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
    """The distinct keys of those links (`mljournal.core.entries.links.link_keys`)."""
    keys: tuple[str, ...]
    """The keys a link to this entry is found under (`mljournal.core.entries.links.entry_keys`)."""


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
    # CJK runs are stored as bigrams so a word inside a run can be found (see `mljournal.core.text.cjk`); other
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
    from mljournal.core.entries.links import entry_keys, link_keys, read_links

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


def load_batches(root: str, jobs: list[list[tuple[str, float]]]) -> Iterator[list[_Rows]]:
    """Parsed batches of (relpath, mtime), in order. Big syncs parse in worker processes while the caller
    writes to SQLite."""
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
    import mljournal.core.entries.links
    import mljournal.core.entries.read
    import mljournal.core.frontmatter.read  # noqa: F401

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
