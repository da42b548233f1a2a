"""The dashboard (`s`): opening it, its keys, what it shows, and a snapshot at 80×24."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from test_snapshots import _ready
from textual.pilot import Pilot
from textual.widgets import Static

from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
from mljournal.tui.screens.dashboard import DashboardScreen, heatmap_window, level_of, shade_levels
from mljournal.tui.screens.main import MainScreen


def test_the_heatmap_window_is_whole_weeks() -> None:
    start, end = heatmap_window(date(2024, 5, 1), 0)
    assert end == date(2024, 5, 1)
    assert start.weekday() == 0
    assert (end - start).days // 7 + 1 == 53
    # An earlier year is that calendar year, from the Monday of its first week.
    start, end = heatmap_window(date(2024, 5, 1), 1)
    assert end == date(2023, 12, 31)
    assert start == date(2022, 12, 26)


def test_shades_follow_quartiles_so_one_huge_day_does_not_wash_out_the_rest() -> None:
    values = [0, 1, 1, 2, 2, 3, 3, 4, 5000]
    bounds = shade_levels(values)
    # 4 is the most any ordinary day had: it still gets the third shade, not the faintest.
    assert [level_of(v, bounds) for v in (0, 1, 3, 4, 5000)] == [0, 1, 2, 3, 4]
    assert shade_levels([0, 0]) == [1, 1, 1, 1]


def _text(screen: DashboardScreen, widget_id: str) -> str:
    return str(screen.query_one(widget_id, Static).render())


async def _open_dashboard(pilot: Pilot[Any]) -> DashboardScreen:
    await _ready(pilot)
    await pilot.press("s")
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, DashboardScreen) and screen.stats is not None:
            return screen
    raise AssertionError("the dashboard never showed its figures")


@pytest.mark.anyio
async def test_s_opens_the_dashboard_and_escape_closes_it(
    tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal], clock: Callable[[], datetime]
) -> None:
    old = "---\ntitle: Where it started\ndate: 2023-06-01\n---\n\nFirst notes.\n"
    journal = make_journal(tmp_path / "journal", {"entries/2023-06-01-start.md": old})
    app = make_app(journal, clock=clock, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_dashboard(pilot)
        assert "7 entries" in _text(screen, "#dash-summary")
        heatmap = _text(screen, "#dash-heatmap")
        assert "Activity in the last 12 months, by entries" in heatmap
        assert "Foundations" in _text(screen, "#dash-phases")
        # Foundations: probability done of two leaves; three entries link it or a topic under it.
        assert "1/2 ·3" in _text(screen, "#dash-phases")
        await pilot.press("w")
        await pilot.pause()
        assert "by words" in _text(screen, "#dash-heatmap")
        await pilot.press("left")
        await pilot.pause()
        assert "Activity in 2023" in _text(screen, "#dash-heatmap")
        # Nothing is older than 2023: the dashboard says so instead of stepping into empty years.
        await pilot.press("left")
        await pilot.pause()
        assert "Activity in 2023" in _text(screen, "#dash-heatmap")
        await pilot.press("right")
        await pilot.pause()
        assert "last 12 months" in _text(screen, "#dash-heatmap")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


@pytest.mark.anyio
async def test_one_entry_this_week_reads_1_entry_not_1_entries(
    tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal], clock: Callable[[], datetime]
) -> None:
    only = "---\ntitle: The only one this week\ndate: 2024-05-01\n---\n\nWord.\n"  # the fixed clock's day
    journal = make_journal(tmp_path / "journal", {"entries/2024-05-01-only.md": only})
    app = make_app(journal, clock=clock, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_dashboard(pilot)
        assert "): 1 entry, 1 word" in _text(screen, "#dash-week")
        assert "streak 1 day (longest 1)" in _text(screen, "#dash-summary")


def test_dashboard_snapshot(snap_compare: Any, journal: Journal, clock: Callable[[], datetime]) -> None:
    async def open_it(pilot: Pilot[Any]) -> None:
        await _open_dashboard(pilot)
        await pilot.pause()

    app = make_app(journal, clock=clock, watch=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


@pytest.mark.anyio
async def test_phase_lines_show_minutes_only_when_entries_record_them(
    tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal], clock: Callable[[], datetime]
) -> None:
    timed = "---\ntitle: Timed\ndate: 2024-04-10\ntopics: [probability]\nminutes: 90\n---\n\nDrills.\n"
    journal = make_journal(tmp_path / "journal", {"entries/2024-04-10-timed.md": timed})
    async with make_app(journal, clock=clock, watch=False).run_test(size=(120, 40)) as pilot:
        phases = _text(await _open_dashboard(pilot), "#dash-phases")
        foundations = next(line for line in phases.splitlines() if line.startswith("Foundations"))
        deep = next(line for line in phases.splitlines() if line.startswith("Deep learning"))
        assert foundations.endswith("·4 1 h 30 min")
        assert deep.endswith("·1")  # no minutes recorded there: nothing shown
