"""From markdown-it's inline tokens back to the exact bytes of the source they came from.

markdown-it gives block tokens line numbers (`map`) but inline tokens none. The shared parser's recording rules
(`parser.py`) note where a wikilink, link or formula starts and ends in its block's inline text; this module
maps those offsets to offsets in the original body, so a rewrite can replace exactly those bytes and keep every
other one (line endings, indentation, quote markers) as it was. The rewrite itself is `text.splice.apply_edits`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

# The line breaks markdown-it splits on (it normalises \r\n and \r to \n before parsing).
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LINE_START_RE = re.compile(r"(?:\r\n|\r|\n)[ \t>]*")


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where an inline token's source lies in the text of the inline block it was parsed from."""

    src: str
    start: int
    end: int


class SourceLines:
    """A body split into lines the way markdown-it counts them, with each line's offset."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.lines: list[str] = _LINE_RE.findall(body)
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.starts: list[int] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self._cursor = 0

    def content(self, index: int) -> str:
        """Line `index` without its line ending."""
        return self.lines[index].rstrip("\r\n")

    def inline_spans(self, block: Token, types: Collection[str]) -> Iterator[tuple[Token, int, int]]:
        """The children of the inline token `block` whose type is in `types`, with their (start, end) in the body.

        Call it for every inline token in document order: a cursor moves through the body, so two table cells
        with the same text each find their own bytes. A child whose place can't be pinned down is left out.
        """
        if block.map is None:
            return
        located = self._locate(block.content, block.map[0])
        if located is None:
            return
        for child in block.children or []:
            span = (child.meta or {}).get("span")
            if child.type not in types or not isinstance(span, SourceSpan):
                continue
            if span.src is not block.content and span.src != block.content:
                continue  # parsed from another string (an image's alt text)
            start, end = located(span.start), located(span.end)
            if start is None or end is None:
                continue
            # Spread over lines, the span differs from the body only by each line's indentation and quote
            # markers. Any other difference means the offsets are wrong: leave that token alone.
            if _line_starts_dropped(self.body[start:end]) != _line_starts_dropped(
                span.src[span.start : span.end]
            ):
                continue
            yield child, start, end

    def _locate(self, content: str, first_line: int) -> Callable[[int], int | None] | None:
        """A function from offsets in an inline token's `content` to offsets in the body.

        markdown-it builds `content` from the block's source lines less their indentation and quote or list
        markers, so each content line is found in its own source line, left to right from the cursor.
        """
        line_offsets: list[tuple[int, int]] = []  # (offset in content, offset in body) of each line's start
        content_offset = 0
        for number, part in enumerate(content.split("\n")):
            index = first_line + number
            if index >= len(self.lines):
                return None
            found = self.content(index).find(part, max(0, self._cursor - self.starts[index]))
            if found < 0:
                return None
            line_offsets.append((content_offset, self.starts[index] + found))
            self._cursor = self.starts[index] + found + len(part)
            content_offset += len(part) + 1

        def located(position: int) -> int | None:
            for content_start, body_start in reversed(line_offsets):
                if position >= content_start:
                    return body_start + (position - content_start)
            return None

        return located


def _line_starts_dropped(text: str) -> str:
    return _LINE_START_RE.sub("\n", text)
