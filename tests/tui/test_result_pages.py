"""The entry list's page cache on its own: what it asks to fetch, what it keeps, and what it drops as stale."""

from __future__ import annotations

from mljournal.core.index import EntryRow
from mljournal.tui.data import ResultPage
from mljournal.tui.widgets.result_pages import KEPT_PAGES, PAGE_SIZE, ResultPages


def _row(position: int, title: str | None = None) -> EntryRow:
    return EntryRow(
        id=position,
        path=f"entries/{position:06d}.md",
        title=title or f"Entry {position}",
        date="2024-01-01",
        day="2024-01-01",
        tags=(),
        topics=(),
        description="",
        word_count=1,
        draft=False,
        problem_count=0,
    )


def _page(page: int) -> list[EntryRow]:
    return [_row(page * PAGE_SIZE + offset) for offset in range(PAGE_SIZE)]


def _result(total: int, focus: int | None = None, focus_rows: list[EntryRow] | None = None) -> ResultPage:
    return ResultPage(
        query="",
        total=total,
        rows=_page(0),
        hint=None,
        ranked=False,
        focus=focus,
        focus_rows=focus_rows or [],
    )


def test_a_page_is_asked_for_once_and_kept_when_it_answers_the_current_query() -> None:
    pages = ResultPages()
    generation = pages.new_query()
    assert pages.start(_result(PAGE_SIZE * 3), follow=False) == 0
    assert not pages.want_page(0)  # came with the results
    assert pages.want_page(2)
    assert not pages.want_page(2)  # already on its way
    assert pages.add_page(generation, 2, _page(2), cursor=0)
    assert pages.position_of(_row(2 * PAGE_SIZE + 5).path) == 2 * PAGE_SIZE + 5


def test_answers_to_an_older_query_are_dropped() -> None:
    pages = ResultPages()
    old = pages.new_query()
    pages.new_query()
    assert not pages.add_page(old, 1, _page(1), cursor=0)
    assert not pages.add_snippets(old, {1: "text"})
    assert 1 not in pages.pages and pages.snippets == {}


def test_the_followed_entry_brings_its_page_and_the_cursor() -> None:
    pages = ResultPages()
    pages.new_query()
    focus = 5 * PAGE_SIZE + 7
    assert pages.start(_result(PAGE_SIZE * 10, focus=focus, focus_rows=_page(5)), follow=True) == focus
    assert pages.start(_result(PAGE_SIZE * 10, focus=focus, focus_rows=_page(5)), follow=False) == 0


def test_pages_far_from_the_cursor_are_dropped_with_their_snippets() -> None:
    pages = ResultPages()
    generation = pages.new_query()
    pages.start(_result(PAGE_SIZE * 40), follow=False)
    pages.add_snippets(generation, {0: "first page"})
    for page in range(1, KEPT_PAGES + 5):
        pages.add_page(generation, page, _page(page), cursor=(KEPT_PAGES + 4) * PAGE_SIZE)
    assert len(pages.pages) == KEPT_PAGES
    assert 0 not in pages.pages and 0 not in pages.snippets


def test_snippets_are_asked_for_once() -> None:
    pages = ResultPages()
    generation = pages.new_query()
    pages.start(_result(PAGE_SIZE), follow=False)
    wanted = pages.want_snippets(0)
    assert wanted == list(range(PAGE_SIZE))
    assert pages.want_snippets(0) == []
    pages.add_snippets(generation, dict.fromkeys(wanted, ""))
    assert pages.want_snippets(0) == []


def test_titles_held_twice_on_one_day_are_noted() -> None:
    pages = ResultPages()
    pages.new_query()
    result = ResultPage(
        query="", total=3, rows=[_row(1, "Same"), _row(2, "Same"), _row(3, "Other")], hint=None, ranked=False
    )
    pages.start(result, follow=False)
    assert pages.repeated_titles == {("Same", "2024-01-01")}
