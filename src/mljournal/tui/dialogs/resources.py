"""Picking the roadmap resource that `m` marks done."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mljournal.tui.dialogs.styles import PICKER_CSS
from mljournal.tui.text import one_line

RESOURCE_MARKS = {"todo": "○", "learning": "◐", "done": "●", "skipped": "⊘"}


class ResourcePicker(ModalScreen[int | None]):
    """A topic's resources; `enter` dismisses with the chosen one's number (from 1), `escape` with None.

    The screen that opens it writes the status (`core.roadmap.set_resource_status`), in a worker.
    """

    DEFAULT_CSS = (
        PICKER_CSS.format(name="ResourcePicker")
        + """
    ResourcePicker OptionList, ResourcePicker OptionList:focus { height: auto; max-height: 20; border: none; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="resources.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="resources.down", tooltip="Next resource"),
        Binding("k", "move(-1)", "Up", show=False, id="resources.up", tooltip="Previous resource"),
    ]

    def __init__(self, topic_title: str, resources: Sequence[tuple[str, str | None, str]]) -> None:
        """`resources` are (title, url, status), in the roadmap's order."""
        super().__init__()
        self._topic_title = topic_title
        self._resources = list(resources)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"Mark a resource of “{one_line(self._topic_title, 60)}” done"), classes="picker-title"
            )
            options = []
            for title, url, status in self._resources:
                label = Text(f"{RESOURCE_MARKS.get(status, '?')} ", style="bold")
                label.append(one_line(title, 70) or "(untitled)", "bold")
                label.append(f"  {one_line(status, 20)}")
                if url:
                    label.append(f"  {one_line(url, 120)}", "dim")
                options.append(Option(label))
            yield OptionList(*options, id="resources-list")
            yield Static(Text("enter marks it done · escape cancels"), classes="picker-hint")

    @on(OptionList.OptionSelected, "#resources-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index + 1)

    def action_move(self, step: int) -> None:
        """Move the highlight to the next (1) or previous (-1) resource."""
        resources = self.query_one("#resources-list", OptionList)
        if step > 0:
            resources.action_cursor_down()
        else:
            resources.action_cursor_up()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
