"""Pilot tests: the built-in editor can't hurt an entry.

The cursor starts in the body, saves that would lose the front-matter ask first, every quit asks while a
screen holds unsaved work, fast typing lands in the right field, new entries drop empty template headings,
deletes can be undone, and a reload of their version is not called "saved".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from mljournal.core.frontmatter.read import parse_document
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.tui.app import MLJournalApp, make_app
from mljournal.tui.dialogs.choice import ConflictDialog
from mljournal.tui.dialogs.delete import ConfirmDelete
from mljournal.tui.dialogs.lossy_edit import LossyEditDialog
from mljournal.tui.dialogs.quit import QuitDialog
from mljournal.tui.notes.editor import EditorScreen, SavedEntry
from mljournal.tui.notes.new_entry import NewEntryScreen
from mljournal.tui.notes.tags import TagEditor
from mljournal.tui.notes.topics import TopicPicker, TopicTree
from mljournal.tui.screens.main import MainScreen

pytestmark = pytest.mark.anyio

REGRESSION = "entries/2024-03-09-regression.md"
SIZE = (140, 40)

TOML_ENTRY = """\
+++
title = "Gradient checks"
date = 2024-04-10
tags = ["debugging"]
+++

Compare the analytic gradient with a numeric one.
"""

JSON_ENTRY = """\
{
  "title": "Learning rate schedules",
  "date": "2024-04-11",
  "tags": ["optimisation"]
}

Warm-up, then cosine decay.
"""


class ScreenApp(App[None]):
    """Pushes one screen at start and records what it dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


async def settle(pilot: Pilot[None]) -> MainScreen:
    """Wait until the main screen has its list and navigator and no worker is running."""
    app = pilot.app
    for _ in range(60):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        idle = not any(worker.is_running for worker in app.workers)
        if isinstance(screen, MainScreen) and screen.ready and idle:
            return screen
    raise AssertionError("the main screen never became ready")


async def wait_idle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_editor_loaded(pilot: Pilot[None]) -> EditorScreen:
    await wait_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    assert not screen.text_area.read_only
    return screen


def app_for(journal: Journal, clock: Callable[[], datetime]) -> MLJournalApp:
    return make_app(journal, clock=clock, watch=False)


def type_in_one_burst(app: App[Any], keys: Iterable[str]) -> None:
    """Queue key events the way a terminal delivers fast typing: all at once, with no pause in between.

    `pilot.press` waits for the app to go idle after every key, which hides races between keys.
    """
    driver = app._driver
    assert driver is not None
    for key in keys:
        if key == "tab":
            event = events.Key("tab", "\t")
        else:
            assert len(key) == 1 and key.isalnum(), "only letters, digits and tab in a burst"
            event = events.Key(key, key)
        event.set_sender(app)
        driver.send_message(event)


def title_line(screen: Screen[Any]) -> str:
    return str(screen.query_one("#editor-title", Static).render())


# -- the cursor starts in the body -----------------------------------------------------------------------------


async def test_e_puts_the_cursor_in_the_body_so_typing_keeps_the_front_matter(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        main = await settle(pilot)
        row = main.entry_list.highlighted
        assert row is not None
        path = journal.root / row.path
        before = parse_document(path.read_bytes())
        await pilot.press("e")
        editor = await wait_editor_loaded(pilot)
        await pilot.press(*"Typed at once")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert not editor.modified
        assert not isinstance(pilot.app.screen, LossyEditDialog)
    after = parse_document(path.read_bytes())
    assert after.metadata == before.metadata
    assert after.front_matter_text == before.front_matter_text
    assert after.body == "Typed at once" + before.body


@pytest.mark.parametrize(
    ("name", "text", "body_line"),
    [("toml.md", TOML_ENTRY, 5), ("json.md", JSON_ENTRY, 5)],
)
async def test_the_cursor_starts_after_toml_and_json_front_matter(
    make_journal: Callable[[Path, dict[str, str]], Journal],
    tmp_path: Path,
    name: str,
    text: str,
    body_line: int,
) -> None:
    relpath = f"entries/{name}"
    journal = make_journal(tmp_path / "journal", {relpath: text})
    app = ScreenApp(lambda: EditorScreen(journal, relpath, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        assert editor.text_area.cursor_location == (body_line, 0)
        await pilot.press(*"Noted")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
    saved = parse_document((journal.root / relpath).read_bytes())
    assert saved.metadata == parse_document(text.encode()).metadata
    assert saved.body.startswith("Noted")


# -- the usual editor keys -------------------------------------------------------------------------------------


async def test_ctrl_home_and_ctrl_end_go_to_the_start_and_end_of_the_file(journal: Journal) -> None:
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        area = editor.text_area
        await pilot.press("ctrl+end")
        assert area.cursor_location == area.document.end
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+shift+end")
        assert area.selected_text == area.text
        await pilot.press("ctrl+shift+home")
        assert area.selected_text == ""
        assert area.cursor_location == (0, 0)
        # The usual TextArea keys still reach it: nothing in the screen or the app swallows them.
        before = area.text
        await pilot.press("ctrl+end", *"xyz", "ctrl+z")
        await pilot.pause()
        assert area.text == before
        await pilot.press("ctrl+y")
        assert area.text.endswith("xyz")
        await pilot.press("shift+left", "shift+left")
        assert area.selected_text == "yz"
        await pilot.press("ctrl+a")
        assert area.cursor_location[1] == 0


# -- saves that would lose the front-matter ask first ------------------------------------------------------------


async def test_text_typed_above_the_front_matter_asks_before_saving(journal: Journal) -> None:
    path = journal.root / REGRESSION
    original = path.read_bytes()
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        await pilot.press("ctrl+home", *"oops", "enter")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LossyEditDialog)
        shown = " ".join(str(widget.render()) for widget in dialog.query(Static))
        assert "title" in shown and "regression" in shown
        assert path.read_bytes() == original
        # Go back: nothing written, the text is still there to fix.
        await pilot.press("b")
        await wait_idle(pilot)
        assert app.screen is editor
        assert editor.modified
        assert path.read_bytes() == original
        # Save anyway writes exactly what the user has.
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert isinstance(app.screen, LossyEditDialog)
        await pilot.press("s")
        await wait_idle(pilot)
        assert app.screen is editor
        assert not editor.modified
    assert path.read_bytes() == b"oops\n" + original


async def test_dropping_the_tags_or_breaking_the_yaml_asks_before_saving(journal: Journal) -> None:
    path = journal.root / REGRESSION
    original = path.read_text(encoding="utf-8")
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        editor.text_area.load_text(original.replace("tags: [regression, numpy, deep learning]\n", ""))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LossyEditDialog)
        assert "tags (regression, numpy, deep learning)" in " ".join(
            str(widget.render()) for widget in dialog.query(Static)
        )
        await pilot.press("escape")
        await wait_idle(pilot)
        editor.text_area.load_text(original.replace("date: 2024-03-09", "date: [2024-03-09"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert isinstance(app.screen, LossyEditDialog)
        await pilot.press("b")
        await wait_idle(pilot)
        # Changing a tag is an ordinary edit: no question.
        editor.text_area.load_text(original.replace("numpy, ", ""))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert app.screen is editor
        assert not editor.modified
    assert path.read_text(encoding="utf-8") == original.replace("numpy, ", "")


# -- quitting with unsaved work asks ----------------------------------------------------------------------------


async def test_ctrl_q_in_the_editor_with_unsaved_changes_asks(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        main = await settle(pilot)
        row = main.entry_list.highlighted
        assert row is not None
        before = (journal.root / row.path).read_bytes()
        await pilot.press("e")
        editor = await wait_editor_loaded(pilot)
        await pilot.press(*"unsaved words")
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, QuitDialog)
        assert any(row.path in name for name in dialog.unsaved)
        # A second ctrl+q while asking doesn't quit behind the question.
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert pilot.app.screen is dialog and pilot.app.return_code is None
        await pilot.press("b")
        await pilot.pause()
        assert pilot.app.screen is editor
        assert pilot.app.return_code is None
        assert "unsaved words" in editor.text_area.text
        # The palette's Quit and the app's quit action go the same way.
        await pilot.app.run_action("app.quit")
        await pilot.pause()
        assert isinstance(pilot.app.screen, QuitDialog)
        await pilot.press("d")
        await pilot.pause()
        assert pilot.app.return_code == 0
    assert (journal.root / row.path).read_bytes() == before


async def test_quit_without_unsaved_work_quits_at_once(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_editor_loaded(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert pilot.app.return_code == 0


async def test_q_with_an_unsaved_new_entry_form_asks(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_idle(pilot)
        form = pilot.app.screen
        assert isinstance(form, NewEntryScreen)
        assert not form.has_unsaved_changes()  # the defaults alone are nothing to lose
        await pilot.press(*"Half a title")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, QuitDialog)
        assert pilot.app.screen.unsaved == ["the new entry form"]
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is form
        assert form.query_one("#new-title", Input).value == "Half a title"
        assert pilot.app.return_code is None
        # Once the editor holds the new entry, the question names the editor (once), not the form.
        await pilot.press("enter")
        editor = await wait_editor_loaded(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, QuitDialog)
        assert dialog.unsaved == [editor.unsaved_work_name()]
        await pilot.press("d")
        await pilot.pause()
        assert pilot.app.return_code == 0
    assert not list(journal.entries_dir.glob("2024-05-01-*"))


async def test_quit_with_unsaved_tags_or_topics_asks(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await wait_idle(pilot)
        tags = pilot.app.screen
        assert isinstance(tags, TagEditor)
        await pilot.press(*"newtag")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, QuitDialog)
        await pilot.press("b")
        await pilot.pause()
        assert pilot.app.screen is tags
        await pilot.press("escape")  # the tag editor's own cancel, without asking
        await wait_idle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        await pilot.press("o")
        await wait_idle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, TopicPicker)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert pilot.app.return_code == 0  # nothing toggled: quits at once


async def test_quit_with_a_toggled_topic_asks(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await wait_idle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, TopicPicker)
        picker.query_one(TopicTree).action_toggle_mark()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, QuitDialog)
        assert pilot.app.return_code is None


# -- fast typing in the new-entry form ----------------------------------------------------------------------------


async def test_title_tab_tags_typed_in_one_burst_land_in_their_fields(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(
        lambda: NewEntryScreen(
            journal, existing_tags=["numpy"], roadmap=roadmap, clock=clock, highlight=False
        )
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        type_in_one_burst(app, [*"title", "tab", *"tags", "tab", *"backprop", "tab", "tab"])
        await wait_idle(pilot)
        form = app.screen
        assert form.query_one("#new-title", Input).value == "title"
        assert form.query_one("#new-tags", Input).value == "tags"
        assert form.query_one("#new-topics", Input).value == "backprop"
        # Two more tabs went past the date to the template choice.
        assert form.focused is form.query_one("#new-template")


# -- new entries drop the template's empty headings ---------------------------------------------------------------


async def test_a_new_entry_keeps_only_the_headings_that_were_written_under(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    app = ScreenApp(lambda: NewEntryScreen(journal, existing_tags=[], clock=clock, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"Sparse notes", "enter")
        editor = await wait_editor_loaded(pilot)
        text = editor.text_area.text
        row = text.split("\n").index("## What I learned") + 1
        editor.text_area.move_cursor((row, 0))
        await pilot.press(*"Attention is a weighted average")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert not editor.modified
        relpath = "entries/2024-05-01-sparse-notes.md"
        # The editor shows what the file holds, so a later save doesn't bring the headings back.
        assert editor.text_area.text == (journal.root / relpath).read_text(encoding="utf-8")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [SavedEntry(relpath, created=True)]
    document = parse_document((journal.root / relpath).read_bytes())
    assert document.metadata["title"] == "Sparse notes"
    assert document.body == "\n## What I learned\nAttention is a weighted average\n"


async def test_editing_an_existing_entry_keeps_its_empty_headings(journal: Journal) -> None:
    relpath = "entries/2024-03-09-regression.md"
    path = journal.root / relpath
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n## Next\n\n", encoding="utf-8")
    app = ScreenApp(lambda: EditorScreen(journal, relpath, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_editor_loaded(pilot)
        await pilot.press(*"More")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
    assert path.read_text(encoding="utf-8").endswith("\n## Next\n\n")


# -- delete and undo ---------------------------------------------------------------------------------------------


def indexed(journal: Journal, relpath: str) -> bool:
    with Index(journal) as index:
        return index.entry_row(relpath) is not None


async def test_u_right_after_a_delete_restores_the_entry(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        main = await settle(pilot)
        assert main.check_action("undo_delete", ()) is False  # nothing to undo: not in the footer
        row = main.entry_list.highlighted
        assert row is not None
        original = (journal.root / row.path).read_bytes()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDelete)
        await pilot.press("y")
        await settle(pilot)
        assert not (journal.root / row.path).exists()
        assert not indexed(journal, row.path)
        assert main.check_action("undo_delete", ()) is True
        await pilot.press("u")
        await settle(pilot)
        assert (journal.root / row.path).read_bytes() == original
        assert indexed(journal, row.path)
        assert main.entry_list.highlighted is not None
        assert main.entry_list.highlighted.path == row.path
        assert main.check_action("undo_delete", ()) is False
        assert not list((journal.root / ".mljournal" / "trash").rglob("*.md"))


async def test_undo_never_overwrites_a_file_that_took_the_name(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        main = await settle(pilot)
        row = main.entry_list.highlighted
        assert row is not None
        original = (journal.root / row.path).read_bytes()
        await pilot.press("D", "y")
        await settle(pilot)
        newcomer = b"---\ntitle: Someone else\n---\nNew text.\n"
        (journal.root / row.path).write_bytes(newcomer)
        await pilot.press("u")
        await settle(pilot)
    path = journal.root / row.path
    assert path.read_bytes() == newcomer
    assert path.with_name(f"{path.stem}-restored{path.suffix}").read_bytes() == original


# -- reload theirs ------------------------------------------------------------------------------------------------


async def test_after_reload_theirs_the_editor_does_not_say_saved(journal: Journal) -> None:
    path = journal.root / REGRESSION
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        path.write_text("---\ntitle: Theirs\n---\ntheir text\n", encoding="utf-8")
        await pilot.press(*"mine")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("r")
        editor = await wait_editor_loaded(pilot)
        assert editor.text_area.text == "---\ntitle: Theirs\n---\ntheir text\n"
        assert not editor.modified
        title = title_line(editor)
        assert "saved" not in title
        assert "reloaded" in title
        # A real save afterwards says saved again.
        await pilot.press(*"more ")
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        assert title_line(editor).endswith("saved")


async def test_save_and_quit_from_the_editor_saves_then_quits(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        main = await settle(pilot)
        row = main.entry_list.highlighted
        assert row is not None
        await pilot.press("e")
        await wait_editor_loaded(pilot)
        await pilot.press(*"Keep these words")
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, QuitDialog) and dialog.can_save
        await pilot.press("s")
        await wait_idle(pilot)
        assert pilot.app.return_code == 0
    assert "Keep these words" in (journal.root / row.path).read_text(encoding="utf-8")


async def test_save_and_quit_stays_when_the_save_would_lose_the_front_matter(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        main = await settle(pilot)
        row = main.entry_list.highlighted
        assert row is not None
        path = journal.root / row.path
        original = path.read_bytes()
        app = pilot.app
        await pilot.press("e")
        editor = await wait_editor_loaded(pilot)
        await pilot.press("ctrl+home", *"oops")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")
        await wait_idle(pilot)
        assert isinstance(app.screen, LossyEditDialog)
        await pilot.press("b")
        await wait_idle(pilot)
        assert app.screen is editor
        assert app.return_code is None
        # The next plain save must not quit: the quit was called off with the question.
        await pilot.press("backspace", "backspace", "backspace", "backspace", "ctrl+s")
        await wait_idle(pilot)
        assert app.return_code is None
        assert not editor.modified
    assert path.read_bytes() == original


async def test_the_new_entry_form_alone_offers_no_save_on_quit(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Draft title", "ctrl+q")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, QuitDialog) and not dialog.can_save
        await pilot.press("s")
        await pilot.pause()
        assert pilot.app.screen is dialog and pilot.app.return_code is None
