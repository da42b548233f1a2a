"""Pilot tests of note taking: new entry, edit and save, unsaved changes, conflicts, tags, topics, delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static

from mljournal.core.frontmatter.read import parse_document
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.tui.dialogs.choice import ConflictDialog, UnsavedChangesDialog
from mljournal.tui.dialogs.delete import ConfirmDelete, DeletedEntry
from mljournal.tui.notes import external_editor as editor_module
from mljournal.tui.notes.editor import EditorScreen, SavedEntry
from mljournal.tui.notes.external_editor import edit_entry_externally, editor_command
from mljournal.tui.notes.new_entry import NewEntryScreen, parse_date_field
from mljournal.tui.notes.tags import TagEditor, TagsChanged
from mljournal.tui.notes.topics import TopicPicker, TopicsChanged, TopicTree

pytestmark = pytest.mark.anyio

REGRESSION = "entries/2024-03-09-regression.md"
HOSTILE = "entries/2024-03-20-hostile.md"


class ScreenApp(App[None]):
    """Pushes one screen at start and records what it dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


def index_row(journal: Journal, relpath: str) -> Any:
    with Index(journal) as index:
        return index.entry_row(relpath)


async def wait_editor_loaded(pilot: Any) -> EditorScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    assert not screen.text_area.read_only
    return screen


# -- new entry -------------------------------------------------------------------------------------------------


async def test_new_entry_flow_creates_indexes_and_returns_the_entry(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
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
    async with app.run_test(size=(100, 30)) as pilot:
        form = app.screen
        assert isinstance(form, NewEntryScreen)
        assert form.query_one("#new-topics", Input).value == "linear-algebra"
        assert form.query_one("#new-date", Input).value == "2024-05-01 09:30"
        # Tags complete from the existing ones; → accepts the completion.
        form.query_one("#new-tags", Input).focus()
        await pilot.press("n", "u", "right", ",", "space", "d", "e", "right")
        await pilot.pause()
        assert form.query_one("#new-tags", Input).value == "numpy, deep learning"
        form.query_one("#new-title", Input).focus()
        await pilot.press(*"Eigen things")
        await pilot.press("enter")
        editor = await wait_editor_loaded(pilot)
        assert editor.modified  # a new entry counts as unsaved until its first save
        assert "## What I learned" in editor.text_area.text
        editor.text_area.insert("Eigenvectors keep their direction.\n")
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not editor.modified
        relpath = "entries/2024-05-01-eigen-things.md"
        doc = parse_document((journal.root / relpath).read_bytes())
        assert doc.metadata["title"] == "Eigen things"
        assert doc.metadata["tags"] == ["numpy", "deep learning"]
        assert doc.metadata["topics"] == ["linear-algebra"]
        assert "Eigenvectors keep their direction." in doc.body
        row = index_row(journal, relpath)
        assert row is not None and row.title == "Eigen things"
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [SavedEntry(relpath, created=True)]


async def test_new_entry_title_is_required_and_cancel_writes_nothing(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    before = sorted(p.name for p in journal.entries_dir.iterdir())
    app = ScreenApp(lambda: NewEntryScreen(journal, clock=clock, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewEntryScreen)
        assert "title is needed" in str(app.screen.query_one("#new-error", Static).render())
        await pilot.press(*"Throwaway", "enter")
        await wait_editor_loaded(pilot)
        # Leaving an unsaved new entry asks; "discard" leaves no file behind.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("d")
        await pilot.pause()
    assert app.results == [None]
    assert sorted(p.name for p in journal.entries_dir.iterdir()) == before


def test_parse_date_field() -> None:
    now = datetime(2024, 5, 1, 9, 30, 17).astimezone()
    assert parse_date_field("2024-05-01 09:30", now) == now
    assert parse_date_field("", now) == now
    assert parse_date_field("2023-12-24", now) == datetime(2023, 12, 24).date()
    parsed = parse_date_field("2023-12-24 18:05", now)
    assert isinstance(parsed, datetime) and parsed.hour == 18 and parsed.tzinfo == now.tzinfo
    assert parse_date_field("yesterday", now) is None


# -- editing ---------------------------------------------------------------------------------------------------


async def test_edit_and_save_keeps_the_front_matter_and_reindexes(journal: Journal) -> None:
    path = journal.root / REGRESSION
    original = path.read_text(encoding="utf-8")
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        assert editor.text_area.text == original
        assert not editor.modified
        title = str(editor.query_one("#editor-title", Static).render())
        assert REGRESSION in title and "saved" in title
        editor.text_area.move_cursor(editor.text_area.document.end)
        await pilot.press(*"Closed form wins for small data.")
        assert editor.modified
        assert "modified" in str(editor.query_one("#editor-title", Static).render())
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not editor.modified
        assert path.read_text(encoding="utf-8") == original + "Closed form wins for small data."
        with Index(journal) as index:
            assert index.search("closed form").total == 1
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [SavedEntry(REGRESSION)]


async def test_escape_with_unsaved_changes_asks_and_go_back_keeps_the_text(journal: Journal) -> None:
    path = journal.root / REGRESSION
    original = path.read_bytes()
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        editor.text_area.insert("draft words ")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is editor
        # The editor opens with the cursor at the body start, under the front-matter.
        head, _fence, body = original.partition(b"---\n\n")
        expected = head + b"---\ndraft words \n" + body
        assert editor.text_area.text == expected.decode()
        assert path.read_bytes() == original
        # Now choose "save": it writes and closes.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [SavedEntry(REGRESSION)]
    assert path.read_bytes() == expected


async def test_escape_and_discard_leaves_the_file_alone(journal: Journal) -> None:
    path = journal.root / REGRESSION
    original = path.read_bytes()
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        editor.text_area.insert("not wanted")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    assert app.results == [None]
    assert path.read_bytes() == original


async def test_conflict_keep_both_saves_a_copy_and_leaves_theirs(journal: Journal) -> None:
    path = journal.root / REGRESSION
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        path.write_text("their version\n", encoding="utf-8")
        editor.text_area.insert("my version ")
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert path.read_text(encoding="utf-8") == "their version\n"
        await pilot.press("k")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is editor
        copy = editor.relpath
        assert copy is not None and copy.startswith("entries/2024-03-09-regression-conflict-")
        assert "---\nmy version \nGradient descent" in (journal.root / copy).read_text(encoding="utf-8")
        assert path.read_text(encoding="utf-8") == "their version\n"
        assert not editor.modified
        assert index_row(journal, copy) is not None
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [SavedEntry(copy)]


async def test_conflict_reload_takes_theirs_and_overwrite_takes_mine(journal: Journal) -> None:
    path = journal.root / REGRESSION
    app = ScreenApp(lambda: EditorScreen(journal, REGRESSION, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        path.write_text("theirs 1\n", encoding="utf-8")
        editor.text_area.insert("mine ")
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r")
        await wait_editor_loaded(pilot)
        assert editor.text_area.text == "theirs 1\n"
        assert not editor.modified
        # Another outside change, and this time overwrite it.
        path.write_text("theirs 2\n", encoding="utf-8")
        editor.text_area.insert("mine ")
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == "mine theirs 1\n"
        # Cancel leaves both sides alone.
        path.write_text("theirs 3\n", encoding="utf-8")
        editor.text_area.insert("more ")
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor
        assert editor.modified
        assert path.read_text(encoding="utf-8") == "theirs 3\n"


async def test_non_utf8_file_opens_read_only(journal: Journal) -> None:
    path = journal.entries_dir / "latin.md"
    path.write_bytes("---\ntitle: caf\xe9\n---\nna\xefve\n".encode("latin-1"))
    app = ScreenApp(lambda: EditorScreen(journal, "entries/latin.md", highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert editor.text_area.read_only
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert path.read_bytes() == "---\ntitle: caf\xe9\n---\nna\xefve\n".encode("latin-1")


# -- $EDITOR ---------------------------------------------------------------------------------------------------


async def test_external_editor_round_trip_reindexes(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []

    def fake_editor(_app: App[Any], path: Path) -> str | None:
        calls.append(path)
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited outside with quasar words.\n")
        return None

    monkeypatch.setattr(editor_module, "edit_externally", fake_editor)
    app: App[None] = App()
    async with app.run_test() as pilot:
        result = await edit_entry_externally(app, journal, REGRESSION)
        second = await edit_entry_externally(app, journal, "entries/2024-02-14-probability.md")
        await pilot.pause()
    assert calls == [journal.root / REGRESSION, journal.root / "entries/2024-02-14-probability.md"]
    assert result == SavedEntry(REGRESSION)
    # The fake changed the second file too, so it is reported; the index knows both.
    assert second == SavedEntry("entries/2024-02-14-probability.md")
    with Index(journal) as index:
        assert index.search("quasar").total == 2


@pytest.mark.parametrize(
    ("visual", "said"),
    [
        # The headless driver cannot suspend: the user hears why, nothing changes, nothing is reported.
        pytest.param("true", "can't hand over", id="unavailable-in-headless-runs"),
        pytest.param(
            "no-such-editor-xyz --flag",
            "The editor 'no-such-editor-xyz' (from $VISUAL/$EDITOR) was not found.",
            id="missing",
        ),
    ],
)
async def test_an_external_editor_that_cannot_run_is_one_clear_message(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, visual: str, said: str
) -> None:
    monkeypatch.setenv("VISUAL", visual)
    app: App[None] = App()
    messages: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_kwargs: messages.append(message))
    async with app.run_test():
        result = await edit_entry_externally(app, journal, REGRESSION)
    assert result is None
    assert len(messages) == 1 and said in messages[0]


def test_editor_command_prefers_visual_then_editor() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano -w"}) == ["nano", "-w"]
    assert editor_command({"VISUAL": "  ", "EDITOR": "vim"}) == ["vim"]


# -- tags and topics -------------------------------------------------------------------------------------------


async def test_tag_editor_changes_tags_and_keeps_the_rest(journal: Journal) -> None:
    path = journal.root / REGRESSION
    original = path.read_text(encoding="utf-8")
    app = ScreenApp(lambda: TagEditor(journal, REGRESSION, existing_tags=["calculus", "numpy"]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        field = app.screen.query_one("#tags-input", Input)
        assert field.value == "regression, numpy, deep learning, "
        field.value = "regression, deep learning, "
        field.cursor_position = len(field.value)
        await pilot.press("c", "a", "right", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [TagsChanged(REGRESSION, ("regression", "deep learning", "calculus"))]
    new = path.read_text(encoding="utf-8")
    assert "tags: [regression, deep learning, calculus]" in new
    assert new.replace("tags: [regression, deep learning, calculus]", "") == original.replace(
        "tags: [regression, numpy, deep learning]", ""
    )
    row = index_row(journal, REGRESSION)
    assert row is not None and row.tags == ("regression", "deep learning", "calculus")


async def test_topic_picker_links_and_unlinks(journal: Journal) -> None:
    relpath = "entries/2024-04-02-backprop.md"
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(lambda: TopicPicker(journal, relpath, roadmap))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.screen.query_one(TopicTree)
        assert tree.linked == {"backprop"}
        labels = [str(node.label) for node in (tree.get_node_at_line(i) for i in range(5)) if node]
        assert labels[0].startswith("☐ Foundations")
        assert labels[4].startswith("☑ Backpropagation")
        # Cursor on "Linear algebra" (line 1): link it; then unlink backprop (line 4).
        await pilot.press("down", "space")
        await pilot.press("down", "down", "down", "space", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [TopicsChanged(relpath, ("linear-algebra",))]
    assert parse_document((journal.root / relpath).read_bytes()).metadata["topics"] == ["linear-algebra"]
    row = index_row(journal, relpath)
    assert row is not None and row.topics == ("linear-algebra",)


async def test_topic_picker_type_to_filter_keeps_every_letter_and_down_goes_to_the_list(
    journal: Journal,
) -> None:
    # Typing on the list moves to the filter box. The box selected its text when the focus arrived, after
    # the first letter was in: the next letter replaced it ("back" became "ack"), or, typed fast, a space
    # meant to link a topic replaced the whole filter. And ↓ in the box did nothing.
    relpath = REGRESSION
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(lambda: TopicPicker(journal, relpath, roadmap))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        for _ in range(100):  # the tree is mounted after the worker read the file; wait until it has focus
            await pilot.pause()
            if pilot.app.screen.query("#topics-tree") and isinstance(pilot.app.focused, TopicTree):
                break
        await pilot.press("b", "a", "c", "k")
        await pilot.pause()
        box = app.screen.query_one("#topics-filter", Input)
        assert box.value == "back"
        await pilot.press("down")
        await pilot.pause()
        tree = app.screen.query_one(TopicTree)
        assert tree.has_focus
        # "Deep learning" (the parent, line 0) and "Backpropagation" under it.
        await pilot.press("down", "space", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [TopicsChanged(relpath, ("backprop",))]


async def test_topic_picker_keeps_links_the_roadmap_does_not_know(journal: Journal) -> None:
    relpath = "entries/odd-topics.md"
    (journal.root / relpath).write_text(
        "---\ntitle: odd\ntopics: [gone-topic]\n---\nbody\n", encoding="utf-8"
    )
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(lambda: TopicPicker(journal, relpath, roadmap))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        for _ in range(100):  # the tree is mounted after the worker read the file; wait until it has focus
            await pilot.pause()
            if pilot.app.screen.query("#topics-tree") and pilot.app.focused is not None:
                break
        await pilot.press("space", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [TopicsChanged(relpath, ("foundations", "gone-topic"))]


# -- delete ----------------------------------------------------------------------------------------------------


async def test_confirm_delete_moves_to_trash_and_drops_from_index(journal: Journal) -> None:
    app = ScreenApp(lambda: ConfirmDelete(journal, REGRESSION, "Linear regression from scratch"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("y")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    [result] = app.results
    assert isinstance(result, DeletedEntry)
    assert result.path == REGRESSION
    assert result.trash_path.startswith(".mljournal/trash/")
    assert result.trash_path.endswith("/" + REGRESSION)
    assert not (journal.root / REGRESSION).exists()
    assert (journal.root / result.trash_path).is_file()
    assert index_row(journal, REGRESSION) is None


async def test_confirm_delete_cancel_and_hostile_title_shown_literally(journal: Journal) -> None:
    hostile = "[bold]not bold[/bold] [@click=app.quit]click me[/]"
    app = ScreenApp(lambda: ConfirmDelete(journal, HOSTILE, hostile))
    async with app.run_test(size=(100, 30)) as pilot:
        texts = [str(widget.render()) for widget in app.screen.query(Static)]
        assert any(hostile in text for text in texts)
        await pilot.press("n")
        await pilot.pause()
    assert app.results == [None]
    assert (journal.root / HOSTILE).exists()


async def test_editor_shows_a_hostile_path_literally(journal: Journal) -> None:
    relpath = "entries/[bold]x[-bold].md"
    (journal.root / relpath).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    app = ScreenApp(lambda: EditorScreen(journal, relpath, highlight=False))
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await wait_editor_loaded(pilot)
        assert relpath in str(editor.query_one("#editor-title", Static).render())


async def test_tag_completion_comes_from_the_index_when_not_given(journal: Journal) -> None:
    app = ScreenApp(lambda: TagEditor(journal, REGRESSION))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("p", "r", "o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.query_one("#tags-input", Input).value.endswith(", probability")
