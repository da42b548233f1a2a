"""What the note-taking screens hand back when they wrote an entry.

`EntryWritten` is the common base of `SavedEntry` (editor, new-entry form), `TagsChanged` and
`TopicsChanged`, so the main screen can type its callback as `EntryWritten | None` and re-select the entry
without guessing the result's shape.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntryWritten:
    """An entry file was written; `path` is its relpath in the journal (already re-indexed)."""

    path: str
