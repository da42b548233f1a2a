"""SVG snapshots of the main screen and the help screen on the fixture journal, with a fixed clock and size.

Regenerate with `.venv/bin/pytest tests/tui --snapshot-update` and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.pilot import Pilot

from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
from mljournal.tui.screens.main import MainScreen


async def _ready(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        if isinstance(screen, MainScreen) and screen.ready and not any(w.is_running for w in app.workers):
            viewer_path = screen.viewer.rendered_path
            if viewer_path is not None and screen.viewer.painted_path == viewer_path:
                break
    # Let call_after_refresh callbacks (the navigator restores its cursor in one) run before the picture.
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def test_main_screen(snap_compare: Any, journal: Journal, clock: Callable[[], datetime]) -> None:
    app = make_app(journal, clock=clock, watch=False)
    assert snap_compare(app, terminal_size=(140, 36), run_before=_ready)


def test_main_screen_narrow_filtered(
    snap_compare: Any, journal: Journal, clock: Callable[[], datetime]
) -> None:
    async def filtered(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        screen.navigator.select_key("topic:foundations")
        await pilot.pause()
        await _ready(pilot)
        screen.entry_list.focus()
        await pilot.press("j")
        await _ready(pilot)

    app = make_app(journal, clock=clock, watch=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=filtered)


def test_help_screen(snap_compare: Any, journal: Journal, clock: Callable[[], datetime]) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()

    app = make_app(journal, clock=clock, watch=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_help)
