"""Wikilinks and backlinks in the viewer: shown as links, offered by `f`, opened in the app, kept current."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from test_main_screen import SIZE, app_for, settle

from mljournal.core.journal import Journal
from mljournal.tui.data import load_entry_view
from mljournal.tui.dialogs.links import LinkPicker
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio

MakeJournal = Callable[[Path, dict[str, str]], Journal]
LINKING = "entries/2024-04-20-linking.md"
BACKPROP = "entries/2024-04-02-backprop.md"
LINKING_TEXT = """\
---
title: "Linking"
date: 2024-04-20
---

Read [[Backprop by hand|the backprop notes]] and [[Nothing here]].

`[[Backprop by hand]]` in code stays code.
"""


@pytest.fixture
def linked(tmp_path: Path, make_journal: MakeJournal) -> Journal:
    return make_journal(tmp_path / "linked", {LINKING: LINKING_TEXT})


def test_wikilinks_become_markdown_links_and_the_unresolved_are_marked(linked: Journal) -> None:
    view = load_entry_view(linked, LINKING)
    body = view.first + view.rest
    assert f"[the backprop notes](/{BACKPROP})" in body
    assert r"\[\[Nothing here\]\]?" in body
    assert "`[[Backprop by hand]]`" in body  # code is never rewritten


def test_backlinks_are_listed_as_links_at_the_end(linked: Journal) -> None:
    view = load_entry_view(linked, BACKPROP)
    assert view.backlinks == ((LINKING, "Linking"),)
    assert (view.first + view.rest).endswith(f"**Linked from**\n\n- [Linking](/{LINKING})\n")


async def test_f_offers_a_wikilink_and_opens_its_entry(
    linked: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(linked, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path(LINKING)
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        assert viewer.rendered_path == LINKING
        viewer.focus()
        await pilot.press("f")
        await pilot.pause()
        picker = pilot.app.screen
        assert isinstance(picker, LinkPicker)
        assert picker._links == [("the backprop notes", f"/{BACKPROP}")]
        await pilot.press("enter")
        await settle(pilot)
        assert viewer.rendered_path == BACKPROP
        # The way back: the backlink at the end of the entry, offered by `f` like any link.
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LinkPicker)
        assert pilot.app.screen._links == [("Linking", f"/{LINKING}")]
        await pilot.press("enter")
        await settle(pilot)
        assert viewer.rendered_path == LINKING


async def test_backlinks_follow_changes_seen_by_the_watcher(
    linked: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(linked, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path(BACKPROP)
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        assert viewer.rendered_path == BACKPROP
        assert "Linked from" in viewer.markdown.source
        # The linking entry drops its link: the shown entry (not itself changed) loses its backlink.
        linking = linked.root / LINKING
        linking.write_text(LINKING_TEXT.replace("[[Backprop by hand|the backprop notes]]", "x"))
        screen.handle_file_changes([linking])
        await settle(pilot)
        assert viewer.rendered_path == BACKPROP
        assert "Linked from" not in viewer.markdown.source
        # A new entry links to it: listed again.
        new = linked.root / "entries" / "2024-04-25-more.md"
        new.write_text("---\ntitle: More\n---\nAgain [[2024-04-02-backprop]].\n", encoding="utf-8")
        screen.handle_file_changes([new])
        await settle(pilot)
        assert "- [More](/entries/2024-04-25-more.md)" in viewer.markdown.source


def test_a_hostile_title_in_the_backlinks_stays_text(tmp_path: Path, make_journal: MakeJournal) -> None:
    hostile = "entries/2024-04-21-hostile-link.md"
    journal = make_journal(
        tmp_path / "hostile",
        {
            hostile: '---\ntitle: "[evil](https://example.com) *loud* <b>x</b> \\e[31m"\n---\n[[Backprop by hand]]\n'
        },
    )
    view = load_entry_view(journal, BACKPROP)
    listed = (view.first + view.rest).split("**Linked from**", 1)[1]
    assert listed == (
        f"\n\n- [\\[evil\\]\\(https://example.com\\) \\*loud\\* \\<b\\>x\\</b\\> \\[31m](/{hostile})\n"
    )
    # Only the entry is a link: the title's own "link" is text.
    from mljournal.tui.text import markdown_links

    assert [href for _label, href in markdown_links(listed)] == [f"/{hostile}"]


async def test_a_raw_wikilink_from_the_picker_is_resolved_by_the_index(
    linked: Journal, clock: Callable[[], datetime]
) -> None:
    """A wikilink the viewer did not rewrite (a body too long to parse) reaches the picker as `[[target]]`."""
    async with app_for(linked, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path(LINKING)
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        viewer.follow("[[Nothing here]]")
        await settle(pilot)
        assert viewer.rendered_path == LINKING
        assert any("Not an entry in this journal" in n.message for n in pilot.app._notifications)
        viewer.follow("[[Backprop by hand]]")
        await settle(pilot)
        assert viewer.rendered_path == BACKPROP
