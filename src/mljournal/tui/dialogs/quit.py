"""The quit question, and the protocols of the screens whose unsaved work it protects.

Screens that hold work not yet written implement `HoldsUnsavedWork`; the app asks with `QuitDialog`
(answers a `QuitAnswer`) before any quit would throw that work away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from mljournal.tui.dialogs.choice import ChoiceDialog
from mljournal.tui.text import one_line


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen whose work is lost if the app quits now (the editor, the new-entry form, the tag editor)."""

    def has_unsaved_changes(self) -> bool:
        """True while quitting would throw away something the user typed or chose."""
        ...

    def unsaved_work_name(self) -> str:
        """The work in a few words, for the quit question ("the editor on entries/x.md")."""
        ...


@runtime_checkable
class SavesBeforeQuit(Protocol):
    """A screen with unsaved work that can also save it and then quit the app (the editor)."""

    def save_and_quit(self) -> None:
        """Save; when the save succeeds, quit the app."""
        ...


@dataclass(frozen=True)
class QuitAnswer:
    """The answer to `QuitDialog`: quit and drop the unsaved work, save it and quit, or (neither) stay."""

    quit: bool
    save_first: bool = False


class QuitDialog(ModalScreen[QuitAnswer]):
    """Asked when a quit (ctrl+q, q, the palette) would throw away unsaved work.

    | Key | Action |
    | --- | --- |
    | `s` | Save and quit (only when one editor holds the unsaved work). |
    | `d` | Discard the unsaved work and quit. |
    | `b`, `escape` | Go back. |
    """

    DEFAULT_CSS = ChoiceDialog.DEFAULT_CSS.replace("ChoiceDialog", "QuitDialog")

    BINDINGS = [
        Binding("s", "save_and_quit", "Save and quit", id="quit.save"),
        Binding("d", "discard_and_quit", "Discard and quit", id="quit.discard"),
        Binding("b,escape", "go_back", "Go back", id="quit.back"),
    ]

    def __init__(self, unsaved: Sequence[str], *, can_save: bool = False) -> None:
        """`unsaved` names each piece of unsaved work (`HoldsUnsavedWork.unsaved_work_name`); `can_save`
        offers "save and quit" (one editor holds all of it)."""
        super().__init__()
        self.unsaved = list(unsaved)
        self.can_save = can_save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Quit with unsaved changes?", classes="dialog-title")
            for name in self.unsaved:
                yield Static(f"Not saved: {one_line(name)}", classes="dialog-message", markup=False)
            with Horizontal():
                if self.can_save:
                    yield Button("Save and quit (s)", id="quit-save", variant="primary")
                yield Button("Go back (b)", id="quit-back", variant="default" if self.can_save else "primary")
                yield Button("Discard and quit (d)", id="quit-discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#quit-back", Button).focus()

    @on(Button.Pressed, "#quit-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save_and_quit()

    @on(Button.Pressed, "#quit-discard")
    def _discard_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_discard_and_quit()

    @on(Button.Pressed, "#quit-back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_go_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_save if action == "save_and_quit" else True

    def action_save_and_quit(self) -> None:
        """Save the work, then quit (the editor stays open if the save needs an answer or fails)."""
        self.dismiss(QuitAnswer(quit=True, save_first=True))

    def action_discard_and_quit(self) -> None:
        """Quit; the unsaved work is dropped."""
        self.dismiss(QuitAnswer(quit=True))

    def action_go_back(self) -> None:
        """Stay in the app with the work as it is."""
        self.dismiss(QuitAnswer(quit=False))
