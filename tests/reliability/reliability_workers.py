"""Child processes for the reliability suite: run as `python reliability_workers.py <command> <args>`.

Each command does one thing a real user's process does (save an entry, edit the roadmap, sync the index)
so that the tests can kill it, race it or lock against it for real. Kept import-light and free of pytest.
The helpers at the top are imported by the tests too, so both sides agree on what a valid version is.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

ENTRY_RELPATH = "entries/2024-01-01-crash.md"
TOPIC_ID = "crash-topic"
STATUSES = ("todo", "learning", "done", "skipped")

ROADMAP_TEXT = """\
# A roadmap that a killed process keeps rewriting; this comment must survive every version.
title: Crash test
topics:
  - id: crash-topic
    title: Crash topic
    status: todo
  - id: other
    title: Other
"""


def entry_version(n: int) -> bytes:
    """Version `n` of the crash-test entry: sizes vary so a torn write would show as a wrong length."""
    filler = "".join(f"line {i} of version {n}: the quick brown fox\n" for i in range(500 * (1 + n % 7)))
    text = f'---\ntitle: "Crash test"\ndate: 2024-01-01\n---\n\nversion {n}\n\n{filler}end of version {n}\n'
    return text.encode("utf-8")


def version_number(data: bytes) -> int | None:
    """The `n` that `data` claims to be, or None when it claims nothing (a torn or empty file)."""
    marker = b"\nversion "
    start = data.find(marker)
    if start < 0:
        return None
    end = data.find(b"\n", start + len(marker))
    try:
        return int(data[start + len(marker) : end])
    except ValueError:
        return None


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def save_loop(root: str) -> None:
    """Save the entry and flip the roadmap topic's status forever, announcing once the first round is done."""
    from mljournal.core.entries.store import save_entry
    from mljournal.core.journal import Journal
    from mljournal.core.roadmap import set_status

    journal = Journal(Path(root))
    n = 1
    while True:
        save_entry(journal, ENTRY_RELPATH, entry_version(n), expected=None)
        set_status(journal.roadmap_path, TOPIC_ID, STATUSES[n % len(STATUSES)])
        if n == 1:
            _say("ready")
        n += 1


def die_at(root: str, point: str) -> None:
    """Save once, SIGKILLing this process at `point` inside the atomic write (write, fsync, chmod, replace)."""
    from mljournal.core.entries.store import save_entry
    from mljournal.core.journal import Journal

    def kill_self(*_args: object, **_kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "write":
        # The temp file exists and holds a part of the data when the process dies.
        real_fsync = os.fsync

        def half_then_die(fd: int) -> None:
            os.ftruncate(fd, 100)
            real_fsync(fd)
            kill_self()

        os.fsync = half_then_die  # type: ignore[assignment]
    elif point == "fsync":
        os.fsync = kill_self  # type: ignore[assignment]
    elif point == "chmod":
        os.chmod = kill_self  # type: ignore[assignment]
    elif point == "replace":
        os.replace = kill_self  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown point {point}")
    save_entry(Journal(Path(root)), ENTRY_RELPATH, entry_version(2), expected=None)
    raise SystemExit("the kill point was never reached")


def save_with_version(root: str, relpath: str, text: str) -> None:
    """Read the entry, wait for a line on stdin ("go"), then save `text` against the version read first."""
    from mljournal.core.entries.store import ConflictError, read_entry, save_as_copy, save_entry
    from mljournal.core.journal import Journal

    journal = Journal(Path(root))
    _data, version = read_entry(journal, relpath)
    _say("read")
    sys.stdin.readline()
    try:
        save_entry(journal, relpath, text.encode("utf-8"), expected=version)
    except ConflictError as error:
        copy = save_as_copy(journal, relpath, text.encode("utf-8"))
        _say(f"conflict {copy} {error}")
        return
    _say("saved")


def sync(root: str, go_file: str) -> None:
    """Wait until `go_file` exists (so two of these start together), then sync the index fully."""
    from mljournal.core.index import Index
    from mljournal.core.journal import Journal

    deadline = time.monotonic() + 60
    while not os.path.exists(go_file) and time.monotonic() < deadline:
        time.sleep(0.001)
    with Index(Journal(Path(root))) as index:
        report = index.sync(full=True)
    _say(f"synced {len(report.added)} {len(report.updated)} {report.unchanged}")


def hold_lock(index_path: str, seconds: str, how: str = "write") -> None:
    """Hold a lock on the index for `seconds`, announcing when it is held.

    "write" is `BEGIN EXCLUSIVE` (in WAL mode readers carry on, writers wait); "exclusive" also sets
    `locking_mode = EXCLUSIVE`, which shuts every other connection out, readers included.
    """
    conn = sqlite3.connect(index_path, isolation_level=None)
    if how == "exclusive":
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("SELECT count(*) FROM entries").fetchall()
    _say("locked")
    time.sleep(float(seconds))
    conn.execute("ROLLBACK")
    conn.close()


def hold_journal_lock(root: str, seconds: str) -> None:
    """Hold the journal's write lock for `seconds` (as a save in progress would), announcing when it is held."""
    from mljournal.core.locking import journal_lock

    with journal_lock(Path(root)):
        _say("locked")
        time.sleep(float(seconds))


def move_die_after(root: str, old: str, new: str, entries: str) -> None:
    """`roadmap move OLD NEW`, SIGKILLing this process right after it has rewritten `entries` entry files."""
    import mljournal.core.services.move_topic as move_module
    from mljournal.core.journal import Journal

    real_write = move_module.atomic_write_bytes
    written = 0

    def write_then_maybe_die(path: Path, data: bytes, **kwargs: int) -> None:
        nonlocal written
        real_write(path, data, **kwargs)  # type: ignore[arg-type]
        if Path(path).suffix == ".md":
            written += 1
            if written >= int(entries):
                os.kill(os.getpid(), signal.SIGKILL)

    move_module.atomic_write_bytes = write_then_maybe_die  # type: ignore[assignment]
    journal = Journal(Path(root))
    move_module.move_topic(journal.roadmap_path, old, new, entries_dir=journal.entries_dir)
    raise SystemExit("the move finished before the kill point")


COMMANDS = {
    "save-loop": save_loop,
    "die-at": die_at,
    "save-with-version": save_with_version,
    "sync": sync,
    "hold-lock": hold_lock,
    "hold-journal-lock": hold_journal_lock,
    "move-die-after": move_die_after,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
