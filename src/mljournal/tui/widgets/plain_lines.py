"""Plain text shown line by line with the Line API: the tail of an entry too long for the Markdown widget.

Only the lines on screen are ever drawn, so a million lines cost what the visible forty do. Lines arrive
already filtered (`strip_controls`) and are neither wrapped nor interpreted as Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class PlainLines(Widget):
    """Lines of plain text, appended in batches; as tall as its lines, so the viewer's scroll covers them."""

    DEFAULT_CSS = """
    PlainLines {
        height: auto;
        padding: 0 1;
        color: $text;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[str] = []

    @property
    def line_count(self) -> int:
        """How many lines are held."""
        return len(self._lines)

    def clear(self) -> None:
        """Drop every line."""
        self._lines.clear()
        self.refresh(layout=True)

    def append_lines(self, lines: Iterable[str]) -> None:
        """Add lines at the end (already safe to draw)."""
        self._lines.extend(lines)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return Strip([Segment(self._lines[y], self.rich_style)]).crop_extend(0, width, self.rich_style)
