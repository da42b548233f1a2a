"""The roadmap's model: topics, resources, statuses and progress, with the questions asked of the tree.

Plain data, no I/O: `read` builds a `Roadmap` from roadmap.yaml and `write` edits the file, then reloads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from mljournal.core.errors import MLJournalError

STATUSES: Final = ("todo", "learning", "done", "skipped")
"""Every status a topic or resource can have, in the order `next_status` cycles through them."""

STARTED: Final = "started"
"""The display status of a todo topic that already has entries linked to it."""

STATUS_MARKS: Final[Mapping[str, str]] = {
    "todo": "[ ]",
    "learning": "[~]",
    "done": "[x]",
    "skipped": "[-]",
    STARTED: "[*]",
}

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

MAX_DEPTH: Final = 64
"""Deeper nesting is reported and ignored: no real roadmap needs it, and it keeps hostile files cheap."""


class RoadmapError(MLJournalError):
    """A roadmap edit that was refused; the message is one sentence for the user."""


@dataclass(slots=True)
class Resource:
    """A book, course or site that serves a topic, with its own status."""

    title: str
    url: str | None = None
    status: str = "todo"


@dataclass(slots=True)
class Topic:
    """One node of the roadmap. `parent` is the parent's id (None for a top-level phase)."""

    id: str
    title: str
    status: str = "todo"
    notes: str | None = None
    resources: list[Resource] = field(default_factory=list)
    children: list[Topic] = field(default_factory=list)
    parent: str | None = None
    line: int | None = None
    """1-based line of the topic in roadmap.yaml, for messages and jumping to it in an editor."""
    done: str | None = None
    """The day (YYYY-MM-DD) the topic was first marked done; recorded by `set_status`."""
    reviewed: str | None = None
    """The day of its last review (see `mljournal.core.roadmap.review`)."""
    reviews: int = 0
    """How many times it was reviewed since it was done."""
    postponed: str | None = None
    """A review put off until this day."""

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True, slots=True)
class Progress:
    """Leaf counts of a subtree; `percent` is the share of leaves done or skipped, as a whole number."""

    done: int
    learning: int
    skipped: int
    total: int
    percent: int

    @property
    def finished(self) -> int:
        """Leaves that count towards `percent` (done or skipped)."""
        return self.done + self.skipped

    @property
    def fraction(self) -> str:
        """`finished/total`, as the app and the CLI both show it (`5/6`): skipped leaves count as finished."""
        return f"{self.finished}/{self.total}"

    @property
    def complete(self) -> bool:
        """Every leaf is done or skipped (and there is at least one)."""
        return self.total > 0 and self.finished == self.total


def _make_progress(done: int, learning: int, skipped: int, total: int) -> Progress:
    finished = done + skipped
    if total == 0:
        percent = 0
    else:
        percent = round(100 * finished / total)
        # Rounding must never claim 100% for unfinished work, nor 0% once something is finished.
        if finished < total:
            percent = min(percent, 99)
        if finished > 0:
            percent = max(percent, 1)
    return Progress(done, learning, skipped, total, percent)


class Roadmap:
    """An ordered forest of topics, read from roadmap.yaml. A snapshot: edits write the file, then reload."""

    def __init__(self, roots: list[Topic] | None = None, title: str | None = None) -> None:
        self.roots: list[Topic] = list(roots or [])
        self.title = title
        self._by_id: dict[str, Topic] = {}
        for topic in self.walk():
            self._by_id.setdefault(topic.id, topic)
        self._progress: dict[int, Progress] | None = None

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())

    def __contains__(self, topic_id: object) -> bool:
        return topic_id in self._by_id

    def __repr__(self) -> str:
        return f"Roadmap({len(self)} topics, title={self.title!r})"

    def find(self, topic_id: str) -> Topic | None:
        """The topic with this id (the first one, if the file has duplicates), or None."""
        return self._by_id.get(topic_id)

    def walk(self, start: Topic | None = None) -> Iterator[Topic]:
        """Every topic depth-first in file order; with `start`, that topic and everything under it."""
        stack = [start] if start is not None else list(reversed(self.roots))
        while stack:
            topic = stack.pop()
            yield topic
            stack.extend(reversed(topic.children))

    def ids(self) -> list[str]:
        """All topic ids in file order (duplicates included, as they appear)."""
        return [topic.id for topic in self.walk()]

    def subtree_ids(self, topic_id: str) -> list[str]:
        """The id of the topic and of every topic under it, in order; empty for an unknown id."""
        topic = self.find(topic_id)
        return [] if topic is None else [t.id for t in self.walk(topic)]

    def leaves(self, topic_id: str | None = None) -> list[Topic]:
        """The leaf topics of the subtree (of the whole roadmap without an id)."""
        if topic_id is None:
            return [t for t in self.walk() if t.is_leaf]
        topic = self._require(topic_id)
        return [t for t in self.walk(topic) if t.is_leaf]

    def ancestors(self, topic_id: str) -> list[Topic]:
        """The topic's parents, outermost first."""
        chain: list[Topic] = []
        topic = self._require(topic_id)
        while topic.parent is not None and (parent := self.find(topic.parent)) is not None:
            if parent in chain or parent is topic:
                break
            chain.append(parent)
            topic = parent
        return list(reversed(chain))

    def progress(self, topic_id: str) -> Progress:
        """Progress of the subtree: its leaves count, so a leaf's progress is its own status."""
        return self.progress_of(self._require(topic_id))

    def progress_of(self, topic: Topic) -> Progress:
        """Like `progress`, for a topic object (exact even when the file has duplicate ids)."""
        if self._progress is None:
            self._progress = self._compute_progress()
        found = self._progress.get(id(topic))
        if found is None:
            # A topic from another snapshot of the roadmap: go by its id instead.
            return self.progress_of(self._require(topic.id))
        return found

    def overall_progress(self) -> Progress:
        """Progress over every leaf of the roadmap."""
        if self._progress is None:
            self._progress = self._compute_progress()
        done = learning = skipped = total = 0
        for root in self.roots:
            p = self._progress[id(root)]
            done, learning, skipped, total = (
                done + p.done,
                learning + p.learning,
                skipped + p.skipped,
                total + p.total,
            )
        return _make_progress(done, learning, skipped, total)

    def next_up(self, limit: int = 5) -> list[Topic]:
        """The topics being learned; when there are none, the first todo leaves in order."""
        learning = [t for t in self.walk() if t.status == "learning"]
        if learning:
            return learning[:limit]
        return [t for t in self.walk() if t.is_leaf and t.status == "todo"][:limit]

    def _require(self, topic_id: str) -> Topic:
        topic = self.find(topic_id)
        if topic is None:
            raise KeyError(topic_id)
        return topic

    def _compute_progress(self) -> dict[int, Progress]:
        # Post-order over the whole forest once: each subtree's counts are the sum of its children's.
        counts: dict[int, tuple[int, int, int, int]] = {}
        result: dict[int, Progress] = {}
        order = list(self.walk())
        for topic in reversed(order):
            if topic.is_leaf:
                c = (
                    int(topic.status == "done"),
                    int(topic.status == "learning"),
                    int(topic.status == "skipped"),
                    1,
                )
            else:
                parts = [counts[id(child)] for child in topic.children]
                c = (
                    sum(p[0] for p in parts),
                    sum(p[1] for p in parts),
                    sum(p[2] for p in parts),
                    sum(p[3] for p in parts),
                )
            counts[id(topic)] = c
            result[id(topic)] = _make_progress(*c)
        return result


def next_status(status: str) -> str:
    """The status after `status` in the cycle todo → learning → done → skipped → todo (unknown → todo)."""
    try:
        return STATUSES[(STATUSES.index(status) + 1) % len(STATUSES)]
    except ValueError:
        return "todo"


def display_status(topic: Topic, entry_count: int, progress: Progress | None = None) -> str:
    """The status to show: "started" for a todo topic that already has entries, so nothing is forgotten.

    With the topic's `progress`, a branch whose leaves are all done or skipped reads as done, whatever
    its own status says: the phase is finished (unless it was itself skipped).
    """
    if progress is not None and not topic.is_leaf and progress.complete and topic.status != "skipped":
        return "done"
    if topic.status == "todo" and entry_count > 0:
        return STARTED
    return topic.status


def subtree_entry_counts(roadmap: Roadmap, links: Mapping[str, set[str]]) -> dict[str, int]:
    """Per topic id, the number of distinct entries linked to the topic or to any topic under it.

    `links` maps a topic id to the entry paths linked to it directly.
    """
    collected: dict[int, set[str]] = {}
    counts: dict[str, int] = {}
    for topic in reversed(list(roadmap.walk())):
        paths: set[str] = set(links.get(topic.id, ()))
        for child in topic.children:
            paths |= collected.pop(id(child))
        collected[id(topic)] = paths
        # With duplicate ids the first topic in file order wins, as in `Roadmap.find`.
        counts[topic.id] = len(paths)
    return counts


def unknown_topic_links(roadmap: Roadmap, links: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """The linked topic ids that are not in the roadmap, each with the entries that link to it."""
    return {topic_id: set(paths) for topic_id, paths in links.items() if topic_id not in roadmap and paths}


def unknown_topics_message(roadmap: Roadmap, topic_ids: list[str]) -> str | None:
    """Why some of `topic_ids` can't be linked, for the new-entry form and `mljournal new --topic`.

    Each id that is not in the roadmap, with the ids it was probably meant to be:
    "Not in the roadmap: bias-varaince (did you mean bias-variance?)." None when every id is known.
    """
    import difflib  # only when something is wrong

    by_lower = {topic_id.lower(): topic_id for topic_id in reversed(roadmap.ids())}
    described: list[str] = []
    for topic_id in dict.fromkeys(topic_ids):
        if topic_id in roadmap:
            continue
        close = difflib.get_close_matches(topic_id.lower(), list(by_lower), n=3, cutoff=0.6)
        meant = " or ".join(by_lower[match] for match in close)
        described.append(f"{topic_id} (did you mean {meant}?)" if meant else topic_id)
    return f"Not in the roadmap: {', '.join(described)}." if described else None


def is_valid_id(topic_id: str) -> bool:
    """Ids the app writes: ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit."""
    return _ID_PATTERN.fullmatch(topic_id) is not None


def progress_dict(p: Progress) -> dict[str, int]:
    """A subtree's progress as plain data (for JSON): done, learning, skipped, total and percent."""
    return {
        "done": p.done,
        "learning": p.learning,
        "skipped": p.skipped,
        "total": p.total,
        "percent": p.percent,
    }


def resource_dict(r: Resource) -> dict[str, Any]:
    """A resource as plain data (for JSON): title, url and status."""
    return {"title": r.title, "url": r.url, "status": r.status}
