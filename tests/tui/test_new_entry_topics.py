"""The new-entry form refuses a topic id the roadmap doesn't have and names the id that was meant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Static

from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.tui.notes.new_entry import NewEntryScreen
from mljournal.tui.notes.topics import topics_of

pytestmark = pytest.mark.anyio


class FormApp(App[None]):
    def __init__(self, screen: NewEntryScreen) -> None:
        super().__init__()
        self.form = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.results.append)


async def test_a_misspelt_topic_is_refused_with_the_close_match(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    before = sorted(p.name for p in journal.entries_dir.iterdir())
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = FormApp(NewEntryScreen(journal, roadmap=roadmap, clock=clock, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        app.form.query_one("#new-title", Input).value = "Eigen things"
        app.form.query_one("#new-topics", Input).value = "linear-algbra"
        app.form.action_accept()
        await pilot.pause()
        assert app.screen is app.form
        error = str(app.form.query_one("#new-error", Static).render())
        assert error == "Not in the roadmap: linear-algbra (did you mean linear-algebra?)."
        assert app.form.query_one("#new-topics", Input).has_focus
    assert sorted(p.name for p in journal.entries_dir.iterdir()) == before


@pytest.mark.parametrize(
    ("value", "topics"),
    [
        (None, []),
        (["numpy", "linear-algebra"], ["numpy", "linear-algebra"]),
        ("numpy, linear-algebra", ["numpy", "linear-algebra"]),
        ("numpy linear-algebra", ["numpy", "linear-algebra"]),  # as the index reads it (was one odd id)
        (["#numpy", "NumPy"], ["numpy"]),
    ],
)
def test_the_topic_picker_reads_links_as_the_index_does(value: object, topics: list[str]) -> None:
    assert topics_of({"topics": value}) == topics
