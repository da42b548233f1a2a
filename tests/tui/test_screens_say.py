"""Issue 13, "screens that say what they show": Pilot tests of what each pane tells the user."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from test_main_screen import SIZE, app_for, settle
from textual.pilot import Pilot
from textual.widgets import Markdown, OptionList

from mljournal.core.journal import Journal
from mljournal.tui.dialogs.links import LinkPicker
from mljournal.tui.notes.topics import TopicPicker, TopicTree
from mljournal.tui.screens.help import HelpScreen
from mljournal.tui.screens.main import MainScreen
from mljournal.tui.widgets.contents import ContentsTree
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.navigator import Navigator
from mljournal.tui.widgets.search_bar import SearchBar
from mljournal.tui.widgets.viewer import EntryViewer

pytestmark = pytest.mark.anyio

Clock = Callable[[], datetime]
MakeJournal = Callable[[Path, dict[str, str]], Journal]
WIDE = (200, 45)
NARROW = (80, 24)


async def select(pilot: Pilot[None], key: str) -> MainScreen:
    screen = await settle(pilot)
    assert screen.query_one(Navigator).select_key(key), key
    await pilot.pause()
    return await settle(pilot)


def label_of(navigator: Navigator, key: str) -> str:
    node = next(n for n in navigator._all_nodes() if n.data is not None and n.data.key == key)
    return node.label.plain


def row_text(entries: EntryList, y: int) -> str:
    return "".join(segment.text for segment in entries.render_line(y))


# 1. One progress rule --------------------------------------------------------------------------------------


async def test_navigator_counts_skipped_leaves_and_marks_a_finished_phase_done(
    journal: Journal, clock: Clock
) -> None:
    text = journal.roadmap_path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Linear algebra\n        status: learning", "title: Linear algebra\n        status: skipped"
    )
    journal.roadmap_path.write_text(text, encoding="utf-8")
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        label = label_of(screen.query_one(Navigator), "topic:foundations")
        # Probability is done and linear algebra skipped: 2/2, as `mljournal roadmap` says, and the phase ●.
        assert label.startswith("● Foundations")
        assert "2/2" in label


# 2. The marks explained ------------------------------------------------------------------------------------


async def test_the_highlighted_topics_mark_is_spelled_out_under_the_navigator(
    journal: Journal, clock: Clock
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await select(pilot, "topic:foundations")
        navigator = screen.query_one(Navigator)
        assert str(navigator.border_subtitle).startswith(
            "◔ started: todo, with entries · 1/2 done or skipped"
        )
        assert navigator.tooltip is not None and "⊘ skipped" in str(navigator.tooltip)
        await select(pilot, "topic:linear-algebra")
        assert str(navigator.border_subtitle).startswith("◐ learning")


async def test_help_explains_the_marks_and_the_search_language_and_lists_each_key_once(
    journal: Journal, clock: Clock
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        source = pilot.app.screen.query_one(Markdown).source
        for mark in ("○", "◔", "◐", "●", "⊘"):
            assert f"`{mark}`" in source
        assert "## Search language" in source
        assert "`tag:pytorch`" in source
        for section in source.split("\n## ")[1:]:
            key_lists = [re.match(r"- ((?:`[^`]+`(?: / )?)+)", line) for line in section.splitlines()]
            keys = [key for found in key_lists if found for key in re.findall(r"`([^`]+)`", found.group(1))]
            assert len(keys) == len(set(keys)), (section.splitlines()[0], keys)


# 3. The list header says which filter applies, and `x` clears it --------------------------------------------


async def test_the_list_header_names_the_filter_and_the_search_and_x_clears_both(
    journal: Journal, clock: Clock
) -> None:
    async with app_for(journal, clock).run_test(size=WIDE) as pilot:
        screen = await select(pilot, "tag:numpy")
        pane = screen.query_one("#list-pane")
        assert pane.border_title == "Entries · tag:numpy · 2 entries"
        await pilot.press("slash", *"gradient")
        await settle(pilot)
        assert pane.border_title == "Entries · tag:numpy · “gradient” · 1 entry"
        await pilot.press("enter")  # back to the list
        await settle(pilot)
        assert screen.active_bindings["x"].enabled
        await pilot.press("x")
        await settle(pilot)
        assert pane.border_title == "Entries · 6 entries"
        # The entry being read stays selected.
        assert screen.query_one(EntryList).highlighted.path == "entries/2024-03-09-regression.md"  # type: ignore[union-attr]
        assert screen.query_one(SearchBar).text == ""
        current = screen.query_one(Navigator).current
        assert current is not None and current.key == "all"
        assert "x" not in screen.active_bindings or not screen.check_action("clear_filter", ())


# 4. An empty result says so --------------------------------------------------------------------------------


async def test_an_empty_result_says_no_entries_match(journal: Journal, clock: Clock) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await select(pilot, "topic:backprop")
        await pilot.press("slash", *"zebra ")
        await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.total == 0
        assert row_text(entries, 0).strip() == "No entries match topic:backprop zebra"


# 11. Keys that do nothing on the highlighted node say why ---------------------------------------------------


@pytest.mark.parametrize("key", ["space", "a", "r"])
async def test_topic_keys_on_a_tag_say_why_nothing_happened(journal: Journal, clock: Clock, key: str) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await select(pilot, "tag:numpy")
        screen.query_one(Navigator).focus()
        before = journal.roadmap_path.read_bytes()
        await pilot.press(key)
        await settle(pilot)
        messages = [notification.message for notification in pilot.app._notifications]
        assert any("works on a roadmap topic; “numpy” is not one." in m for m in messages), messages
        assert journal.roadmap_path.read_bytes() == before


# 5. The search box fits, says what it searched, and text searches show the matching text --------------------


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_search_placeholder_fits_the_box(
    journal: Journal, clock: Clock, size: tuple[int, int]
) -> None:
    async with app_for(journal, clock).run_test(size=size) as pilot:
        screen = await settle(pilot)
        box = screen.query_one(SearchBar).input
        assert len(box.placeholder) <= box.content_region.width, (box.placeholder, box.content_region.width)


async def test_a_half_typed_word_searched_as_a_shorter_one_says_so(
    tmp_path: Path, make_journal: MakeJournal, clock: Clock
) -> None:
    journal = make_journal(
        tmp_path / "journal",
        {"entries/2024-04-20-grade.md": "---\ntitle: Marks\ndate: 2024-04-20\n---\n\nMy grade went up.\n"},
    )
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"gradeint")
        await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.total == 1
        assert "searching: gradeint → grade…" in screen.query_one(SearchBar).hint


async def test_a_text_search_shows_the_matching_text_under_each_title(journal: Journal, clock: Clock) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        assert entries.row_height == 1
        await pilot.press("slash", *"broadcasting ")
        await settle(pilot)
        assert entries.total == 1 and entries.row_height == 2
        row = entries.highlighted
        assert row is not None and "[Broadcasting]" in entries.snippet_of(row)
        assert "Vectors and matrices" in row_text(entries, 0)
        snippet_line = row_text(entries, 1)
        assert "Broadcasting" in snippet_line and "[" not in snippet_line
        await pilot.press("escape")
        await settle(pilot)
        assert entries.row_height == 1


# 6. The table of contents: a labelled root, and focus back on the entry when it closes -----------------------

SECTIONS = (
    "---\ntitle: Two sections\ndate: 2024-04-25\n---\n\n## First part\n\nOne.\n\n## Second part\n\nTwo.\n"
)


@pytest.mark.parametrize("close_key", ["c", "escape"])
async def test_the_contents_are_titled_and_closing_them_returns_to_the_entry(
    tmp_path: Path, make_journal: MakeJournal, clock: Clock, close_key: str
) -> None:
    journal = make_journal(tmp_path / "journal", {"entries/2024-04-25-sections.md": SECTIONS})
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        assert screen.query_one(EntryList).select_path("entries/2024-04-25-sections.md")
        await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        viewer.focus()
        await pilot.press("c")
        await pilot.pause()
        tree = screen.query_one(ContentsTree)
        assert screen.focused is tree
        assert tree.root.label.plain == "Two sections"
        assert [node.label.plain for node in tree.root.children] == ["Ⅱ First part", "Ⅱ Second part"]
        await pilot.press("j")
        assert tree.cursor_node is not None and tree.cursor_node.label.plain == "Ⅱ First part"
        await pilot.press(close_key)
        await pilot.pause()
        assert not viewer.show_contents
        assert screen.focused is viewer


# 7. j/k in every list, and the topic picker filters as you type ----------------------------------------------


async def test_j_and_k_move_in_the_link_picker(journal: Journal, clock: Clock) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        screen.query_one(EntryList).select_path("entries/2024-01-08-plan.md")
        await settle(pilot)
        screen.query_one(EntryViewer).focus()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LinkPicker)
        links = pilot.app.screen.query_one(OptionList)
        assert links.highlighted == 0
        await pilot.press("j")
        assert links.highlighted == 1
        await pilot.press("k")
        assert links.highlighted == 0


async def test_the_topic_picker_moves_with_j_k_and_filters_as_you_type(
    journal: Journal, clock: Clock
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, TopicPicker)
        tree = picker.query_one(TopicTree)
        assert tree.cursor_line == 0
        await pilot.press("j")
        assert tree.cursor_line == 1
        await pilot.press("k")
        assert tree.cursor_line == 0
        await pilot.press(*"prob")
        await pilot.pause()
        visible = [tree.get_node_at_line(line) for line in range(tree.last_line + 1)]
        assert [node.data for node in visible if node is not None] == ["foundations", "probability"]
        await pilot.press("enter")  # back to the list
        assert picker.focused is tree
        await pilot.press("j", "space")
        assert "probability" in tree.linked


async def test_a_narrow_list_header_cuts_the_filter_not_the_count(journal: Journal, clock: Clock) -> None:
    async with app_for(journal, clock).run_test(size=NARROW) as pilot:
        screen = await select(pilot, "topic:foundations")
        title = str(screen.query_one("#list-pane").border_title)
        assert title.startswith("topic:") and title.endswith("… · 3 entries"), title
        await select(pilot, "all")
        await pilot.press("slash", *"broad")
        await settle(pilot)
        assert screen.query_one("#list-pane").border_title == "“broad” · 1 entry"


# 8. The navigator: a share of the screen, `<`/`>`, names cut with … and the figures always shown ---------------


async def test_at_80_columns_the_progress_figures_stay_visible(journal: Journal, clock: Clock) -> None:
    text = journal.roadmap_path.read_text(encoding="utf-8")
    journal.roadmap_path.write_text(
        text.replace("title: Foundations", "title: Foundations of mathematics and programming"),
        encoding="utf-8",
    )
    async with app_for(journal, clock).run_test(size=NARROW) as pilot:
        screen = await settle(pilot)
        navigator = screen.query_one(Navigator)
        lines = [
            "".join(segment.text for segment in navigator.render_line(y))
            for y in range(navigator.size.height)
        ]
        line = next(line for line in lines if "◔ Found" in line)
        assert line.rstrip().endswith("… 1/2"), line


async def test_the_navigator_is_a_share_of_the_screen_and_angle_brackets_change_it(
    journal: Journal, clock: Clock
) -> None:
    async with app_for(journal, clock).run_test(size=WIDE) as pilot:
        screen = await settle(pilot)
        navigator = screen.query_one(Navigator)
        wide = navigator.outer_size.width
        assert wide > 34  # the old fixed width
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert navigator.outer_size.width == wide - 4
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert navigator.outer_size.width == wide + 4


# 11. Same titles told apart -------------------------------------------------------------------------------


async def test_two_entries_with_one_title_show_their_file_names(
    tmp_path: Path, make_journal: MakeJournal, clock: Clock
) -> None:
    same = "---\ntitle: Weekly notes\ndate: 2024-04-20\n---\n\nText.\n"
    journal = make_journal(
        tmp_path / "journal",
        {
            "entries/2024-04-20-weekly-notes.md": same,
            "entries/2024-04-20-weekly-notes-2.md": same,
            "entries/2024-04-13-weekly-notes.md": same.replace("2024-04-20", "2024-04-13"),
        },
    )
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        entries = screen.query_one(EntryList)
        rows = [row_text(entries, y) for y in range(entries.total)]
        weekly = [row for row in rows if "Weekly" in row and "2024-04-20" in row]
        assert len(weekly) == 2
        # On another day the date tells it apart: no file name.
        other = next(row for row in rows if "2024-04-13" in row)
        assert "weekly-notes" not in other
        assert any("notes-2" in row for row in weekly), weekly
        assert any(row.rstrip().endswith("weekly-notes") for row in weekly), weekly
        assert not any("backprop" in row for row in rows if "Backprop by hand" in row)


# 9. Back and forward after following a link ------------------------------------------------------------------


async def test_back_and_forward_after_following_a_link(journal: Journal, clock: Clock) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        screen = await settle(pilot)
        viewer = screen.query_one(EntryViewer)
        assert not screen.check_action("history", (-1,))  # nothing to go back to yet: hidden
        screen.query_one(EntryList).select_path("entries/2024-01-08-plan.md")
        await settle(pilot)
        viewer.markdown.post_message(Markdown.LinkClicked(viewer.markdown, "2024-02-03-vectors.md"))
        await settle(pilot)
        assert viewer.rendered_path == "entries/2024-02-03-vectors.md"
        assert screen.check_action("history", (-1,))
        assert "Back" in [binding.binding.description for binding in screen.active_bindings.values()]
        await pilot.press("backspace")
        await settle(pilot)
        assert viewer.rendered_path == "entries/2024-01-08-plan.md"
        assert screen.query_one(EntryList).highlighted.path == "entries/2024-01-08-plan.md"  # type: ignore[union-attr]
        await pilot.press("alt+right")
        await settle(pilot)
        assert viewer.rendered_path == "entries/2024-02-03-vectors.md"
        await pilot.press("alt+left")
        await settle(pilot)
        assert viewer.rendered_path == "entries/2024-01-08-plan.md"


# 10. A theme picked in the palette is remembered -----------------------------------------------------------


async def test_a_theme_picked_in_the_app_is_written_to_the_user_settings(
    journal: Journal, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "user" / "config.toml"
    settings.parent.mkdir()
    settings.write_text('# mine\neditor = "nano"\n', encoding="utf-8")
    monkeypatch.setenv("MLJOURNAL_CONFIG", str(settings))
    app = app_for(journal, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert settings.read_text(encoding="utf-8") == '# mine\neditor = "nano"\n'  # starting changes nothing
        app.theme = "nord"  # what the palette's theme list does
        await settle(pilot)
        assert settings.read_text(encoding="utf-8") == '# mine\neditor = "nano"\ntheme = "nord"\n'
        assert app.config.theme == "nord"


async def test_a_matching_branch_brings_its_topics_in_the_topic_picker(
    journal: Journal, clock: Clock
) -> None:
    async with app_for(journal, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        tree = pilot.app.screen.query_one(TopicTree)
        await pilot.press(*"found")
        await pilot.pause()
        visible = [tree.get_node_at_line(line) for line in range(tree.last_line + 1)]
        assert [node.data for node in visible if node is not None] == [
            "foundations",
            "linear-algebra",
            "probability",
        ]
        await pilot.press("escape")  # leaves the filter, emptied
        await pilot.pause()
        assert pilot.app.screen.focused is tree and tree.last_line == 4  # all five topics again
