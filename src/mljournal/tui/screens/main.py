"""The main screen: wires the navigator, the search bar, the entry list and the viewer, and keeps them fresh.

Panes never talk to each other: they post messages, this screen handles them and calls the other panes.
The work that spans panes runs in non-visual helpers it mounts: `JournalSync` (index sync, file watchers,
git), `EntryActions` (the note-taking screens), `RoadmapEditor` (roadmap edits), `LinkFollower` (links and
back/forward) and `StartUp` (the navigator's data, readiness); their messages land here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from mljournal.core.config import Config
from mljournal.core.journal import Journal
from mljournal.tui import places
from mljournal.tui.entry_actions import EntryActions, UndoChanged
from mljournal.tui.journal_sync import JournalSync, WatchSettings
from mljournal.tui.keys import MAIN_KEYS, PALETTE_GROUPS, palette_commands
from mljournal.tui.link_follower import LinkFollower
from mljournal.tui.messages import (
    FilesChanged,
    GitStepped,
    GitSynced,
    IndexRefreshed,
    IndexSynced,
    MoveFinished,
    NavigatorLoaded,
    RoadmapEdited,
    SyncProgressed,
)
from mljournal.tui.roadmap_edits import RoadmapEditor
from mljournal.tui.start_up import StartUp
from mljournal.tui.text import one_line
from mljournal.tui.widgets.entry_list import EntryList
from mljournal.tui.widgets.navigator import Navigator
from mljournal.tui.widgets.search_bar import SearchBar
from mljournal.tui.widgets.viewer import EntryViewer


class MainScreen(Screen[None]):
    """Navigator | search + entry list | viewer, with a header, a sync line and a footer.

    Its keys are `tui.keys.MAIN_KEYS` (the help screen lists them).
    """

    AUTO_FOCUS = "EntryList"
    """The list has focus from the first frame: focusing it later re-lays the footer out once more."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS.bindings()

    def __init__(
        self, journal: Journal, *, clock: Callable[[], datetime], config: Config, watch: WatchSettings
    ) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock
        """Source of "now" for new entries and relative dates; tests fix it."""
        self.config = config
        """The settings (external editor, default tags)."""
        self.watch_settings = watch
        """Whether and how to follow the files, and whether to quit once ready (the bench)."""
        self.nav_filter = ""
        """The navigator's search-language filter ("" at the root)."""
        self.search_text = ""
        """What is typed in the search box."""
        self.current_topic: str | None = None
        """The highlighted roadmap topic, offered as the default topic of a new entry."""
        # The non-visual helpers: made here, not queried, as their state is read from the first message on.
        self.journal_sync = JournalSync(journal, watch)
        self.entry_actions = EntryActions(journal, clock=clock, config=config)
        self.roadmap_editor = RoadmapEditor(journal.roadmap_path, clock)
        self.start_up = StartUp(journal)
        self.link_follower = LinkFollower()

    def compose(self) -> ComposeResult:
        today = self.clock().date()
        yield Header(icon="✎")
        with Horizontal(id="panes"):
            yield Navigator(self.journal, id="navigator")
            with Vertical(id="list-pane"):
                yield SearchBar(id="search")
                yield EntryList(self.journal, today=today, id="entries")
            yield EntryViewer(self.journal, id="viewer")
        yield Static("", id="sync-status")
        yield Footer()
        yield from (
            self.journal_sync,
            self.entry_actions,
            self.roadmap_editor,
            self.start_up,
            self.link_follower,
        )

    @property
    def ready(self) -> bool:
        """True once the list has its first results and the navigator its tree."""
        return self.start_up.ready

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
        self.start_up.load_navigator()
        self.journal_sync.start_watching()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")

    # Queries -------------------------------------------------------------------------------------------

    def _run_query(self, keep_path: str | None = None) -> None:
        self.entry_list.set_query(places.list_query(self.nav_filter, self.search_text), keep_path=keep_path)

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
        pane = self.query_one("#list-pane")
        pane.border_title = places.list_title(
            self.nav_filter, self.search_text, message.total, pane.size.width
        )
        hint = places.search_hint(message.read_as, message.hint) if self.search_text.strip() else None
        self.search_bar.show_hint(hint)
        self.refresh_bindings()  # `x` shows in the footer only while something narrows the list
        self._check_ready()

    @on(EntryList.EntryHighlighted)
    def _entry_highlighted(self, message: EntryList.EntryHighlighted) -> None:
        path = message.row.path if message.row else None
        if not self.ready:
            # Rendering Markdown competes with building the list and the tree: the first entry waits
            # until they are on screen.
            self.start_up.first_entry = path
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
        self.link_follower.follow(self._shown_place(), message.path, self._open_entry)

    def _open_entry(self, path: str) -> None:
        if path.startswith(places.TOPIC_PLACE):
            self.viewer.show_topic(
                path.removeprefix(places.TOPIC_PLACE)
            )  # back to the topic page a link left
            return
        self.entry_list.select_path(path)
        self.viewer.show(path)

    def _shown_place(self) -> str | None:
        return places.shown_place(self.viewer.topic_id, self.viewer.path)

    def action_history(self, step: int) -> None:
        """Go back (-1) to the entry a link was followed from, or forward (1) again."""
        self.link_follower.go(step, self._shown_place(), self._open_entry)

    @on(EntryViewer.LinksRequested)
    def _links_requested(self, message: EntryViewer.LinksRequested) -> None:
        self.link_follower.pick(message.links, self.viewer.follow)

    @on(EntryViewer.WebLinkClicked)
    def _web_link(self, message: EntryViewer.WebLinkClicked) -> None:
        self.link_follower.confirm_web_link(message.href)

    def _check_ready(self) -> None:
        if not self.start_up.becomes_ready(self.entry_list.loaded_once):
            return
        self.viewer.show(self.start_up.first_entry)
        if self.watch_settings.exit_when_ready:
            self.app.exit()
            return
        # Only now: the existing index is already on screen, and the sync's walk over every file would
        # otherwise compete with the first screen for the interpreter.
        self.journal_sync.sync_index()

    # Navigator data and roadmap edits ------------------------------------------------------------------

    @on(NavigatorLoaded)
    def _navigator_loaded(self, message: NavigatorLoaded) -> None:
        self.navigator.show_data(message.data)
        if (topic := self.start_up.navigator_shown()) is not None:
            self.navigator.select_key(f"topic:{topic}")
        self.sub_title = f"{one_line(self.journal.name, 40)} · {message.data.total:,} entries"
        self._check_ready()

    @on(Navigator.TopicActionRequested)
    def _topic_action(self, message: Navigator.TopicActionRequested) -> None:
        self.roadmap_editor.request(message, self.navigator.roadmap)

    @on(RoadmapEdited)
    def _roadmap_edited(self, message: RoadmapEdited) -> None:
        self.notify(message.note, timeout=2)
        self.start_up.load_navigator(message.topic_id)
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

    @on(MoveFinished)
    def _move_finished(self, message: MoveFinished) -> None:
        self._reload_panes(set(message.paths), roadmap=True)

    @on(SyncProgressed)
    def _sync_progressed(self, message: SyncProgressed) -> None:
        self._show_status(f"Indexing {message.done:,} / {message.total:,} files…")

    def _show_status(self, text: str | None) -> None:
        """Show `text` in the line under the panes (the sync's progress, git's steps); None hides it."""
        status = self.query_one("#sync-status", Static)
        status.set_class(text is not None, "-visible")
        status.update(Content(text or ""))

    @on(IndexSynced)
    def _index_synced(self, message: IndexSynced) -> None:
        self.query_one("#sync-status", Static).set_class(False, "-visible")
        report = message.report
        if report.changed or report.rebuilt:
            self._reload_panes(set(report.added) | set(report.updated) | set(report.removed), roadmap=False)

    def _reload_panes(self, paths: set[str], *, roadmap: bool, select: str | None = None) -> None:
        self.start_up.load_navigator()
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
        self.journal_sync.refresh_index(paths, False, select)

    @on(FilesChanged)
    def _files_changed(self, message: FilesChanged) -> None:
        self.journal_sync.refresh_index(message.paths, message.roadmap, None)

    @on(IndexRefreshed)
    def _index_refreshed(self, message: IndexRefreshed) -> None:
        # The list keeps (or moves) its cursor to `select` when the new results land.
        self._reload_panes(message.paths, roadmap=message.roadmap, select=message.select)
        if message.select is not None:
            self.viewer.show(message.select, force=True)

    def handle_file_changes(self, changed: Iterable[Path]) -> None:
        """What the file watcher does with changed absolute paths (tests call it instead of touching files)."""
        self.journal_sync.handle_file_changes(changed)

    def action_sync_with_git(self) -> None:
        """Commit, pull and push the journal through git (`mljournal sync`), in a thread."""
        self.journal_sync.sync_with_git()

    @on(GitStepped)
    def _show_git_step(self, message: GitStepped) -> None:
        self._show_status(message.text)

    @on(GitSynced)
    def _git_synced(self, message: GitSynced) -> None:
        self.notify(message.note, title="Sync", severity=message.severity, timeout=10, markup=False)

    # Panes and actions ---------------------------------------------------------------------------------

    def _panes(self) -> list[Widget]:
        return [self.navigator, self.entry_list, self.viewer]

    def _focused_pane(self) -> int:
        return places.focused_pane(self._panes(), self.focused)

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
        width = places.navigator_width(navigator.outer_size.width, step, self.size.width)
        # A fixed width replaces the stylesheet's share of the screen, and its bounds, for this session.
        navigator.styles.min_width = width
        navigator.styles.max_width = width
        navigator.styles.width = width

    def action_resync(self) -> None:
        """Re-read every entry file into the index."""
        self.journal_sync.sync_index(full=True)

    def action_dashboard(self) -> None:
        """Open the dashboard: activity heatmap, streaks, months, phases, this week."""
        from mljournal.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.journal, self.clock))

    def action_review(self) -> None:
        """Open the review queue; an entry picked there opens here."""
        from mljournal.tui.screens.review import ReviewScreen

        def opened(path: str | None) -> None:
            # Reviews write roadmap.yaml, so the navigator reloads either way; a picked entry is selected.
            # A filter or search that leaves it out would empty the viewer as the list reloads: list all.
            if path is not None and (self.nav_filter or self.search_text):
                self._clear_filters()
            self.post_message(IndexRefreshed(set(), True, path))

        self.app.push_screen(ReviewScreen(self.journal, self.clock), opened)

    def action_new_entry(self) -> None:
        """Write a new entry (title, tags, topics, date), then edit it."""
        navigator = self.navigator
        self.entry_actions.new_entry(
            existing_tags=navigator.tag_names(), roadmap=navigator.roadmap, topic=self.current_topic
        )

    def action_edit_entry(self) -> None:
        """Edit the selected entry in the built-in editor."""
        if (path := self._highlighted_path()) is not None:
            self.entry_actions.edit(path)

    def action_edit_external(self) -> None:
        """Edit the selected entry in $VISUAL / $EDITOR."""
        if (path := self._highlighted_path()) is not None:
            self.entry_actions.edit_externally(path)

    def action_edit_tags(self) -> None:
        """Edit the selected entry's tags."""
        if (path := self._highlighted_path()) is not None:
            self.entry_actions.edit_tags(path, self.navigator.tag_names())

    def action_link_topics(self) -> None:
        """Link the selected entry to roadmap topics."""
        if (path := self._highlighted_path()) is not None:
            self.entry_actions.link_topics(path, self.navigator.roadmap)

    def action_delete_entry(self) -> None:
        """Move the selected entry to the trash, after asking."""
        row = self.entry_list.highlighted
        if row is not None:
            self.entry_actions.delete(row.path, row.title)

    def action_undo_delete(self) -> None:
        """Restore the entry deleted last, to where it was (beside it, if that name is taken meanwhile)."""
        self.entry_actions.undo_delete()

    @on(UndoChanged)
    def _undo_changed(self) -> None:
        self.refresh_bindings()  # `u` shows in the footer only while there is an entry to restore

    def reload_and_select(self, path: str) -> None:
        """Refresh the list and the navigator from the (already updated) index and select `path`."""
        self.post_message(IndexRefreshed({path}, False, path))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_entry = {"edit_entry", "edit_external", "edit_tags", "link_topics", "delete_entry"}
        if action == "undo_delete":
            return self.entry_actions.last_deleted is not None  # in the footer only while there is one
        if action in needs_entry:
            return self.entry_list.highlighted is not None or None
        if action == "clear_filter":
            return bool(self.nav_filter or self.search_text.strip())
        if action == "history":
            return self.link_follower.can_go(-1 if parameters and parameters[0] == -1 else 1)
        return True

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Every main-screen action for the command palette, from the key table."""
        targets = {"screen": self, "navigator": self.navigator, "viewer": self.viewer}
        return palette_commands(PALETTE_GROUPS, targets)

    def action_focus_pane(self, position: int) -> None:
        """Focus a pane: 0 the navigator, 1 the entry list, 2 the viewer (the palette's "Focus ...")."""
        self._panes()[position].focus()
