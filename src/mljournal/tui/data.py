"""Blocking data access for the TUI's thread workers: plain types in, plain types out, no widgets.

Every function here may touch the disk or SQLite, so callers run them in `@work(thread=True)` workers,
never on the event loop.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from mljournal.core.index import EntryRow, Index
from mljournal.core.journal import Journal
from mljournal.core.model import Entry
from mljournal.core.roadmap import Roadmap, load_roadmap, subtree_entry_counts
from mljournal.core.services.topic_links import open_index
from mljournal.tui.text import cut_body, one_line, readable_html, strip_controls

if TYPE_CHECKING:
    from mljournal.core.entries.links import Link

_local = threading.local()
_recovering = threading.RLock()
"""Held while an index found deleted or damaged is rebuilt, so the threads that notice it together rebuild
it once (the others then open the result)."""
_opened_roots: set[Path] = set()
"""Journals whose index this process has opened before."""
T = TypeVar("T")


def thread_index(journal: Journal) -> Index:
    """The calling thread's `Index` for `journal`, opened on first use.

    SQLite connections belong to the thread that made them, and Textual runs thread workers on a reused
    executor pool, so one connection per pool thread saves reopening the database on every keystroke.
    (A read-only journal's in-memory index is shared between these connections by `Index` itself.)

    An index deleted, replaced or overwritten by another program since this thread opened it is opened
    again, and when that means rebuilding it, filled from the files before anything reads it.
    """
    cached: tuple[Path, Index] | None = getattr(_local, "index", None)
    if cached is not None:
        if cached[0] == journal.root and not cached[1].is_stale():
            return cached[1]
        cached[1].close()
        _local.index = None
    with _recovering:
        index = open_index(journal)  # `topic:x` finds what is linked anywhere under x
        _local.index = (journal.root, index)
        if index.rebuilt and journal.root in _opened_roots:
            # Lost since this process first opened it (deleting it is the README's way to rebuild it): fill
            # it before anything reads it, or this thread would answer "0 entries" beside the others. The
            # first open of all is left to the app's start-up sync.
            index.sync()
        _opened_roots.add(journal.root)
    return index


def using_index(journal: Journal, action: Callable[[Index], T]) -> T:
    """`action` run on this thread's index; an index found damaged on the way is rebuilt and `action` run again.

    A busy or locked index (`sqlite3.OperationalError`) is not damage and is raised as it is.
    """
    try:
        return action(thread_index(journal))
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError:
        with _recovering:
            # Another thread may have rebuilt it meanwhile: thread_index then opens that one.
            index = thread_index(journal)
            try:
                return action(index)
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError:
                index.rebuild()
        return action(index)


SNIPPETS_FIRST = 50
"""Rows whose snippets come with a new text search: a tall screen's worth at two lines a row."""


@dataclass(frozen=True)
class ResultPage:
    """What the entry list needs after a new query: how many rows, the first page, and any hint."""

    query: str
    total: int
    rows: list[EntryRow]
    hint: str | None
    ranked: bool
    focus: int | None = None
    """Where `focus_path` stands in the results, when it is there and that can be known."""
    focus_rows: list[EntryRow] = field(default_factory=list)
    """The page of `limit` rows holding the focus, when it is beyond the first page."""
    read_as: tuple[tuple[str, str], ...] = ()
    """Prefixes searched as a shorter word (`PreparedQuery.read_as`)."""
    snippets: dict[int, str] = field(default_factory=dict)
    """For a text search: the text around the match, by entry id, for the rows fetched here."""


def run_query(
    journal: Journal,
    query: str,
    limit: int,
    *,
    today: date | None = None,
    focus_path: str | None = None,
) -> ResultPage:
    """Count the entries matching `query` (the search language) and fetch the first `limit` of them.

    With `focus_path` (the entry the list should keep selected) it also finds where that entry stands,
    and fetches its page when it is further down than the first.
    """
    return using_index(journal, lambda index: _run_query(index, query, limit, today, focus_path))


def _run_query(
    index: Index, query: str, limit: int, today: date | None, focus_path: str | None
) -> ResultPage:
    prepared = index.prepare(query, today=today)
    total = index.count(prepared)
    rows = index.page(prepared, 0, limit) if total else []
    focus: int | None = None
    focus_rows: list[EntryRow] = []
    if focus_path is not None and total:
        focus = next((position for position, row in enumerate(rows) if row.path == focus_path), None)
        if focus is None:
            focus = index.position(prepared, focus_path)
            if focus is not None and limit > 0:
                focus_rows = index.page(prepared, (focus // limit) * limit, limit)
    # Snippets for the first screenful only: the rest are fetched as they scroll into view.
    shown = [*rows[:SNIPPETS_FIRST], *focus_rows[:SNIPPETS_FIRST]]
    snippets = index.snippets(prepared, [row.id for row in shown])
    return ResultPage(
        query, total, rows, prepared.hint, prepared.ranked, focus, focus_rows, prepared.read_as, snippets
    )


def fetch_page(
    journal: Journal, query: str, offset: int, limit: int, *, today: date | None = None
) -> list[EntryRow]:
    """Rows `offset` to `offset + limit` of the results of `query`."""
    return using_index(journal, lambda index: index.page(index.prepare(query, today=today), offset, limit))


def fetch_snippets(
    journal: Journal, query: str, ids: list[int], *, today: date | None = None
) -> dict[int, str]:
    """For a text search, the text around the match in each of these entries (by id)."""
    return using_index(journal, lambda index: index.snippets(index.prepare(query, today=today), ids))


@dataclass
class NavigatorData:
    """Everything the navigator tree shows, gathered in one worker pass."""

    roadmap: Roadmap | None
    roadmap_problems: list[str] = field(default_factory=list)
    topic_counts: dict[str, int] = field(default_factory=dict)
    """Entries linked to each topic or anything under it."""
    direct_counts: dict[str, int] = field(default_factory=dict)
    """Entries linked to exactly this topic."""
    tags: list[tuple[str, int]] = field(default_factory=list)
    months: list[tuple[str, int]] = field(default_factory=list)
    total: int = 0


def load_navigator_data(journal: Journal) -> NavigatorData:
    """Read the roadmap file and the index's facet counts."""
    return using_index(journal, lambda index: _load_navigator_data(journal, index))


def _load_navigator_data(journal: Journal, index: Index) -> NavigatorData:
    roadmap: Roadmap | None = None
    problems: list[str] = []
    if journal.roadmap_path.exists():
        roadmap, found = load_roadmap(journal.roadmap_path)
        problems = [getattr(problem, "message", str(problem)) for problem in found]
    links = index.topic_links()
    data = NavigatorData(
        roadmap=roadmap,
        roadmap_problems=problems,
        direct_counts={topic: len(paths) for topic, paths in links.items()},
        tags=index.tag_counts(),
        months=index.month_counts(),
        total=index.total(),
    )
    if roadmap is not None:
        data.topic_counts = dict(subtree_entry_counts(roadmap, links))
    return data


@dataclass(frozen=True)
class TopicView:
    """A roadmap topic's page prepared for the viewer."""

    topic_id: str
    title: str
    markdown: str
    """`topic_page_markdown` through the control filter: what the Markdown widget renders."""
    resources: tuple[tuple[str, str | None, str], ...]
    """(title, url, status) of each resource, numbered from 1 as `roadmap resource ID N` counts them."""


def load_topic_view(journal: Journal, topic_id: str) -> TopicView | None:
    """Read roadmap.yaml and the topic's linked entries; None when the roadmap has no such topic."""
    if not journal.roadmap_path.exists():
        return None
    roadmap, _problems = load_roadmap(journal.roadmap_path)
    return using_index(journal, lambda index: _load_topic_view(index, roadmap, topic_id))


def _load_topic_view(index: Index, roadmap: Roadmap, topic_id: str) -> TopicView | None:
    from mljournal.core.services.topic_page import topic_page, topic_page_markdown

    page = topic_page(index.conn, roadmap, topic_id)
    if page is None:
        return None
    topic = page.topic
    resources = tuple((resource.title, resource.url, resource.status) for resource in topic.resources)
    # Titles, notes and link targets are the user's: the page goes through the same filter as entry bodies.
    return TopicView(topic.id, topic.title, strip_controls(topic_page_markdown(page)), resources)


VIEW_FIRST_CHUNK = 6_000
"""Characters rendered before the viewer first paints: enough to fill a tall terminal, fast to lay out."""
VIEW_MATH_LIMIT = 300_000
"""Characters of a body up to which the viewer shows math as Unicode (bigger bodies show their TeX source)."""
VIEW_LIMIT = 30_000
"""Characters of a body the viewer renders unless asked for everything: the Markdown widget's layout cost
grows with the document (textual#4586)."""
MARKDOWN_LIMIT = 60_000
"""Characters rendered as Markdown even when everything is asked for (`L`); the lines after that are shown
as plain text, which costs nothing per line off screen. The Markdown widget re-parses and re-wraps its last
block on every append, so a million-line entry kept it busy for minutes; one 60 KB paragraph takes seconds."""


@dataclass(frozen=True)
class EntryView:
    """An entry prepared for the viewer: the header fields and the body split for progressive rendering."""

    path: str
    entry: Entry
    first: str
    """The first chunk of the (HTML-cleaned) body, rendered at once."""
    rest: str
    """Rendered after the first chunk has painted."""
    shown_chars: int
    total_chars: int
    plain_tail: tuple[str, ...] = ()
    """Lines past `MARKDOWN_LIMIT` (only when everything was asked for), shown as plain text."""
    backlinks: tuple[tuple[str, str], ...] = ()
    """(path, title) of the entries linking to this one, listed under "Linked from" at the end."""
    link_state: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    """Its `LinkState` when it was prepared (see `EntryViewer.recheck_links`)."""

    @property
    def truncated(self) -> bool:
        return self.shown_chars < self.total_chars


def load_entry_view(journal: Journal, path: str, *, limit: int | None = VIEW_LIMIT) -> EntryView:
    """Read and parse the entry at `path` (relative to the journal) and prepare its body for the viewer."""
    # Imported on first use: the entry reader is not needed before the first screen is up.
    from mljournal.core.entries.links import wikilinks_as_markdown
    from mljournal.core.entries.read import load_entry
    from mljournal.core.text.markdown.readable_math import markdown_with_readable_math

    journal.abspath(path)  # refuses paths that leave the journal before anything is read
    entry = load_entry(journal.root, path)
    raw_body = entry.body
    # Only what can be shown is prepared: the first screenful of a 30 MB log needs its first 60 KB.
    head = raw_body
    if limit is not None and len(raw_body) > 2 * limit:
        head = raw_body[: raw_body.rfind("\n", 0, 2 * limit) + 1 or 2 * limit]
    # Everything the viewer derives from the body (paragraphs, code blocks, tables, link targets, headings
    # in the table of contents, the link picker) comes from this text, so the filter runs once, here.
    body = readable_html("".join(strip_controls(piece) for piece in _pieces(head)))
    links = _entry_links(journal, path, body)
    # TeX as Unicode (α, ∑ᵢ). Parsing costs about 1 ms per KB, so a huge body keeps its source instead.
    if len(body) <= VIEW_MATH_LIMIT:
        body = markdown_with_readable_math(wikilinks_as_markdown(body, links.resolve))
    total = len(body) if head is raw_body else len(raw_body)
    shown = body
    if limit is not None:
        shown, _cut = cut_body(body, limit)
    markdown, _cut = cut_body(shown, MARKDOWN_LIMIT)
    plain_tail = tuple(line for piece in _pieces(shown[len(markdown) :]) for line in piece.splitlines())
    first, _more = cut_body(markdown, VIEW_FIRST_CHUNK)
    rest = markdown[len(first) :]
    if links.backlinks:
        # Markdown links like any other: the viewer opens them on click, and `f` offers them.
        listed = "".join(f"- [{_link_label(title)}](/{quote(source)})\n" for source, title in links.backlinks)
        section = f"\n\n---\n\n**Linked from**\n\n{listed}"
        if rest:
            rest += section
        else:
            first += section
    return EntryView(path, entry, first, rest, len(shown), total, plain_tail, links.backlinks, links.state)


LinkState = tuple[tuple[str, ...], tuple[str, ...]]
"""What an entry's links resolve to (in order) and which entries link to it: when it changes, show it again."""


@dataclass(frozen=True, slots=True)
class _ViewLinks:
    resolve: Callable[[Link], str | None]
    backlinks: tuple[tuple[str, str], ...]
    state: LinkState


def _entry_links(journal: Journal, path: str, body: str) -> _ViewLinks:
    """How the entry's wikilinks resolve, and which entries link to it, from the index as it is now.

    The index answers from what it has read; an index that can't answer leaves the links unresolved and the
    list empty rather than keeping the entry from showing.
    """
    from mljournal.core.entries.links import read_links

    def ask(index: Index) -> _ViewLinks:
        # Resolved against the wikilinks of the text being shown (the index may not have read this version);
        # like math, they are rewritten only in a body small enough to parse quickly.
        shown = read_links(body) if "[[" in body and len(body) <= VIEW_MATH_LIMIT else []
        resolver = index.link_resolver((path, link) for link in shown if link.kind == "wiki")
        state = _link_state(index, path)
        backlinks = tuple(
            (source, row.title if row is not None else source)
            for source in state[1]
            for row in [index.entry_row(source)]
        )
        return _ViewLinks(lambda link: resolver.resolve(path, link), backlinks, state)

    try:
        return using_index(journal, ask)
    except (sqlite3.Error, OSError):
        return _ViewLinks(lambda _link: None, (), ((), ()))


def _link_state(index: Index, path: str) -> LinkState:
    targets = tuple(target for _link, target in index.links_from(path).resolved)
    return targets, tuple(index.backlinks(path))


def entry_link_state(journal: Journal, path: str) -> LinkState | None:
    """The entry's `LinkState` now (blocking), or None when the index can't say."""
    try:
        return using_index(journal, lambda index: _link_state(index, path))
    except (sqlite3.Error, OSError):
        return None


_LABEL_MARKUP = re.compile(r"([\\`*_\[\]()<>~|&])")
"""What would make a title Markdown (a link, emphasis, code, an entity) instead of text: escaped."""


def _link_label(title: str) -> str:
    """An entry's title as the text of a Markdown link: one line, shown literally."""
    return _LABEL_MARKUP.sub(r"\\\1", one_line(title, 120))


_PIECE = 1 << 20
"""Characters filtered or split in one call; see `_pieces`."""


def _pieces(text: str) -> list[str]:
    """`text` cut after newlines into pieces of about a megabyte.

    Each `re.sub` or `splitlines` over a whole 30 MB body holds the GIL for most of a second; done a piece
    at a time, the event loop gets its turn between pieces and the app keeps answering keys while a huge
    entry is prepared. Cutting after a newline keeps `\r\n` pairs and lines whole.
    """
    if len(text) <= _PIECE:
        return [text]
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + _PIECE)
        end = len(text) if end < 0 else end + 1
        pieces.append(text[start:end])
        start = end
    return pieces
