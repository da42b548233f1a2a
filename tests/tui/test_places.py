"""The main screen's pure parts: the back/forward history, the list's query and title, panes and widths."""

from __future__ import annotations

from mljournal.tui.places import (
    PlaceHistory,
    list_query,
    list_title,
    navigator_width,
    search_hint,
    shown_place,
)


def test_history_goes_back_and_forward_and_a_new_link_drops_forward() -> None:
    history = PlaceHistory()
    assert not history.followed(None, "entries/a.md")
    assert history.followed("entries/a.md", "entries/b.md")
    assert not history.followed("entries/b.md", "entries/b.md")
    assert history.can_go(-1) and not history.can_go(1)
    assert history.go(-1, "entries/b.md") == "entries/a.md"
    assert history.can_go(1)
    assert history.go(1, "entries/a.md") == "entries/b.md"
    history.go(-1, "entries/b.md")
    assert history.followed("entries/a.md", "topic:t1")
    assert not history.can_go(1)
    assert history.go(1, "topic:t1") is None


def test_the_list_title_keeps_the_count_in_view() -> None:
    assert list_title("", "", 1, 80) == "Entries · 1 entry"
    assert list_title("tag:numpy", " grad ", 2, 80) == "Entries · tag:numpy · “grad” · 2 entries"
    narrow = list_title("tag:" + "x" * 60, "", 1234, 40)
    assert narrow.endswith("· 1,234 entries") and len(narrow) <= 34


def test_the_search_hint_says_how_a_half_typed_word_was_read() -> None:
    assert search_hint((), None) is None
    assert search_hint((("gradeint", "grade"),), "a hint") == "searching: gradeint → grade… · a hint"


def test_the_viewer_place_is_a_topic_page_or_an_entry() -> None:
    assert shown_place("t1", "entries/a.md") == "topic:t1"
    assert shown_place(None, "entries/a.md") == "entries/a.md"
    assert shown_place(None, None) is None


def test_the_list_query_puts_the_navigator_filter_first_and_the_typed_word_as_a_prefix() -> None:
    assert list_query("", "") == ""
    assert list_query("tag:numpy", "   ") == "tag:numpy"
    assert list_query("tag:numpy", " grad") == "tag:numpy grad*"


def test_the_navigator_width_stays_between_16_columns_and_half_the_screen() -> None:
    assert navigator_width(30, 2, 120) == 32
    assert navigator_width(16, -2, 120) == 16
    assert navigator_width(59, 4, 120) == 60
