"""A render cancelled by the next one must not take the app down (it did right after deleting an entry)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

import pytest

from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
from mljournal.tui.data import load_entry_view
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio


async def test_a_render_cancelled_at_any_step_leaves_the_app_running(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    app = make_app(journal, clock=clock, watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(20):
            await app.workers.wait_for_complete()
            await pilot.pause()
        viewer = app.screen.query_one(EntryViewer)
        views = [
            load_entry_view(journal, "entries/2024-02-03-vectors.md"),
            load_entry_view(journal, "entries/2024-01-08-plan.md"),
        ]
        # The second render cancels the first after `steps` turns of the event loop: somewhere in that range
        # the cancel lands while Markdown.update is removing the old blocks.
        for steps in range(16):
            viewer._render_view(views[steps % 2])
            for _ in range(steps):
                await asyncio.sleep(0)
            viewer._render_view(views[(steps + 1) % 2])
            for _ in range(5):
                await asyncio.sleep(0)
            assert app.is_running and app.return_code is None, f"the app quit (cancel after {steps} steps)"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert viewer.rendered_path == views[16 % 2].path
