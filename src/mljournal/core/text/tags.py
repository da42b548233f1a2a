"""THE label parser: how tags (and topic lists) are read from front-matter values and typed text.

One cleaning rule for every label: surrounding spaces and a leading ``#`` go (``" #ML "`` is ``ML``), empties
go, and repeats go case-insensitively, keeping the first spelling and the order. Callers differ only in where
the labels come from:

- `labels_from_value`: a front-matter value, as the entry reader sees it (a list, or a string split on commas
  when it has any, else on whitespace).
- `split_typed_labels`: text a person typed in a form (commas only, so ``deep learning`` is one tag).
- `tag_key`: the key the index stores and searches a tag under.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

__all__ = ["TAG_KEYS", "clean_labels", "labels_from_value", "split_typed_labels", "tag_key"]

TAG_KEYS = ("tags", "tag", "Tags")
"""Front-matter keys that hold tags, in the order the reader looks at them; edits go to the one present."""

_MAX_DEPTH = 3
"""How deep `labels_from_value` looks into nested lists and mappings before giving up on a value."""


def clean_labels(items: Iterable[object], *, keep_hash: bool = False) -> list[str]:
    """`items` stripped of spaces and a leading ``#``, without empties and case-insensitive repeats.

    The first spelling and the order are kept (``["ML", "ml"]`` is ``["ML"]``). `keep_hash` keeps a leading
    ``#`` as written: new entries and tag edits have always written labels that way.
    """
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        label = str(item).strip()
        if not keep_hash:
            label = label.lstrip("#").strip()
        folded = label.casefold()
        if label and folded not in seen:
            seen.add(folded)
            result.append(label)
    return result


def labels_from_value(value: Any) -> list[str]:
    """The labels of a front-matter value: a list, a comma/space-separated string, a scalar or a mapping.

    A list item is one label even with spaces in it; a string is split on commas when it has any, else on
    whitespace. Yes/no values read as ``true``/``false``, numbers and dates as written; nested lists are looked
    into and mappings inside lists skipped, so an odd value gives what labels it holds instead of an error.
    """
    raw: list[str] = []
    _collect(value, raw, split=True, depth=0)
    return clean_labels(raw)


def _collect(value: Any, out: list[str], *, split: bool, depth: int) -> None:
    if value is None or depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        if split:
            out.extend(value.split(",") if "," in value else value.split())
        else:
            out.append(value)
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int | float | date):
        out.append(value.isoformat() if isinstance(value, date) else str(value))
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, str):
                out.append(item)  # a list item is one label even when it has spaces
            elif not isinstance(item, dict):
                _collect(item, out, split=False, depth=depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            if not isinstance(item, dict | list):
                _collect(item, out, split=False, depth=depth + 1)


def split_typed_labels(text: str) -> list[str]:
    """Labels typed as ``a, b, #c``: split on commas only (``deep learning`` is one label), then cleaned."""
    return clean_labels(text.split(","))


def tag_key(tag: str) -> str:
    """A tag as the index stores and compares it: cleaned, then lower-cased.

    `str.lower`, not `casefold`: the index's tag column holds these keys, and changing the rule would change
    what existing indexes hold (``Straße`` would stop matching its stored key).
    """
    return tag.strip().lstrip("#").strip().lower()
