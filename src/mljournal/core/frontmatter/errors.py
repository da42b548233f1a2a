"""The error a refused front-matter edit raises (kept apart so every edit module can raise it)."""

from __future__ import annotations

from mljournal.core.errors import MLJournalError


class FrontMatterEditError(MLJournalError):
    """A front-matter field could not be changed safely; the message is for the user."""
