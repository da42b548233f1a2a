"""Small modal questions for note taking: unsaved changes, a save conflict, deleting an entry.

Push them from anywhere and get the answer in a callback:

```python
from mljournal.tui.screens.dialogs import ConfirmDelete, DeletedEntry

def action_delete_entry(self) -> None:
    self.app.push_screen(ConfirmDelete(journal, row.path, row.title), self._entry_deleted)

def _entry_deleted(self, result: DeletedEntry | None) -> None:
    if result is not None:  # the file is in .mljournal/trash/ and the index no longer lists it
        self.reload_list()
```

`UnsavedChangesDialog` answers ``"save"``, ``"discard"`` or None (go back); `ConflictDialog` answers
``"overwrite"``, ``"keep_both"``, ``"reload"`` or None (cancel). The editor uses both, and `LossyEditDialog`
(answers a `LossyEditResult`) before a save that would lose the front-matter's fields.

Screens that hold work not yet written implement `HoldsUnsavedWork`; the app asks with `QuitDialog`
(answers a `QuitAnswer`) before any quit would throw that work away.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from mljournal.core import store
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.safe_text import terminal_safe
from mljournal.tui.text import one_line, strip_controls

log = logging.getLogger(__name__)


def refresh_index(journal: Journal, relpaths: Iterable[str]) -> bool:
    """Re-read `relpaths` into the index (blocking: call it from a thread worker); False if that failed.

    The file on disk is already right when this runs; a failure here only delays the list, and the
    index's next sync repairs it, so it is logged rather than shown as an error.
    """
    try:
        with Index(journal) as index:
            index.refresh(list(dict.fromkeys(relpaths)))
    except Exception:
        log.exception("could not refresh the index")
        return False
    return True


@dataclass(frozen=True)
class Choice:
    """One answer of a `ChoiceDialog`: the value it returns, its key and its button label."""

    value: str | None
    key: str
    label: str
    variant: str = "default"


class ChoiceDialog(ModalScreen[str | None]):
    """A question with a few answers, each a button and a key; `escape` answers None."""

    DEFAULT_CSS = """
    ChoiceDialog {
        align: center middle;
    }
    ChoiceDialog > Vertical {
        width: auto;
        min-width: 50;
        max-width: 90%;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }
    ChoiceDialog .dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    ChoiceDialog .dialog-message {
        width: 100%;
        margin-bottom: 1;
    }
    ChoiceDialog Horizontal {
        width: auto;
        height: auto;
    }
    ChoiceDialog Button {
        margin-right: 1;
        min-width: 0;
        width: auto;
    }
    """

    BINDINGS = [Binding("escape", "answer_none", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, message: str, choices: Iterable[Choice], *, focus: int = 0) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._choices = list(choices)
        self._focus = focus
        """The answer whose button has the focus at first (what `enter` picks)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(strip_controls(self._title), classes="dialog-title", markup=False)
            yield Static(strip_controls(self._message), classes="dialog-message", markup=False)
            with Horizontal():
                for number, choice in enumerate(self._choices):
                    yield Button(
                        f"{choice.label} ({choice.key})",
                        id=f"choice-{number}",
                        variant=choice.variant,  # type: ignore[arg-type]
                    )

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self._focus}", Button).focus()

    def on_key(self, event: events.Key) -> None:
        for choice in self._choices:
            if event.key == choice.key:
                event.stop()
                self.dismiss(choice.value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        number = int((event.button.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self._choices[number].value)

    def action_answer_none(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class TrustEditorDialog(ChoiceDialog):
    """Asked before `E` runs an editor command that only the journal's mljournal.toml names.

    A journal cloned from someone else's repository could name any command there, so it never runs
    silently: ``"once"``, ``"always"`` (remembered for this journal and this exact command), ``"mine"`` (the
    user's own editor instead) or None (cancel).
    """

    def __init__(self, command: str) -> None:
        shown = terminal_safe(command, single_line=True)
        if len(shown) > 300:
            shown = shown[:299] + "…"
        super().__init__(
            "Run the editor this journal asks for?",
            "This journal's mljournal.toml asks to open entries with this command:\n\n"
            f"    {shown}\n\n"
            "A journal from someone else can name any command here. Run it only if you trust it.",
            [
                Choice("once", "o", "Run once"),
                Choice("always", "a", "Always, for this journal"),
                Choice("mine", "m", "Use my editor", variant="primary"),
                Choice(None, "c", "Cancel"),
            ],
            # Enter must not run a stranger's command: the focus starts on "Use my editor".
            focus=2,
        )


class UnsavedChangesDialog(ChoiceDialog):
    """Asked when leaving the editor with unsaved changes: save, discard, or go back (None)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            "Unsaved changes",
            f"{one_line(name)} has changes that are not saved yet.",
            [
                Choice("save", "s", "Save", "primary"),
                Choice("discard", "d", "Discard", "error"),
                Choice(None, "b", "Go back"),
            ],
        )


class ConflictDialog(ChoiceDialog):
    """Asked when a save finds the file changed (or deleted) by another program since it was opened."""

    def __init__(self, relpath: str, *, deleted: bool = False) -> None:
        what = "deleted" if deleted else "changed"
        super().__init__(
            "The file changed on disk",
            f"{one_line(relpath)} was {what} by another program while you were editing it. "
            "Overwrite it with your text, keep both (yours is saved as a copy beside it), "
            "or reload theirs and drop your changes?",
            [
                Choice("overwrite", "o", "Overwrite", "error"),
                Choice("keep_both", "k", "Keep both", "primary"),
                Choice("reload", "r", "Reload theirs"),
                Choice(None, "c", "Cancel"),
            ],
        )


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen whose work is lost if the app quits now (the editor, the new-entry form, the tag editor)."""

    def has_unsaved_changes(self) -> bool:
        """True while quitting would throw away something the user typed or chose."""
        ...

    def unsaved_work_name(self) -> str:
        """The work in a few words, for the quit question ("the editor on entries/x.md")."""
        ...


@dataclass(frozen=True)
class LossyEditResult:
    """The answer to `LossyEditDialog`: write the text as it is, or (False) go back to it."""

    save_anyway: bool


class LossyEditDialog(ModalScreen[LossyEditResult]):
    """Asked before the editor saves text that would lose the front-matter, or the title, tags or topics.

    | Key | Action |
    | --- | --- |
    | `s` | Save anyway. |
    | `b`, `escape` | Go back to the text (nothing is written). |
    """

    DEFAULT_CSS = ChoiceDialog.DEFAULT_CSS.replace("ChoiceDialog", "LossyEditDialog")

    BINDINGS = [
        Binding("s", "save_anyway", "Save anyway", id="lossy_edit.save"),
        Binding("b,escape", "go_back", "Go back", id="lossy_edit.back"),
    ]

    def __init__(self, losses: Sequence[str]) -> None:
        super().__init__()
        self.losses = list(losses)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("This save would break the entry", classes="dialog-title")
            for loss in self.losses:
                yield Static(one_line(loss, 300), classes="dialog-message", markup=False)
            with Horizontal():
                yield Button("Go back (b)", id="lossy-back", variant="primary")
                yield Button("Save anyway (s)", id="lossy-save", variant="error")

    def on_mount(self) -> None:
        self.query_one("#lossy-back", Button).focus()

    @on(Button.Pressed, "#lossy-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_anyway()

    @on(Button.Pressed, "#lossy-back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_go_back()

    def action_save_anyway(self) -> None:
        """Write the text as it is."""
        self.dismiss(LossyEditResult(save_anyway=True))

    def action_go_back(self) -> None:
        """Return to the text without writing."""
        self.dismiss(LossyEditResult(save_anyway=False))


@dataclass(frozen=True)
class QuitAnswer:
    """The answer to `QuitDialog`: quit and drop the unsaved work, or (False) stay."""

    quit: bool


class QuitDialog(ModalScreen[QuitAnswer]):
    """Asked when a quit (ctrl+q, q, the palette) would throw away unsaved work.

    | Key | Action |
    | --- | --- |
    | `d` | Discard the unsaved work and quit. |
    | `b`, `escape` | Go back. |
    """

    DEFAULT_CSS = ChoiceDialog.DEFAULT_CSS.replace("ChoiceDialog", "QuitDialog")

    BINDINGS = [
        Binding("d", "discard_and_quit", "Discard and quit", id="quit.discard"),
        Binding("b,escape", "go_back", "Go back", id="quit.back"),
    ]

    def __init__(self, unsaved: Sequence[str]) -> None:
        """`unsaved` names each piece of unsaved work (`HoldsUnsavedWork.unsaved_work_name`)."""
        super().__init__()
        self.unsaved = list(unsaved)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Quit with unsaved changes?", classes="dialog-title")
            for name in self.unsaved:
                yield Static(f"Not saved: {one_line(name)}", classes="dialog-message", markup=False)
            with Horizontal():
                yield Button("Go back (b)", id="quit-back", variant="primary")
                yield Button("Discard and quit (d)", id="quit-discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#quit-back", Button).focus()

    @on(Button.Pressed, "#quit-discard")
    def _discard_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_discard_and_quit()

    @on(Button.Pressed, "#quit-back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_go_back()

    def action_discard_and_quit(self) -> None:
        """Quit; the unsaved work is dropped."""
        self.dismiss(QuitAnswer(quit=True))

    def action_go_back(self) -> None:
        """Stay in the app with the work as it is."""
        self.dismiss(QuitAnswer(quit=False))


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
            trash_path = store.trash_entry(self.journal, self.relpath)
        except store.StoreError as error:
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
