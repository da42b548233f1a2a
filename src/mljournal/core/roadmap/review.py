"""The review queue: finished topics come back at growing intervals, and topics in progress that went quiet.

A topic marked done records the day (`done: 2024-05-01` in roadmap.yaml, written by `set_status`). It is
due for review 3 days later, then 7, 21, 60, 180 and from then on every 365 days after its last review
(`reviewed:`, with a `reviews:` count); `postponed:` puts a review off until that day. A topic in
`learning` whose newest linked entry is older than `stale_days` (14 unless `mljournal.toml` says
otherwise) is stale: started, then left.

Linked entries are found in the index with SQL; topics and their dates come from the roadmap. Headless.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mljournal.core.roadmap.model import Roadmap, Topic

__all__ = [
    "INTERVALS",
    "ReviewItem",
    "ReviewQueue",
    "StaleTopic",
    "due_date",
    "linked_entries",
    "review_queue",
]

INTERVALS: tuple[int, ...] = (3, 7, 21, 60, 180, 365)
"""Days from done (or the last review) to the next review, by how many reviews came before."""

ENTRIES_SHOWN = 20
"""Linked entries listed with each topic, newest first."""


@dataclass(frozen=True, slots=True)
class LinkedEntry:
    path: str
    title: str
    day: str | None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A finished topic whose review is due."""

    id: str
    title: str
    due: date
    done: date
    reviews: int
    entries: list[LinkedEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StaleTopic:
    """A topic in progress whose newest linked entry is older than the stale limit."""

    id: str
    title: str
    last_entry: date
    entries: list[LinkedEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    due: list[ReviewItem]
    stale: list[StaleTopic]

    def to_json(self) -> dict[str, Any]:
        """The shape `mljournal review --json` prints (documented in the README)."""
        return {
            "due": [
                {
                    "id": item.id,
                    "title": item.title,
                    "due": item.due.isoformat(),
                    "done": item.done.isoformat(),
                    "reviews": item.reviews,
                    "entries": [entry.path for entry in item.entries],
                }
                for item in self.due
            ],
            "stale": [
                {
                    "id": topic.id,
                    "title": topic.title,
                    "last_entry": topic.last_entry.isoformat(),
                    "entries": [entry.path for entry in topic.entries],
                }
                for topic in self.stale
            ],
        }


def due_date(topic: Topic) -> date | None:
    """When `topic` is next due for review, or None when it isn't done (or has no done day)."""
    if topic.status != "done" or topic.done is None:
        return None
    since = date.fromisoformat(topic.reviewed or topic.done)
    due = since + timedelta(days=INTERVALS[min(topic.reviews, len(INTERVALS) - 1)])
    if topic.postponed is not None:
        due = max(due, date.fromisoformat(topic.postponed))
    return due


def linked_entries(
    conn: sqlite3.Connection, topic_ids: list[str], limit: int = ENTRIES_SHOWN
) -> list[LinkedEntry]:
    """The entries linked to any of `topic_ids`, newest first, each once."""
    if not topic_ids:
        return []
    marks = ", ".join("?" for _ in topic_ids)
    rows = conn.execute(
        "SELECT e.path, e.title, e.day FROM entries e WHERE e.id IN"
        f" (SELECT entry_id FROM entry_topics WHERE topic IN ({marks}))"
        " ORDER BY e.day DESC, e.date_sort DESC, e.id DESC LIMIT ?",
        [*topic_ids, limit],
    )
    return [LinkedEntry(path, title, day) for path, title, day in rows]


def review_queue(
    conn: sqlite3.Connection, roadmap: Roadmap, *, today: date, stale_days: int = 14
) -> ReviewQueue:
    """What is due for review today (most overdue first) and what went stale (quiet longest first)."""
    due: list[ReviewItem] = []
    stale: list[StaleTopic] = []
    for topic in roadmap.walk():
        when = due_date(topic)
        if when is not None and when <= today and topic.done is not None:
            entries = linked_entries(conn, roadmap.subtree_ids(topic.id))
            due.append(
                ReviewItem(
                    topic.id, topic.title, when, date.fromisoformat(topic.done), topic.reviews, entries
                )
            )
        elif topic.status == "learning":
            entries = linked_entries(conn, roadmap.subtree_ids(topic.id))
            newest = next((entry.day for entry in entries if entry.day), None)
            if newest is None:
                continue  # never written about: the dashboard lists it as started without entries
            last = date.fromisoformat(newest)
            if (today - last).days > stale_days:
                stale.append(StaleTopic(topic.id, topic.title, last, entries))
    due.sort(key=lambda item: (item.due, item.id))
    stale.sort(key=lambda topic: (topic.last_entry, topic.id))
    return ReviewQueue(due, stale)
