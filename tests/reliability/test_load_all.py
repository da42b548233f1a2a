"""`L` on a huge entry loads it progressively: Markdown up to a cap, plain text after, cancellable.

A million-line entry once kept the app at 100% CPU for minutes, because every appended chunk made the
Markdown widget re-read and re-lay out everything before it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_helpers import entry_text, write_files
from test_hostile_tui import app_for, settle
from textual.pilot import Pilot
from textual.worker import WorkerState

from mljournal.tui.data import MARKDOWN_LIMIT
from mljournal.tui.widgets import long_body as long_body_module
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.plain_lines import PlainLines
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio

HUGE = "entries/2024-04-01-huge.md"
CALM = "entries/2024-03-01-calm.md"
LINES = 100_000


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def huge_journal(tmp_path: Path) -> Path:
    body = "".join(f"line {n} of the log\n" for n in range(LINES))
    journal = write_files(
        tmp_path / "journal",
        {
            HUGE: entry_text("Huge", body, day="2024-04-01"),
            CALM: entry_text("Calm", "nothing to see here", day="2024-03-01"),
        },
        index=True,
    )
    return journal.root


async def open_huge(pilot: Pilot[None]) -> EntryViewer:
    screen = await settle(pilot)
    assert screen.query_one(EntryList).select_path(HUGE)
    await settle(pilot)
    viewer = screen.query_one(EntryViewer)
    assert viewer.rendered_path == HUGE
    viewer.focus()
    return viewer


async def until(pilot: Pilot[None], condition: object, rounds: int = 400) -> None:
    for _ in range(rounds):
        if callable(condition) and condition():
            return
        await pilot.pause()
    raise AssertionError("the condition never held")


async def test_load_all_caps_the_markdown_and_shows_the_rest_as_plain_lines(huge_journal: Path) -> None:
    from mljournal.core.journal import Journal

    app = app_for(Journal(huge_journal))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer = await open_huge(pilot)
        await pilot.press("L")
        await settle(pilot)
        tail = viewer.query_one(PlainLines)
        assert not viewer.loading_all
        assert len(viewer.markdown.source) <= MARKDOWN_LIMIT
        markdown_lines = viewer.markdown.source.count("\n")
        assert markdown_lines + tail.line_count >= LINES  # every line is shown, one way or the other
        viewer.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert f"line {LINES - 1} of the log" in screen_text(pilot)
        # The body is one long paragraph, cut into chunks mid-paragraph: its start must still be drawn.
        viewer.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        assert "line 0 of the log line 1 of the log" in screen_text(pilot)


def screen_text(pilot: Pilot[None]) -> str:
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_another_entry_cancels_the_load_and_shows_at_once(
    huge_journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mljournal.core.journal import Journal

    monkeypatch.setattr(long_body_module, "PLAIN_BATCH_LINES", 500)  # many frames of work to interrupt
    app = app_for(Journal(huge_journal))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer = await open_huge(pilot)
        tail = viewer.query_one(PlainLines)
        await pilot.press("L")
        await until(pilot, lambda: tail.line_count > 0)
        loader = next(w for w in app.workers if w.group == "viewer-render" and w.is_running)
        assert viewer.loading_all
        app.screen.query_one(EntryList).select_path(CALM)
        await until(pilot, lambda: viewer.rendered_path == CALM)
        assert loader.state is WorkerState.CANCELLED
        assert viewer.rendered_path == CALM and "nothing to see here" in viewer.markdown.source
        assert tail.line_count == 0 and not viewer.loading_all


async def test_escape_stops_the_load_and_keeps_what_is_shown(
    huge_journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mljournal.core.journal import Journal

    monkeypatch.setattr(long_body_module, "PLAIN_BATCH_LINES", 500)
    app = app_for(Journal(huge_journal))
    async with app.run_test(size=(120, 40)) as pilot:
        viewer = await open_huge(pilot)
        tail = viewer.query_one(PlainLines)
        await pilot.press("L")
        await until(pilot, lambda: tail.line_count > 0)
        loader = next(w for w in app.workers if w.group == "viewer-render" and w.is_running)
        await pilot.press("escape")
        await until(pilot, lambda: not loader.is_running)
        assert loader.state is WorkerState.CANCELLED
        shown = tail.line_count
        assert 0 < shown < LINES
        assert viewer.rendered_path == HUGE and app.screen is viewer.screen
        assert any("Stopped loading" in str(n.message) for n in app._notifications)
        assert "Press L" in str(viewer.query_one("#viewer-more").render())
        # L starts it again, and this time it runs to the end.
        monkeypatch.setattr(long_body_module, "PLAIN_BATCH_LINES", 20_000)
        await pilot.press("L")
        await settle(pilot)
        assert viewer.markdown.source.count("\n") + tail.line_count >= LINES


# -- preparing a huge body a piece at a time (so the GIL, and the app's event loop, are let go between) --------


@settings(max_examples=200)
@given(st.text(alphabet="ab \n\t\r\u3000", max_size=60), st.integers(1, 9))
def test_words_are_counted_the_same_a_piece_at_a_time(text: str, piece: int) -> None:
    from mljournal.core.entries import read as entry_module

    original = entry_module._WORD_COUNT_PIECE
    entry_module._WORD_COUNT_PIECE = piece
    try:
        assert entry_module.word_count(text) == len(text.split())
    finally:
        entry_module._WORD_COUNT_PIECE = original


def test_a_body_prepared_in_pieces_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mljournal.tui import data

    body = "".join(f"line {n}\r\n\x1b[2J tab\there <b>x</b>\n\n" for n in range(3000))
    journal = write_files(tmp_path / "j", {"entries/a.md": entry_text("A", body)})
    whole = data.load_entry_view(journal, "entries/a.md", limit=None)
    monkeypatch.setattr(data, "_PIECE", 7)
    pieced = data.load_entry_view(journal, "entries/a.md", limit=None)
    assert (pieced.first, pieced.rest, pieced.plain_tail) == (whole.first, whole.rest, whole.plain_tail)
    assert pieced.plain_tail and "\x1b" not in "".join(pieced.plain_tail)


def test_the_first_screen_of_a_huge_body_reads_only_its_beginning(tmp_path: Path) -> None:
    from mljournal.tui import data

    body = "".join(f"line {n}\n" for n in range(100_000))
    journal = write_files(tmp_path / "j", {"entries/a.md": entry_text("A", body)})
    view = data.load_entry_view(journal, "entries/a.md")
    assert view.truncated and view.shown_chars <= data.VIEW_LIMIT
    assert view.total_chars == len(view.entry.body)
    assert "line 0\nline 1\n" in view.first
