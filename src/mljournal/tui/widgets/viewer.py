"""The viewer: a header card for the entry's metadata, then its body in Textual's Markdown widget.

Loading is split in two exclusive workers: a thread reads and prepares the file, then an async worker renders
it. A new selection cancels both, so moving fast through the list never queues stale renders. Long bodies
paint their first few KB at once and append the rest, and stop at a cap until asked for everything. Asked
for everything (`L`), the Markdown widget still takes only the first `MARKDOWN_LIMIT` characters; the lines
after it go to a plain-text widget in batches, one per frame, so the app stays responsive, `escape` stops
the load and selecting another entry cancels it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Markdown, Static, Tree
from textual.widgets.markdown import MarkdownTableOfContents, TableOfContentsType
from textual.widgets.tree import TreeNode

from mljournal.core.entries.links import Link, linked_path
from mljournal.core.journal import ENTRY_SUFFIXES, Journal
from mljournal.tui.data import (
    VIEW_FIRST_CHUNK,
    VIEW_LIMIT,
    EntryView,
    TopicView,
    entry_link_state,
    load_entry_view,
    load_topic_view,
    using_index,
)
from mljournal.tui.keys import CONTENTS_KEYS, VIEWER_KEYS
from mljournal.tui.text import cut_body, markdown_links, one_line
from mljournal.tui.widgets.entry_card import failure_card, header_card, more_note, topic_card
from mljournal.tui.widgets.plain_lines import PlainLines

WEB_SCHEMES = ("http", "https", "mailto", "ftp")
PLAIN_BATCH_LINES = 20_000
"""Plain-text lines added per frame while a long entry loads: cheap to add, and a frame stays short."""
HEADING_NUMERALS = ("", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ")


class ContentsTree(Tree[dict[str, str | None] | None]):
    """The headings of the entry, with `j`/`k` and `escape`/`c` to close (focus goes back to the body)."""

    BINDINGS: ClassVar[list[BindingType]] = CONTENTS_KEYS.bindings()

    def action_close(self) -> None:
        """Hide the table of contents and give the focus back to the entry."""
        viewer = next((node for node in self.ancestors if isinstance(node, EntryViewer)), None)
        if viewer is not None:
            viewer.show_contents = False


class EntryContents(MarkdownTableOfContents):
    """Textual's table of contents with a labelled root (the entry's title) and no placeholder nodes.

    Textual's own fills a missing heading level with a node named after the level (`▼ Ⅱ` above an entry
    whose headings start at `##`); here each heading hangs under the nearest heading above it of a
    higher level, or under the root.
    """

    title = "Contents"
    """The root's label: the entry's title once one is shown."""

    def compose(self) -> ComposeResult:
        tree: ContentsTree = ContentsTree("Contents")
        tree.show_root = True
        tree.show_guides = True
        tree.guide_depth = 3
        tree.auto_expand = False
        yield tree

    def rebuild_table_of_contents(self, table_of_contents: TableOfContentsType) -> None:
        tree = self.query_one(ContentsTree)
        tree.clear()
        tree.root.set_label(Text(one_line(self.title, 80) or "Contents", style="bold"))
        tree.root.expand()
        stack: list[tuple[int, TreeNode[dict[str, str | None] | None]]] = []
        for level, name, block_id in table_of_contents:
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else tree.root
            label = Text.assemble((f"{HEADING_NUMERALS[min(level, 6)]} ", "dim"), one_line(name, 200))
            # A heading with subheadings can fold; one without shows no fold icon.
            parent.allow_expand = True
            node = parent.add(label, {"block_id": block_id}, expand=True, allow_expand=False)
            stack.append((level, node))


class EntryViewer(VerticalScroll, can_focus=True, can_focus_children=False):
    """The selected entry: metadata card, then the rendered Markdown body.

    | Key | Action |
    | :- | :- |
    | `j` / `k` / arrows | Scroll |
    | `g` / `G` | Top / bottom |
    | `space` / `pagedown` | Next page |
    | `f` | Follow one of the entry's links |
    | `c` | Show or hide the table of contents |
    | `L` | Load all of a long entry |
    | `escape` | Stop loading it |
    """

    BINDINGS: ClassVar[list[BindingType]] = VIEWER_KEYS.bindings()

    DEFAULT_CSS = """
    EntryViewer {
        background: $surface;
        & > #viewer-card {
            padding: 0 1;
            margin: 0 0 1 0;
            border-bottom: hkey $primary 50%;
        }
        & > #viewer-more { padding: 0 1; color: $text-warning; display: none; }
        & > #viewer-more.-visible { display: block; }
        & > MarkdownTableOfContents {
            dock: right;
            width: 32;
            max-width: 50%;
            display: none;
            background: $panel;
        }
        &.-show-contents > MarkdownTableOfContents { display: block; }
        & > Markdown { padding: 0 1; }
    }
    """

    path: reactive[str | None] = reactive(None, init=False)
    """The entry shown (or being loaded), relative to the journal."""
    show_contents: reactive[bool] = reactive(False)
    """Whether the table of contents is docked beside the body."""
    loading_all: reactive[bool] = reactive(False, init=False)
    """Whether the rest of an entry is still being added after its first screen (escape stops it)."""

    @dataclass
    class EntryLinkClicked(Message):
        """A relative link to another entry was followed: the screen opens it."""

        viewer: EntryViewer
        path: str
        anchor: str

        @property
        def control(self) -> EntryViewer:
            return self.viewer

    @dataclass
    class WebLinkClicked(Message):
        """A link that leaves the journal: the screen asks before opening a browser."""

        viewer: EntryViewer
        href: str

        @property
        def control(self) -> EntryViewer:
            return self.viewer

    @dataclass
    class LinksRequested(Message):
        """The user asked to pick one of the entry's links: the screen offers them and calls `follow`."""

        viewer: EntryViewer
        links: list[tuple[str, str]]
        """(text, href) in the order they appear."""

        @property
        def control(self) -> EntryViewer:
            return self.viewer

    @dataclass
    class Loaded(Message):
        """The first screen of an entry has been rendered (tests and the bench wait on this)."""

        viewer: EntryViewer
        path: str | None

        @property
        def control(self) -> EntryViewer:
            return self.viewer

    @dataclass
    class TopicLoaded(Message):
        """A roadmap topic's page has been rendered (tests wait on this)."""

        viewer: EntryViewer
        topic_id: str

        @property
        def control(self) -> EntryViewer:
            return self.viewer

    @dataclass
    class _Prepared(Message):
        view: EntryView

    @dataclass
    class _TopicPrepared(Message):
        topic_id: str
        view: TopicView | None
        error: str | None = None

    @dataclass
    class _Failed(Message):
        path: str
        error: str

    def __init__(self, journal: Journal, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._journal = journal
        self._view: EntryView | None = None
        self.rendered_path: str | None = None
        """The entry whose first screen is laid out (None while empty or loading)."""
        self.painted_path: str | None = None
        self._load_stopped = False
        """Whether escape stopped the rest of this entry from loading (L starts it again)."""
        """The entry whose first screen has been painted (the bench times up to this)."""
        self.topic_id: str | None = None
        """The roadmap topic whose page is shown (or being loaded) instead of an entry."""
        self.rendered_topic: str | None = None
        """The topic whose page is laid out."""
        self.topic_view: TopicView | None = None
        """The page shown, with the topic's resources (None while an entry is shown)."""

    def compose(self) -> ComposeResult:
        markdown = Markdown(id="viewer-body", open_links=False)
        yield EntryContents(markdown)
        yield Static(Content("Select an entry to read it."), id="viewer-card")
        yield markdown
        yield PlainLines(id="viewer-tail")
        yield Static("", id="viewer-more")

    @property
    def markdown(self) -> Markdown:
        """The body's Markdown widget."""
        return self.query_one("#viewer-body", Markdown)

    # Loading -------------------------------------------------------------------------------------------

    def show(self, path: str | None, *, full: bool = False, force: bool = False) -> None:
        """Show the entry at `path` (None clears the viewer); `full` lifts the size cap."""
        if path == self.path and not force and not full and self.topic_id is None:
            return
        if self.topic_id is not None:
            self.border_title = "Entry"
        self.topic_id = None
        self.rendered_topic = None
        self.topic_view = None
        self.path = path
        self.rendered_path = None
        self.painted_path = None
        # Whatever was still being added belongs to the entry being left.
        self.workers.cancel_group(self, "viewer-render")
        self.loading_all = False
        self._load_stopped = False
        if path is None:
            self.query_one(PlainLines).clear()
            self._view = None
            self.query_one("#viewer-card", Static).update(Content("No entry selected."))
            self.markdown.update("")
            self._set_more(None)
            self.post_message(self.Loaded(self, None))
            return
        self._prepare(path, full)

    def show_topic(self, topic_id: str, *, force: bool = False) -> None:
        """Show the page of roadmap topic `topic_id` (status, notes, resources, linked entries) instead of an
        entry; `force` reads it again (after a roadmap edit)."""
        if topic_id == self.topic_id and not force:
            return
        self.path = None
        self.topic_id = topic_id
        self.border_title = "Topic"
        self.rendered_path = None
        self.painted_path = None
        self.rendered_topic = None
        self.workers.cancel_group(self, "viewer-render")
        self.loading_all = False
        self._load_stopped = False
        self._prepare_topic(topic_id)

    @work(thread=True, exclusive=True, group="viewer-load", exit_on_error=False)
    def _prepare_topic(self, topic_id: str) -> None:
        try:
            view = load_topic_view(self._journal, topic_id)
        except Exception as error:  # an unreadable roadmap or index: said on the card, never a crash
            self.post_message(self._TopicPrepared(topic_id, None, str(error)))
            return
        self.post_message(self._TopicPrepared(topic_id, view))

    @on(_TopicPrepared)
    def _render_topic_prepared(self, message: _TopicPrepared) -> None:
        message.stop()
        if message.topic_id == self.topic_id:
            self._render_topic(message.topic_id, message.view, message.error)

    @work(exclusive=True, group="viewer-render", exit_on_error=False)
    async def _render_topic(self, topic_id: str, view: TopicView | None, error: str | None) -> None:
        self._view = None
        self.topic_view = view
        self.query_one(PlainLines).clear()
        self._set_more(None)
        self.query_one("#viewer-card", Static).update(topic_card(topic_id, view, error))
        self.scroll_home(animate=False, immediate=True)
        # Shielded for the same reason as an entry's render: a cancel inside update breaks the widget's tasks.
        await asyncio.shield(self.markdown.update(view.markdown if view is not None else ""))
        self.rendered_topic = topic_id
        self.post_message(self.TopicLoaded(self, topic_id))

    @work(thread=True, exclusive=True, group="viewer-load", exit_on_error=False)
    def _prepare(self, path: str, full: bool) -> None:
        try:
            view = load_entry_view(self._journal, path, limit=None if full else VIEW_LIMIT)
        except (OSError, ValueError) as error:
            self.post_message(self._Failed(path, str(error)))
            return
        self.post_message(self._Prepared(view))

    @on(_Failed)
    def _show_failure(self, message: _Failed) -> None:
        message.stop()
        if message.path != self.path:
            return
        self.query_one("#viewer-card", Static).update(failure_card(message.path, message.error))
        self.markdown.update("")
        self.query_one(PlainLines).clear()
        self._set_more(None)
        self.post_message(self.Loaded(self, message.path))

    @on(_Prepared)
    def _render_prepared(self, message: _Prepared) -> None:
        message.stop()
        if message.view.path != self.path:
            return  # the user has moved on
        self._render_view(message.view)

    @work(exclusive=True, group="viewer-render", exit_on_error=False)
    async def _render_view(self, view: EntryView) -> None:
        self._view = view
        tail = self.query_one(PlainLines)
        tail.clear()
        self.query_one("#viewer-card", Static).update(header_card(view))
        self.scroll_home(animate=False, immediate=True)
        # Emptied, then appended to: `Markdown.update` leaves the widget's "re-parse from here" mark on the
        # last line instead of the last block's first line, so a paragraph cut between chunks lost its
        # beginning on the first append; `append` keeps the mark right. Shielded: a new selection cancels
        # this worker, and a cancel that reaches Markdown.update while it removes the old blocks cancels
        # those widgets' own tasks; the app then meets the CancelledError in its message loop and quits
        # without a word (seen right after deleting the shown entry).
        await asyncio.shield(self.markdown.update(""))
        await asyncio.shield(self.markdown.append(view.first))
        self._set_more(view)
        self.rendered_path = view.path
        await self._next_frame()
        self.painted_path = view.path
        self.post_message(self.Loaded(self, view.path))
        # The rest goes in after the first screen has painted, a chunk per frame, so keys and scrolling
        # stay responsive while a long entry lays out (and a new selection or escape cancels this worker).
        # Offsets, not re-slicing: copying the remainder for every chunk is quadratic in the body's size.
        rest = view.rest
        self.loading_all = bool(rest or view.plain_tail)
        offset = 0
        while offset < len(rest):
            chunk, _cut = cut_body(rest[offset : offset + VIEW_FIRST_CHUNK + 1], VIEW_FIRST_CHUNK)
            offset += len(chunk)
            await asyncio.shield(self.markdown.append(chunk))
            await self._next_frame()
        lines = view.plain_tail
        for start in range(0, len(lines), PLAIN_BATCH_LINES):
            tail.append_lines(lines[start : start + PLAIN_BATCH_LINES])
            if view.plain_tail and start % (PLAIN_BATCH_LINES * 10) == 0:
                self._set_more(view, loaded_lines=tail.line_count)
            await self._next_frame()
        self.loading_all = False
        self._set_more(view)

    async def _next_frame(self) -> None:
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()

    def _set_more(self, view: EntryView | None, *, loaded_lines: int | None = None) -> None:
        more = self.query_one("#viewer-more", Static)
        note = more_note(view, loaded_lines=loaded_lines)
        more.set_class(bool(note), "-visible")
        more.update(Content(note) if note else "")

    # Links ---------------------------------------------------------------------------------------------

    def recheck_links(self) -> None:
        """Other entries changed: show this one again if what it links to, or what links to it, changed."""
        if self._view is not None:
            self._recheck_links(self._view)

    @work(thread=True, exclusive=True, group="viewer-links", exit_on_error=False)
    def _recheck_links(self, view: EntryView) -> None:
        state = entry_link_state(self._journal, view.path)
        if state is not None and state != view.link_state:
            self.app.call_from_thread(self._links_moved, view.path)

    def _links_moved(self, path: str) -> None:
        if path == self.path:
            self.show(path, force=True)

    def action_follow_link(self) -> None:
        """Pick one of the entry's links and follow it (web links still ask first)."""
        links = markdown_links(self.markdown.source)
        if not links:
            self.notify("This entry has no links.", timeout=2)
            return

        self.post_message(self.LinksRequested(self, links))

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.follow(event.href)

    def follow(self, href: str) -> None:
        """Act on a link of the entry: another entry opens here, a web link asks first, anything else is refused."""
        href = href.strip()
        if href.startswith("[[") and href.endswith("]]") and len(href) > 4:
            # A raw wikilink from the link picker (`markdown_links`): only the index knows which entry it names.
            self._follow_wikilink(self.path or "", href[2:-2])
            return
        parts = urlsplit(href)
        if parts.scheme.lower() in WEB_SCHEMES:
            self.post_message(self.WebLinkClicked(self, href))
            return
        if parts.scheme:
            self.notify(f"Not opening {one_line(href, 80)}: unknown link type.", severity="warning")
            return
        if not parts.path:
            if parts.fragment:
                self.markdown.goto_anchor(parts.fragment)
            return
        target = resolve_entry_link(self.path or "", unquote(parts.path))
        if target is None:
            self.notify(f"Not an entry in this journal: {one_line(href, 80)}", severity="warning")
            return
        self.post_message(self.EntryLinkClicked(self, target, parts.fragment))

    @work(thread=True, exclusive=True, group="viewer-wikilink", exit_on_error=False)
    def _follow_wikilink(self, source: str, written: str) -> None:
        target, _hash, heading = written.partition("#")
        link = Link("wiki", target, target, heading)
        try:
            found = using_index(
                self._journal, lambda index: index.link_resolver([(source, link)]).resolve(source, link)
            )
        except (sqlite3.Error, OSError):
            found = None
        self.app.call_from_thread(self._wikilink_resolved, written, found)

    def _wikilink_resolved(self, written: str, found: str | None) -> None:
        if found is None:
            self.notify(f"Not an entry in this journal: [[{one_line(written, 80)}]]", severity="warning")
        else:
            # No anchor, as when the viewer rewrites a resolved wikilink: its heading is text, not a slug.
            self.post_message(self.EntryLinkClicked(self, found, ""))

    # Table of contents ---------------------------------------------------------------------------------

    def watch_show_contents(self, show: bool) -> None:
        self.set_class(show, "-show-contents")
        contents = self.query_one(EntryContents)
        if not show and contents.has_focus_within:
            # Focus must not stay on a hidden tree: keys would go nowhere until `tab`.
            self.focus()

    @on(Markdown.TableOfContentsUpdated)
    def _contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        event.stop()
        contents = self.query_one(EntryContents)
        contents.title = self._view.entry.title or self._view.path if self._view is not None else "Contents"
        contents.table_of_contents = event.table_of_contents

    @on(Markdown.TableOfContentsSelected)
    def _contents_selected(self, event: Markdown.TableOfContentsSelected) -> None:
        event.stop()
        block = self.markdown.query(f"#{event.block_id}")
        if block:
            self.scroll_to_widget(block.first(), top=True, animate=False)

    def action_toggle_contents(self) -> None:
        """Show or hide the table of contents of the entry's headings."""
        self.show_contents = not self.show_contents
        if self.show_contents:
            self.query_one(EntryContents).query_one(ContentsTree).focus()

    def action_load_all(self) -> None:
        """Render the whole of a long entry (again, after escape stopped it)."""
        if self._view is not None and (self._view.truncated or self._load_stopped):
            self.show(self._view.path, full=True)

    def action_stop_loading(self) -> None:
        """Stop adding the rest of a long entry; what is shown stays."""
        if not self.loading_all:
            return
        self.workers.cancel_group(self, "viewer-render")
        self.loading_all = False
        self._load_stopped = True
        view = self._view
        shown = self.query_one(PlainLines).line_count
        if view is not None and view.plain_tail:
            self.notify(f"Stopped loading: {shown:,} of {len(view.plain_tail):,} plain-text lines shown.")
        else:
            self.notify("Stopped loading the rest of the entry.")
        more = self.query_one("#viewer-more", Static)
        more.set_class(True, "-visible")
        more.update(Content("… loading stopped. Press L to load all of it, or e to open it in the editor."))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_all":
            return (self._view is not None and (self._view.truncated or self._load_stopped)) or None
        if action == "stop_loading":
            # Otherwise escape goes on to the screen (and the table of contents keeps its own escape).
            return self.loading_all
        return True


def resolve_entry_link(current: str, target: str) -> str | None:
    """The journal path a relative link in the entry at `current` points to, if it names an entry file.

    Links are resolved against the entry's folder (`links.linked_path`); a link that climbs out of the
    journal, or names a file that is not an entry, resolves to None.
    """
    joined = linked_path(current, target)
    if joined is None or not joined.lower().endswith(ENTRY_SUFFIXES):
        return None
    return joined
