"""A process SIGKILLed while saving leaves the old file or the new one, never a torn one, and no false entries.

Real processes, real signals: a child saves an entry and flips a roadmap status in a loop and is killed at
random moments; other children kill themselves at each step of the atomic write, so every step is hit for sure.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_helpers import Child
from reliability_workers import (
    ENTRY_RELPATH,
    ROADMAP_TEXT,
    STATUSES,
    TOPIC_ID,
    entry_version,
    version_number,
)

from mljournal.core.atomic import TEMP_PREFIX, cleanup_stale_temp_files
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap, set_status

KILLS = 50
"""Enough kills that some land inside writes on a loaded machine, few enough to stay around 15 s."""


def make_crash_journal(root: Path) -> Journal:
    journal = Journal(root)
    journal.entries_dir.mkdir(parents=True)
    (root / ENTRY_RELPATH).write_bytes(entry_version(0))
    journal.roadmap_path.write_text(ROADMAP_TEXT, encoding="utf-8")
    return journal


def roadmap_versions(tmp_path: Path) -> set[bytes]:
    """Every roadmap.yaml the loop can write, made by the same code: the original, one per status, and one
    per status once the topic has been done (which records the day, kept from then on)."""
    versions = {ROADMAP_TEXT.encode("utf-8")}
    scratch = tmp_path / "roadmap-versions"
    scratch.mkdir()
    path = scratch / "roadmap.yaml"
    for first in (None, "done"):
        for status in STATUSES:
            path.write_text(ROADMAP_TEXT, encoding="utf-8")
            if first is not None:
                set_status(path, TOPIC_ID, first)
            set_status(path, TOPIC_ID, status)
            versions.add(path.read_bytes())
    return versions


def temp_files(journal: Journal) -> list[Path]:
    return sorted(p for folder in (journal.root, journal.entries_dir) for p in folder.glob(f"{TEMP_PREFIX}*"))


def assert_entry_is_whole(journal: Journal) -> int:
    data = (journal.root / ENTRY_RELPATH).read_bytes()
    number = version_number(data)
    assert number is not None, f"torn entry: {len(data)} bytes, starting {data[:80]!r}"
    assert data == entry_version(number), f"entry claims version {number} but its bytes differ"
    return number


def assert_index_shows_only_entries(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        paths = [row[0] for row in index.conn.execute("SELECT path FROM entries")]
    assert paths == [ENTRY_RELPATH]


@pytest.mark.slow
def test_random_sigkill_while_saving_never_tears_a_file(tmp_path: Path, spawn: Callable[..., Child]) -> None:
    journal = make_crash_journal(tmp_path / "journal")
    valid_roadmaps = roadmap_versions(tmp_path)
    rng = random.Random(5)
    seen_versions: set[int] = set()
    for _ in range(KILLS):
        child = spawn("save-loop", str(journal.root))
        assert child.read_line() == "ready"
        time.sleep(rng.uniform(0.0, 0.04))
        os.kill(child.process.pid, signal.SIGKILL)
        child.process.communicate(timeout=30)
        assert child.process.returncode == -signal.SIGKILL
        seen_versions.add(assert_entry_is_whole(journal))
        assert journal.roadmap_path.read_bytes() in valid_roadmaps
    # Each child wrote at least version 1 before saying "ready"; the kills must not have rolled that back.
    assert 0 not in seen_versions
    roadmap, problems = load_roadmap(journal.roadmap_path)
    assert problems == [] and roadmap.find(TOPIC_ID) is not None
    assert_index_shows_only_entries(journal)
    for folder in (journal.root, journal.entries_dir):
        cleanup_stale_temp_files(folder, older_than=0)
    assert temp_files(journal) == []
    assert_entry_is_whole(journal)


@pytest.mark.parametrize("point", ["write", "fsync", "chmod", "replace"])
def test_killed_at_each_step_of_a_save_keeps_the_old_file(
    tmp_path: Path, spawn: Callable[..., Child], point: str
) -> None:
    journal = make_crash_journal(tmp_path / "journal")
    child = spawn("die-at", str(journal.root), point)
    child.process.communicate(timeout=60)
    assert child.process.returncode == -signal.SIGKILL, "the child did not die where it was meant to"
    # The kill came before os.replace, so the old bytes must still be there, untouched.
    assert (journal.root / ENTRY_RELPATH).read_bytes() == entry_version(0)
    leftovers = temp_files(journal)
    assert len(leftovers) == 1, "the temp file of the interrupted write should be the only leftover"
    assert_index_shows_only_entries(journal)
    # A leftover of a write that may still be running elsewhere is kept; an old one is removed.
    assert cleanup_stale_temp_files(journal.entries_dir) == []
    assert temp_files(journal) == leftovers
    an_hour_ago = time.time() - 3600
    os.utime(leftovers[0], (an_hour_ago, an_hour_ago))
    assert cleanup_stale_temp_files(journal.entries_dir) == leftovers
    assert temp_files(journal) == []


def test_a_stray_temp_file_is_never_listed_even_with_an_entry_suffix(tmp_path: Path) -> None:
    journal = make_crash_journal(tmp_path / "journal")
    stray = journal.entries_dir / f"{TEMP_PREFIX}abc.md"
    stray.write_bytes(entry_version(3))
    nested = journal.entries_dir / "sub"
    nested.mkdir()
    shutil.copy(stray, nested / stray.name)
    assert_index_shows_only_entries(journal)
    with Index(journal) as index:
        report = index.refresh([journal.relpath(stray), journal.relpath(nested / stray.name)])
    assert report.added == [] and report.updated == []
