"""Following links from the keyboard: pick one of the entry's links, and confirm before a web link opens."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from mljournal.tui.text import one_line


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


class LinkPicker(ModalScreen[str | None]):
    """The entry's links, to follow one from the keyboard; dismisses with the chosen href or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="links.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="links.down", tooltip="Next link"),
        Binding("k", "move(-1)", "Up", show=False, id="links.up", tooltip="Previous link"),
    ]

    DEFAULT_CSS = """
    LinkPicker {
        align: center middle;
        & > Vertical {
            width: 80; max-width: 95%; height: auto; max-height: 80%;
            border: round $primary; background: $panel; padding: 0 1;
        }
        & OptionList, & OptionList:focus { height: auto; max-height: 20; border: none; }
        & #links-help { color: $text-muted; }
    }
    """

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self._links = links

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Follow a link (enter) · escape to cancel"), id="links-help")
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (one_line(text, 60) or "link", "bold"), "  ", (one_line(href, 200), "$text-muted")
                        )
                    )
                    for text, href in self._links
                ),
                id="links-list",
            )

    @on(OptionList.OptionSelected, "#links-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._links[event.option_index][1])

    def action_move(self, step: int) -> None:
        """Move the highlight to the next (1) or previous (-1) link."""
        links = self.query_one("#links-list", OptionList)
        if step > 0:
            links.action_cursor_down()
        else:
            links.action_cursor_up()

    def action_cancel(self) -> None:
        """Close without following a link."""
        self.dismiss(None)
