"""An entry's body into the viewer in pieces: the first screen at once, then, after it has painted, the rest of
a long entry in Markdown chunks and plain-text lines, one batch per frame, so keys and scrolling stay responsive
while it lays out (cancelling the worker that runs it stops it between two batches, `escape` among others)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.widget import Widget
from textual.widgets import Markdown

from mljournal.tui.data import VIEW_FIRST_CHUNK, EntryView
from mljournal.tui.text import cut_body
from mljournal.tui.widgets.plain_lines import PlainLines

PLAIN_BATCH_LINES = 20_000
"""Plain-text lines added per frame while a long entry loads: cheap to add, and a frame stays short."""


STOPPED_NOTE = "… loading stopped. Press L to load all of it, or e to open it in the editor."
"""Under an entry whose rest the user stopped loading (`escape`)."""


async def replace_body(markdown: Markdown, first: str) -> None:
    """Replace what `markdown` shows with `first`, the first screen of an entry."""
    # Emptied, then appended to: `Markdown.update` leaves the widget's "re-parse from here" mark on the
    # last line instead of the last block's first line, so a paragraph cut between chunks lost its
    # beginning on the first append; `append` keeps the mark right. Shielded: a new selection cancels
    # this worker, and a cancel that reaches Markdown.update while it removes the old blocks cancels
    # those widgets' own tasks; the app then meets the CancelledError in its message loop and quits
    # without a word (seen right after deleting the shown entry).
    await asyncio.shield(markdown.update(""))
    await asyncio.shield(markdown.append(first))


def stopped_notice(view: EntryView | None, shown_lines: int) -> str:
    """What the user hears on stopping a long entry's load with `shown_lines` plain-text lines in."""
    if view is not None and view.plain_tail:
        return f"Stopped loading: {shown_lines:,} of {len(view.plain_tail):,} plain-text lines shown."
    return "Stopped loading the rest of the entry."


async def next_frame(widget: Widget) -> None:
    """Wait until `widget` has been refreshed (painted) once more."""
    painted = asyncio.Event()
    widget.call_after_refresh(painted.set)
    await painted.wait()


async def append_rest(
    owner: Widget, view: EntryView, markdown: Markdown, tail: PlainLines, progress: Callable[[int], None]
) -> None:
    """Append `view.rest` to `markdown` and `view.plain_tail` to `tail`, waiting for a frame of `owner` after
    each batch; `progress` hears how many plain-text lines are in now and then."""
    # Offsets, not re-slicing: copying the remainder for every chunk is quadratic in the body's size.
    rest = view.rest
    offset = 0
    while offset < len(rest):
        chunk, _cut = cut_body(rest[offset : offset + VIEW_FIRST_CHUNK + 1], VIEW_FIRST_CHUNK)
        offset += len(chunk)
        # Shielded like `replace_body`'s calls.
        await asyncio.shield(markdown.append(chunk))
        await next_frame(owner)
    lines = view.plain_tail
    for start in range(0, len(lines), PLAIN_BATCH_LINES):
        tail.append_lines(lines[start : start + PLAIN_BATCH_LINES])
        if view.plain_tail and start % (PLAIN_BATCH_LINES * 10) == 0:
            progress(tail.line_count)
        await next_frame(owner)
