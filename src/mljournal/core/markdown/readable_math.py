"""Math in a Markdown body rewritten as readable Unicode, for a terminal that can't typeset TeX.

`markdown_with_readable_math` finds math with the shared parser (so code spans and fences are never touched and
prices stay text), converts each formula with `latex_to_unicode`, and splices the result over exactly the bytes
the formula occupied. Every other byte of the body is kept. A formula that can't be converted, or whose place in
the source can't be pinned down for certain, stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from mljournal.core.markdown.math_text import latex_to_unicode
from mljournal.core.markdown.parser import MATH_BLOCK, MATH_INLINE, MATH_INLINE_DOUBLE, MathSpan, parse

__all__ = ["markdown_with_readable_math"]

_MATH_MARKERS = ("$", "\\(", "\\[")
# The line breaks markdown-it splits on (it normalises \r\n and \r to \n before parsing).
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LINE_START_RE = re.compile(r"(?:\r\n|\r|\n)[ \t>]*")
_PUNCTUATION_RE = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_with_readable_math(body: str) -> str:
    """`body` with every convertible `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` shown as Unicode.

    Display math (a `$$` or `\\[` block) becomes its own paragraph, one line per formula line. Text without
    math comes back unchanged, byte for byte.
    """
    if not any(marker in body for marker in _MATH_MARKERS):
        return body
    lines = _LINE_RE.findall(body)
    if lines and lines[-1] == "":
        lines.pop()
    starts: list[int] = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    edits: list[tuple[int, int, str]] = []
    cursor = _Cursor()
    for token in parse(body):
        if token.type == MATH_BLOCK and token.map:
            edit = _block_edit(token, lines, starts)
            if edit:
                edits.append(edit)
        elif token.type == "inline" and token.map:
            # Every inline token moves the cursor, so two table cells with the same text find their own bytes.
            edits.extend(_inline_edits(body, token, lines, starts, cursor))
    result: list[str] = []
    done = 0
    for start, end, replacement in sorted(edits):
        if start < done:
            continue  # overlapping edits would mean a wrong offset somewhere: keep the source
        result.append(body[done:start])
        result.append(replacement)
        done = end
    result.append(body[done:])
    return "".join(result)


class _Cursor:
    """How far into the body inline tokens have been located (they come in source order)."""

    def __init__(self) -> None:
        self.offset = 0


def _escaped(text: str) -> str:
    """Converted math as Markdown text: ASCII punctuation escaped so `*`, `_` or `[` can't turn into markup."""
    return _PUNCTUATION_RE.sub(r"\\\1", text)


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _line_starts_dropped(text: str) -> str:
    return _LINE_START_RE.sub("\n", text)


def _inline_edits(
    body: str, token: Token, lines: list[str], starts: list[int], cursor: _Cursor
) -> list[tuple[int, int, str]]:
    assert token.map is not None
    located = _locate_lines(token.content, token.map[0], lines, starts, cursor)
    if located is None or not token.children:
        return []
    edits = []
    for child in token.children or []:
        span = (child.meta or {}).get("math_span")
        if child.type not in {MATH_INLINE, MATH_INLINE_DOUBLE} or not isinstance(span, MathSpan):
            continue
        if span.src is not token.content and span.src != token.content:
            continue  # math inside an image's alt text: parsed from another string
        converted = latex_to_unicode(child.content)
        if not converted:
            continue
        start, end = located(span.start), located(span.end)
        if start is None or end is None:
            continue
        # A formula spread over lines differs from the body only by each line's indentation and quote markers,
        # which the replacement (one line) no longer needs. Anything else means the offsets are wrong: skip.
        if _line_starts_dropped(body[start:end]) != _line_starts_dropped(span.src[span.start : span.end]):
            continue
        edits.append((start, end, _escaped(" ".join(converted.split("\n")))))
    return edits


def _locate_lines(
    content: str, first_line: int, lines: list[str], starts: list[int], cursor: _Cursor
) -> Callable[[int], int | None] | None:
    """A function from offsets in an inline token's `content` to offsets in the body (None where unsure).

    markdown-it builds `content` from the block's source lines, less each line's indentation and quote or list
    markers; each content line is therefore found in its own source line, searched left to right.
    """
    line_offsets: list[tuple[int, int]] = []  # (offset in content, offset in body) at the start of each line
    content_offset = 0
    for number, part in enumerate(content.split("\n")):
        index = first_line + number
        if index >= len(lines):
            return None
        line = _content(lines[index])
        found = line.find(part, max(0, cursor.offset - starts[index]))
        if found < 0:
            return None
        line_offsets.append((content_offset, starts[index] + found))
        cursor.offset = starts[index] + found + len(part)
        content_offset += len(part) + 1

    def located(position: int) -> int | None:
        for content_start, body_start in reversed(line_offsets):
            if position >= content_start:
                return body_start + (position - content_start)
        return None

    return located


def _block_edit(token: Token, lines: list[str], starts: list[int]) -> tuple[int, int, str] | None:
    """Replace a display-math block's lines with its converted lines, keeping each line's quote/list prefix."""
    assert token.map is not None
    first, last = token.map
    if last > len(lines) or first >= last:
        return None
    converted = latex_to_unicode(token.content)
    if not converted:
        return None
    opening = _content(lines[first])
    marker = token.markup if token.markup in {"$$", "\\["} else "$$"
    prefix = opening[: opening.find(marker)] if marker in opening else None
    if prefix is None or not re.fullmatch(r"[\s>*+\-0-9.)]*", prefix):
        return None
    continuation = re.sub(r"[^>\s]", " ", prefix)
    newline = lines[first][len(opening) :] or "\n"
    formula_lines = [_escaped(line) for line in converted.split("\n")]
    # Hard line breaks (a trailing backslash) keep a multi-line formula's lines apart.
    rendered = [
        (prefix if number == 0 else continuation) + line + ("\\" if number < len(formula_lines) - 1 else "")
        for number, line in enumerate(formula_lines)
    ]
    end_line = lines[last - 1]
    ending = end_line[len(_content(end_line)) :]
    text = newline.join(rendered) + (ending if ending else "")
    if first > 0 and _content(lines[first - 1]).strip(" >"):
        text = (
            continuation.rstrip() + newline + text
        )  # a blank line first, so it isn't read as a paragraph's end
    if last < len(lines) and _content(lines[last]).strip(" >"):
        text += continuation.rstrip() + newline
    return starts[first], starts[last - 1] + len(end_line), text
