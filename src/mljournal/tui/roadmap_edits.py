"""The roadmap edits the main screen makes (status, new topic, rename, a resource done), as typed values.

The navigator asks for an edit; `RoadmapEditor` (a non-visual helper the main screen mounts) asks the user
what it needs (a title, a resource), builds one of these frozen dataclasses, and a worker hands it to
`apply_roadmap_edit`, which writes roadmap.yaml (under its lock) and says what it did: `RoadmapEdited`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from textual import work
from textual.widget import Widget

from mljournal.core.roadmap import Roadmap, Topic, add_topic, cycle_status, rename_topic, set_resource_status
from mljournal.tui.dialogs.prompt import TextPrompt
from mljournal.tui.messages import RoadmapEdited
from mljournal.tui.text import one_line, strip_controls
from mljournal.tui.widgets.navigator import Navigator


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


class RoadmapEditor(Widget):
    """Turns the navigator's requests into roadmap edits and writes them in a worker; shows nothing."""

    DEFAULT_CSS = """
    RoadmapEditor {
        display: none;
    }
    """

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.path = path
        """roadmap.yaml."""
        self.clock = clock

    def request(self, message: Navigator.TopicActionRequested, roadmap: Roadmap | None) -> None:
        """Ask for what the edit needs (a title, a resource), then write it; `roadmap` is the tree shown."""
        topic_id = message.topic_id
        if message.action == "cycle" and topic_id is not None:
            if roadmap is not None and roadmap.find(topic_id) is not None:
                # The next status is worked out from the file under the lock, not from this (maybe stale)
                # tree: a second press before the first one's write has landed moves it one more step.
                self.apply(CycleStatus(topic_id))
        elif message.action == "add":
            where = f"under “{one_line(message.title, 40)}”" if topic_id else "at the top level"

            def add(title: str | None) -> None:
                if title:
                    self.apply(AddTopic(topic_id, title))

            self.app.push_screen(TextPrompt(f"New topic {where}:", placeholder="Title"), add)
        elif message.action == "rename" and topic_id is not None:
            # The field shows the title through the control filter; left as shown, nothing is renamed.
            shown = strip_controls(message.title, keep_newlines=False)

            def rename(title: str | None) -> None:
                if title and title != shown:
                    self.apply(RenameTopic(topic_id, title))

            self.app.push_screen(TextPrompt("Rename topic:", value=shown), rename)
        elif message.action == "resource" and topic_id is not None:
            self._pick_resource(roadmap, topic_id, message.title)

    def _pick_resource(self, roadmap: Roadmap | None, topic_id: str, title: str) -> None:
        from mljournal.tui.dialogs.resources import ResourcePicker

        topic = roadmap.find(topic_id) if roadmap is not None else None
        if topic is None or not topic.resources:
            self.notify(f"“{one_line(title, 40)}” has no resources to mark.", timeout=3, markup=False)
            return
        resources = [(resource.title, resource.url, resource.status) for resource in topic.resources]

        def chosen(number: int | None) -> None:
            if number is not None:
                # The title picked travels with the number: if the file changed since the tree was read,
                # the write is refused rather than marking whichever resource is at that number now.
                self.apply(MarkResourceDone(topic_id, number, resources[number - 1][0]))

        self.app.push_screen(ResourcePicker(title, resources), chosen)

    @work(thread=True, group="roadmap-edit", exit_on_error=False)
    def apply(self, edit: RoadmapEdit) -> None:
        """Write `edit` (in a thread); `RoadmapEdited` follows, or a notification saying why not."""
        try:
            topic, note = apply_roadmap_edit(self.path, edit, self.clock().date())
        except Exception as error:  # a roadmap the app can't edit: say why, keep the file as it was
            self.app.call_from_thread(
                self.notify, one_line(str(error), 300), title="Roadmap not changed", severity="error"
            )
            return
        self.post_message(RoadmapEdited(topic.id, note))
