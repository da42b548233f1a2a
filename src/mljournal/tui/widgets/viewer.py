"""The viewer: a header card for the entry's metadata, then its body in Textual's Markdown widget.

Loading is split in two exclusive workers: a thread reads and prepares the file, then an async worker renders
it. A new selection cancels both, so moving fast through the list never queues stale renders. Long bodies
paint their first few KB at once and append the rest, and stop at a cap until asked for everything. Asked
for everything (`L`), the Markdown widget still takes only the first `MARKDOWN_LIMIT` characters; the lines
after it go to a plain-text widget in batches, one per frame, so the app stays responsive, `escape` stops
the load and selecting another entry cancels it (the pieces: `long_body`). Its neighbours: `contents` (the
table of contents) and `viewer_links` (where a followed link goes).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Markdown, Static

from mljournal.core.journal import Journal
from mljournal.tui.data import (
    VIEW_LIMIT,
    EntryView,
    TopicView,
    entry_link_state,
    load_entry_view,
    load_topic_view,
)
from mljournal.tui.keys import VIEWER_KEYS
from mljournal.tui.text import markdown_links, one_line
from mljournal.tui.widgets.contents import ContentsTree, EntryContents
from mljournal.tui.widgets.entry_card import failure_card, header_card, more_note, topic_card
from mljournal.tui.widgets.long_body import (
    STOPPED_NOTE,
    append_rest,
    next_frame,
    replace_body,
    stopped_notice,
)
from mljournal.tui.widgets.plain_lines import PlainLines
from mljournal.tui.widgets.viewer_links import find_wikilink, where_link_goes


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
    class _ViewerMessage(Message):
        """What the viewer tells the screen; the viewer is its `control`."""

        viewer: EntryViewer

        @property
        def control(self) -> EntryViewer:
            return self.viewer

    @dataclass
    class EntryLinkClicked(_ViewerMessage):
        """A relative link to another entry was followed: the screen opens it."""

        path: str
        anchor: str

    @dataclass
    class WebLinkClicked(_ViewerMessage):
        """A link that leaves the journal: the screen asks before opening a browser."""

        href: str

    @dataclass
    class LinksRequested(_ViewerMessage):
        """The user asked to pick one of the entry's links: the screen offers them and calls `follow`."""

        links: list[tuple[str, str]]
        """(text, href) in the order they appear."""

    @dataclass
    class Loaded(_ViewerMessage):
        """The first screen of an entry has been rendered (tests and the bench wait on this)."""

        path: str | None

    @dataclass
    class TopicLoaded(_ViewerMessage):
        """A roadmap topic's page has been rendered (tests wait on this)."""

        topic_id: str

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
        """The entry whose first screen has been painted (the bench times up to this)."""
        self._load_stopped = False
        """Whether escape stopped the rest of this entry from loading (L starts it again)."""
        self.topic_id: str | None = None
        """The roadmap topic whose page is shown (or being loaded) instead of an entry."""
        self.rendered_topic: str | None = None
        """The topic whose page is laid out."""
        self.topic_view: TopicView | None = None
        """The page shown, with the topic's resources (None while an entry is shown)."""

    def compose(self) -> ComposeResult:
        markdown = Markdown(id="viewer-body", open_links=False)
        yield EntryContents(markdown, hide=self._hide_contents)
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
        self.topic_view = None
        self.path = path
        self._forget_shown()
        if path is None:
            self._view = None
            self._show_card_only(Content("No entry selected."), None)
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
        self._forget_shown()
        self._prepare_topic(topic_id)

    def _forget_shown(self) -> None:
        """A new entry or topic is on its way: what was rendered, and still being added, belongs to the old one."""
        self.rendered_path = None
        self.painted_path = None
        self.rendered_topic = None
        self.workers.cancel_group(self, "viewer-render")
        self.loading_all = False
        self._load_stopped = False

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
        # Shielded: a cancel inside update breaks the widget's tasks (see `long_body.replace_body`).
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
        if message.path == self.path:
            self._show_card_only(failure_card(message.path, message.error), message.path)

    def _show_card_only(self, card: Content, path: str | None) -> None:
        """Show `card` and no body: no entry selected, or the one at `path` can't be read."""
        self.query_one("#viewer-card", Static).update(card)
        self.markdown.update("")
        self.query_one(PlainLines).clear()
        self._set_more(None)
        self.post_message(self.Loaded(self, path))

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
        await replace_body(self.markdown, view.first)
        self._set_more(view)
        self.rendered_path = view.path
        await next_frame(self)
        self.painted_path = view.path
        self.post_message(self.Loaded(self, view.path))
        # The rest goes in after the first screen has painted, a chunk per frame (`long_body`); a new
        # selection or escape cancels this worker.
        self.loading_all = bool(view.rest or view.plain_tail)
        await append_rest(
            self, view, self.markdown, tail, lambda lines: self._set_more(view, loaded_lines=lines)
        )
        self.loading_all = False
        self._set_more(view)

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
        target = where_link_goes(self.path or "", href)
        if target.kind == "wiki":
            self._follow_wikilink(self.path or "", target.value)
        elif target.kind == "web":
            self.post_message(self.WebLinkClicked(self, target.value))
        elif target.kind == "anchor":
            if target.value:
                self.markdown.goto_anchor(target.value)
        elif target.kind == "entry":
            self.post_message(self.EntryLinkClicked(self, target.value, target.fragment))
        else:
            self.notify(target.value, severity="warning")

    @work(thread=True, exclusive=True, group="viewer-wikilink", exit_on_error=False)
    def _follow_wikilink(self, source: str, written: str) -> None:
        found = find_wikilink(self._journal, source, written)
        self.app.call_from_thread(self._wikilink_resolved, written, found)

    def _wikilink_resolved(self, written: str, found: str | None) -> None:
        if found is None:
            self.notify(f"Not an entry in this journal: [[{one_line(written, 80)}]]", severity="warning")
        else:
            # No anchor, as when the viewer rewrites a resolved wikilink: its heading is text, not a slug.
            self.post_message(self.EntryLinkClicked(self, found, ""))

    # Table of contents ---------------------------------------------------------------------------------

    def _hide_contents(self) -> None:
        self.show_contents = False

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
        self.notify(stopped_notice(self._view, self.query_one(PlainLines).line_count))
        more = self.query_one("#viewer-more", Static)
        more.set_class(True, "-visible")
        more.update(Content(STOPPED_NOTE))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "load_all":
            return (self._view is not None and (self._view.truncated or self._load_stopped)) or None
        if action == "stop_loading":
            # Otherwise escape goes on to the screen (and the table of contents keeps its own escape).
            return self.loading_all
        return True
