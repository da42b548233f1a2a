"""How one entry reads in the entry list: its line (date, title, tags) and, in a text search, the line of
matching text under it. Pure functions of the row, the width and the styles, so `EntryList.render_line`
stays a lookup and these stay testable without a widget."""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.style import Style
from rich.text import Text

from mljournal.core.index import EntryRow
from mljournal.tui.text import one_line

DATE_WIDTH = 10
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]?")


def _stem_without_date(path: str) -> str:
    """`entries/2024-01-10-notes-2.md` → `notes-2`: what tells two same-titled entries apart."""
    name = path.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return _DATE_PREFIX.sub("", stem) or stem


_SNIPPET_MATCH = re.compile(r"\[([^\[\]]*)\]")
"""A matched word in a snippet: the index marks them with brackets (`Index.snippets`)."""


def snippet_text(
    snippet: str, width: int, line_style: Style, *, cursor: bool, style_of: Callable[[str], Style]
) -> Text:
    """The second line of a search result: the matching text, its matches (`[word]`) highlighted."""
    text = Text(no_wrap=True, overflow="ellipsis", style=line_style, end="")
    text.append("   ")  # a small indent, not under the title: the match needs the room more
    plain = Style() if cursor else style_of("entry-list--snippet")
    match = style_of("entry-list--match")
    flat = one_line(snippet, 400)
    room = width - text.cell_len
    first = _SNIPPET_MATCH.search(flat)
    if first is not None and first.end() > room:
        # The match would be cut off at the right: start a few words before it instead.
        start = flat.rfind(" ", 0, max(0, first.start() - 12)) + 1
        flat = "…" + flat[start:].lstrip("…")
    last = 0
    for found in _SNIPPET_MATCH.finditer(flat):
        text.append(flat[last : found.start()], plain)
        text.append(found.group(1), Style(bold=True) if cursor else match)
        last = found.end()
    text.append(flat[last:], plain)
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


def row_text(
    row: EntryRow,
    width: int,
    line_style: Style,
    *,
    cursor: bool,
    show_tags: bool,
    repeated_titles: set[tuple[str, str | None]],
    style_of: Callable[[str], Style],
) -> Text:
    """An entry's line: date, title (with the file name when the title repeats that day), tags if room."""
    text = Text(no_wrap=True, overflow="ellipsis", style=line_style, end="")
    date_style = Style() if cursor else style_of("entry-list--date")
    day = (row.day or "")[:DATE_WIDTH]
    text.append(" " + day.ljust(DATE_WIDTH) + "  ", date_style)
    title = one_line(row.title or row.path, 200)
    title_style = Style()
    if row.problem_count and not cursor:
        title_style = style_of("entry-list--problem")
    elif row.draft and not cursor:
        title_style = style_of("entry-list--draft")
    tags = " ".join("#" + one_line(tag, 40) for tag in row.tags) if show_tags else ""
    room = width - text.cell_len - 1
    tag_room = min(len(tags), max(0, room // 3)) if tags else 0
    title_room = room - (tag_room + 2 if tag_room else 0)
    title_text = Text(title + (" ✎" if row.draft else ""), style=title_style, end="")
    if (title, row.day) in repeated_titles:
        # Two entries with one title on one day: the file name (without its date) tells them apart,
        # and is kept in view by cutting the title first. (On different days the date already does.)
        stem = _stem_without_date(row.path)
        stem_room = max(2, min(len(stem), title_room // 2))
        if len(stem) > stem_room:
            stem = "…" + stem[len(stem) - stem_room + 1 :]  # the end differs (`notes-2`): keep it
        title_text.truncate(max(1, title_room - len(stem) - 1), overflow="ellipsis")
        title_text.append(" " + stem, date_style)
    title_text.truncate(max(1, title_room), overflow="ellipsis", pad=True)
    text.append_text(title_text)
    if tag_room:
        tag_text = Text(tags, style=Style() if cursor else style_of("entry-list--tags"))
        tag_text.truncate(tag_room, overflow="ellipsis")
        text.append("  ")
        text.append_text(tag_text)
    text.truncate(width, overflow="ellipsis", pad=True)
    return text
