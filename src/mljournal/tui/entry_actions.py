"""The main screen's note-taking actions on an entry: new, edit (built-in or $EDITOR), tags, topics, delete, undo.

`EntryActions` is a non-visual widget the main screen mounts and calls with what its panes know (the
highlighted entry, the tags, the roadmap). It opens the note-taking screens and, when one wrote an entry,
posts `IndexRefreshed` selecting it (the screens re-index before they dismiss), so the screen reloads its
panes. It keeps the entry deleted last, for `u`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from mljournal.core.config import Config
from mljournal.core.journal import Journal
from mljournal.core.roadmap.model import Roadmap
from mljournal.tui.messages import IndexRefreshed
from mljournal.tui.results import EntryWritten

if TYPE_CHECKING:
    # Only named here: the note-taking screens load when first opened, not with the main screen.
    from mljournal.tui.dialogs.delete import DeletedEntry


class UndoChanged(Message):
    """There is now an entry to restore, or no longer one: `u` shows in the footer or leaves it."""


class EntryActions(Widget):
    """Opens the note-taking screens for the main screen; shows nothing."""

    DEFAULT_CSS = """
    EntryActions {
        display: none;
    }
    """

    def __init__(self, journal: Journal, *, clock: Callable[[], datetime], config: Config) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock
        self.config = config
        self.last_deleted: DeletedEntry | None = None
        """The entry `u` restores: the one deleted last in this session, until it is restored."""

    def new_entry(self, *, existing_tags: list[str], roadmap: Roadmap | None, topic: str | None) -> None:
        """Write a new entry (title, tags, topics, date), then edit it."""
        from mljournal.tui.notes.new_entry import NewEntryScreen

        screen = NewEntryScreen(
            self.journal,
            existing_tags=existing_tags,
            roadmap=roadmap,
            topic=topic,
            clock=self.clock,
            default_tags=self.config.default_tags,
        )
        self.app.push_screen(screen, self._entry_saved)

    def edit(self, path: str) -> None:
        """Edit the entry in the built-in editor."""
        from mljournal.tui.notes.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.journal, path), self._entry_saved)

    @work(exclusive=True, group="external-editor", exit_on_error=False)
    async def edit_externally(self, path: str) -> None:
        """Edit the entry in $VISUAL / $EDITOR."""
        # An async worker on the event loop, not a thread: suspending the app must happen there.
        from mljournal.tui.notes.external_editor import choose_editor, edit_entry_externally

        editor = await choose_editor(self.app, self.journal, self.config)
        if editor is None:
            return  # the user declined the journal's editor and chose nothing else
        self._entry_saved(await edit_entry_externally(self.app, self.journal, path, editor))

    def edit_tags(self, path: str, existing_tags: list[str]) -> None:
        """Edit the entry's tags."""
        from mljournal.tui.notes.tags import TagEditor

        self.app.push_screen(TagEditor(self.journal, path, existing_tags=existing_tags), self._entry_saved)

    def link_topics(self, path: str, roadmap: Roadmap | None) -> None:
        """Link the entry to roadmap topics."""
        from mljournal.tui.notes.topics import TopicPicker

        if roadmap is None:
            self.notify("There is no roadmap.yaml to link to yet: press a on Roadmap to add a topic.")
            return
        self.app.push_screen(TopicPicker(self.journal, path, roadmap), self._entry_saved)

    def delete(self, path: str, title: str) -> None:
        """Move the entry to the trash, after asking."""
        from mljournal.tui.dialogs.delete import ConfirmDelete

        screen = ConfirmDelete(self.journal, path, title, undo_hint="Press u to undo.")
        self.app.push_screen(screen, self._entry_deleted)

    def _entry_saved(self, result: EntryWritten | None) -> None:
        # Note-taking screens write the file and refresh the index before they dismiss with what they wrote.
        if result is not None:
            self.post_message(IndexRefreshed({result.path}, False, result.path))

    def _entry_deleted(self, result: DeletedEntry | None) -> None:
        if result is not None:
            self.last_deleted = result
            self.post_message(UndoChanged())
            self.post_message(IndexRefreshed({result.path}, False, None))

    def undo_delete(self) -> None:
        """Restore the entry deleted last, to where it was (beside it, if that name is taken meanwhile)."""
        deleted = self.last_deleted
        if deleted is not None:
            self.last_deleted = None
            self.post_message(UndoChanged())
            self._restore(deleted)

    @work(thread=True, group="notes-restore", exit_on_error=False)
    def _restore(self, deleted: DeletedEntry) -> None:
        from mljournal.core.entries.store import StoreError
        from mljournal.core.entries.trash import restore_entry
        from mljournal.tui.dialogs.refresh import refresh_index

        try:
            relpath = restore_entry(self.journal, deleted.trash_path)
        except StoreError as error:
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
        self.post_message(IndexRefreshed({relpath}, False, relpath))

    def _restore_failed(self, deleted: DeletedEntry, message: str) -> None:
        self.last_deleted = deleted
        self.post_message(UndoChanged())
        self.notify(message, title="Not restored", severity="error", markup=False)
