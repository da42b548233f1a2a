"""The front-matter keys an entry's fields are read from, and how a field's value is quoted in a message."""

from __future__ import annotations

from typing import Any

from mljournal.core.text.tags import TAG_KEYS as TAG_KEYS

__all__ = ["CATEGORY_KEYS", "DATE_KEYS", "DESCRIPTION_KEYS", "TAG_KEYS", "UPDATED_KEYS", "short_repr"]

DATE_KEYS = ("date", "pubDatetime", "publishDate", "published", "created", "pubDate")
"""Front-matter keys that may hold an entry's date, in order of preference."""
UPDATED_KEYS = ("updated", "modDatetime", "lastmod")
CATEGORY_KEYS = ("categories", "category")
DESCRIPTION_KEYS = ("description", "summary", "excerpt")


def short_repr(value: Any) -> str:
    """`repr(value)`, cut to 60 characters, for naming an odd value in a problem or refusal."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
