"""Editing an entry's tags and topics in its front-matter, keeping every other byte of the file.

Tags are read here the way they are edited: from the first tag key the file has (even when it holds null),
because an edit must rewrite the key that is there. The entry reader (`entries.read`) takes the first key with
a value instead; both clean labels with `text.tags`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mljournal.core.entries.fields import TAG_KEYS
from mljournal.core.entries.store import StoreError, _edit_field, _set_field
from mljournal.core.entries.tag_rules import tags_refusal
from mljournal.core.frontmatter import parse_document
from mljournal.core.journal import Journal
from mljournal.core.text.markdown.inline_tags import inline_tags
from mljournal.core.text.tags import clean_labels, labels_from_value


def current_tags(raw: bytes) -> list[str]:
    """The tags a file declares, as the entry reader sees them (a list or a comma/space-separated string)."""
    metadata = parse_document(raw).metadata
    for key in TAG_KEYS:
        if key in metadata:
            return _tags_from_value(metadata[key])
    return []


def _tags_from_value(value: Any) -> list[str]:
    # Not quite `labels_from_value`: a non-text item is kept as `str()` spells it (`True`, not `true`). Tag edits
    # refuse such lists first (`check_tags_editable`), but a capture appends to whatever tags are there.
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return clean_labels(str(item) for item in value if item is not None)
    return labels_from_value(str(value))


def check_tags_editable(relpath: str, raw: bytes) -> None:
    """Raise `StoreError` (one line) when the file's tags are not a plain list an edit writes back as it was."""
    refusal = tags_refusal(parse_document(raw))
    if refusal is not None:
        raise StoreError(
            f"{relpath}: tags not changed: they are {refusal}, which an edit would rewrite; edit them by hand."
        )


def update_tags(journal: Journal, relpath: str, add: Sequence[str], remove: Sequence[str]) -> list[str]:
    """Add and remove tags (case-insensitively) and return the entry's tags afterwards.

    Only the tags field changes; the other front-matter lines and the body keep their bytes. The key the
    file already uses (`tags`, `tag` or `Tags`) is the one edited.
    """
    removing = {tag.strip().lstrip("#").casefold() for tag in remove}
    result: list[str] = []

    def change(raw: bytes) -> bytes:
        # Computed from the bytes being replaced, so a retry after another writer builds on its tags.
        check_tags_editable(relpath, raw)
        document = parse_document(raw)
        key = next((candidate for candidate in TAG_KEYS if candidate in document.metadata), "tags")
        before = current_tags(raw)
        _refuse_inline_removals(relpath, document.body, removing - {tag.casefold() for tag in before})
        after = clean_labels(
            [tag for tag in before if tag.casefold() not in removing] + [t.lstrip("#") for t in add],
            keep_hash=True,
        )
        result[:] = after
        if after == before:
            return raw
        return _set_field(raw, relpath, key, after, "tags")

    _edit_field(journal, relpath, "tags", change)
    return result


def _refuse_inline_removals(relpath: str, body: str, removing: set[str]) -> None:
    """Tags written in the body (`#tag`) are the user's text, not a field: never rewrite the body for them."""
    if not removing:
        return
    in_body = [tag for tag in inline_tags(body) if tag.casefold() in removing]
    if in_body:
        raise StoreError(
            f"{relpath}: #{in_body[0]} is an inline tag, written in the body; edit the text to remove it. "
            "Nothing was changed."
        )


def set_topics(journal: Journal, relpath: str, topics: Sequence[str]) -> None:
    """Link the entry to exactly these roadmap topic ids (the `topics` field); other bytes are kept."""
    wanted = clean_labels(topics, keep_hash=True)
    _edit_field(journal, relpath, "topics", lambda raw: _set_field(raw, relpath, "topics", wanted, "topics"))
