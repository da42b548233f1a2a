"""The main screen: wires the navigator, the search bar, the entry list and the viewer, and keeps them fresh.

Panes never talk to each other: they post messages, this screen handles them and calls the other panes.
It also owns the background work that spans panes: the start-up index sync, the file watcher, roadmap edits
and the refresh after an entry changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from mljournal.core.index import Index, SyncReport
from mljournal.core.journal import ENTRIES_DIR, ROADMAP_FILE, Journal
from mljournal.core.query import complete_last_word
from mljournal.core.roadmap import add_topic, cycle_status, rename_topic, set_resource_status
from mljournal.tui.data import NavigatorData, finish_interrupted_move, load_navigator_data, using_index
from mljournal.tui.keys import MAIN_KEYS, PALETTE_GROUPS, palette_commands
from mljournal.tui.screens.prompt import ConfirmOpenLink, LinkPicker, TextPrompt
from mljournal.tui.text import one_line, strip_controls
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.navigator import Navigator
from mljournal.tui.widgets.search_bar import SearchBar
from mljournal.tui.widgets.viewer import EntryViewer
from mljournal.tui.workers import changed_entries, watch_folder

if TYPE_CHECKING:
    from mljournal.tui.app import MLJournalApp
    from mljournal.tui.screens.dialogs import DeletedEntry


TOPIC_PLACE = "topic:"
"""Marks a topic's page in the back/forward history, beside entry paths (which all start with `entries/`)."""


@dataclass
class SyncProgressed(Message):
    """The start-up sync read `done` of `total` changed files."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgressed)


@dataclass
class IndexSynced(Message):
    """The start-up sync finished."""

    report: SyncReport
    in_memory: bool = False
    """The journal's `.mljournal/` can't be written: the index lives in memory for this session."""
    in_memory_reason: str | None = None
    """Why, when it is not a read-only journal (a symlinked `.mljournal`, say)."""


@dataclass
class MoveFinished(Message):
    """A `roadmap move` interrupted earlier was finished (or could not be) before the sync."""

    note: str
    failed: bool
    paths: list[str]


@dataclass
class FilesChanged(Message):
    """The watcher saw entry files (or roadmap.yaml) change on disk."""

    paths: set[str] = field(default_factory=set)
    roadmap: bool = False


@dataclass
class IndexRefreshed(Message):
    """Changed paths were re-read into the index; panes can reload."""

    paths: set[str]
    roadmap: bool
    select: str | None = None


@dataclass
class NavigatorLoaded(Message):
    data: NavigatorData


@dataclass
class RoadmapEdited(Message):
    """roadmap.yaml was written; `topic_id` is the topic to put the cursor on."""

    topic_id: str | None
    note: str


class MainScreen(Screen[None]):
    """Navigator | search + entry list | viewer, with a header, a sync line and a footer.

    | Key | Action |
    | :- | :- |
    | `tab` / `shift+tab` | Next / previous pane |
    | `/` | Search |
    | `n` | New entry |
    | `e` / `E` | Edit the entry (built-in editor / $EDITOR) |
    | `t` / `o` | Edit its tags / link it to roadmap topics |
    | `D` | Delete it (to the trash) |
    | `u` | Undo the last delete (restore the entry) |
    | `ctrl+r` | Re-read every file into the index |
    """

    AUTO_FOCUS = "EntryList"
    """The list has focus from the first frame: focusing it later re-lays the footer out once more."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS.bindings()

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.nav_filter = ""
        """The navigator's search-language filter ("" at the root)."""
        self.search_text = ""
        """What is typed in the search box."""
        self.current_topic: str | None = None
        """The highlighted roadmap topic, offered as the default topic of a new entry."""
        self.ready = False
        """True once the list has its first results and the navigator its tree."""
        self._navigator_ready = False
        self._pending_topic: str | None = None
        self._first_entry: str | None = None
        self._said_in_memory = False
        self._last_deleted: DeletedEntry | None = None
        """The entry `u` restores: the one deleted last in this session, until it is restored."""
        self._stop_watching = threading.Event()
        self._back: list[str] = []
        """Entries left by following a link, the latest last (`alt+left`/`backspace` returns to them)."""
        self._forward: list[str] = []

    @property
    def mlapp(self) -> MLJournalApp:
        from mljournal.tui.app import MLJournalApp

        assert isinstance(self.app, MLJournalApp)
        return self.app

    def compose(self) -> ComposeResult:
        today = self.mlapp.clock().date()
        yield Header(icon="✎")
        with Horizontal(id="panes"):
            yield Navigator(self.journal, id="navigator")
            with Vertical(id="list-pane"):
                yield SearchBar(id="search")
                yield EntryList(self.journal, today=today, id="entries")
            yield EntryViewer(self.journal, id="viewer")
        yield Static("", id="sync-status")
        yield Footer()

    @property
    def navigator(self) -> Navigator:
        return self.query_one(Navigator)

    @property
    def entry_list(self) -> EntryList:
        return self.query_one(EntryList)

    @property
    def viewer(self) -> EntryViewer:
        return self.query_one(EntryViewer)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.navigator.border_title = "Navigator"
        self.query_one("#list-pane").border_title = "Entries"
        self.viewer.border_title = "Entry"
        self.entry_list.set_query("")
        self._load_navigator()
        if self.mlapp.watch_files:
            self._watch_entries()
            self._watch_root()

    def on_unmount(self) -> None:
        self._stop_watching.set()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")

    # Queries -------------------------------------------------------------------------------------------

    def _run_query(self, keep_path: str | None = None) -> None:
        # The word still being typed searches as a prefix, so results follow every keystroke.
        typed = complete_last_word(self.search_text.lstrip())
        query = " ".join(part for part in (self.nav_filter, typed) if part.strip())
        self.entry_list.set_query(query, keep_path=keep_path)

    @on(Navigator.FilterChanged)
    def _filter_changed(self, message: Navigator.FilterChanged) -> None:
        node = message.node
        self.current_topic = node.topic_id
        if node.filter != self.nav_filter:
            self.nav_filter = node.filter
            self._run_query()
        if self._reading_topics():
            # Moving through the roadmap reads each topic's page; the list still narrows behind it.
            assert node.topic_id is not None
            self.viewer.show_topic(node.topic_id)
        elif self.viewer.topic_id is not None and self.ready:
            self.viewer.show(self._highlighted_path())

    def _reading_topics(self) -> bool:
        """Whether the viewer should show the navigator's topic: the navigator has focus, on a topic."""
        node = self.navigator.current
        return self.navigator.has_focus and node is not None and node.kind == "topic"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.ready:
            return
        if event.widget is self.navigator:
            topic = self.navigator.current
            if self._reading_topics() and topic is not None and topic.topic_id is not None:
                self.viewer.show_topic(topic.topic_id)
        elif self.viewer.topic_id is not None and self.entry_list in (event.widget, *event.widget.ancestors):
            # Back in the list: the highlighted entry shows again.
            self.viewer.show(self._highlighted_path())

    @on(SearchBar.QueryChanged)
    def _search_changed(self, message: SearchBar.QueryChanged) -> None:
        if message.text == self.search_text:
            return  # already run (`x` empties the box after running the query itself)
        self.search_text = message.text
        self._run_query()

    @on(SearchBar.Finished)
    def _search_finished(self, message: SearchBar.Finished) -> None:
        self.entry_list.focus()

    @on(EntryList.ResultsChanged)
    def _results_changed(self, message: EntryList.ResultsChanged) -> None:
        self.query_one("#list-pane").border_title = self._list_title(message.total)
        self.search_bar.show_hint(self._search_hint(message) if self.search_text.strip() else None)
        self.refresh_bindings()  # `x` shows in the footer only while something narrows the list
        self._check_ready()

    @staticmethod
    def _search_hint(message: EntryList.ResultsChanged) -> str | None:
        """The search language's hint, and what a half-typed word was searched as (`gradeint → grade…`)."""
        parts = [f"searching: {typed} → {searched}…" for typed, searched in message.read_as]
        if message.hint:
            parts.append(message.hint)
        return " · ".join(parts) or None

    def _list_title(self, total: int) -> str:
        """`Entries · tag:numpy · "grad" · 2 entries`: what narrows the list, then how many are left."""
        narrowing = []
        if self.nav_filter:
            narrowing.append(one_line(self.nav_filter, 40))
        search = self.search_text.strip()
        if search:
            narrowing.append(f"“{one_line(search, 40)}”")
        count = f"{total:,} {'entry' if total == 1 else 'entries'}"
        middle = " · ".join(narrowing)
        full = " · ".join(part for part in ("Entries", middle, count) if part)
        # The border cuts a long title at its end: cut the filter instead (then drop "Entries"), so the
        # count stays in view.
        room = self.query_one("#list-pane").size.width - 6
        if room <= 0 or len(full) <= room or not middle:
            return full
        middle_room = room - len("Entries ·  · ") - len(count)
        if middle_room >= 6:
            return f"Entries · {middle[: middle_room - 1]}… · {count}"
        middle_room = room - len(" · ") - len(count)
        if len(middle) > middle_room:
            middle = middle[: max(1, middle_room - 1)] + "…"
        return f"{middle} · {count}"

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, message: EntryList.EntryHighlighted) -> None:
        path = message.row.path if message.row else None
        if not self.ready:
            # Rendering Markdown competes with building the list and the tree: the first entry waits
            # until they are on screen.
            self._first_entry = path
            return
        if self.viewer.topic_id is not None and self._reading_topics():
            return  # the list narrowed to the topic being read; its page stays
        self.viewer.show(path)

    @on(EntryList.EntryOpened)
    def _entry_opened(self, message: EntryList.EntryOpened) -> None:
        self.viewer.show(message.row.path)
        self.viewer.focus()

    @on(EntryViewer.EntryLinkClicked)
    def _entry_link(self, message: EntryViewer.EntryLinkClicked) -> None:
        current = self._shown_place()
        if current is not None and current != message.path:
            self._back.append(current)
            self._forward.clear()
            self.refresh_bindings()
        self._open_entry(message.path)

    def _open_entry(self, path: str) -> None:
        if path.startswith(TOPIC_PLACE):
            self.viewer.show_topic(path.removeprefix(TOPIC_PLACE))  # back to the topic page a link left
            return
        self.entry_list.select_path(path)
        self.viewer.show(path)

    def _shown_place(self) -> str | None:
        """What the viewer shows, as history keeps it: an entry's path, or `topic:ID` for a topic's page."""
        if self.viewer.topic_id is not None:
            return TOPIC_PLACE + self.viewer.topic_id
        return self.viewer.path

    def action_history(self, step: int) -> None:
        """Go back (-1) to the entry a link was followed from, or forward (1) again."""
        source, target = (self._back, self._forward) if step < 0 else (self._forward, self._back)
        if not source:
            return
        current = self._shown_place()
        if current is not None:
            target.append(current)
        self._open_entry(source.pop())
        self.refresh_bindings()

    @on(EntryViewer.LinksRequested)
    def _links_requested(self, message: EntryViewer.LinksRequested) -> None:
        def chosen(href: str | None) -> None:
            if href:
                self.viewer.follow(href)

        self.app.push_screen(LinkPicker(message.links), chosen)

    @on(EntryViewer.WebLinkClicked)
    def _web_link(self, message: EntryViewer.WebLinkClicked) -> None:
        href = message.href

        def answered(open_it: bool | None) -> None:
            if open_it:
                self.app.open_url(href)

        self.app.push_screen(ConfirmOpenLink(href), answered)

    def _check_ready(self) -> None:
        if self.ready or not self.entry_list.loaded_once or not self._navigator_ready:
            return
        self.ready = True
        self.viewer.show(self._first_entry)
        if self.mlapp.exit_when_ready:
            self.app.exit()
            return
        # Only now: the existing index is already on screen, and the sync's walk over every file would
        # otherwise compete with the first screen for the interpreter.
        self._sync_index()

    # Navigator data and roadmap edits ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="navigator-load", exit_on_error=False)
    def _load_navigator(self) -> None:
        self.post_message(NavigatorLoaded(load_navigator_data(self.journal)))

    @on(NavigatorLoaded)
    def _navigator_loaded(self, message: NavigatorLoaded) -> None:
        self.navigator.show_data(message.data)
        if self._pending_topic is not None:
            self.navigator.select_key(f"topic:{self._pending_topic}")
            self._pending_topic = None
        self.sub_title = f"{one_line(self.journal.name, 40)} · {message.data.total:,} entries"
        self._navigator_ready = True
        self._check_ready()

    @on(Navigator.TopicActionRequested)
    def _topic_action(self, message: Navigator.TopicActionRequested) -> None:
        if message.action == "cycle" and message.topic_id is not None:
            self._cycle_status(message.topic_id)
            return
        if message.action == "add":
            where = f"under “{one_line(message.title, 40)}”" if message.topic_id else "at the top level"

            def add(title: str | None) -> None:
                if title:
                    self._edit_roadmap("add", message.topic_id, title)

            self.app.push_screen(TextPrompt(f"New topic {where}:", placeholder="Title"), add)
            return
        if message.action == "rename" and message.topic_id is not None:
            # The field shows the title through the control filter; left as shown, nothing is renamed.
            shown = strip_controls(message.title, keep_newlines=False)

            def rename(title: str | None) -> None:
                if title and title != shown:
                    self._edit_roadmap("rename", message.topic_id, title)

            self.app.push_screen(TextPrompt("Rename topic:", value=shown), rename)
            return
        if message.action == "resource" and message.topic_id is not None:
            self._pick_resource(message.topic_id, message.title)

    def _pick_resource(self, topic_id: str, title: str) -> None:
        from mljournal.tui.screens.pickers import ResourcePicker

        roadmap = self.navigator.roadmap
        topic = roadmap.find(topic_id) if roadmap is not None else None
        if topic is None or not topic.resources:
            self.notify(f"“{one_line(title, 40)}” has no resources to mark.", timeout=3, markup=False)
            return
        resources = [(resource.title, resource.url, resource.status) for resource in topic.resources]

        def chosen(number: int | None) -> None:
            if number is not None:
                # The title picked travels with the number: if the file changed since the tree was read,
                # the write is refused rather than marking whichever resource is at that number now.
                self._edit_roadmap("resource", topic_id, str(number), resources[number - 1][0])

        self.app.push_screen(ResourcePicker(title, resources), chosen)

    def _cycle_status(self, topic_id: str) -> None:
        roadmap = self.navigator.roadmap
        topic = roadmap.find(topic_id) if roadmap is not None else None
        if topic is not None:
            # The next status is worked out from the file under the lock, not from this (maybe stale) tree:
            # a second press before the first one's write has landed still moves it one more step.
            self._edit_roadmap("cycle", topic_id, "")

    @work(thread=True, group="roadmap-edit", exit_on_error=False)
    def _edit_roadmap(self, what: str, topic_id: str | None, value: str, expected: str | None = None) -> None:
        path = self.journal.roadmap_path
        try:
            if what == "cycle" and topic_id is not None:
                topic = cycle_status(path, topic_id, today=self.mlapp.clock().date())
                note = f"{one_line(topic.title, 40)}: {topic.status}"
            elif what == "add":
                topic = add_topic(path, topic_id, value)
                note = f"Added {one_line(topic.title, 40)}"
            elif what == "rename" and topic_id is not None:
                topic = rename_topic(path, topic_id, value)
                note = f"Renamed to {one_line(topic.title, 40)}"
            elif what == "resource" and topic_id is not None:
                number = int(value)
                topic = set_resource_status(path, topic_id, number, "done", expected_title=expected)
                note = f"{one_line(topic.resources[number - 1].title, 40)}: done"
            else:
                return
        except Exception as error:  # a roadmap the app can't edit: say why, keep the file as it was
            self.app.call_from_thread(
                self.notify, one_line(str(error), 300), title="Roadmap not changed", severity="error"
            )
            return
        self.post_message(RoadmapEdited(topic.id, note))

    @on(RoadmapEdited)
    def _roadmap_edited(self, message: RoadmapEdited) -> None:
        self.notify(message.note, timeout=2)
        if message.topic_id is not None:
            self._pending_topic = message.topic_id
        self._load_navigator()
        self._run_query(keep_path=self._highlighted_path())
        self._refresh_topic_page()

    def _refresh_topic_page(self) -> None:
        """Read the shown topic's page again: its status, resources or entries may have changed."""
        if self.viewer.topic_id is not None:
            self.viewer.show_topic(self.viewer.topic_id, force=True)

    def _highlighted_path(self) -> str | None:
        row = self.entry_list.highlighted
        return row.path if row else None

    # Index sync and file watching ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index-sync", exit_on_error=False)
    def _sync_index(self, full: bool = False) -> None:
        moved = finish_interrupted_move(self.journal)
        if moved is not None:
            self.post_message(MoveFinished(moved.note, moved.failed, moved.paths))

        def progress(done: int, total: int) -> None:
            self.post_message(SyncProgressed(done, total))

        def sync(index: Index) -> tuple[SyncReport, bool, str | None]:
            return index.sync(full=full, progress=progress), index.in_memory, index.in_memory_reason

        report, in_memory, reason = using_index(self.journal, sync)
        self.post_message(IndexSynced(report, in_memory=in_memory, in_memory_reason=reason))

    @on(MoveFinished)
    def _move_finished(self, message: MoveFinished) -> None:
        severity: SeverityLevel = "error" if message.failed else "information"
        self.notify(one_line(message.note, 300), title="Roadmap", severity=severity, markup=False)
        self._reload_panes(set(message.paths), roadmap=True)

    @on(SyncProgressed)
    def _sync_progressed(self, message: SyncProgressed) -> None:
        status = self.query_one("#sync-status", Static)
        status.set_class(True, "-visible")
        status.update(Content(f"Indexing {message.done:,} / {message.total:,} files…"))

    @on(IndexSynced)
    def _index_synced(self, message: IndexSynced) -> None:
        status = self.query_one("#sync-status", Static)
        status.set_class(False, "-visible")
        report = message.report
        if message.in_memory and not self._said_in_memory:
            self._said_in_memory = True
            if message.in_memory_reason:
                self.notify(
                    one_line(message.in_memory_reason, 300),
                    title="Index in memory",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            else:
                self.notify(
                    f"{self.journal.state_dir} cannot be written (read-only journal?), so the index lives in "
                    "memory for this session: search works, but it is rebuilt every time the app starts.",
                    title="Read-only journal",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
        if report.changed or report.rebuilt:
            self._reload_panes(set(report.added) | set(report.updated) | set(report.removed), roadmap=False)

    def _reload_panes(self, paths: set[str], *, roadmap: bool, select: str | None = None) -> None:
        self._load_navigator()
        self._run_query(keep_path=select or self._highlighted_path())
        current = self.viewer.path
        if current is not None and (current in paths or current == select):
            self.viewer.show(current, force=True)
        elif current is not None and paths:
            self.viewer.recheck_links()  # another entry may now link here, or be what a link names
        elif roadmap or paths:
            self._refresh_topic_page()

    def entry_changed(self, path: str | None, *, select: str | None = None) -> None:
        """Re-read `path` into the index, refresh the list and the navigator, and select `select`.

        Called after note taking saved, retagged or deleted an entry (and by the watcher).
        """
        paths = {path} if path else set()
        self._refresh_index(paths, False, select)

    @on(FilesChanged)
    def _files_changed(self, message: FilesChanged) -> None:
        self._refresh_index(message.paths, message.roadmap, None)

    @work(thread=True, group="index-refresh", exit_on_error=False)
    def _refresh_index(self, paths: set[str], roadmap: bool, select: str | None) -> None:
        if paths:
            using_index(self.journal, lambda index: index.refresh(sorted(paths)))
        self.post_message(IndexRefreshed(paths, roadmap, select))

    @on(IndexRefreshed)
    def _index_refreshed(self, message: IndexRefreshed) -> None:
        # The list keeps (or moves) its cursor to `select` when the new results land.
        self._reload_panes(message.paths, roadmap=message.roadmap, select=message.select)
        if message.select is not None:
            self.viewer.show(message.select, force=True)

    def handle_file_changes(self, changed: Iterable[Path]) -> None:
        """Turn changed absolute paths into a `FilesChanged` message (the watcher calls this; tests may too)."""
        entries, roadmap = changed_entries(self.journal, changed)
        if entries or roadmap:
            self.post_message(FilesChanged(entries, roadmap))

    @work(thread=True, exclusive=True, group="watch-entries", exit_on_error=False)
    def _watch_entries(self) -> None:
        for changed in watch_folder(
            self.journal.entries_dir,
            recursive=True,
            debounce_ms=self.mlapp.watch_debounce_ms,
            stop=self._stop_watching,
        ):
            self.handle_file_changes(changed)

    @work(thread=True, exclusive=True, group="watch-root", exit_on_error=False)
    def _watch_root(self) -> None:
        # The root non-recursively, for roadmap.yaml. Recursing would also watch .mljournal (our own index
        # writes) and whatever else shares the folder (.git, .venv).
        for changed in watch_folder(
            self.journal.root,
            recursive=False,
            debounce_ms=self.mlapp.watch_debounce_ms,
            stop=self._stop_watching,
        ):
            self.handle_file_changes(path for path in changed if path == self.journal.roadmap_path)

    # Git sync (the palette's "Sync with git") ------------------------------------------------------------

    def action_sync_with_git(self) -> None:
        """Commit, pull and push the journal through git (`mljournal sync`), in a thread."""
        self._sync_with_git()

    @work(thread=True, exclusive=True, group="git-sync", exit_on_error=False)
    def _sync_with_git(self) -> None:
        from mljournal.core.gitsync import sync_journal
        from mljournal.core.journal import JournalError

        def step(text: str) -> None:
            self.app.call_from_thread(self._show_git_step, text)

        step("Syncing with git…")
        try:
            result = sync_journal(self.journal, progress=step)
        except JournalError as error:
            self.app.call_from_thread(self._git_synced, str(error), "error", set())
            return
        finally:
            self.app.call_from_thread(self._show_git_step, None)
        looks = [f"{kept.path}: {kept.note}" for kept in result.kept_both]
        message = "\n".join([result.summary(), *looks])
        severity = "warning" if looks or result.offline else "information"
        self.app.call_from_thread(self._git_synced, message, severity, set(result.pulled))

    def _show_git_step(self, text: str | None) -> None:
        status = self.query_one("#sync-status", Static)
        status.set_class(text is not None, "-visible")
        status.update(Content(text or ""))

    def _git_synced(self, message: str, severity: SeverityLevel, pulled: set[str]) -> None:
        self.notify(message, title="Sync", severity=severity, timeout=10, markup=False)
        if pulled:
            entries = {path for path in pulled if path.startswith(f"{ENTRIES_DIR}/")}
            self.post_message(FilesChanged(entries, roadmap=ROADMAP_FILE in pulled))

    # Panes and actions ---------------------------------------------------------------------------------

    def _panes(self) -> list[Widget]:
        return [self.navigator, self.entry_list, self.viewer]

    def _focused_pane(self) -> int:
        focused = self.focused
        for position, pane in enumerate(self._panes()):
            if focused is not None and (focused is pane or pane in focused.ancestors):
                return position
        return 1  # the search box belongs with the list

    def action_next_pane(self) -> None:
        """Focus the next pane: navigator → list → viewer (navigator → viewer while it shows a topic's page)."""
        if self._focused_pane() == 0 and self.viewer.topic_id is not None:
            self.viewer.focus()  # read the page (f follows its links) without the list replacing it
            return
        self._panes()[(self._focused_pane() + 1) % 3].focus()

    def action_previous_pane(self) -> None:
        """Focus the previous pane."""
        self._panes()[(self._focused_pane() - 1) % 3].focus()

    def action_search(self) -> None:
        """Focus the search box over the list."""
        self.search_bar.focus_input()

    def action_clear_filter(self) -> None:
        """List every entry again (keeping the one being read): the navigator to its root, the search emptied."""
        if not (self.nav_filter or self.search_text):
            return
        self._clear_filters()
        self._run_query(keep_path=self._highlighted_path())

    def _clear_filters(self) -> None:
        self.nav_filter = ""
        self.search_text = ""
        # The widgets follow; their messages find nothing left to change.
        self.search_bar.input.value = ""
        self.search_bar.show_hint(None)
        self.navigator.select_key("all")

    def action_navigator_width(self, step: int) -> None:
        """Make the navigator `step` columns wider (or narrower), between 16 columns and half the screen."""
        navigator = self.navigator
        width = navigator.outer_size.width + step
        width = max(16, min(width, self.size.width // 2))
        # A fixed width replaces the stylesheet's share of the screen, and its bounds, for this session.
        navigator.styles.min_width = width
        navigator.styles.max_width = width
        navigator.styles.width = width

    def action_resync(self) -> None:
        """Re-read every entry file into the index."""
        self._sync_index(full=True)

    def action_dashboard(self) -> None:
        """Open the dashboard: activity heatmap, streaks, months, phases, this week."""
        from mljournal.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.journal, self.mlapp.clock))

    def action_review(self) -> None:
        """Open the review queue; an entry picked there opens here."""
        from mljournal.tui.screens.review import ReviewScreen

        def opened(path: str | None) -> None:
            # Reviews write roadmap.yaml, so the navigator reloads either way; a picked entry is selected.
            # A filter or search that leaves it out would empty the viewer as the list reloads: list all.
            if path is not None and (self.nav_filter or self.search_text):
                self._clear_filters()
            self.post_message(IndexRefreshed(set(), True, path))

        self.app.push_screen(ReviewScreen(self.journal, self.mlapp.clock), opened)

    def action_new_entry(self) -> None:
        """Write a new entry (title, tags, topics, date), then edit it."""
        from mljournal.tui.screens.new_entry import NewEntryScreen

        screen = NewEntryScreen(
            self.journal,
            existing_tags=self.navigator.tag_names(),
            roadmap=self.navigator.roadmap,
            topic=self.current_topic,
            clock=self.mlapp.clock,
            default_tags=self.mlapp.config.default_tags,
        )
        self.app.push_screen(screen, self._entry_saved)

    def action_edit_entry(self) -> None:
        """Edit the selected entry in the built-in editor."""
        from mljournal.tui.screens.editor import EditorScreen

        row = self.entry_list.highlighted
        if row is not None:
            self.app.push_screen(EditorScreen(self.journal, row.path), self._entry_saved)

    def action_edit_external(self) -> None:
        """Edit the selected entry in $VISUAL / $EDITOR."""
        row = self.entry_list.highlighted
        if row is not None:
            self._edit_externally(row.path)

    @work(exclusive=True, group="external-editor", exit_on_error=False)
    async def _edit_externally(self, path: str) -> None:
        # An async worker on the event loop, not a thread: suspending the app must happen there.
        from mljournal.tui.screens.editor import choose_editor, edit_entry_externally

        editor = await choose_editor(self.app, self.journal, self.mlapp.config)
        if editor is None:
            return  # the user declined the journal's editor and chose nothing else
        result = await edit_entry_externally(self.app, self.journal, path, editor)
        self._entry_saved(result)

    def action_edit_tags(self) -> None:
        """Edit the selected entry's tags."""
        from mljournal.tui.screens.pickers import TagEditor

        row = self.entry_list.highlighted
        if row is not None:
            screen = TagEditor(self.journal, row.path, existing_tags=self.navigator.tag_names())
            self.app.push_screen(screen, self._entry_saved)

    def action_link_topics(self) -> None:
        """Link the selected entry to roadmap topics."""
        from mljournal.tui.screens.pickers import TopicPicker

        row = self.entry_list.highlighted
        roadmap = self.navigator.roadmap
        if row is None:
            return
        if roadmap is None:
            self.notify("There is no roadmap.yaml to link to yet: press a on Roadmap to add a topic.")
            return
        self.app.push_screen(TopicPicker(self.journal, row.path, roadmap), self._entry_saved)

    def action_delete_entry(self) -> None:
        """Move the selected entry to the trash, after asking."""
        from mljournal.tui.screens.dialogs import ConfirmDelete

        row = self.entry_list.highlighted
        if row is not None:
            screen = ConfirmDelete(self.journal, row.path, row.title, undo_hint="Press u to undo.")
            self.app.push_screen(screen, self._entry_deleted)

    def _entry_saved(self, result: object) -> None:
        # Note-taking screens write the file and refresh the index before they dismiss with `.path`.
        path = getattr(result, "path", None)
        if isinstance(path, str):
            self.reload_and_select(path)

    def _entry_deleted(self, result: DeletedEntry | None) -> None:
        if result is not None:
            self._last_deleted = result
            self.refresh_bindings()
            self.post_message(IndexRefreshed({result.path}, False, None))

    def action_undo_delete(self) -> None:
        """Restore the entry deleted last, to where it was (beside it, if that name is taken meanwhile)."""
        deleted = self._last_deleted
        if deleted is not None:
            self._last_deleted = None
            self.refresh_bindings()
            self._restore(deleted)

    @work(thread=True, group="notes-restore", exit_on_error=False)
    def _restore(self, deleted: DeletedEntry) -> None:
        from mljournal.core import store
        from mljournal.tui.screens.dialogs import refresh_index

        try:
            relpath = store.restore_entry(self.journal, deleted.trash_path)
        except store.StoreError as error:
            self.app.call_from_thread(self._restore_failed, deleted, str(error))
            return
        refresh_index(self.journal, [relpath])
        self.app.call_from_thread(self._restored, deleted, relpath)

    def _restored(self, deleted: DeletedEntry, relpath: str) -> None:
        if relpath == deleted.path:
            message = f"{relpath} is back."
        else:
            message = f"{deleted.path} exists now, so the entry was restored beside it as {relpath}."
        self.notify(message, title="Restored", markup=False)
        self.reload_and_select(relpath)

    def _restore_failed(self, deleted: DeletedEntry, message: str) -> None:
        self._last_deleted = deleted
        self.refresh_bindings()
        self.notify(message, title="Not restored", severity="error", markup=False)

    def reload_and_select(self, path: str) -> None:
        """Refresh the list and the navigator from the (already updated) index and select `path`."""
        self.post_message(IndexRefreshed({path}, False, path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_entry = {"edit_entry", "edit_external", "edit_tags", "link_topics", "delete_entry"}
        if action == "undo_delete":
            return self._last_deleted is not None  # shown in the footer only while there is one to undo
        if action in needs_entry:
            return self.entry_list.highlighted is not None or None
        if action == "clear_filter":
            return bool(self.nav_filter or self.search_text.strip())
        if action == "history":
            return bool(self._back if parameters and parameters[0] == -1 else self._forward)
        return True

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Every main-screen action for the command palette, from the key table."""
        targets = {"screen": self, "navigator": self.navigator, "viewer": self.viewer}
        return palette_commands(PALETTE_GROUPS, targets)

    def action_focus_pane(self, position: int) -> None:
        """Focus a pane: 0 the navigator, 1 the entry list, 2 the viewer (the palette's "Focus ...")."""
        self._panes()[position].focus()
