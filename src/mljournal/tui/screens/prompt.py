"""Small modal questions the main screen asks: a line of text (topic names), and "open this web link?"."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

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


class ConfirmOpenLink(ModalScreen[bool]):
    """Ask before a web link leaves the terminal for the browser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Open", id="link.open"),
        Binding("n,escape", "answer(False)", "Cancel", id="link.cancel"),
    ]

    DEFAULT_CSS = """
    ConfirmOpenLink {
        align: center middle;
        & > Vertical {
            width: 70; max-width: 90%; height: auto;
            border: round $primary; background: $panel; padding: 1 2;
        }
        & #link-url { color: $text-accent; margin: 1 0; }
        & Horizontal { height: auto; align-horizontal: right; }
        & Button { margin-left: 1; }
    }
    """

    def __init__(self, href: str) -> None:
        super().__init__()
        self.href = href

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Open this link in your browser?"))
            yield Label(Content(one_line(self.href, 400)), id="link-url")
            with Horizontal():
                yield Button("Open (y)", id="link-yes", variant="primary")
                yield Button("Cancel (n)", id="link-no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "link-yes")

    def action_answer(self, answer: bool) -> None:
        """Close with the user's answer."""
        self.dismiss(answer)
