"""The entry list: a Line-API view over query results that holds only the total and a cache of pages.

`OptionList` needs every row as a widget-side object (0.3 s to replace 10,000 options), so with 100,000
entries each keystroke would stall. Here a new query costs one `count` and one page; other rows are fetched
in pages when they scroll into view (toolong's approach).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import events, on, work
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mljournal.core.index import EntryRow
from mljournal.core.journal import Journal
from mljournal.tui.data import ResultPage, fetch_page, fetch_snippets, run_query
from mljournal.tui.keys import ENTRY_LIST_KEYS
from mljournal.tui.text import one_line
from mljournal.tui.widgets.entry_lines import loading_strip, message_strip, row_strip
from mljournal.tui.widgets.result_pages import PAGE_SIZE, ResultPages


class EntryList(ScrollView, can_focus=True):
    """Entries matching the current filter and search, newest first (best match first for a text search).

    | Key | Action |
    | :- | :- |
    | `j` / `down` | Next entry |
    | `k` / `up` | Previous entry |
    | `g` / `home` | First entry |
    | `G` / `end` | Last entry |
    | `pagedown` / `pageup` | Move a screen |
    | `enter` | Open the entry in the viewer |
    """

    BINDINGS: ClassVar[list[BindingType]] = ENTRY_LIST_KEYS.bindings()

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--cursor",
        "entry-list--date",
        "entry-list--tags",
        "entry-list--draft",
        "entry-list--problem",
        "entry-list--loading",
        "entry-list--snippet",
        "entry-list--match",
    }

    DEFAULT_CSS = """
    EntryList {
        background: $surface;
        overflow-x: hidden;
        & > .entry-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .entry-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .entry-list--date { color: $text-muted; }
        & > .entry-list--tags { color: $text-secondary; }
        & > .entry-list--draft { color: $text-warning; }
        & > .entry-list--problem { color: $text-error; }
        & > .entry-list--loading { color: $text-disabled; }
        & > .entry-list--snippet { color: $text-muted; }
        & > .entry-list--match { color: $text-accent; text-style: bold; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Position of the highlighted row in the results."""
    total: reactive[int] = reactive(0, init=False)
    """How many entries match the current query."""

    @dataclass
    class _ListMessage(Message):
        """What the list tells the screen; the list is its `control`."""

        entry_list: EntryList

        @property
        def control(self) -> EntryList:
            return self.entry_list

    @dataclass
    class EntryHighlighted(_ListMessage):
        """The cursor moved onto an entry (or the list became empty: `row` is None)."""

        row: EntryRow | None

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, EntryList.EntryHighlighted)

    @dataclass
    class EntryOpened(_ListMessage):
        """`enter` on an entry: the viewer should take focus."""

        row: EntryRow

    @dataclass
    class ResultsChanged(_ListMessage):
        """A query finished: the new total and the search language's hint, if it had one."""

        query: str
        total: int
        hint: str | None
        read_as: tuple[tuple[str, str], ...] = ()
        """Half-typed words searched as a shorter word: (typed, searched)."""

    @dataclass
    class _QueryDone(Message):
        generation: int
        result: ResultPage

    @dataclass
    class _PageDone(Message):
        generation: int
        page: int
        rows: list[EntryRow]

    @dataclass
    class _SnippetsDone(Message):
        generation: int
        snippets: dict[int, str]

    def __init__(
        self,
        journal: Journal,
        *,
        today: date | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._journal = journal
        self._today = today
        self._query = ""
        self._results = ResultPages()
        self._query_running = False
        self._queued_query: str | None = None
        self._follow_path: str | None = None
        self._highlighted_path: str | None = None
        self._show_tags = True
        self._ranked = False
        self.loaded_once = False
        """True once the first query has answered: tests and the bench wait on it."""

    # Queries -------------------------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        """The full query (navigator filter and search) the list currently shows."""
        return self._query

    def set_query(self, query: str, *, keep_path: str | None = None) -> None:
        """Show the results of `query`; keep the cursor on `keep_path` when it is still among them.

        At most one query runs at a time and only the newest waiting one follows it, so typing fast never
        builds a queue and the first keystroke is answered without a debounce delay.
        """
        self._follow_path = keep_path
        if self._query_running:
            self._queued_query = query
            return
        self._start_query(query)

    def reload(self) -> None:
        """Run the current query again (after the index changed), keeping the highlighted entry."""
        self.set_query(self._queued_query or self._query, keep_path=self._highlighted_path)

    def _start_query(self, query: str) -> None:
        self._query_running = True
        self._run_query(query, self._results.new_query(), self._follow_path)

    @work(thread=True, group="entry-query", exit_on_error=False)
    def _run_query(self, query: str, generation: int, focus_path: str | None) -> None:
        try:
            result = run_query(self._journal, query, PAGE_SIZE, today=self._today, focus_path=focus_path)
        except BaseException:
            # Let the next query start: a failing query must not freeze the list. The error itself
            # reaches the app's central worker-error handler.
            self.app.call_from_thread(self._query_failed)
            raise
        self.post_message(self._QueryDone(generation, result))

    def _query_failed(self) -> None:
        self._query_running = False
        self._start_queued()

    def _start_queued(self) -> None:
        if self._queued_query is not None:
            query, self._queued_query = self._queued_query, None
            self._start_query(query)

    @on(_QueryDone)
    def _apply_query(self, message: _QueryDone) -> None:
        message.stop()
        self._query_running = False
        if message.generation != self._results.generation:
            self._start_queued()
            return
        result = message.result
        self._query = result.query
        cursor = self._results.start(result, follow=self._follow_path is not None)
        # A text search shows a line of the matching text under each title: two lines a row.
        self._ranked = result.ranked
        self.total = result.total
        self.watch_total(result.total)  # the row height may have changed with the same total
        self.loaded_once = True
        self._follow_path = None
        self.post_message(self.ResultsChanged(self, result.query, result.total, result.hint, result.read_as))
        self.cursor = cursor
        self.scroll_to_cursor(animate=False, center=cursor > 0)
        self.refresh()
        self._start_queued()

    @property
    def empty_text(self) -> str:
        """What an empty list says: which query matched nothing (or that the journal has no entries)."""
        if not self._query.strip():
            return "No entries yet: press n to write one."
        return f"No entries match {one_line(self._query, 120)}"

    def select_path(self, path: str) -> bool:
        """Move the cursor to the entry at `path` if it is among the loaded rows; report whether it was."""
        position = self._results.position_of(path)
        if position is None:
            return False
        self.cursor = position
        self.scroll_to_cursor(animate=False, center=True)
        return True

    # Pages ---------------------------------------------------------------------------------------------

    def row_at(self, position: int) -> EntryRow | None:
        """The row at `position` if its page is loaded; asks for the page otherwise."""
        if not 0 <= position < self.total:
            return None
        page, offset = divmod(position, PAGE_SIZE)
        rows = self._results.pages.get(page)
        if rows is None:
            if self._results.want_page(page):
                self._fetch_page(self._query, page, self._results.generation)
            return None
        return rows[offset] if offset < len(rows) else None

    @work(thread=True, group="entry-pages", exit_on_error=False)
    def _fetch_page(self, query: str, page: int, generation: int) -> None:
        rows = fetch_page(self._journal, query, page * PAGE_SIZE, PAGE_SIZE, today=self._today)
        self.post_message(self._PageDone(generation, page, rows))

    @on(_PageDone)
    def _apply_page(self, message: _PageDone) -> None:
        message.stop()
        if not self._results.add_page(message.generation, message.page, message.rows, self.cursor):
            return
        self.refresh()
        if self.cursor // PAGE_SIZE == message.page:
            self._announce_cursor()

    def _request_snippets(self, page: int) -> None:
        wanted = self._results.want_snippets(page)
        if wanted:
            self._fetch_snippets(self._query, wanted, self._results.generation)

    @work(thread=True, group="entry-snippets", exit_on_error=False)
    def _fetch_snippets(self, query: str, ids: list[int], generation: int) -> None:
        found = fetch_snippets(self._journal, query, ids, today=self._today)
        self.post_message(self._SnippetsDone(generation, {key: found.get(key, "") for key in ids}))

    @on(_SnippetsDone)
    def _apply_snippets(self, message: _SnippetsDone) -> None:
        message.stop()
        if self._results.add_snippets(message.generation, message.snippets):
            self.refresh()

    # Cursor --------------------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.total - 1)) if self.total else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_to_cursor()
        self._announce_cursor()

    def watch_total(self, total: int) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, total * self.row_height)
        self.refresh()

    @property
    def row_height(self) -> int:
        """Lines per entry: two for a text search (title, then the matching text), else one."""
        return 2 if self._ranked else 1

    def _announce_cursor(self) -> None:
        row = self.row_at(self.cursor)
        if row is None and self.total:
            return  # its page is on the way; announced when it lands
        path = row.path if row else None
        if path == self._highlighted_path and row is not None:
            return
        self._highlighted_path = path
        self.post_message(self.EntryHighlighted(self, row))

    @property
    def highlighted(self) -> EntryRow | None:
        """The entry under the cursor, when its page is loaded."""
        return self.row_at(self.cursor) if self.total else None

    def scroll_to_cursor(self, *, animate: bool = False, center: bool = False) -> None:
        """Scroll so the cursor row is visible."""
        width = max(1, self.scrollable_content_region.width)
        height = self.row_height
        self.scroll_to_region(
            Region(0, self.cursor * height, width, height),
            animate=animate,
            center=center,
            force=True,
            immediate=True,
        )

    def _refresh_row(self, position: int) -> None:
        height = self.row_height
        y = position * height - round(self.scroll_offset.y)
        if -height < y < self.size.height:
            self.refresh(Region(0, y, self.size.width, height))

    def action_cursor_down(self) -> None:
        """Move to the next entry."""
        self.cursor += 1

    def action_cursor_up(self) -> None:
        """Move to the previous entry."""
        self.cursor -= 1

    def action_first(self) -> None:
        """Move to the first entry."""
        self.cursor = 0

    def action_last(self) -> None:
        """Move to the last entry."""
        self.cursor = self.total - 1

    def action_page_down(self) -> None:
        """Move down by a screen."""
        self.cursor += max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_page_up(self) -> None:
        """Move up by a screen."""
        self.cursor -= max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_open(self) -> None:
        """Open the highlighted entry in the viewer."""
        row = self.highlighted
        if row is not None:
            self.post_message(self.EntryOpened(self, row))

    def on_click(self, event: events.Click) -> None:
        self.cursor = (round(self.scroll_offset.y) + event.y) // self.row_height

    # Rendering -----------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._show_tags = self.size.width >= 50
        self.virtual_size = Size(self.scrollable_content_region.width, self.total * self.row_height)

    def render_line(self, y: int) -> Strip:
        position, line = divmod(round(self.scroll_offset.y) + y, self.row_height)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if position == 0 and line == 0 and self.total == 0 and self.loaded_once and width > 0:
            style = base + self.get_component_rich_style("entry-list--loading")
            return message_strip(self.empty_text, width, style, self.app.console)
        if position >= self.total or width <= 0:
            return Strip.blank(width, base)
        row = self.row_at(position)
        if row is None:
            return loading_strip(
                line, width, base, base + self.get_component_rich_style("entry-list--loading")
            )
        line_style = base
        if position == self.cursor:
            line_style = base + self.get_component_rich_style("entry-list--cursor")
        snippet = None
        if line:
            if row.id not in self._results.snippets:
                self._request_snippets(position // PAGE_SIZE)
            snippet = self._results.snippets.get(row.id, "")
        return row_strip(
            row,
            snippet,
            width,
            line_style,
            cursor=line_style is not self.rich_style,
            show_tags=self._show_tags,
            repeated_titles=self._results.repeated_titles,
            style_of=self.get_component_rich_style,
            console=self.app.console,
        )

    def snippet_of(self, row: EntryRow) -> str:
        """The matching text shown under `row` in a text search ("" when none was fetched)."""
        return self._results.snippets.get(row.id, "")
