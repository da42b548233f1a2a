"""Asked before the editor saves text that would lose the front-matter, or its title, tags or topics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from mljournal.tui.dialogs.choice import ChoiceDialog
from mljournal.tui.text import one_line


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
