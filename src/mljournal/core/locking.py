"""One lock per journal, held by every write across its read-check-replace.

Two mljournal processes (or two threads of the app) that edit the same file must not both read the old bytes
and then both replace them: the second replace would drop the first one's change. So every write of an entry,
of `roadmap.yaml` and of the journal's other files runs inside `journal_lock(root)`:

- the lock is an advisory `flock` on the journal folder itself (its directory descriptor): nothing is created
  for it, so it works the same in a fresh clone, a read-only journal or one whose `.mljournal` is a symbolic
  link (which is never followed for a write), and every writer of one journal agrees on what to lock;
- a writer waits at most `LOCK_WAIT_SECONDS`, then gives up with `JournalBusyError` (one sentence), having
  changed nothing;
- the lock is re-entrant within a thread (a move takes it, then saves entries that take it again);
- where the file system has no locks at all (Windows, some network mounts) writes go ahead unlocked, still
  atomic and still checked against the version read.

Programs other than mljournal (a text editor, git) don't take the lock; the stores check their bytes again
under the lock for that case.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from mljournal.core.journal import JournalError

LOCK_WAIT_SECONDS = 8.0
"""How long a write waits for another one to finish: far above any save (milliseconds), short enough that a
hung process is reported rather than waited on forever."""

_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.EBADF}

_held = threading.local()


class JournalBusyError(JournalError):
    """Another writer held the journal's lock for longer than we wait; nothing was changed."""


@contextlib.contextmanager
def journal_lock(root: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold the journal's write lock for the body of the `with`; raises `JournalBusyError` after `wait` s."""
    key = os.path.realpath(root)
    depths: dict[str, int] = _held.__dict__.setdefault("depths", {})
    if depths.get(key):
        depths[key] += 1
        try:
            yield
        finally:
            depths[key] -= 1
        return
    fd = _open_folder(Path(root))
    try:
        if fd is not None:
            _acquire(fd, LOCK_WAIT_SECONDS if wait is None else wait)
        depths[key] = 1
        try:
            yield
        finally:
            depths.pop(key, None)
    finally:
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the lock


def _open_folder(root: Path) -> int | None:
    """A read-only descriptor of the journal folder to lock, or None when it can't be opened (then the write
    itself fails with a clear message: the folder is gone or unreadable)."""
    try:
        return os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None


def _acquire(fd: int, wait: float) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; writes stay atomic and version-checked
        return
    deadline = time.monotonic() + wait
    delay = 0.002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as error:
            if error.errno in _UNSUPPORTED:
                return  # this file system has no locks: carry on as before, atomic and checked
            raise
        if time.monotonic() >= deadline:
            raise JournalBusyError(
                "The journal is busy: another mljournal has been saving to it for a while. "
                "Nothing was changed; try again in a moment."
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.05)
