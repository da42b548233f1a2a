"""`?`: every key binding, grouped by the pane it belongs to, read from the key table (`tui.keys`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from mljournal.tui.keys import HELP_GROUPS, key_names

INTRO = """\
# mljournal keys

Entries live in `entries/` as Markdown files; the roadmap in `roadmap.yaml`.
Press `ctrl+p` for the command palette (every action, themes), `escape` or `?` to close this help.
"""

SEARCH_HELP = """\
## Search language

| Write | Finds |
| :- | :- |
| `attention transformer` | entries with both words (prefix with `-` to exclude) |
| `"gradient descent"` | the exact phrase |
| `optim*` | words starting with *optim* |
| `a OR b` | either word |
| `tag:pytorch`, `#pytorch` | a tag (`tag:"deep learning"` with spaces) |
| `topic:linear-algebra` | entries linked to a roadmap topic or anything under it |
| `title:regression` | a word in the title |
| `on:2024-03`, `after:2024-01-01`, `before:2024` | dates (also `today`, `yesterday`, `7d`, `4w`, `3m`, `1y`) |

The word being typed searches as a prefix (`gradi` finds *gradient*). When no indexed word starts with it,
the longest word it starts with is searched instead, and the line under the box says so
(`searching: gradeint → grade…`).
"""


def marks_help() -> str:
    """The roadmap marks of the navigator, from the navigator's own table of them."""
    from mljournal.tui.widgets.navigator import STATUS_MARKS, STATUS_MEANINGS

    rows = ["## Roadmap marks", ""]
    rows += [f"- `{mark}` {STATUS_MEANINGS[status]}" for status, mark in STATUS_MARKS.items()]
    rows.append("- A branch whose topics are all done or skipped shows `●`.")
    rows.append(
        "- `3/7` after a branch: its topics at the bottom that are done or skipped (as `mljournal roadmap`"
        " counts); `·2`: entries linked to it or anything under it."
    )
    return "\n".join(rows) + "\n"


def _key_label(keys: str) -> str:
    return " / ".join(f"`{name}`" for name in key_names(keys))


def bindings_table(title: str, bindings: Iterable[BindingType]) -> str:
    """A Markdown list of `bindings` under a heading (hidden bindings included: this is the full list)."""
    # A list, not a table: Markdown tables draw a rule between rows and double the height.
    rows = [f"## {title}", ""]
    seen: set[str] = set()
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.system:
            continue
        # Each key once: a key bound twice in a pane (a widget's own and an inherited one) would list twice.
        keys = [key.strip() for key in binding.key.split(",") if key.strip() not in seen]
        if not keys:
            continue
        seen.update(keys)
        label = _key_label(",".join(keys))
        rows.append(f"- {label} {binding.tooltip or binding.description or binding.action}")
    return "\n".join(rows) + "\n"


def help_markdown() -> str:
    """The whole help text, from the key table the panes bind (`tui.keys`), so it can't drift from the real keys."""
    tables = [bindings_table(group.title, group.help_bindings()) for group in HELP_GROUPS]
    return "\n".join([INTRO, *tables, marks_help(), SEARCH_HELP])


class HelpScreen(ModalScreen[None]):
    """The key reference. `escape`, `q` or `?` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll_down", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="help.up"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90; max-width: 95%; height: 90%;
            border: round $primary; background: $panel; padding: 0 1;
        }
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(help_markdown(), id="help-text", open_links=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        """Scroll the help down."""
        self.query_one("#help-scroll", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll the help up."""
        self.query_one("#help-scroll", VerticalScroll).scroll_up()
