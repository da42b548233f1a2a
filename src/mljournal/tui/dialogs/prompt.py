"""Ask for one line of text (a topic's name, for example)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from mljournal.tui.text import one_line


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the stripped text, or None on `escape` or when empty."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    DEFAULT_CSS = """
    TextPrompt {
        align: center middle;
        & > Vertical {
            width: 60; max-width: 90%; height: auto;
            border: round $primary; background: $panel; padding: 1 2;
        }
        & Label { margin-bottom: 1; }
        & #prompt-help { color: $text-muted; margin: 1 0 0 0; }
    }
    """

    def __init__(self, question: str, *, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._question = question
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(one_line(self._question, 200)))
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt-input")
            yield Label(Content("enter to accept · escape to cancel"), id="prompt-help")

    @on(Input.Submitted, "#prompt-input")
    def _accept(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
