"""Splicing text by offsets: replace exact spans and keep every other character, and find line ends.

The one primitive under every byte-keeping edit (front-matter fields, roadmap nodes, Markdown rewrites):
callers work out *where* the change goes, this module only cuts and joins.
"""

from __future__ import annotations

from collections.abc import Callable

Edit = tuple[int, int, str]
"""Replace text[start:end] with the string."""


def apply_edits(body: str, edits: list[Edit], *, untouched: Callable[[str], str] | None = None) -> str:
    """`body` with each edit applied; an edit overlapping an earlier one is dropped (the source stays).

    `untouched`, if given, maps each stretch of the body between edits (a blog engine escaping its own
    template syntax, say); the replacements themselves are used as they are.
    """
    keep = untouched or (lambda text: text)
    result: list[str] = []
    done = 0
    for start, end, replacement in sorted(edits):
        if start < done:
            continue
        result.append(keep(body[done:start]))
        result.append(replacement)
        done = end
    result.append(keep(body[done:]))
    return "".join(result)


def line_end(text: str, index: int) -> int:
    """The offset just past the line holding `index` (past its ``\\n``), or ``len(text)`` on the last line."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def newline_of(text: str) -> str:
    """``\\r\\n`` when `text` uses it anywhere, else ``\\n``: the line ending to write new lines with."""
    return "\r\n" if "\r\n" in text else "\n"


def line_newline(line: str, default: str) -> str:
    """The line ending `line` ends with (``\\r\\n``, ``\\n`` or ``\\r``), or `default` when it has none."""
    if line.endswith("\r\n"):
        return "\r\n"
    if line.endswith(("\n", "\r")):
        return line[-1]
    return default
