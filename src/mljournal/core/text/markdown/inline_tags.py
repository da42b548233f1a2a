"""Obsidian-style inline tags: `#tag` written in an entry's body text.

Read from markdown-it-py's token stream rather than a regex over the raw Markdown, so a `#` in a code span,
a fenced or indented code block, a link's text, an HTML block or a heading (`# Title`, and `#` words in a
heading's text) is never a tag; only plain text is looked at. A tag is `#` followed by letters, digits, `_`,
`-` and `/` (Obsidian's nested tags), written after a space or at the start of a run of text (`C#sharp` and
`page/#anchor` are not tags), and not all digits (`#2024` is an issue number, not a tag).

Inline tags are read, never written: tag edits change the front-matter only and refuse to remove a tag that
lives in the body.
"""

from __future__ import annotations

import re

INLINE_TAG_SCAN_LIMIT = 2_000_000
"""Characters of a body searched for inline tags: a tag past the first 2 MB of a giant body is not read."""

_TAG_RE = re.compile(r"(?:(?<=\s)|^)#(\w[\w/-]*)")
_HAS_LETTER = re.compile(r"[^\W\d]")
# Cheap first look: most bodies have no `#word` at all (headings have a space after the `#`), and those skip
# the Markdown parser entirely. The pattern starts with its literal `#`, so the regex engine jumps from one
# `#` to the next; whether a space or a line start comes before it is checked only at those few places. (A
# leading `(?:^|\s)` made it try every character: 60 µs a body, a tenth of the cost of indexing one.)
_MAYBE_TAG = re.compile(r"#[\w/-]*[^\W\d]")


def _may_have_tags(body: str) -> bool:
    return any(match.start() == 0 or body[match.start() - 1].isspace() for match in _MAYBE_TAG.finditer(body))


def _tag(word: str) -> str | None:
    word = word.rstrip("/-")
    return word if _HAS_LETTER.search(word) else None


def inline_tags(body: str) -> list[str]:
    """The `#tags` in the body's text, in order, each once (case-insensitively, first spelling kept)."""
    if len(body) > INLINE_TAG_SCAN_LIMIT:
        body = body[: body.rfind("\n", 0, INLINE_TAG_SCAN_LIMIT) + 1 or INLINE_TAG_SCAN_LIMIT]
    if "#" not in body or not _may_have_tags(body):
        return []
    # Imported on first need, as before the move: most bodies have no `#tag` and never reach the parser, so
    # reading entries doesn't pay for loading markdown-it and its plugins up front.
    from mljournal.core.text.markdown.parser import plain_parser

    found: dict[str, str] = {}
    in_heading = False
    for token in plain_parser().parse(body):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading and token.children:
            in_link = 0
            for child in token.children:
                if child.type == "link_open":
                    in_link += 1
                elif child.type == "link_close":
                    in_link = max(0, in_link - 1)
                elif child.type == "text" and not in_link:
                    for match in _TAG_RE.finditer(child.content):
                        tag = _tag(match.group(1))
                        if tag is not None:
                            found.setdefault(tag.casefold(), tag)
    return list(found.values())
