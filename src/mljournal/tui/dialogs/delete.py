"""Deleting an entry: ask, move it to `.mljournal/trash/`, refresh the index.

```python
from mljournal.tui.dialogs import ConfirmDelete, DeletedEntry

def action_delete_entry(self) -> None:
    self.app.push_screen(ConfirmDelete(journal, row.path, row.title), self._entry_deleted)

def _entry_deleted(self, result: DeletedEntry | None) -> None:
    if result is not None:  # the file is in .mljournal/trash/ and the index no longer lists it
        self.reload_list()
```
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from mljournal.core.entries.store import StoreError
from mljournal.core.entries.trash import trash_entry
from mljournal.core.journal import Journal
from mljournal.tui.dialogs.choice import ChoiceDialog
from mljournal.tui.dialogs.refresh import refresh_index
from mljournal.tui.text import one_line


@dataclass(frozen=True)
class DeletedEntry:
    """An entry moved to the trash: where it was and where it is now (both relative to the journal root)."""

    path: str
    trash_path: str


class ConfirmDelete(ModalScreen[DeletedEntry | None]):
    """Asks before moving an entry to `.mljournal/trash/`; does the move and refreshes the index itself.

    | Key | Action |
    | --- | --- |
    | `y` | Move to the trash. |
    | `n`, `escape` | Keep the entry. |
    """

    DEFAULT_CSS = ChoiceDialog.DEFAULT_CSS.replace("ChoiceDialog", "ConfirmDelete")

    BINDINGS = [
        Binding("y", "delete", "Delete", id="delete.confirm"),
        Binding("n,escape", "cancel", "Keep", id="delete.cancel"),
    ]

    def __init__(self, journal: Journal, relpath: str, title: str = "", *, undo_hint: str = "") -> None:
        """`undo_hint` ends the "Deleted" notification (the screen that can undo says how)."""
        super().__init__()
        self.undo_hint = undo_hint
        self.journal = journal
        self.relpath = relpath
        self.entry_title = title or relpath
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Delete this entry?", classes="dialog-title")
            yield Static(one_line(self.entry_title), classes="dialog-message", markup=False)
            yield Label(
                f"{one_line(self.relpath)} moves to .mljournal/trash/, from where it can be restored.",
                classes="dialog-message",
                markup=False,
            )
            with Horizontal():
                yield Button("Delete (y)", id="delete-yes", variant="error")
                yield Button("Keep (n)", id="delete-no")

    def on_mount(self) -> None:
        self.query_one("#delete-no", Button).focus()

    @on(Button.Pressed, "#delete-yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_delete()

    @on(Button.Pressed, "#delete-no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        """Keep the entry."""
        self.dismiss(None)

    def action_delete(self) -> None:
        """Move the entry to the trash."""
        if not self._busy:
            self._busy = True
            self._trash()

    @work(thread=True, exclusive=True, group="notes-delete", exit_on_error=False)
    def _trash(self) -> None:
        try:
            trash_path = trash_entry(self.journal, self.relpath)
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        refresh_index(self.journal, [self.relpath])
        self.app.call_from_thread(self._done, DeletedEntry(self.relpath, trash_path))

    def _failed(self, message: str) -> None:
        self._busy = False
        self.notify(message, title="Not deleted", severity="error", markup=False)
        self.dismiss(None)

    def _done(self, result: DeletedEntry) -> None:
        hint = f" {self.undo_hint}" if self.undo_hint else " `mljournal restore` brings it back."
        self.notify(f"Moved to {result.trash_path}.{hint}", title="Deleted", markup=False)
        self.dismiss(result)
