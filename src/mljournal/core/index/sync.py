"""Bringing the index in line with the files: full and quick syncs, refreshing a few files, batched writes."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mljournal.core.atomic import cleanup_stale_temp_files, remove_stale_temp_files
from mljournal.core.index.connection import IndexConnection, _connect, _memory_reason
from mljournal.core.index.scan import _Rows, _to_json, load_batches
from mljournal.core.index.schema import (
    FTS_COLUMNS,
    create_secondary_indexes,
    drop_secondary_indexes,
    missing_secondary_indexes,
)
from mljournal.core.journal import JournalError, is_entry_relpath, undecodable_name, walk_entry_files
from mljournal.core.model import Problem
from mljournal.core.progress import ProgressCallback, Throttled

BATCH_SIZE = 500
BULK_LOAD_FILES = 1000
"""From how many files an empty index is bulk-loaded (secondary indexes built after the rows)."""
COMMIT_ROWS = 10_000
"""Rows written per transaction during a sync (readers keep seeing the previous state meanwhile)."""


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


class IndexSync(IndexConnection):
    """Writing the index: what changed on disk since the last sync, read and stored in batches."""

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
        # A cold build (an empty index, many files) loads every row first and builds the read-side indexes
        # after, each in one sorted pass: the writer spent 1.4-1.7 s of CPU on 10,000 entries instead of
        # 1.8-1.9 s growing them row by row (index creation itself: 0.04 s). If the load fails or is
        # killed, they stay missing (the index is still sound, only slower to read) until a sync adds them.
        if not known and len(todo) >= BULK_LOAD_FILES:
            with self._write():
                drop_secondary_indexes(self.conn)
        self._apply(todo, vanished, report, progress)
        if missing_secondary_indexes(self.conn):
            with self._write():
                create_secondary_indexes(self.conn)
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
                # Only what a full sync would index: a hidden or out-of-`entries/` file would be dropped again.
                is_entry = is_entry_relpath(relpath) and absolute.is_file()
            except (OSError, JournalError):
                stat, is_entry = None, False
            if stat is not None and is_entry:
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
        root = str(self.journal.root)
        jobs = [[(relpath, stat.st_mtime) for relpath, stat, _ in batch] for batch in batches]
        loaded_batches = load_batches(root, jobs)
        # Several batches per transaction: every commit turns FTS5's pending terms into a new segment, and
        # thousands of small segments make FTS5 spend its time merging them (most of the cost at 100,000).
        per_commit = max(1, COMMIT_ROWS // BATCH_SIZE)
        for start in range(0, len(batches), per_commit):
            with self._write():
                for batch in batches[start : start + per_commit]:
                    self._store(batch, next(loaded_batches), report)
                    done += len(batch)
                    report_progress(done, total)

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
