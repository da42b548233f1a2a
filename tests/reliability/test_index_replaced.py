"""The app notices an index deleted, replaced or overwritten while it runs, and rebuilds it from the files.

The README tells users to delete `.mljournal/index.sqlite*` to rebuild the index; doing that with the app open
must not leave it showing one thing in the header and another after ctrl+r.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from reliability_helpers import entry_text, write_files
from test_hostile_tui import settle

from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
from mljournal.tui.screens.main import MainScreen
from mljournal.tui.widgets.entry_list import EntryList

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return write_files(
        tmp_path / "j",
        {
            f"entries/2024-03-0{i}-note.md": entry_text(f"Note {i}", f"words {i}", day=f"2024-03-0{i}")
            for i in (1, 2, 3)
        },
    )


def shown_counts(screen: MainScreen) -> tuple[int, str]:
    """What the user reads: the list's row count and the header's entry count."""
    return screen.query_one(EntryList).total, screen.sub_title.rsplit("·", 1)[-1].strip()


def add_entry(journal: Journal, screen: MainScreen, day: int) -> None:
    path = journal.entries_dir / f"2024-04-{day:02d}-late.md"
    path.write_text(entry_text(f"Late {day}", "latecomer", day=f"2024-04-{day:02d}"), encoding="utf-8")
    screen.handle_file_changes([path])  # what the file watcher does


def delete_index(journal: Journal) -> None:
    for path in journal.state_dir.glob("index.sqlite*"):
        path.unlink()


def garbage_index(journal: Journal) -> None:
    with open(journal.index_path, "r+b") as handle:  # in place: same file, same inode
        handle.write(b"garbage!" * 4096)


@pytest.mark.parametrize("damage", [delete_index, garbage_index])
async def test_a_deleted_or_overwritten_index_is_rebuilt_while_the_app_runs(journal: Journal, damage) -> None:
    app = make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert shown_counts(screen) == (3, "3 entries")
        damage(journal)
        add_entry(journal, screen, 1)
        screen = await settle(pilot)
        assert shown_counts(screen) == (4, "4 entries")
        await pilot.press("ctrl+r")
        screen = await settle(pilot)
        assert shown_counts(screen) == (4, "4 entries")
        # Again, this time found by ctrl+r itself.
        damage(journal)
        (journal.entries_dir / "2024-04-02-late.md").write_text(
            entry_text("Late 2", "latecomer"), encoding="utf-8"
        )
        await pilot.press("ctrl+r")
        screen = await settle(pilot)
        assert shown_counts(screen) == (5, "5 entries")
        assert not [w for w in app.workers if w.error is not None]


def test_threads_that_opened_the_index_before_it_was_deleted_agree_with_new_ones(journal: Journal) -> None:
    """The app's workers run on a pool of threads, each with its own connection; one opened after the index
    was deleted must not see a different journal from those opened before. Checked with real threads at the
    data layer, since which pool thread runs a Textual worker varies."""
    from concurrent.futures import ThreadPoolExecutor

    from mljournal.tui.data import run_query, thread_index

    def count() -> int:
        return run_query(journal, "", 50).total

    late = journal.entries_dir / "2024-04-01-late.md"
    with ThreadPoolExecutor(max_workers=1) as syncer, ThreadPoolExecutor(max_workers=1) as reader:
        syncer.submit(lambda: thread_index(journal).sync()).result()
        assert reader.submit(count).result() == 3
        delete_index(journal)
        late.write_text(entry_text("Late", "latecomer"), encoding="utf-8")
        syncer.submit(lambda: thread_index(journal).refresh(["entries/2024-04-01-late.md"])).result()
        with ThreadPoolExecutor(max_workers=1) as newcomer:
            assert newcomer.submit(count).result() == 4
        assert reader.submit(count).result() == 4
        assert syncer.submit(count).result() == 4


def test_an_index_damaged_past_its_header_is_rebuilt_when_a_query_trips_on_it(journal: Journal) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from mljournal.tui.data import load_navigator_data, run_query, thread_index

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(lambda: thread_index(journal).sync()).result()
        size = journal.index_path.stat().st_size
        with open(journal.index_path, "r+b") as handle:  # every page but the first: header and schema intact
            handle.seek(4096)
            handle.write(b"\xff" * (size - 4096))
        # A new connection in a fresh thread, like a pool thread the app has not used yet.
        with ThreadPoolExecutor(max_workers=1) as fresh:
            assert fresh.submit(lambda: run_query(journal, "words", 50).total).result() == 3
            assert fresh.submit(lambda: load_navigator_data(journal).total).result() == 3
        assert worker.submit(lambda: run_query(journal, "words", 50).total).result() == 3
