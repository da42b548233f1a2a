"""Pilot tests and a snapshot of topic pages in the app: a roadmap topic highlighted in the navigator shows its
page in the viewer; its entry links open entries; `m` marks one of its resources done in roadmap.yaml."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_main_screen import SIZE, app_for, settle
from textual.pilot import Pilot

from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
from mljournal.tui.dialogs.links import LinkPicker
from mljournal.tui.dialogs.resources import ResourcePicker
from mljournal.tui.screens.main import MainScreen

pytestmark = pytest.mark.anyio

LINEAR_ALGEBRA = """\
      - id: linear-algebra
        title: Linear algebra
        status: learning
"""
WITH_NOTES_AND_RESOURCES = """\
      - id: linear-algebra
        title: Linear algebra
        status: learning
        notes: |
          Work through **chapter 2** before deep learning.
        resources:
          - title: Essence of linear algebra
            url: https://example.com/essence
            status: learning  # watching on weekends
          - title: The matrix cookbook
            status: todo
"""


@pytest.fixture
def topic_journal(tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal]) -> Journal:
    """The fixture journal with notes and resources on `linear-algebra` (the roadmap's comment must survive)."""
    journal = make_journal(tmp_path / "journal", {})
    text = journal.roadmap_path.read_text(encoding="utf-8")
    assert LINEAR_ALGEBRA in text
    journal.roadmap_path.write_text(text.replace(LINEAR_ALGEBRA, WITH_NOTES_AND_RESOURCES), encoding="utf-8")
    return journal


async def read_topic(pilot: Pilot[None], topic_id: str) -> MainScreen:
    """Focus the navigator on `topic_id` and wait for its page."""
    screen = await settle(pilot)
    navigator = screen.navigator
    navigator.focus()
    assert navigator.select_key(f"topic:{topic_id}")
    for _ in range(40):
        screen = await settle(pilot)
        if screen.viewer.rendered_topic == topic_id:
            return screen
    raise AssertionError(f"the page of {topic_id} never showed")


async def test_highlighting_a_topic_shows_its_page(
    topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(topic_journal, clock).run_test(size=SIZE) as pilot:
        screen = await read_topic(pilot, "linear-algebra")
        source = screen.viewer.markdown.source
        assert "# Linear algebra" in source
        assert "Work through **chapter 2** before deep learning." in source
        assert "[Vectors and matrices](</entries/2024-02-03-vectors.md>)" in source
        assert "[Essence of linear algebra](<https://example.com/essence>) (learning)" in source
        assert screen.viewer.path is None
        assert screen.viewer.border_title == "Topic"
        # Back in the list, the highlighted entry shows again.
        await pilot.press("tab")  # navigator → viewer while a page is shown
        assert screen.focused is screen.viewer
        await pilot.press("shift+tab")
        screen = await settle(pilot)
        assert screen.focused is screen.entry_list
        assert screen.viewer.topic_id is None
        assert screen.viewer.border_title == "Entry"
        highlighted = screen.entry_list.highlighted
        assert highlighted is not None and screen.viewer.rendered_path == highlighted.path


async def test_moving_to_a_tag_in_the_navigator_shows_entries_again(
    topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(topic_journal, clock).run_test(size=SIZE) as pilot:
        screen = await read_topic(pilot, "probability")
        assert "Probability refresher" in screen.viewer.markdown.source
        assert screen.navigator.select_key("tag:numpy")
        for _ in range(10):
            screen = await settle(pilot)
        assert screen.viewer.topic_id is None
        assert screen.viewer.rendered_path == "entries/2024-03-09-regression.md"


async def test_following_an_entry_link_from_the_page_opens_the_entry(
    topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(topic_journal, clock).run_test(size=SIZE) as pilot:
        screen = await read_topic(pilot, "foundations")
        await pilot.press("tab")
        assert screen.focused is screen.viewer
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LinkPicker)
        # The picker lists the page's links in order; the first is the newest linked entry.
        await pilot.press("enter")
        screen = await settle(pilot)
        assert screen.viewer.topic_id is None
        assert screen.viewer.rendered_path == "entries/2024-02-14-probability.md"
        highlighted = screen.entry_list.highlighted
        assert highlighted is not None and highlighted.path == "entries/2024-02-14-probability.md"
        # Back returns to the page the link was followed from, forward to the entry again.
        await pilot.press("backspace")
        for _ in range(5):
            screen = await settle(pilot)
        assert screen.viewer.rendered_topic == "foundations"
        await pilot.press("alt+right")
        for _ in range(5):
            screen = await settle(pilot)
        assert screen.viewer.topic_id is None
        assert screen.viewer.rendered_path == "entries/2024-02-14-probability.md"


async def test_m_marks_a_resource_done_in_place(
    topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(topic_journal, clock).run_test(size=SIZE) as pilot:
        screen = await read_topic(pilot, "linear-algebra")
        before = topic_journal.roadmap_path.read_text(encoding="utf-8")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResourcePicker)
        await pilot.press("j", "enter")  # the second: The matrix cookbook
        for _ in range(10):
            screen = await settle(pilot)
        expected = before.replace(
            "          - title: The matrix cookbook\n            status: todo\n",
            "          - title: The matrix cookbook\n            status: done\n",
        )
        assert expected != before
        assert topic_journal.roadmap_path.read_text(encoding="utf-8") == expected
        # The page is read again and shows the new status.
        assert "The matrix cookbook (done)" in screen.viewer.markdown.source
        assert screen.navigator.has_focus


async def test_m_refuses_when_roadmap_yaml_changed_while_the_picker_was_open(
    topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(topic_journal, clock).run_test(size=SIZE) as pilot:
        await read_topic(pilot, "linear-algebra")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ResourcePicker)
        # Another program puts a new resource first while the picker is open (the watcher is off here).
        changed = topic_journal.roadmap_path.read_text(encoding="utf-8").replace(
            "          - title: Essence of linear algebra",
            "          - title: A new first book\n          - title: Essence of linear algebra",
        )
        topic_journal.roadmap_path.write_text(changed, encoding="utf-8")
        await pilot.press("enter")  # the first as the picker listed it: Essence of linear algebra
        for _ in range(5):
            await settle(pilot)
        assert topic_journal.roadmap_path.read_text(encoding="utf-8") == changed
        assert any("changed meanwhile" in n.message for n in pilot.app._notifications)


async def test_m_on_a_topic_without_resources_says_so(
    topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(topic_journal, clock).run_test(size=SIZE) as pilot:
        await read_topic(pilot, "backprop")
        before = topic_journal.roadmap_path.read_bytes()
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ResourcePicker)
        assert topic_journal.roadmap_path.read_bytes() == before


def test_topic_page_snapshot(
    snap_compare: Any, topic_journal: Journal, clock: Callable[[], datetime]
) -> None:
    async def on_topic(pilot: Pilot[Any]) -> None:
        await read_topic(pilot, "linear-algebra")
        await pilot.pause()

    app = make_app(topic_journal, clock=clock, watch=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=on_topic)
