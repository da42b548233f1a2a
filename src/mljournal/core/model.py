"""Plain data types shared by every layer: an entry as read from disk, and a problem found while reading it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FrontMatterFormat = Literal["yaml", "toml", "json"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a file that the user should hear about (`mljournal check`, the TUI).

    `code` is a stable machine name (``yaml-error``, ``non-utf8``, ``bad-date`` ...); `message` is one
    sentence a user understands, without the file name (callers prefix it).
    """

    code: str
    message: str
    line: int | None = None


@dataclass(slots=True)
class Entry:
    """One journal entry, normalised for the index and the UI. The file on disk stays the truth."""

    path: str
    """Path relative to the journal root, `/`-separated (``entries/2024-01-15-first.md``)."""
    title: str
    date: str | None
    """ISO 8601: ``2024-01-15`` for a date, ``2023-08-11T12:30:00+02:00`` when the file has a time."""
    date_sort: float | None = None
    """Seconds since the epoch (UTC; naive values read as UTC) for ordering; None when there is no date."""
    day: str | None = None
    """``YYYY-MM-DD`` as written in the file (its own zone), for on:/after:/before: filters."""
    date_inferred: bool = False
    """True when the date came from the file name or its modification time, not the front-matter."""
    updated: str | None = None
    description: str = ""
    tags: list[str] = field(default_factory=list)
    """Front-matter tags, then the inline `#tags` of the body that the front-matter does not have."""
    topics: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    draft: bool = False
    body: str = ""
    word_count: int = 0
    front_matter_format: FrontMatterFormat | None = None
    problems: list[Problem] = field(default_factory=list)
    inline_tags: list[str] = field(default_factory=list)
    """The tags (also in `tags`) written only in the body as `#tag`: edits of the front-matter leave them."""
    body_line: int = 1
    """1-based line of the file that `body` starts on (after the front-matter), for naming a line in it."""
    minutes: float | None = None
    """Time spent, from the front-matter's `minutes:` (a number); None when not given or not a number."""
