"""Math in a Markdown body rewritten as readable Unicode, for a terminal that can't typeset TeX.

`markdown_with_readable_math` finds math with the shared parser (so code spans and fences are never touched and
prices stay text), converts each formula with `latex_to_unicode`, and splices the result over exactly the bytes
the formula occupied. Every other byte of the body is kept. A formula that can't be converted, or whose place in
the source can't be pinned down for certain, stays as written.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from mljournal.core.text.markdown.math_text import latex_to_unicode
from mljournal.core.text.markdown.parser import MATH_BLOCK, MATH_INLINE, MATH_INLINE_DOUBLE, parse
from mljournal.core.text.markdown.source_map import SourceLines
from mljournal.core.text.splice import Edit, apply_edits

__all__ = ["markdown_with_readable_math"]

_MATH_MARKERS = ("$", "\\(", "\\[")
_INLINE_MATH = frozenset({MATH_INLINE, MATH_INLINE_DOUBLE})
_PUNCTUATION_RE = re.compile(r"([!-/:-@\[-`{-~])")
_BLOCK_PREFIX_RE = re.compile(r"[\s>*+\-0-9.)]*")


def markdown_with_readable_math(body: str) -> str:
    """`body` with every convertible `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` shown as Unicode.

    Display math (a `$$` or `\\[` block) becomes its own paragraph, one line per formula line. Text without
    math comes back unchanged, byte for byte.
    """
    if not any(marker in body for marker in _MATH_MARKERS):
        return body
    source = SourceLines(body)
    edits: list[Edit] = []
    for token in parse(body):
        if token.type == MATH_BLOCK and token.map:
            edit = _block_edit(token, source)
            if edit:
                edits.append(edit)
        elif token.type == "inline":
            for child, start, end in source.inline_spans(token, _INLINE_MATH):
                converted = latex_to_unicode(child.content)
                if converted:
                    edits.append((start, end, _escaped(" ".join(converted.split("\n")))))
    return apply_edits(body, edits)


def _escaped(text: str) -> str:
    """Converted math as Markdown text: ASCII punctuation escaped so `*`, `_` or `[` can't turn into markup."""
    return _PUNCTUATION_RE.sub(r"\\\1", text)


def _block_edit(token: Token, source: SourceLines) -> Edit | None:
    """Replace a display-math block's lines with its converted lines, keeping each line's quote/list prefix."""
    assert token.map is not None
    first, last = token.map
    lines = source.lines
    if last > len(lines) or first >= last:
        return None
    converted = latex_to_unicode(token.content)
    if not converted:
        return None
    opening = source.content(first)
    marker = token.markup if token.markup in {"$$", "\\["} else "$$"
    if marker not in opening:
        return None
    prefix = opening[: opening.find(marker)]
    if not _BLOCK_PREFIX_RE.fullmatch(prefix):
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
    text = newline.join(rendered) + end_line[len(source.content(last - 1)) :]
    if first > 0 and source.content(first - 1).strip(" >"):
        text = (
            continuation.rstrip() + newline + text
        )  # a blank line first, so it isn't read as a paragraph's end
    if last < len(lines) and source.content(last).strip(" >"):
        text += continuation.rstrip() + newline
    return source.starts[first], source.starts[last - 1] + len(end_line), text
