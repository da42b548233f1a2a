"""The SQLite index: sync, search, filters, and rebuilding itself from the files."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from journal_factory import make_journal

from mljournal.core.index import SCHEMA_VERSION, Index
from mljournal.core.journal import Journal
from mljournal.core.services.topic_links import open_index

ROADMAP = """\
- id: foundations
  title: Foundations
  status: learning
  children:
    - id: linear-algebra
      title: Linear algebra
      status: learning
    - id: numpy
      title: NumPy
      status: done
- id: deep-learning
  title: Deep learning
  status: todo
"""


def write(journal: Journal, relpath: str, text: str) -> Path:
    path = journal.root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    files = {
        "entries/2024-01-15-vectors.md": (
            "---\ntitle: Vectors and eigenvalues\ndate: 2024-01-15\ntags: [math, Linear-Algebra]\n"
            "topics: [linear-algebra]\n---\n\nToday I met eigenvalues and eigenvectors.\n"
        ),
        "entries/2024/2024-02-03-broadcasting.md": (
            "---\ntitle: NumPy broadcasting\ndate: 2024-02-03T10:00:00+01:00\ntags:\n  - numpy\n  - math\n"
            "topics: [numpy]\n---\n\nBroadcasting stretches arrays without copying them.\n"
        ),
        "entries/2024-03-01-backprop.md": (
            "---\ntitle: Backpropagation intuition\ndate: 2024-03-01\ntags: deep-learning, calculus\n"
            "topics: [deep-learning]\n---\n\nThe chain rule, applied layer by layer.\n"
        ),
    }
    return make_journal(tmp_path / "j", files, roadmap=ROADMAP)


def paths(index: Index, query: str) -> list[str]:
    return [hit.row.path for hit in index.search(query, today=date(2024, 3, 10)).hits]


def test_cold_sync_reads_every_file_at_any_depth(journal: Journal) -> None:
    with Index(journal) as index:
        report = index.sync()
        assert sorted(report.added) == [
            "entries/2024-01-15-vectors.md",
            "entries/2024-03-01-backprop.md",
            "entries/2024/2024-02-03-broadcasting.md",
        ]
        assert index.total() == 3


def test_resync_reads_only_what_changed(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        assert not index.sync().changed
        target = journal.root / "entries/2024-03-01-backprop.md"
        target.write_text(target.read_text() + "\nAnd the gradients flow backwards.\n")
        os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10_000_000))
        (journal.root / "entries/2024-01-15-vectors.md").unlink()
        write(journal, "entries/new.md", "# A new note\n\nNo front-matter at all.\n")
        report = index.sync()
        assert report.updated == ["entries/2024-03-01-backprop.md"]
        assert report.removed == ["entries/2024-01-15-vectors.md"]
        assert report.added == ["entries/new.md"]
        assert report.unchanged == 1
        assert paths(index, "gradients") == ["entries/2024-03-01-backprop.md"]
        assert paths(index, "eigenvalues") == []


def test_an_updated_entry_keeps_its_id(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        before = index.entry_row("entries/2024-03-01-backprop.md")
        index.refresh(["entries/2024-03-01-backprop.md"])
        after = index.entry_row("entries/2024-03-01-backprop.md")
        assert before is not None and after is not None and before.id == after.id


def test_search_by_words_tags_topics_and_dates(journal: Journal) -> None:
    with open_index(journal) as index:
        index.sync()
        assert paths(index, "eigenvalue") == ["entries/2024-01-15-vectors.md"]  # porter stemming
        assert paths(index, "tag:linear-algebra") == ["entries/2024-01-15-vectors.md"]  # case-insensitive
        assert set(paths(index, "tag:math")) == {
            "entries/2024-01-15-vectors.md",
            "entries/2024/2024-02-03-broadcasting.md",
        }
        assert paths(index, "tag:math -tag:numpy") == ["entries/2024-01-15-vectors.md"]
        # A topic includes everything under it.
        assert set(paths(index, "topic:foundations")) == {
            "entries/2024-01-15-vectors.md",
            "entries/2024/2024-02-03-broadcasting.md",
        }
        assert paths(index, "on:2024-02") == ["entries/2024/2024-02-03-broadcasting.md"]
        assert paths(index, "after:2024-02-03") == [
            "entries/2024-03-01-backprop.md",
            "entries/2024/2024-02-03-broadcasting.md",
        ]
        assert paths(index, "before:2024-02-03") == ["entries/2024-01-15-vectors.md"]
        assert paths(index, "after:14d") == ["entries/2024-03-01-backprop.md"]
        assert paths(index, "-eigenvalues -chain") == ["entries/2024/2024-02-03-broadcasting.md"]


def test_no_words_means_newest_first_and_words_rank_title_above_body(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        assert paths(index, "") == [
            "entries/2024-03-01-backprop.md",
            "entries/2024/2024-02-03-broadcasting.md",
            "entries/2024-01-15-vectors.md",
        ]
        write(journal, "entries/x.md", "---\ntitle: Some notes\ndate: 2024-03-05\n---\nbroadcasting " * 1)
        index.sync()
        # "broadcasting" is in one entry's title and in another's body: the title wins.
        assert paths(index, "broadcasting")[0] == "entries/2024/2024-02-03-broadcasting.md"


def test_search_results_carry_fields_and_snippets(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        result = index.search("copying")
        assert result.total == 1
        hit = result.hits[0]
        assert hit.row.title == "NumPy broadcasting"
        assert hit.row.date == "2024-02-03T10:00:00+01:00"
        assert hit.row.tags == ("numpy", "math")
        assert hit.row.topics == ("numpy",)
        assert "[copying]" in hit.snippet


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ('"eigenvalues', "results"),  # an unclosed quote still searches the word
        ("AND(", "results"),  # "AND" as a word once its parenthesis is dropped
        ("eigenvalues OR " + "x" * 10_000, "results"),
        ("🙂 OR chain", "results"),  # whether or not this SQLite counts the emoji as a word
        ("*", "hint"),
        ("-", "hint"),
        (":", "hint"),
        ("tag:", "hint"),
        ("on:2024-13", "hint"),
        ("NOT", "hint"),
        ("OR OR", "hint"),
    ],
)
def test_any_input_gives_results_or_a_hint(journal: Journal, query: str, expect: str) -> None:
    with Index(journal) as index:
        index.sync()
        result = index.search(query)
        if expect == "results":
            assert result.hits, f"{query[:40]!r} found nothing"
            assert result.total == len(result.hits)
        else:
            # Nothing usable was typed: say what was ignored, in one line.
            assert result.hint, f"{query[:40]!r} gave no hint"
            assert "\n" not in result.hint


def test_tag_and_month_counts(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        counts = dict(index.tag_counts())
        assert counts["math"] == 2
        assert sum(1 for name in counts if name.lower() == "linear-algebra") == 1
        assert index.month_counts() == [("2024-03", 1), ("2024-02", 1), ("2024-01", 1)]
        assert index.topic_links()["numpy"] == {"entries/2024/2024-02-03-broadcasting.md"}


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:2048]),
        lambda p: p.write_bytes(b""),
    ],
    ids=["garbage", "truncated", "empty"],
)
def test_a_damaged_index_is_rebuilt_silently(journal: Journal, damage: object) -> None:
    with Index(journal) as index:
        index.sync()
        index.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    damage(journal.index_path)  # type: ignore[operator]
    with Index(journal) as index:
        index.sync()
        assert index.total() == 3
        assert paths(index, "eigenvalues") == ["entries/2024-01-15-vectors.md"]


def test_an_index_of_another_version_or_application_is_rebuilt(journal: Journal) -> None:
    journal.state_dir.mkdir()
    foreign = sqlite3.connect(journal.index_path)
    foreign.execute("CREATE TABLE entries (x)")
    foreign.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    foreign.commit()
    foreign.close()
    with Index(journal) as index:
        assert index.rebuilt
        index.sync()
        assert index.total() == 3


@pytest.mark.parametrize("damage", ["deleted", "garbage"])
def test_refreshing_one_file_into_a_rebuilt_index_reads_every_file(journal: Journal, damage: str) -> None:
    # The app re-reads a saved entry with a fresh `Index(journal).refresh([path])`; when that open had to
    # rebuild the index, refreshing only the saved file left an index of one entry, and the app showed
    # "1 entries" and empty searches until restarted.
    with Index(journal) as index:
        index.sync()
        index.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "deleted":
        journal.index_path.unlink()
    else:
        journal.index_path.write_bytes(b"this is not a database at all" * 100)
    with Index(journal) as index:
        assert index.rebuilt
        report = index.refresh(["entries/2024-03-01-backprop.md"])
        assert index.total() == 3
        assert not index.rebuilt
    assert report.rebuilt
    with Index(journal) as index:
        assert paths(index, "eigenvalues") == ["entries/2024-01-15-vectors.md"]


def test_checking_for_a_replaced_index_keeps_this_processs_locks(journal: Journal) -> None:
    # POSIX locks belong to the process and closing any descriptor of the file drops them all. `is_stale`
    # used to open and close the index to read its header: another process closing its last connection then
    # thought it the only user and deleted the WAL and shared-memory files under this one's connections (the
    # app then met "disk I/O error" and rebuilt the whole index whenever a command ran beside it).
    import subprocess
    import sys

    with Index(journal) as index:
        index.sync()
        assert index.total() == 3
        assert not index.is_stale()
        other_process = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM entries').fetchone(); c.close()"
        )
        subprocess.run([sys.executable, "-c", other_process, str(journal.index_path)], check=True)
        assert os.path.exists(f"{journal.index_path}-shm")
        assert not index.is_stale()
        assert index.total() == 3


def test_a_state_folder_that_cannot_be_created_gives_an_in_memory_index(journal: Journal) -> None:
    journal.state_dir.write_text("a file where the folder should be")
    with Index(journal) as index:
        assert index.in_memory
        # One record of why (D10); the older attribute names read from it for callers that still use them.
        assert index.memory is not None and index.memory.announce is None
        assert index.memory_reason == index.memory.reason == "the journal is read-only"
        assert index.in_memory_reason is None
        index.sync()
        assert paths(index, "eigenvalues") == ["entries/2024-01-15-vectors.md"]


def test_deleting_the_state_folder_loses_nothing(journal: Journal) -> None:
    import shutil

    with Index(journal) as index:
        index.sync()
    shutil.rmtree(journal.state_dir)
    with Index(journal) as index:
        index.sync()
        assert index.total() == 3


def test_hidden_and_temp_files_and_outside_symlinks_are_not_entries(journal: Journal, tmp_path: Path) -> None:
    write(journal, "entries/.mljournal-tmp-abc.tmp", "partial")
    write(journal, "entries/.draft.md", "hidden")
    write(journal, "entries/.git/notes.md", "inside a hidden folder")
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Outside\n---\nsecret\n")
    (journal.entries_dir / "link.md").symlink_to(outside)
    (journal.entries_dir / "loop").symlink_to(journal.entries_dir)
    with Index(journal) as index:
        index.sync()
        assert index.total() == 3
        assert paths(index, "secret") == []


def test_quick_sync_notices_new_files_but_skips_work_otherwise(journal: Journal) -> None:
    with Index(journal) as index:
        assert index.quick_sync() is not None
        assert index.quick_sync() is None
        write(journal, "entries/2024/later.md", "---\ntitle: Later\n---\nzebra\n")
        report = index.quick_sync()
        assert report is not None and report.added == ["entries/2024/later.md"]


def test_windowed_ranking_pages_through_every_match_once(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mljournal.core.index import search as search_module

    for i in range(11):
        write(
            journal,
            f"entries/2024-05-{i + 1:02d}-w{i}.md",
            f"---\ntitle: W{i}\n---\n" + "alpha beta " * (i + 1),
        )
    with Index(journal) as index:
        index.sync()
        q = index.prepare("alpha")
        exact = [row.path for row in index.page(q, 0, 100)]
        assert len(exact) == 11
        monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
        monkeypatch.setattr(search_module, "PREFIX_RANK_WINDOW", 2)
        whole = [row.path for row in index.page(q, 0, 100)]
        paged = [row.path for offset in range(0, 12, 2) for row in index.page(q, offset, 2)]
        assert paged == whole
        assert sorted(whole) == sorted(exact)
        # Within a window the order is still bm25's: the window's entries in exact relative order.
        first_window = whole[:3]
        assert first_window == [path for path in exact if path in first_window]
        # And the newest-indexed matches come first.
        ids = {row.path: row.id for row in index.page(q, 0, 100)}
        assert min(ids[p] for p in whole[:3]) > max(ids[p] for p in whole[3:])
        # A prefix query pages through its own, smaller windows the same way.
        prefix = index.prepare("alph*")
        prefixed = [row.path for row in index.page(prefix, 0, 100)]
        assert [row.path for offset in range(0, 12, 3) for row in index.page(prefix, offset, 3)] == prefixed
        assert sorted(prefixed) == sorted(exact)
        assert min(ids[p] for p in prefixed[:2]) > max(ids[p] for p in prefixed[2:])


def test_filters_combine_with_ranked_text(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        q = index.prepare("chain OR broadcasting tag:deep-learning on:2024-03")
        assert [row.path for row in index.page(q, 0, 10)] == ["entries/2024-03-01-backprop.md"]
        assert index.count(q) == 1


def test_refresh_of_a_new_entry_beside_the_one_with_the_highest_id(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        newest = max(index.rows(list(range(1, 10))), key=lambda row: row.id)
        write(journal, "entries/brand-new.md", "---\ntitle: Brand new\n---\nfresh\n")
        report = index.refresh([newest.path, "entries/brand-new.md"])
        assert report.updated == [newest.path] and report.added == ["entries/brand-new.md"]
        assert index.total() == 4
        row = index.entry_row(newest.path)
        assert row is not None and row.id == newest.id


@pytest.mark.parametrize(
    "relpath", ["entries/.drafts/x.md", "entries/.x.md", "notes/x.md", "x.md", "entries/x.txt"]
)
def test_refresh_indexes_only_what_a_full_sync_would(journal: Journal, relpath: str) -> None:
    # refresh and the walker share one rule (journal.is_entry_relpath): a file refresh indexed and the
    # next sync dropped again would flicker in and out of the list.
    with Index(journal) as index:
        index.sync()
        before = index.total()
        write(journal, relpath, "---\ntitle: Hidden draft\n---\nnot an entry here\n")
        report = index.refresh([relpath])
        assert not report.changed
        assert index.total() == before
        assert index.sync().added == []


def test_entry_path_rules() -> None:
    from mljournal.core.journal import is_entry_name, is_entry_relpath

    assert is_entry_name("x.md") and is_entry_name("X.MDX") and is_entry_name("a.markdown")
    assert not is_entry_name(".x.md") and not is_entry_name("x.txt") and not is_entry_name("md")
    assert is_entry_relpath("entries/x.md") and is_entry_relpath("entries/2024/03/x.mdx")
    for relpath in (
        "entries/.drafts/x.md",
        "entries/.x.md",
        "entries//x.md",
        "entries/../x.md",
        "notes/x.md",
        "x.md",
        "entries",
        "entries/x.txt",
        "entries/\udcff.md",
    ):
        assert not is_entry_relpath(relpath), relpath


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15])
def test_first_sync_and_a_refresh_racing_keep_every_entry(
    journal: Journal, delay: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a journal's first start the app builds the index while the user may already save a note: the
    # second connection must never throw the first one's fresh index away.
    import threading
    import time

    slow_create = Index._create_schema

    def create_slowly(conn: sqlite3.Connection) -> None:
        # Widen the window in which a half-made index exists, as a cold import of sqlite-utils does.
        time.sleep(0.2)
        slow_create(conn)

    monkeypatch.setattr(Index, "_create_schema", staticmethod(create_slowly))
    write(journal, "entries/racing.md", "---\ntitle: Racing\n---\nrace\n")
    errors: list[BaseException] = []

    def build() -> None:
        try:
            with Index(journal) as index:
                index.sync()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def save() -> None:
        time.sleep(delay)
        try:
            with Index(journal) as index:
                index.refresh(["entries/racing.md"])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=build), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Index(journal) as index:
        assert not index.in_memory
        assert index.total() == 4


def test_rebuild_starts_from_an_empty_file_and_reads_everything(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        index.conn.execute("INSERT INTO meta (key, value) VALUES ('stray', 'left by an old version')")
        report = index.rebuild()
        assert len(report.added) == 3 and report.rebuilt
        assert index.conn.execute("SELECT count(*) FROM meta WHERE key = 'stray'").fetchone()[0] == 0
        assert paths(index, "eigenvalues") == ["entries/2024-01-15-vectors.md"]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_big_sync_parses_in_worker_processes_and_survives_a_broken_pool(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, start_method: str
) -> None:
    import concurrent.futures
    import multiprocessing

    from mljournal.core.index import scan as scan_module
    from mljournal.core.index import sync as sync_module

    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start_method} here")
    monkeypatch.setattr(scan_module, "_worker_start_method", lambda: start_method)
    for i in range(30):
        write(
            journal, f"entries/bulk/{i:03d}.md", f"---\ntitle: Bulk {i}\ntags: [bulk]\n---\nbulk text {i}\n"
        )
    monkeypatch.setattr(scan_module, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(sync_module, "BATCH_SIZE", 7)
    with Index(journal) as index:
        report = index.sync()
        assert len(report.added) == 33
        assert dict(index.tag_counts())["bulk"] == 30

    class BrokenPool(concurrent.futures.ProcessPoolExecutor):
        def submit(self, *args: object, **kwargs: object) -> concurrent.futures.Future[object]:
            raise concurrent.futures.process.BrokenProcessPool("a worker died")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", BrokenPool)
    with Index(journal) as index:
        report = index.rebuild()
        assert len(report.added) == 33
        assert paths(index, "bulk text 17") == ["entries/bulk/017.md"]


def test_workers_are_forked_only_from_a_single_threaded_process_on_linux() -> None:
    import sys
    import threading

    from mljournal.core.index.scan import _worker_start_method

    seen: list[str | None] = []
    release = threading.Event()
    # While another thread runs (as in the TUI, which syncs in a worker thread), forking could copy a lock
    # that thread holds into the child.
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        worker = threading.Thread(target=lambda: seen.append(_worker_start_method()))
        worker.start()
        worker.join()
    finally:
        release.set()
        other.join()
    assert seen == ["spawn"]
    if sys.platform == "linux" and threading.active_count() == 1:
        assert _worker_start_method() == "fork"


def test_sync_removes_abandoned_temp_files_but_not_a_save_in_progress(journal: Journal) -> None:
    import time

    old = write(journal, "entries/2024/.mljournal-tmp-old.tmp", "half a save from a crash")
    young = write(journal, "entries/.mljournal-tmp-young.tmp", "another process is saving")
    beside_roadmap = write(journal, ".mljournal-tmp-roadmap.tmp", "half a roadmap")
    an_hour_ago = time.time() - 3600
    for path in (old, beside_roadmap):
        os.utime(path, (an_hour_ago, an_hour_ago))
    with Index(journal) as index:
        index.sync()
        assert index.total() == 3
    assert not old.exists() and not beside_roadmap.exists()
    assert young.exists()


def test_position_of_an_entry_in_a_newest_first_listing(journal: Journal) -> None:
    for i in range(30):
        write(
            journal,
            f"entries/old/{i:02d}.md",
            f"---\ntitle: Old {i}\ndate: 2023-01-{i % 28 + 1:02d}\ntags: [old]\n---\nx\n",
        )
    with Index(journal) as index:
        index.sync()
        for query in ["", "tag:old", "on:2023-01", "-tag:math"]:
            q = index.prepare(query)
            listing = [row.path for row in index.page(q, 0, 1000)]
            for expected, path in enumerate(listing):
                assert index.position(q, path) == expected, (query, path)
        # Not among the results, or a ranked search: unknown.
        assert index.position(index.prepare("tag:old"), "entries/2024-01-15-vectors.md") is None
        assert index.position(index.prepare("eigenvalues"), "entries/2024-01-15-vectors.md") is None
        assert index.position(index.prepare(""), "entries/missing.md") is None


def _secondary_indexes(index: Index) -> set[str]:
    from mljournal.core.index.schema import SECONDARY_INDEXES

    names = {row[0] for row in index.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return names & set(SECONDARY_INDEXES)


def test_a_cold_build_loads_the_rows_then_builds_every_read_index(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mljournal.core.index import sync as sync_module
    from mljournal.core.index.schema import SECONDARY_INDEXES

    dropped: list[int] = []
    real_apply = sync_module.IndexSync._apply

    def apply_and_look(self: Index, *args: object, **kwargs: object) -> None:
        dropped.append(len(_secondary_indexes(self)))  # what the load runs without
        real_apply(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sync_module, "BULK_LOAD_FILES", 2)
    monkeypatch.setattr(sync_module.IndexSync, "_apply", apply_and_look)
    with Index(journal) as index:
        index.sync()
        assert dropped == [0]
        assert _secondary_indexes(index) == set(SECONDARY_INDEXES)
        assert [hit.row.path for hit in index.search("tag:numpy").hits] == [
            "entries/2024/2024-02-03-broadcasting.md"
        ]
        # A later sync of an index with rows never drops them.
        (journal.entries_dir / "new.md").write_text("---\ntitle: New\n---\nnew\n", encoding="utf-8")
        index.sync()
        assert dropped == [0, len(SECONDARY_INDEXES)]


def test_a_cold_build_killed_half_way_gets_its_read_indexes_at_the_next_sync(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mljournal.core.index import sync as sync_module
    from mljournal.core.index.schema import SECONDARY_INDEXES

    monkeypatch.setattr(sync_module, "BULK_LOAD_FILES", 2)
    real_store = sync_module.IndexSync._store

    def store_then_die(self: Index, *args: object, **kwargs: object) -> None:
        real_store(self, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sync_module.IndexSync, "_store", store_then_die)
    with Index(journal) as index, pytest.raises(OSError):
        index.sync()
    monkeypatch.setattr(sync_module.IndexSync, "_store", real_store)
    with Index(journal) as index:
        assert _secondary_indexes(index) == set()  # still a sound index, only slower to read
        index.sync()
        assert _secondary_indexes(index) == set(SECONDARY_INDEXES)
        assert index.total() == len(list(journal.entries_dir.rglob("*.md")))
