"""The entry list's lines as Line-API strips: the message of an empty list, the placeholder of a row whose page
is on its way, and a row's title line or snippet line (their text comes from `entry_rows`)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from mljournal.core.index import EntryRow
from mljournal.tui.widgets.entry_rows import row_text, snippet_text


def message_strip(message: str, width: int, style: Style, console: Console) -> Strip:
    """A line that says `message` (the empty list's), cut to `width`."""
    text = Text(" " + message, style=style, no_wrap=True, overflow="ellipsis", end="")
    text.truncate(width, overflow="ellipsis", pad=True)
    return Strip(list(text.render(console)), width)


def loading_strip(line: int, width: int, base: Style, style: Style) -> Strip:
    """Line `line` of a row whose page is still being fetched: `…` on its first line, blank below."""
    if line:
        return Strip.blank(width, base)
    return Strip([Segment(" …", style)]).adjust_cell_length(width, base)


def row_strip(
    row: EntryRow,
    snippet: str | None,
    width: int,
    line_style: Style,
    *,
    cursor: bool,
    show_tags: bool,
    repeated_titles: set[tuple[str, str | None]],
    style_of: Callable[[str], Style],
    console: Console,
) -> Strip:
    """The title line of `row`, or with `snippet` (a text search's second line) its matching text."""
    if snippet is not None:
        text = snippet_text(snippet, width, line_style, cursor=cursor, style_of=style_of)
    else:
        text = row_text(
            row,
            width,
            line_style,
            cursor=cursor,
            show_tags=show_tags,
            repeated_titles=repeated_titles,
            style_of=style_of,
        )
    return Strip(list(text.render(console)), text.cell_len).adjust_cell_length(width, line_style)
