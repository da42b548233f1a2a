"""Finding the front-matter block in an entry's text: YAML (``---``), TOML (``+++``) or JSON (``;;;`` or ``{``).

The splitter works on offsets into the decoded text, so the block, the body and every byte between them are
exact slices of the file. python-frontmatter is not used for this: it parses and re-serialises the metadata
(`frontmatter.dumps`), so an edit through it would rewrite every other field's quoting, comments and key order.
We only borrow its YAML delimiter constant, so both agree on what opens a block.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from frontmatter.default_handlers import YAMLHandler

from mljournal.core.model import FrontMatterFormat, Problem
from mljournal.core.text.splice import line_end

YAML_DELIMITER = YAMLHandler.START_DELIMITER  # "---"
TOML_DELIMITER = "+++"
JSON_DELIMITER = ";;;"
JSON_OPEN = "{"  # Hugo: a bare JSON object at the top (python-frontmatter's JSONHandler matches "{" too)

# A closing delimiter: a line of three or more dashes (python-frontmatter accepts four and trailing blanks)
# or YAML's document-end marker "...". Searched from the end of the opening line only.
_YAML_CLOSE_RE = re.compile(r"^(?:-{3,}|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_CLOSE_RE = re.compile(r"^\+{3}[ \t]*\r?$", re.MULTILINE)
_JSON_SEMI_CLOSE_RE = re.compile(r"^;;;[ \t]*\r?$", re.MULTILINE)


@dataclass
class Split:
    """Where the front-matter block lies in the text (offsets), or why the file has none that can be read."""

    fmt: FrontMatterFormat | None
    fm_start: int
    fm_end: int
    body_start: int
    unsupported: str | None = None
    problem: Problem | None = None


def split_front_matter(text: str) -> Split | None:
    """Find the front-matter block; None when the file has none."""
    start = 0
    # python-frontmatter (and Hugo) accept blank lines before the opening delimiter; so do we.
    if text[:1] in ("\n", "\r", " ", "\t"):
        stripped = text.lstrip(" \t\r\n")
        skipped = text[: len(text) - len(stripped)]
        if not skipped.endswith(("\n", "\r")):
            return None  # an indented first line: a code block or a stray space, not front-matter
        start = len(skipped)
    head = text[start : start + 3]
    if head == YAML_DELIMITER:
        return _split_delimited(text, start, "yaml")
    if head == TOML_DELIMITER:
        return _split_delimited(text, start, "toml")
    if head == JSON_DELIMITER:
        return _split_delimited(text, start, "json")
    if text[start : start + 1] == JSON_OPEN:
        return _split_json_object(text, start)
    return None


def _split_delimited(text: str, start: int, fmt: FrontMatterFormat) -> Split | None:
    open_end = line_end(text, start)
    opener = text[start:open_end].rstrip()
    unsupported: str | None = None
    if fmt == "yaml":
        marker = opener.lstrip("-")
        if marker.lower() == "json":
            fmt = "json"
        elif marker:
            if not marker.isalpha():
                return None  # "--- title" or "---->": a thematic break, not a delimiter
            unsupported = marker  # "---js": front-matter in a language we cannot evaluate
        close_re = _YAML_CLOSE_RE
    elif fmt == "toml":
        if opener != TOML_DELIMITER:
            return None
        close_re = _TOML_CLOSE_RE
    else:
        if opener != JSON_DELIMITER:
            return None
        close_re = _JSON_SEMI_CLOSE_RE
    match = close_re.search(text, open_end)
    if match is None:
        line = text.count("\n", 0, start) + 1
        message = f"The front-matter opened on line {line} is never closed; the whole file is read as body."
        return Split(None, 0, 0, 0, problem=Problem("unclosed-front-matter", message, line))
    close_line_end = line_end(text, match.start())
    return Split(fmt, open_end, match.start(), close_line_end, unsupported=unsupported)


# An opening fence ending a line (on its own, or with the stray text typed in front of it: "oops---"), then
# (after blank lines) a line that sets one of the fields an entry is found by: the shape of a front-matter
# block, not of a thematic break between two paragraphs.
_MISPLACED_RE = re.compile(
    r"^[^\n]*?(?P<fence>---|\+\+\+)[ \t]*\r?\n(?:[ \t]*\r?\n)*(?:title|date|tags|topics)[ \t]*[:=]",
    re.MULTILINE,
)


def misplaced_front_matter(text: str) -> Problem | None:
    """A problem when a file without front-matter at the top holds what looks like a front-matter block further down.

    That is what typing above the opening `---` does: the fields become body text and the entry loses its
    title, tags and topics without any parse error.
    """
    for match in _MISPLACED_RE.finditer(text):
        fence = match["fence"]
        close = re.compile(rf"^{re.escape(fence)}[ \t]*\r?$", re.MULTILINE)
        if close.search(text, match.end()) is None:
            continue
        line = text.count("\n", 0, match.start()) + 1
        message = (
            f"Text comes before the front-matter (its opening {fence} is on line {line}), so its fields "
            f"(title, tags, topics) are not read; move that text below the closing {fence}."
        )
        return Problem("misplaced-front-matter", message, line)
    return None


def _split_json_object(text: str, start: int) -> Split | None:
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return None  # a body that happens to start with "{": not front-matter
    return Split("json", start, end, line_end(text, end) if text[end : end + 1] in "\r\n" else end)
