"""SVG snapshots of the new-entry form and the editor, on the fixture journal with a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.tui.notes.editor import EditorScreen
from mljournal.tui.notes.new_entry import NewEntryScreen


class ScreenApp(App[None]):
    """Shows one screen on an otherwise empty app."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_new_entry_form(snap_compare: Any, journal: Journal, clock: Callable[[], datetime]) -> None:
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(
        lambda: NewEntryScreen(
            journal,
            existing_tags=["numpy", "deep learning"],
            roadmap=roadmap,
            topic="linear-algebra",
            clock=clock,
            highlight=False,
        )
    )

    async def fill_in(pilot: Pilot[Any]) -> None:
        await pilot.press(*"Eigenvalues, intuitively", "tab", "n", "u")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=fill_in)


def test_editor(snap_compare: Any, journal: Journal) -> None:
    app = ScreenApp(lambda: EditorScreen(journal, "entries/2024-02-03-vectors.md", highlight=False))

    async def edit(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, EditorScreen)
        screen.text_area.insert("A new first line. ")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=edit)
