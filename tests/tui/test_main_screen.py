"""Pilot tests of the main screen: panes, navigation, filters, search, roadmap edits, watcher, help, palette."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Markdown

from mljournal.core.journal import Journal
from mljournal.tui.app import MLJournalApp, make_app
from mljournal.tui.dialogs.links import ConfirmOpenLink
from mljournal.tui.dialogs.prompt import TextPrompt
from mljournal.tui.screens.help import HelpScreen
from mljournal.tui.screens.main import MainScreen
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.navigator import Navigator
from mljournal.tui.widgets.plain_lines import PlainLines
from mljournal.tui.widgets.search_bar import SearchBar
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio

SIZE = (140, 40)
MakeJournal = Callable[[Path, dict[str, str]], Journal]


async def settle(pilot: Pilot[None], *, rounds: int = 60) -> MainScreen:
    """Wait until the main screen is ready and no worker or message is still in flight."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        if isinstance(screen, MainScreen) and screen.ready and not _busy(app):
            await pilot.pause()
            if not _busy(app):
                return screen
    raise AssertionError("the main screen never became ready")


def _busy(app: MLJournalApp) -> bool:
    return any(worker.is_running for worker in app.workers if not worker.group.startswith("watch"))


def main_screen(app: MLJournalApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


def app_for(journal: Journal, clock: Callable[[], datetime]) -> MLJournalApp:
    return make_app(journal, clock=clock, watch=False)


async def test_opens_on_all_entries_newest_first(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.total == 6
        assert screen.query_one("#list-pane").border_title == "Entries · 6 entries"
        assert entries.highlighted is not None
        assert entries.highlighted.path == "entries/2024-04-02-backprop.md"
        assert screen.query_one(EntryViewer).rendered_path == "entries/2024-04-02-backprop.md"
        assert screen.focused is entries


async def test_tab_and_shift_tab_cycle_the_three_panes(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(EntryViewer)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(Navigator)
        await pilot.press("tab")
        assert screen.focused is screen.query_one(EntryList)
        await pilot.press("shift+tab")
        assert screen.focused is screen.query_one(Navigator)


async def test_j_k_g_G_move_through_the_list_and_the_viewer_follows(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        await pilot.press("j", "j")
        assert entries.cursor == 2
        await pilot.press("k")
        assert entries.cursor == 1
        await pilot.press("G")
        assert entries.cursor == 5
        await settle(pilot)
        assert screen.query_one(EntryViewer).rendered_path == "entries/2024-01-08-plan.md"
        await pilot.press("j")  # stays on the last entry
        assert entries.cursor == 5
        await pilot.press("g")
        assert entries.cursor == 0


async def _select(pilot: Pilot[None], key: str) -> MainScreen:
    screen = await settle(pilot)
    navigator = screen.query_one(Navigator)
    assert navigator.select_key(key), key
    await pilot.pause()
    return await settle(pilot)


async def test_navigator_filters_by_topic_subtree_tag_and_month(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _select(pilot, "topic:foundations")  # includes linear-algebra and probability
        entries = screen.query_one(EntryList)
        assert entries.total == 3
        assert entries.query_text == "topic:foundations"
        screen = await _select(pilot, "tag:deep learning")
        assert entries.query_text == 'tag:"deep learning"'
        assert entries.total == 2
        screen = await _select(pilot, "month:2024-02")
        assert entries.total == 2
        screen = await _select(pilot, "year:2024")
        assert entries.total == 6
        screen = await _select(pilot, "all")
        assert entries.query_text == ""
        assert entries.total == 6


async def test_search_as_you_type_escape_clears_and_returns_to_the_list(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        await pilot.press("slash")
        assert screen.focused is screen.query_one(SearchBar).input
        await pilot.press(*"chain")
        await settle(pilot)
        assert entries.total == 1
        assert entries.highlighted is not None and entries.highlighted.path.endswith("backprop.md")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one(SearchBar).text == ""
        assert entries.total == 6
        assert screen.focused is entries


async def test_navigator_filter_and_search_combine(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "tag:numpy")
        entries = screen.query_one(EntryList)
        assert entries.total == 2
        await pilot.press("slash", *"gradient")
        await settle(pilot)
        assert entries.query_text == "tag:numpy gradient*"  # the word being typed is a prefix
        assert entries.total == 1


async def test_a_query_the_language_cannot_use_shows_a_hint(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"on:someday")
        await settle(pilot)
        hint = screen.query_one(SearchBar).hint
        assert "not a date" in hint
        await pilot.press("escape")
        await settle(pilot)
        assert screen.query_one(SearchBar).hint == ""


async def test_space_cycles_a_topic_status_in_roadmap_yaml(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "topic:backprop")
        screen.query_one(Navigator).focus()
        await pilot.press("space")
        await settle(pilot)
        text = journal.roadmap_path.read_text(encoding="utf-8")
        assert "# Test roadmap: comments must survive" in text
        assert "id: backprop\n        title: Backpropagation\n        status: learning" in text
        await pilot.press("space")
        await settle(pilot)
        assert "title: Backpropagation\n        status: done" in journal.roadmap_path.read_text(
            encoding="utf-8"
        )
        # The cursor stays on the topic after the tree is rebuilt.
        current = screen.query_one(Navigator).current
        assert current is not None and current.key == "topic:backprop"


async def test_the_mark_under_the_navigator_follows_a_status_cycled_with_space(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    # The tree is rebuilt with the cursor on the same line, so no new highlight comes to update the line
    # under it: it went on saying "○ todo" over a topic now marked ◐.
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "topic:backprop")
        navigator = screen.query_one(Navigator)
        navigator.focus()
        assert str(navigator.border_subtitle).startswith("◔ started")
        await pilot.press("space")
        await settle(pilot)
        assert str(navigator.border_subtitle).startswith("◐ learning")
        await pilot.press("space")
        await settle(pilot)
        assert str(navigator.border_subtitle).startswith("● done")


async def test_a_adds_a_subtopic_and_r_renames_it(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "topic:deep-learning")
        screen.query_one(Navigator).focus()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPrompt)
        await pilot.press(*"Convolutions", "enter")
        await settle(pilot)
        text = journal.roadmap_path.read_text(encoding="utf-8")
        assert "title: Convolutions" in text
        navigator = screen.query_one(Navigator)
        assert navigator.current is not None and navigator.current.label == "Convolutions"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TextPrompt)
        await pilot.press(*"Convolutional nets", "enter")  # the old title is selected: typing replaces it
        await settle(pilot)
        assert "title: Convolutional nets" in journal.roadmap_path.read_text(encoding="utf-8")


async def test_escape_in_the_topic_prompt_changes_nothing(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    before = journal.roadmap_path.read_bytes()
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "topic:foundations")
        screen.query_one(Navigator).focus()
        await pilot.press("r", "x", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
    assert journal.roadmap_path.read_bytes() == before


async def test_an_external_change_is_picked_up(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        new = journal.root / "entries" / "2024-04-30-attention.md"
        new.write_text("---\ntitle: Attention\ndate: 2024-04-30\ntags: [transformers]\n---\n\nQ, K, V.\n")
        screen.handle_file_changes([new])
        await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.total == 7
        await _select(pilot, "tag:transformers")
        assert entries.total == 1
        new.unlink()
        screen.handle_file_changes([new])
        await settle(pilot)
        # Its only tag is gone with it, so the navigator falls back to the root: every remaining entry.
        assert entries.total == 6
        assert entries.query_text == ""


async def test_the_watcher_sees_a_file_written_by_another_program(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    app = MLJournalApp(journal, clock=clock, watch=True, watch_debounce_ms=50)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        for _ in range(50):
            await pilot.pause(0.02)
            if screen.ready:
                break
        new = journal.root / "entries" / "2024-04-29-watched.md"
        entries = screen.query_one(EntryList)
        # The watcher thread may still be setting up its inotify watch on a busy machine, so the other
        # program writes again now and then until the change shows (polls; never asserts on elapsed time).
        for attempt in range(600):
            if attempt % 50 == 0:
                new.write_text(
                    f"---\ntitle: Watched\ndate: 2024-04-29\n---\n\nSeen by the watcher ({attempt}).\n"
                )
            await pilot.pause(0.02)
            if entries.total == 7:
                break
        assert entries.total == 7


async def test_help_screen_lists_bindings_by_pane(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        source = pilot.app.screen.query_one(Markdown).source
        for heading in ("## Navigator", "## Entry list", "## Viewer", "## Search box", "## Main screen"):
            assert heading in source
        assert "- `space` Cycle the topic's status" in source
        assert "- `D` Delete the entry" in source
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, MainScreen)


async def test_command_palette_opens_with_our_actions(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CommandPalette)
        titles = [command.title for command in pilot.app.get_system_commands(screen)]
        for title in ("New entry", "Search", "Cycle topic status", "Table of contents", "Theme"):
            assert title in titles


async def test_hostile_title_is_shown_literally(journal: Journal, clock: Callable[[], datetime]) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.select_path("entries/2024-03-20-hostile.md")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)  # the [@click=app.quit] did nothing
        card = str(screen.query_one("#viewer-card").render())
        assert "[bold]not bold[/bold]" in card
        assert "[@click=app.quit]click me[/]" in card
        assert "\x1b" not in card and "\x07" not in card
        assert "#[red]tag[/red]" in card
        line = "".join(segment.text for segment in entries.render_line(entries.cursor))
        assert "[bold]not bold[/bold]" in line


async def test_relative_link_opens_the_entry_and_web_link_asks_first(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    opened: list[str] = []
    app = app_for(journal, clock)
    app.open_url = lambda url, **_kwargs: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        screen.query_one(EntryList).select_path("entries/2024-01-08-plan.md")
        await settle(pilot)
        markdown = viewer.markdown
        markdown.post_message(Markdown.LinkClicked(markdown, "2024-02-03-vectors.md"))
        await settle(pilot)
        assert viewer.rendered_path == "entries/2024-02-03-vectors.md"
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.com/course"))
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmOpenLink)
        await pilot.press("n")
        assert opened == []
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.com/course"))
        await pilot.pause()
        await pilot.press("y")
        assert opened == ["https://example.com/course"]


async def test_details_blocks_are_readable_and_contents_toggle(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path("entries/2024-02-03-vectors.md")
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        source = viewer.markdown.source
        assert "**Why the shapes must match**" in source
        assert "<summary>" not in source and "<details>" not in source
        assert "Because each output element" in source
        viewer.focus()
        await pilot.press("c")
        assert viewer.has_class("-show-contents")
        await pilot.press("escape")  # the contents tree has focus; escape does not quit
        assert isinstance(pilot.app.screen, MainScreen)


async def test_ctrl_home_and_ctrl_end_go_to_the_top_and_the_bottom_of_the_list_and_the_viewer(
    tmp_path: Path, clock: Callable[[], datetime], make_journal: MakeJournal
) -> None:
    # Keys people press by habit (editors and browsers): they did nothing in the list and the viewer.
    long = "---\ntitle: Long\ndate: 2024-05-01\n---\n\n" + "".join(f"Line {n}.\n\n" for n in range(200))
    journal = make_journal(tmp_path / "j", {"entries/2024-05-01-long.md": long})
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        await pilot.press("ctrl+end")
        assert entries.cursor == entries.total - 1
        await pilot.press("ctrl+home")
        assert entries.cursor == 0
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        assert viewer.rendered_path == "entries/2024-05-01-long.md"
        viewer.focus()
        # The viewer scrolls with an animation; on a loaded machine it is still moving when the app is idle.
        await pilot.press("ctrl+end")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        assert viewer.max_scroll_y > 0 and viewer.scroll_y == viewer.max_scroll_y
        await pilot.press("ctrl+home")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        assert viewer.scroll_y == 0


async def test_a_huge_entry_shows_its_beginning_and_says_so(
    tmp_path: Path, clock: Callable[[], datetime], make_journal: MakeJournal
) -> None:
    paragraph = "word " * 200 + "\n\n"
    huge = (
        "---\ntitle: Huge\ndate: 2024-05-01\n---\n\n" + paragraph * 80
    )  # about 80 KB: well over the 30 KB cap
    journal = make_journal(tmp_path / "j", {"entries/2024-05-01-huge.md": huge})
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        assert viewer.rendered_path == "entries/2024-05-01-huge.md"
        assert len(viewer.markdown.source) < 40_000
        more = str(screen.query_one("#viewer-more").render())
        assert "showing the first" in more and "Press L" in more
        viewer.focus()
        await pilot.press("L")
        await settle(pilot)
        # Markdown up to the cap, then the rest as plain lines (each paragraph is a line and a blank).
        assert len(viewer.markdown.source) > 50_000
        assert viewer.query_one(PlainLines).line_count >= 2 * (80 - 60)


async def test_n_writes_a_new_entry_and_selects_it(journal: Journal, clock: Callable[[], datetime]) -> None:
    from mljournal.tui.notes.editor import EditorScreen
    from mljournal.tui.notes.new_entry import NewEntryScreen

    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "topic:backprop")
        screen.query_one(EntryList).focus()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewEntryScreen)
        await pilot.press(*"Attention is all I need", "enter")
        for _ in range(50):
            await pilot.pause()
            if isinstance(pilot.app.screen, EditorScreen):
                break
        assert isinstance(pilot.app.screen, EditorScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        screen = await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        created = sorted((journal.root / "entries").rglob("*attention*"))
        assert len(created) == 1
        assert "backprop" in created[0].read_text(encoding="utf-8")  # the highlighted topic was the default
        entries = screen.query_one(EntryList)
        assert entries.query_text == "topic:backprop"
        assert entries.total == 2
        assert entries.highlighted is not None and "attention" in entries.highlighted.path
        assert screen.query_one(EntryViewer).rendered_path == entries.highlighted.path


async def test_D_moves_the_entry_to_the_trash_and_the_list_follows(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        screen = await settle(pilot)
        assert not (journal.root / "entries/2024-04-02-backprop.md").exists()
        assert list((journal.root / ".mljournal" / "trash").rglob("2024-04-02-backprop.md"))
        entries = screen.query_one(EntryList)
        assert entries.total == 5
        assert entries.highlighted is not None and entries.highlighted.path == "entries/2024-03-20-hostile.md"


async def test_a_journal_without_an_index_opens_at_once_and_fills_after_the_sync(
    tmp_path: Path, clock: Callable[[], datetime], make_journal: MakeJournal
) -> None:
    import shutil

    journal = make_journal(tmp_path / "fresh", {})
    shutil.rmtree(journal.state_dir)  # as after a clone: files, no index
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        for _ in range(100):
            if entries.total == 6:
                break
            await settle(pilot)
        assert entries.total == 6
        assert screen.query_one(Navigator).tag_names()  # the navigator was rebuilt after the sync too
        assert not screen.query_one("#sync-status").has_class("-visible")


async def test_f_lists_the_links_and_follows_one_from_the_keyboard(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    from mljournal.tui.dialogs.links import LinkPicker

    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path("entries/2024-01-08-plan.md")
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        viewer.focus()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LinkPicker)
        await pilot.press("down", "enter")  # the second link is the web one: it asks first
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmOpenLink)
        await pilot.press("n")
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter")  # the first link is another entry
        await settle(pilot)
        assert viewer.rendered_path == "entries/2024-02-03-vectors.md"


async def test_the_word_being_typed_already_finds_entries(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        await pilot.press("slash", *"backpr")
        await settle(pilot)
        assert entries.total == 1
        assert entries.highlighted is not None and entries.highlighted.path.endswith("backprop.md")
        # A finished word followed by a space is searched as it is.
        await pilot.press("space")
        await settle(pilot)
        assert entries.total == 0


async def test_settings_choose_the_theme_and_the_new_entry_tags(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    from textual.widgets import Input

    from mljournal.core.config import Config
    from mljournal.tui.app import make_app

    app = make_app(journal, clock=clock, watch=False, config=Config(theme="nord", default_tags=("til",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#new-tags", Input).value == "til"


async def test_arrow_keys_open_and_close_navigator_nodes(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await _select(pilot, "topic:foundations")
        navigator = screen.query_one(Navigator)
        navigator.focus()
        node = navigator.cursor_node
        assert node is not None and node.data is not None and node.data.key == "topic:foundations"
        node.collapse()
        await pilot.press("right")
        assert node.is_expanded
        await pilot.press("right")  # already open: down to the first child
        child = navigator.cursor_node
        assert child is not None and child.parent is node
        await pilot.press("left")  # a leaf: up to its parent
        assert navigator.cursor_node is node
        await pilot.press("h")
        assert not node.is_expanded
        await settle(pilot)
        assert screen.query_one(EntryList).query_text == "topic:foundations"


async def test_a_changed_entry_far_down_a_long_list_stays_selected(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    from mljournal.core.index import Index
    from mljournal.tui.widgets.entry_list import PAGE_SIZE

    # More entries than one page of the list, all newer than the one we will edit.
    for i in range(PAGE_SIZE + 40):
        day = f"2024-06-{i % 28 + 1:02d}"
        (journal.root / "entries" / f"bulk-{i:03d}.md").write_text(
            f"---\ntitle: Bulk {i}\ndate: {day}\n---\nfiller\n", encoding="utf-8"
        )
    with Index(journal) as index:
        index.sync()
    oldest = "entries/2024-01-08-plan.md"
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.total > PAGE_SIZE
        screen.entry_changed(oldest, select=oldest)
        await settle(pilot)
        assert entries.cursor >= PAGE_SIZE
        assert entries.highlighted is not None and entries.highlighted.path == oldest
