"""The roadmap edits the main screen makes (status, new topic, rename, a resource done), as typed values.

The navigator asks for an edit; the screen turns the request into one of these frozen dataclasses and a
worker hands it to `apply_roadmap_edit`, which writes roadmap.yaml (under its lock) and says what it did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mljournal.core.roadmap import Topic, add_topic, cycle_status, rename_topic, set_resource_status
from mljournal.tui.text import one_line


@dataclass(frozen=True)
class CycleStatus:
    """Move the topic to its next status (worked out from the file at the moment of the write)."""

    topic_id: str


@dataclass(frozen=True)
class AddTopic:
    """Add a topic titled `title` under `parent_id` (at the top level when None)."""

    parent_id: str | None
    title: str


@dataclass(frozen=True)
class RenameTopic:
    """Give the topic a new title (its id, which entries link to, stays)."""

    topic_id: str
    title: str


@dataclass(frozen=True)
class MarkResourceDone:
    """Mark the topic's `number`-th resource (from 1) done.

    `expected_title` is the title the user picked: if the file changed since the tree was read, the write is
    refused rather than marking whichever resource is at that number now.
    """

    topic_id: str
    number: int
    expected_title: str | None = None


RoadmapEdit = CycleStatus | AddTopic | RenameTopic | MarkResourceDone


def apply_roadmap_edit(path: Path, edit: RoadmapEdit, today: date) -> tuple[Topic, str]:
    """Write `edit` to the roadmap at `path`; the topic as written, and a one-line note for the user.

    Raises whatever the roadmap writer raises for a roadmap it can't edit (the caller shows it).
    """
    match edit:
        case CycleStatus(topic_id):
            topic = cycle_status(path, topic_id, today=today)
            return topic, f"{one_line(topic.title, 40)}: {topic.status}"
        case AddTopic(parent_id, title):
            topic = add_topic(path, parent_id, title)
            return topic, f"Added {one_line(topic.title, 40)}"
        case RenameTopic(topic_id, title):
            topic = rename_topic(path, topic_id, title)
            return topic, f"Renamed to {one_line(topic.title, 40)}"
        case MarkResourceDone(topic_id, number, expected_title):
            topic = set_resource_status(path, topic_id, number, "done", expected_title=expected_title)
            return topic, f"{one_line(topic.resources[number - 1].title, 40)}: done"
