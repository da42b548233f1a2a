"""The app shows inline `#tags` apart from the front-matter ones and never offers to remove them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_main_screen import app_for, settle
from textual.app import App
from textual.widgets import Input, Static

from mljournal.core.journal import Journal
from mljournal.tui.notes.tags import TagEditor, TagsChanged
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.navigator import Navigator
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio

INLINE = "entries/2024-04-20-inline.md"
INLINE_TEXT = """\
---
title: "Inline tags"
date: 2024-04-20
tags: [numpy]
---

Attention today: #transformers and #attention/heads, not `#code`.
"""


class EditorApp(App[None]):
    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(TagEditor(self.journal, INLINE, existing_tags=[]), self.results.append)


async def test_the_tag_editor_lists_inline_tags_apart_and_keeps_them(
    tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal]
) -> None:
    journal = make_journal(tmp_path / "j", {INLINE: INLINE_TEXT})
    path = journal.root / INLINE
    app = EditorApp(journal)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        field = app.screen.query_one("#tags-input", Input)
        assert field.value == "numpy, "  # only the front-matter's tags are offered for editing
        note = str(app.screen.query_one("#tags-inline", Static).render())
        assert "Inline in the text" in note and "#transformers" in note and "#attention/heads" in note
        field.value = "linear algebra, "
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [TagsChanged(INLINE, ("linear algebra",))]
    text = path.read_text(encoding="utf-8")
    assert "tags: [linear algebra]" in text
    assert text.endswith("Attention today: #transformers and #attention/heads, not `#code`.\n")


async def test_inline_tags_are_marked_in_the_card_and_listed_in_the_navigator(
    tmp_path: Path, clock: Callable[[], datetime], make_journal: Callable[[Path, dict[str, str]], Journal]
) -> None:
    journal = make_journal(tmp_path / "j", {INLINE: INLINE_TEXT})
    async with app_for(journal, clock).run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        assert screen.query_one(EntryList).select_path(INLINE)
        await settle(pilot)
        card = str(screen.query_one("#viewer-card").render())
        assert "#numpy" in card and "in the text: #transformers #attention/heads" in card
        assert screen.query_one(EntryViewer).rendered_path == INLINE
        assert screen.query_one(Navigator).select_key("tag:transformers")
        await pilot.pause()
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.total == 1 and entries.highlighted is not None and entries.highlighted.path == INLINE
