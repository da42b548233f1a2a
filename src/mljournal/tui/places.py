"""The main screen's small pure parts: the back/forward history of places read, the list's query and title,
which pane has the focus and how wide the navigator may be.

Kept apart from the screen so they are plain code, testable without an app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mljournal.core.query import complete_last_word
from mljournal.tui.text import one_line

if TYPE_CHECKING:
    from textual.widget import Widget

TOPIC_PLACE = "topic:"
"""Marks a topic's page in the back/forward history, beside entry paths (which all start with `entries/`)."""


@dataclass
class PlaceHistory:
    """Where following links led: entry paths, or `topic:ID` for a topic's page, the latest last."""

    back: list[str] = field(default_factory=list)
    """Places left by following a link (`alt+left`/`backspace` returns to them)."""
    forward: list[str] = field(default_factory=list)

    def followed(self, current: str | None, target: str) -> bool:
        """A link from `current` to `target` was followed; whether the history changed."""
        if current is None or current == target:
            return False
        self.back.append(current)
        self.forward.clear()
        return True

    def can_go(self, step: int) -> bool:
        """Whether there is a place to go back (-1) or forward (1) to."""
        return bool(self.back if step == -1 else self.forward)

    def go(self, step: int, current: str | None) -> str | None:
        """The place `step` leads to (back -1, forward 1), keeping `current` to return to; None if none."""
        source, target = (self.back, self.forward) if step < 0 else (self.forward, self.back)
        if not source:
            return None
        if current is not None:
            target.append(current)
        return source.pop()


def shown_place(topic_id: str | None, path: str | None) -> str | None:
    """What the viewer shows, as history keeps it: an entry's path, or `topic:ID` for a topic's page."""
    if topic_id is not None:
        return TOPIC_PLACE + topic_id
    return path


def list_query(nav_filter: str, search: str) -> str:
    """The entry list's query: the navigator's filter (`tag:…`, `topic:…`, a month), then what is typed."""
    # The word still being typed searches as a prefix, so results follow every keystroke.
    typed = complete_last_word(search.lstrip())
    return " ".join(part for part in (nav_filter, typed) if part.strip())


def list_title(nav_filter: str, search: str, total: int, width: int) -> str:
    """`Entries · tag:numpy · "grad" · 2 entries`: what narrows the list, then how many are left.

    `width` is the pane's: the border cuts a long title at its end, so the filter is cut instead (then
    "Entries" dropped), and the count stays in view.
    """
    narrowing = []
    if nav_filter:
        narrowing.append(one_line(nav_filter, 40))
    search = search.strip()
    if search:
        narrowing.append(f"“{one_line(search, 40)}”")
    count = f"{total:,} {'entry' if total == 1 else 'entries'}"
    middle = " · ".join(narrowing)
    full = " · ".join(part for part in ("Entries", middle, count) if part)
    room = width - 6
    if room <= 0 or len(full) <= room or not middle:
        return full
    middle_room = room - len("Entries ·  · ") - len(count)
    if middle_room >= 6:
        return f"Entries · {middle[: middle_room - 1]}… · {count}"
    middle_room = room - len(" · ") - len(count)
    if len(middle) > middle_room:
        middle = middle[: max(1, middle_room - 1)] + "…"
    return f"{middle} · {count}"


def search_hint(read_as: tuple[tuple[str, str], ...], hint: str | None) -> str | None:
    """The search language's hint, and what a half-typed word was searched as (`gradeint → grade…`)."""
    parts = [f"searching: {typed} → {searched}…" for typed, searched in read_as]
    if hint:
        parts.append(hint)
    return " · ".join(parts) or None


def focused_pane(panes: Sequence[Widget], focused: Widget | None) -> int:
    """The position of the pane that has (or holds) the focused widget; the list's (1) if none does."""
    for position, pane in enumerate(panes):
        if focused is not None and (focused is pane or pane in focused.ancestors):
            return position
    return 1  # the search box belongs with the list


def navigator_width(width: int, step: int, screen_width: int) -> int:
    """The navigator's `width` made `step` columns wider (or narrower), between 16 columns and half the screen."""
    return max(16, min(width + step, screen_width // 2))
