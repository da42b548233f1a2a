"""The entry list holds only the total and pages: 100,000 rows cost one page per screen, fetched on demand."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.worker import WorkerFailed

from mljournal.core.index import EntryRow
from mljournal.core.journal import Journal
from mljournal.tui.data import ResultPage
from mljournal.tui.widgets import entry_list as module
from mljournal.tui.widgets.entry_list import PAGE_SIZE, EntryList

pytestmark = pytest.mark.anyio

TOTAL = 100_000


def _row(position: int) -> EntryRow:
    return EntryRow(
        id=position,
        path=f"entries/{position:06d}.md",
        title=f"Entry number {position}",
        date=None,
        day="2024-01-01",
        tags=("t",),
        topics=(),
        description="",
        word_count=1,
        draft=False,
        problem_count=0,
    )


class ListApp(App[None]):
    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.highlighted: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield EntryList(self.journal)

    def on_mount(self) -> None:
        self.query_one(EntryList).set_query("")

    def on_entry_list_entry_highlighted(self, message: EntryList.EntryHighlighted) -> None:
        self.highlighted.append(message.row.path if message.row else None)


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fake index access with 100,000 rows; records the offsets of every page fetched."""
    offsets: list[int] = []

    def run_query(
        journal: Journal, query: str, limit: int, *, today: object = None, focus_path: object = None
    ) -> ResultPage:
        offsets.append(0)
        return ResultPage(query, TOTAL, [_row(i) for i in range(limit)], None, False)

    def fetch_page(
        journal: Journal, query: str, offset: int, limit: int, *, today: object = None
    ) -> list[EntryRow]:
        offsets.append(offset)
        return [_row(i) for i in range(offset, min(TOTAL, offset + limit))]

    monkeypatch.setattr(module, "run_query", run_query)
    monkeypatch.setattr(module, "fetch_page", fetch_page)
    return offsets


async def _settle(app: App[None], pilot: object) -> None:
    for _ in range(5):
        with contextlib.suppress(WorkerFailed):  # a failing worker is what one test is about
            await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def test_a_hundred_thousand_rows_fetch_only_visible_pages(tmp_path: Path, fetched: list[int]) -> None:
    app = ListApp(Journal(tmp_path))
    async with app.run_test(size=(80, 20)) as pilot:
        await _settle(app, pilot)
        entries = app.query_one(EntryList)
        assert entries.total == TOTAL
        assert entries.virtual_size.height == TOTAL
        assert fetched == [0]
        entries.focus()
        await pilot.press("G")
        await _settle(app, pilot)
        assert entries.cursor == TOTAL - 1
        assert fetched == [0, (TOTAL - 1) // PAGE_SIZE * PAGE_SIZE]
        assert app.highlighted[-1] == f"entries/{TOTAL - 1:06d}.md"
        line = "".join(
            segment.text for segment in entries.render_line(entries.cursor - round(entries.scroll_offset.y))
        )
        assert f"Entry number {TOTAL - 1}" in line
        await pilot.press("g", "j", "j")
        await _settle(app, pilot)
        assert entries.cursor == 2
        assert app.highlighted[-1] == "entries/000002.md"
        assert len(fetched) == 2  # page 0 was still cached


async def test_a_crashing_query_does_not_freeze_the_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def run_query(
        journal: Journal, query: str, limit: int, *, today: object = None, focus_path: object = None
    ) -> ResultPage:
        calls.append(query)
        if query == "boom":
            raise RuntimeError("index on fire")
        return ResultPage(query, 1, [_row(0)], None, False)

    monkeypatch.setattr(module, "run_query", run_query)
    app = ListApp(Journal(tmp_path))
    async with app.run_test(size=(80, 20)) as pilot:
        await _settle(app, pilot)
        entries = app.query_one(EntryList)
        entries.set_query("boom")
        await _settle(app, pilot)
        entries.set_query("fine")
        await _settle(app, pilot)
        assert calls == ["", "boom", "fine"]
        assert entries.query_text == "fine"
