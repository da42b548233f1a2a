"""Parse workers die with their parent: a killed `mljournal index` leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_helpers import many_entries, write_files

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc"),
]


def children_of(pid: int) -> set[int]:
    """Live processes whose parent is `pid`, from /proc (psutil is not a dependency)."""
    found: set[int] = set()
    for name in os.listdir("/proc"):
        if name.isdigit() and process_state(int(name)) is not None:
            fields = _stat_fields(int(name))
            if fields is not None and int(fields[1]) == pid:
                found.add(int(name))
    return found


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, ppid, ..."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def process_state(pid: int) -> str | None:
    """The process's state letter, or None when it has exited (a zombie has exited too)."""
    fields = _stat_fields(pid)
    if fields is None or fields[0] in {"Z", "X"}:
        return None
    return fields[0]


def test_killing_index_mid_parse_leaves_no_worker_behind(tmp_path: Path) -> None:
    journal = write_files(tmp_path / "j", many_entries(6000))
    parent = subprocess.Popen(
        [sys.executable, "-m", "mljournal", "-j", str(journal.root), "index"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        # Wait for the pool's workers to appear, then kill the parent while they parse.
        deadline = time.monotonic() + 120
        while not workers and parent.poll() is None and time.monotonic() < deadline:
            workers = children_of(parent.pid)
            time.sleep(0.005)
        assert workers, "the index never started parse workers (too few files or cores?)"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(30)
        # A guard, not a timing assertion: a worker that outlives its parent waits for work forever.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(process_state(pid) for pid in workers):
            time.sleep(0.1)
        left = {pid: process_state(pid) for pid in workers if process_state(pid)}
        assert not left, f"parse workers outlived their killed parent: {left}"
    finally:
        for pid in workers:
            if process_state(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
            parent.wait(30)
