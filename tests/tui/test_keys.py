"""The key table (`tui.keys`): each pane binds exactly its group's keys, and the palette is built from them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from textual.binding import Binding, BindingType

from mljournal.core.journal import Journal
from mljournal.tui import keys
from mljournal.tui.app import MLJournalApp
from mljournal.tui.screens.main import MainScreen
from mljournal.tui.widgets.contents import ContentsTree
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.navigator import Navigator
from mljournal.tui.widgets.search_bar import SearchBar
from mljournal.tui.widgets.viewer import EntryViewer


def test_each_class_binds_its_groups_keys() -> None:
    owners: list[tuple[list[BindingType], keys.KeyGroup]] = [
        (MLJournalApp.BINDINGS, keys.APP_KEYS),
        (MainScreen.BINDINGS, keys.MAIN_KEYS),
        (Navigator.BINDINGS, keys.NAVIGATOR_KEYS),
        (EntryList.BINDINGS, keys.ENTRY_LIST_KEYS),
        (SearchBar.BINDINGS, keys.SEARCH_KEYS),
        (EntryViewer.BINDINGS, keys.VIEWER_KEYS),
        (ContentsTree.BINDINGS, keys.CONTENTS_KEYS),
    ]
    for bindings, group in owners:
        assert group.bindings() == list(bindings), group.title


def test_binding_ids_are_unique() -> None:
    ids = [
        key.id for group in (*keys.HELP_GROUPS, keys.PALETTE_ONLY) for key in (*group.keys, *group.documented)
    ]
    assert len(ids) == len(set(ids))


def test_a_key_becomes_the_binding_textual_reads() -> None:
    key = keys.Key("main.back", "alt+left,backspace", "history(-1)", "Back", "Back again", show=False)
    assert key.binding() == Binding(
        "alt+left,backspace", "history(-1)", "Back", show=False, id="main.back", tooltip="Back again"
    )
    assert keys.key_names("alt+left,backspace") == ["alt+left", "backspace"]
    assert keys.key_names("question_mark") == ["?"]


def test_the_palette_titles_are_those_of_the_keys() -> None:
    titled = {key.palette for group in keys.PALETTE_GROUPS for key in group.keys if key.palette}
    for title in (
        "New entry",
        "Search",
        "Cycle topic status",
        "Table of contents",
        "Sync with git",
        "Undo delete",
    ):
        assert title in titled


@pytest.mark.anyio
async def test_the_palette_offers_undo_only_with_a_delete_to_undo(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    from mljournal.tui.app import make_app
    from mljournal.tui.dialogs.delete import DeletedEntry

    async with make_app(journal, clock=clock, watch=False).run_test(size=(140, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        commands = {command.title: command.help for command in screen.palette_commands()}
        assert "Undo delete" not in commands
        assert commands["New entry"] == "Write a new entry (n)"
        assert commands["Back"] == "Back to the entry you followed a link from (alt+left, backspace)"
        assert commands["Sync with git"] == "Commit, pull and push the journal (mljournal sync)"
        screen.entry_actions.last_deleted = DeletedEntry("entries/x.md", ".mljournal/trash/x.md")
        assert "Undo delete" in [command.title for command in screen.palette_commands()]
