"""The review queue screen (`R`): what it lists, opening an entry, marking reviewed, postponing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_snapshots import _ready
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.tui.app import make_app
from mljournal.tui.screens.main import MainScreen
from mljournal.tui.screens.review import ReviewScreen

# The fixture roadmap's `probability` is done; give it a day so it is due on the fixed clock (2024-05-01).
DONE_DAY = "        status: done\n        done: 2024-04-20\n"


@pytest.fixture
def review_journal(tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal]) -> Journal:
    journal = make_journal(tmp_path / "journal", {})
    text = journal.roadmap_path.read_text(encoding="utf-8")
    text = text.replace(
        "        title: Probability\n        status: done\n", "        title: Probability\n" + DONE_DAY
    )
    journal.roadmap_path.write_text(text, encoding="utf-8")
    return journal


async def _open_review(pilot: Pilot[Any]) -> ReviewScreen:
    await _ready(pilot)
    await pilot.press("R")
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if isinstance(screen, ReviewScreen) and screen.rows:
            return screen
    raise AssertionError("the review screen never listed its queue")


@pytest.mark.anyio
async def test_review_lists_due_and_stale_topics_and_opens_an_entry(
    review_journal: Journal, clock: Callable[[], datetime]
) -> None:
    app = make_app(review_journal, clock=clock, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_review(pilot)
        summary = str(screen.query_one("#review-summary", Static).render())
        # probability: done 04-20, due 04-23. linear-algebra: learning, last entry 02-03, quiet since.
        assert summary.startswith("1 due for review · 1 quiet for over 14 days")
        assert [(r.topic_id, r.path) for r in screen.rows] == [
            ("probability", None),
            ("probability", "entries/2024-02-14-probability.md"),
            ("linear-algebra", None),
            ("linear-algebra", "entries/2024-02-03-vectors.md"),
        ]
        await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        for _ in range(30):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if main.viewer.rendered_path == "entries/2024-02-14-probability.md":
                break
        assert main.viewer.rendered_path == "entries/2024-02-14-probability.md"


@pytest.mark.anyio
async def test_a_quiet_topic_in_learning_wears_the_learning_mark(
    review_journal: Journal, clock: Callable[[], datetime]
) -> None:
    # Everywhere else ◔ means "todo, with entries" and ◐ "learning"; the queue's quiet topics are learning.
    app = make_app(review_journal, clock=clock, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_review(pilot)
        options = screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(prompt.startswith("◐ Linear algebra") for prompt in prompts), prompts
        assert not any(prompt.startswith("◔") for prompt in prompts)


@pytest.mark.anyio
async def test_d_marks_reviewed_and_stale_topics_say_why_not(
    review_journal: Journal, clock: Callable[[], datetime]
) -> None:
    app = make_app(review_journal, clock=clock, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_review(pilot)
        await pilot.press("d")
        for _ in range(30):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if all(row.topic_id != "probability" for row in screen.rows):
                break
        roadmap, _ = load_roadmap(review_journal.roadmap_path)
        probability = roadmap.find("probability")
        assert probability is not None
        assert (probability.reviewed, probability.reviews) == ("2024-05-01", 1)
        assert [row.topic_id for row in screen.rows] == ["linear-algebra", "linear-algebra"]
        # A stale topic is in progress: nothing to mark, and the app says so.
        await pilot.press("d")
        await pilot.pause()
        assert any("still in progress" in str(n.message) for n in app._notifications)
        assert screen.query_one(OptionList).option_count == 2


def test_review_screen_snapshot(
    snap_compare: Any, review_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async def open_it(pilot: Pilot[Any]) -> None:
        await _open_review(pilot)
        await pilot.pause()

    app = make_app(review_journal, clock=clock, watch=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


@pytest.mark.anyio
async def test_an_entry_picked_under_a_search_that_leaves_it_out_still_opens(
    review_journal: Journal, clock: Callable[[], datetime]
) -> None:
    app = make_app(review_journal, clock=clock, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _ready(pilot)
        await pilot.press("slash", *"zzzz", "enter")
        await _ready(pilot)
        main = app.screen
        assert isinstance(main, MainScreen) and main.entry_list.total == 0
        await pilot.press("R")
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if isinstance(app.screen, ReviewScreen) and app.screen.rows:
                break
        await pilot.press("j", "enter")
        for _ in range(40):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if main.viewer.rendered_path == "entries/2024-02-14-probability.md" and main.entry_list.total:
                break
        assert main.viewer.rendered_path == "entries/2024-02-14-probability.md"
        assert main.search_text == "" and main.entry_list.total == 6
