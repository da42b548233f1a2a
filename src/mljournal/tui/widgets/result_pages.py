"""The entry list's cache of one query's results: the pages of rows loaded so far, the snippets fetched for
them, and which of both are still on their way.

Plain state, no Textual: the list's thread workers fetch, this decides what is worth fetching and what to keep.
Each new query bumps `generation`; pages and snippets that answer an older one are dropped.
"""

from __future__ import annotations

from mljournal.core.index import EntryRow
from mljournal.tui.data import ResultPage
from mljournal.tui.text import one_line

PAGE_SIZE = 200
"""Rows fetched per query: a few screens' worth, cheap at any journal size."""
KEPT_PAGES = 12
"""Pages kept while scrolling, the ones nearest the cursor: memory stays flat through 100,000 rows."""


class ResultPages:
    """The loaded pages of the current query's results, with their snippets (for a text search)."""

    def __init__(self) -> None:
        self.generation = 0
        """The newest query's number: an answer carrying another one is stale."""
        self.pages: dict[int, list[EntryRow]] = {}
        self._pending_pages: set[int] = set()
        self.snippets: dict[int, str] = {}
        """Matching text by entry id; "" once fetched for an entry that has none."""
        self._pending_snippets: set[int] = set()
        self.repeated_titles: set[tuple[str, str | None]] = set()
        """(title, day) pairs held by more than one of the loaded rows."""

    def new_query(self) -> int:
        """A new query starts: the number its answers will carry."""
        self.generation += 1
        return self.generation

    def start(self, result: ResultPage, *, follow: bool) -> int:
        """Hold what a query answered (its first page, and its snippets); return where the cursor goes: on the
        entry to keep (`follow`) when the results hold it, else on the first row."""
        self.pages = {0: result.rows}
        self._pending_pages.clear()
        self.snippets = dict(result.snippets)
        self._pending_snippets.clear()
        cursor = 0
        if follow and result.focus is not None:
            # The entry to keep selected may be far down a long list: its page came with the results.
            cursor = result.focus
            if result.focus_rows:
                self.pages[cursor // PAGE_SIZE] = result.focus_rows
        self._find_repeated_titles()
        return cursor

    def position_of(self, path: str) -> int | None:
        """Where the entry at `path` stands in the results, if it is among the loaded rows."""
        for page, rows in self.pages.items():
            for offset, row in enumerate(rows):
                if row.path == path:
                    return page * PAGE_SIZE + offset
        return None

    def want_page(self, page: int) -> bool:
        """Whether `page` should be fetched now (it isn't loaded, nor on its way); marks it on its way."""
        if page in self.pages or page in self._pending_pages:
            return False
        self._pending_pages.add(page)
        return True

    def add_page(self, generation: int, page: int, rows: list[EntryRow], cursor: int) -> bool:
        """Keep a fetched page (unless it answers an older query: then return False)."""
        if generation != self.generation:
            return False
        self._pending_pages.discard(page)
        self.pages[page] = rows
        if len(self.pages) > KEPT_PAGES:
            here = cursor // PAGE_SIZE
            for far in sorted(self.pages, key=lambda p: abs(p - here))[KEPT_PAGES:]:
                del self.pages[far]
            kept = {row.id for rows in self.pages.values() for row in rows}
            self.snippets = {key: text for key, text in self.snippets.items() if key in kept}
        self._find_repeated_titles()
        return True

    def want_snippets(self, page: int) -> list[int]:
        """The ids of the rows of `page` whose snippets should be fetched now; marks them on their way."""
        rows = self.pages.get(page, [])
        wanted = [
            row.id for row in rows if row.id not in self.snippets and row.id not in self._pending_snippets
        ]
        self._pending_snippets.update(wanted)
        return wanted

    def add_snippets(self, generation: int, snippets: dict[int, str]) -> bool:
        """Keep fetched snippets (unless they answer an older query: then return False)."""
        if generation != self.generation:
            return False
        self._pending_snippets.difference_update(snippets)
        self.snippets.update(snippets)
        return True

    def _find_repeated_titles(self) -> None:
        seen: set[tuple[str, str | None]] = set()
        repeated: set[tuple[str, str | None]] = set()
        for rows in self.pages.values():
            for row in rows:
                key = (one_line(row.title or row.path, 200), row.day)
                (repeated if key in seen else seen).add(key)
        self.repeated_titles = repeated
