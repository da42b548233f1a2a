"""Keeping the index in step with the files: the start-up sync, refreshes, the file watchers and git sync.

`JournalSync` is a non-visual widget the main screen mounts. Its thread workers do the blocking work and
report with the messages of `tui.messages`, which bubble up to the screen; the screen's handlers reload the
panes. Nothing here touches a pane.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.notifications import SeverityLevel
from textual.widget import Widget

from mljournal.core.index import Index, SyncReport
from mljournal.core.journal import ENTRIES_DIR, ROADMAP_FILE, Journal
from mljournal.core.roadmap import RoadmapError
from mljournal.tui.data import thread_index, using_index
from mljournal.tui.messages import (
    FilesChanged,
    GitStepped,
    GitSynced,
    IndexRefreshed,
    IndexSynced,
    MoveFinished,
    SyncProgressed,
)
from mljournal.tui.text import one_line
from mljournal.tui.workers import changed_entries, watch_folder


@dataclass(frozen=True)
class WatchSettings:
    """How the main screen follows the files: from the app's settings, fixed by the tests and the bench."""

    enabled: bool = True
    """Watch the journal for changes made by other programs (off in most tests)."""
    debounce_ms: int = 300
    """Changes within this many milliseconds are read in one refresh."""
    exit_when_ready: bool = False
    """Quit as soon as the first screen is usable (the bench times start-up with it)."""


@dataclass(frozen=True)
class FinishedMove:
    """What finishing an interrupted `roadmap move` did, for a notification."""

    note: str
    failed: bool
    paths: list[str]
    """The entries it re-indexed."""


def finish_interrupted_move(journal: Journal) -> FinishedMove | None:
    """Finish a `roadmap move` that was killed half-way, and re-index every entry it rewrote (in this run or
    the interrupted one), so `topic:NEW_ID` and the counts are right at once; None when there was none."""
    # Imported here, in the worker that runs it: the move's modules are not needed for the first screen.
    from mljournal.core.services.move_topic import pending_move, resume_pending_move

    if pending_move(journal.roadmap_path) is None:
        return None
    try:
        result = resume_pending_move(journal.roadmap_path, entries_dir=journal.entries_dir)
    except RoadmapError as error:
        return FinishedMove(f"An interrupted move could not be finished: {error}", True, [])
    if result is None:
        return None
    paths = result.changed_entries
    if paths:
        thread_index(journal).refresh(paths)
    count = len(result.rewritten)
    note = (
        f"Finished an interrupted move of {result.old_id!r} to {result.new_id!r} "
        f"({count} {'entry' if count == 1 else 'entries'} rewritten now)."
    )
    return FinishedMove(note, False, paths)


class JournalSync(Widget):
    """The main screen's background work on the index and the files; shows nothing."""

    DEFAULT_CSS = """
    JournalSync {
        display: none;
    }
    """

    def __init__(self, journal: Journal, watch: WatchSettings) -> None:
        super().__init__()
        self.journal = journal
        self.settings = watch
        self._stop_watching = threading.Event()
        self._said_in_memory = False

    def on_unmount(self) -> None:
        self._stop_watching.set()

    @on(MoveFinished)
    def _move_finished(self, message: MoveFinished) -> None:
        # Said here; the message goes on up to the screen, which reloads the panes.
        severity: SeverityLevel = "error" if message.failed else "information"
        self.notify(one_line(message.note, 300), title="Roadmap", severity=severity, markup=False)

    @on(IndexSynced)
    def _index_synced(self, message: IndexSynced) -> None:
        if not message.in_memory or self._said_in_memory:
            return
        self._said_in_memory = True  # once a session: every sync of a read-only journal would say it again
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

    # Index sync and refresh --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index-sync", exit_on_error=False)
    def sync_index(self, full: bool = False) -> None:
        """Finish an interrupted roadmap move, then read every changed file (every file with `full`)."""
        moved = finish_interrupted_move(self.journal)
        if moved is not None:
            self.post_message(MoveFinished(moved.note, moved.failed, moved.paths))

        def progress(done: int, total: int) -> None:
            self.post_message(SyncProgressed(done, total))

        def sync(index: Index) -> tuple[SyncReport, bool, str | None]:
            return index.sync(full=full, progress=progress), index.in_memory, index.in_memory_reason

        report, in_memory, reason = using_index(self.journal, sync)
        self.post_message(IndexSynced(report, in_memory=in_memory, in_memory_reason=reason))

    @work(thread=True, group="index-refresh", exit_on_error=False)
    def refresh_index(self, paths: set[str], roadmap: bool, select: str | None) -> None:
        """Re-read `paths` into the index, then say so (`IndexRefreshed`), so the panes reload."""
        if paths:
            using_index(self.journal, lambda index: index.refresh(sorted(paths)))
        self.post_message(IndexRefreshed(paths, roadmap, select))

    # File watching -------------------------------------------------------------------------------------

    def start_watching(self) -> None:
        """Follow changes other programs make to the entries and roadmap.yaml, when the settings allow it."""
        if self.settings.enabled:
            self._watch_entries()
            self._watch_root()

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
            debounce_ms=self.settings.debounce_ms,
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
            debounce_ms=self.settings.debounce_ms,
            stop=self._stop_watching,
        ):
            self.handle_file_changes(path for path in changed if path == self.journal.roadmap_path)

    # Git sync (the palette's "Sync with git") ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="git-sync", exit_on_error=False)
    def sync_with_git(self) -> None:
        """Commit, pull and push the journal through git (`mljournal sync`)."""
        from mljournal.core.gitsync import sync_journal
        from mljournal.core.journal import JournalError

        def step(text: str) -> None:
            self.post_message(GitStepped(text))

        step("Syncing with git…")
        try:
            result = sync_journal(self.journal, progress=step)
        except JournalError as error:
            self.post_message(GitSynced(str(error), "error"))
            return
        finally:
            self.post_message(GitStepped(None))
        looks = [f"{kept.path}: {kept.note}" for kept in result.kept_both]
        message = "\n".join([result.summary(), *looks])
        self.post_message(GitSynced(message, "warning" if looks or result.offline else "information"))
        if result.pulled:
            pulled = set(result.pulled)
            entries = {path for path in pulled if path.startswith(f"{ENTRIES_DIR}/")}
            self.post_message(FilesChanged(entries, roadmap=ROADMAP_FILE in pulled))
