"""The search box over the entry list, with a line under it for the search language's hints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from mljournal.tui.keys import SEARCH_KEYS
from mljournal.tui.text import one_line

PLACEHOLDER = "/ search (? for syntax)"
"""Short enough for the narrowest list pane; `?` shows the whole search language."""


class SearchBar(Vertical):
    """A search box: every edit posts `QueryChanged`; `escape` clears it and hands focus back to the list.

    | Key | Action |
    | :- | :- |
    | `enter` | Go to the results |
    | `escape` | Clear the search and return to the list |
    """

    BINDINGS: ClassVar[list[BindingType]] = SEARCH_KEYS.bindings()

    DEFAULT_CSS = """
    SearchBar {
        height: auto;
        & > Input { border: none; height: 1; padding: 0 1; background: $boost; }
        & > Input:focus { border: none; background: $surface-lighten-1; }
        & > #search-hint { color: $text-warning; padding: 0 1; height: auto; display: none; }
        & > #search-hint.-visible { display: block; }
    }
    """

    @dataclass
    class QueryChanged(Message):
        """The search text changed (posted on every edit; the list throttles the queries)."""

        search_bar: SearchBar
        text: str

        @property
        def control(self) -> SearchBar:
            return self.search_bar

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, SearchBar.QueryChanged)

    @dataclass
    class Finished(Message):
        """`enter` or `escape`: the user is done typing and focus should return to the list."""

        search_bar: SearchBar
        cleared: bool

        @property
        def control(self) -> SearchBar:
            return self.search_bar

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input", select_on_focus=False)
        yield Static("", id="search-hint")

    @property
    def input(self) -> Input:
        """The text box."""
        return self.query_one("#search-input", Input)

    @property
    def text(self) -> str:
        """The current search text."""
        return self.input.value

    def focus_input(self) -> None:
        """Put the cursor in the box, at the end of what is there."""
        self.input.focus()
        self.input.cursor_position = len(self.input.value)

    def show_hint(self, hint: str | None) -> None:
        """Show the search language's hint under the box, or hide the line when there is none."""
        line = self.query_one("#search-hint", Static)
        line.set_class(bool(hint), "-visible")
        line.update(Content(one_line(hint or "", 200)))

    @property
    def hint(self) -> str:
        """The hint on display ("" when hidden)."""
        line = self.query_one("#search-hint", Static)
        return str(line.content) if line.has_class("-visible") else ""

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(self, event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Finished(self, cleared=False))

    def action_clear(self) -> None:
        """Empty the box and return to the list."""
        self.input.value = ""
        self.show_hint(None)
        self.post_message(self.Finished(self, cleared=True))
