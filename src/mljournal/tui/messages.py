"""The main screen's own messages: what its background work (index sync, watchers, git, roadmap edits) reports.

They are posted from thread workers (`post_message` is thread-safe), bubble up to the main screen, and the
screen's handlers update the panes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message
from textual.notifications import SeverityLevel

from mljournal.core.index import SyncReport
from mljournal.tui.data import NavigatorData


@dataclass
class SyncProgressed(Message):
    """The start-up sync read `done` of `total` changed files."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgressed)


@dataclass
class IndexSynced(Message):
    """The start-up sync finished."""

    report: SyncReport
    in_memory: bool = False
    """The journal's `.mljournal/` can't be written: the index lives in memory for this session."""
    in_memory_reason: str | None = None
    """Why, when it is not a read-only journal (a symlinked `.mljournal`, say)."""


@dataclass
class MoveFinished(Message):
    """A `roadmap move` interrupted earlier was finished (or could not be) before the sync."""

    note: str
    failed: bool
    paths: list[str]


@dataclass
class FilesChanged(Message):
    """The watcher saw entry files (or roadmap.yaml) change on disk."""

    paths: set[str] = field(default_factory=set)
    roadmap: bool = False


@dataclass
class IndexRefreshed(Message):
    """Changed paths were re-read into the index; panes can reload."""

    paths: set[str]
    roadmap: bool
    select: str | None = None


@dataclass
class NavigatorLoaded(Message):
    """The navigator's tree and counts were read (in a worker) and can be shown."""

    data: NavigatorData


@dataclass
class RoadmapEdited(Message):
    """roadmap.yaml was written; `topic_id` is the topic to put the cursor on."""

    topic_id: str | None
    note: str


@dataclass
class GitStepped(Message):
    """The git sync reached a step (`text` for the status line), or finished (None: hide the line)."""

    text: str | None


@dataclass
class GitSynced(Message):
    """The git sync finished: what to tell the user (the files it pulled follow as `FilesChanged`)."""

    note: str
    severity: SeverityLevel
