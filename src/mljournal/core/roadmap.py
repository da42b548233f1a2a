"""The learning roadmap: a tree of topics in `roadmap.yaml`, its progress, and careful edits of the file.

Reading never raises: a missing file is an empty roadmap, and everything wrong in the file becomes a `Problem`
with its line number. Writing edits the file's text in place, at the exact positions the YAML parser reports
for the nodes it changes, so every byte the edit does not touch (hand comments, ordering, quoting, indentation,
blank lines) stays as the user wrote it. Each edit is checked by parsing the result before it is written
atomically; an edit that would change anything else is refused. Every edit reads, checks and replaces the file
under the journal's lock (`core.locking`), and a symlinked roadmap.yaml is written through to its target only
when that target is inside the journal.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml

from mljournal.core.atomic import atomic_write_bytes
from mljournal.core.errors import MLJournalError, describe_os_error
from mljournal.core.journal import Journal, JournalError, read_regular_file, state_dir_problem, write_target
from mljournal.core.locking import journal_lock
from mljournal.core.model import Problem
from mljournal.core.yaml_text import yaml_double_quoted, yaml_too_deep_at

STATUSES: Final = ("todo", "learning", "done", "skipped")
_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
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

TEMPLATES: Final = ("ml", "blank")
UNREADABLE_PREFIX: Final = "roadmap-parse"
"""Problem codes starting with this mean the file could not be read as a roadmap at all (the roadmap is
empty because of it): `roadmap-parse` (YAML error, with its line), `roadmap-parse-encoding`,
`roadmap-parse-unreadable`, `roadmap-parse-shape`, `roadmap-parse-alias` (a YAML alias, refused with its line). Other codes (`roadmap-duplicate-id`,
`roadmap-unknown-status`, `roadmap-missing-id`, `roadmap-bad-topic`, `roadmap-duplicate-key`) leave a usable
roadmap."""
PENDING_MOVE_FILE: Final = "pending-move.json"
MAX_DEPTH: Final = 64
"""Deeper nesting is reported and ignored: no real roadmap needs it, and it keeps hostile files cheap."""
MAX_ROADMAP_NESTING: Final = 2 * MAX_DEPTH + 8
"""YAML collection depth refused before parsing: each topic level is a mapping and a `children` list."""

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_NULL_TAG = "tag:yaml.org,2002:null"


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
    """The day of its last review (see `mljournal.core.review`)."""
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


# --- reading -----------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    """A parsed roadmap plus what the writer needs: the text and, per id, the YAML mapping nodes."""

    text: str
    bom: str
    root: yaml.Node | None
    roadmap: Roadmap
    problems: list[Problem]
    nodes: dict[str, list[yaml.MappingNode]] = field(default_factory=dict)
    explicit_ids: set[str] = field(default_factory=set)
    topics_node: yaml.Node | None = None
    """The top-level list of topics, or None when the file has no `topics:` yet."""
    original: bytes | None = None
    """The file's bytes as read for an edit (None when it did not exist), to notice a concurrent change."""


def load_roadmap(path: Path) -> tuple[Roadmap, list[Problem]]:
    """Read roadmap.yaml. Never raises: a missing file is an empty roadmap; problems come back as a list."""
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        return Roadmap(), []
    except OSError as error:
        return Roadmap(), [
            Problem("roadmap-parse-unreadable", f"roadmap.yaml could not be read: {error.strerror or error}")
        ]
    return parse_roadmap(raw)


def parse_roadmap(raw: bytes | str) -> tuple[Roadmap, list[Problem]]:
    """Parse roadmap.yaml's content (bytes or text). Never raises."""
    parsed = _parse(raw)
    return parsed.roadmap, parsed.problems


def _decode(raw: bytes | str) -> tuple[str, str, Problem | None]:
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            return (
                "",
                "",
                Problem("roadmap-parse-encoding", f"roadmap.yaml is not valid UTF-8 (line {line}).", line),
            )
    bom = ""
    if text.startswith("\ufeff"):
        bom, text = "\ufeff", text[1:]
    return text, bom, None


def _parse(raw: bytes | str) -> _Parsed:
    text, bom, problem = _decode(raw)
    if problem is not None:
        return _Parsed(text, bom, None, Roadmap(), [problem])
    # Before composing: libyaml itself crashes the process on collections nested tens of thousands deep.
    too_deep = yaml_too_deep_at(text, MAX_ROADMAP_NESTING)
    if too_deep is not None:
        message = f"roadmap.yaml nests deeper than {MAX_ROADMAP_NESTING} levels on line {too_deep + 1}."
        return _Parsed(text, bom, None, Roadmap(), [Problem("roadmap-parse-too-deep", message, too_deep + 1)])
    alias = _first_alias(text)
    if alias is not None:
        alias_name, alias_line = alias
        message = (
            f"roadmap.yaml uses the YAML alias *{alias_name} on line {alias_line}, which the roadmap does not "
            "allow (an alias can make a topic its own child)."
        )
        return _Parsed(text, bom, None, Roadmap(), [Problem("roadmap-parse-alias", message, alias_line)])
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or "it is not valid YAML"
        where = f" on line {line}" if line is not None else ""
        message = f"roadmap.yaml does not parse{where}: {what}."
        return _Parsed(text, bom, None, Roadmap(), [Problem("roadmap-parse", message, line)])
    except (yaml.YAMLError, RecursionError, ValueError, MemoryError) as error:
        # libyaml reports a few errors (such as a second document marker) without a mark.
        message = f"roadmap.yaml does not parse: {error}."
        return _Parsed(
            text, bom, None, Roadmap(), [Problem("roadmap-parse", message.replace("\n", " "), None)]
        )
    builder = _Builder()
    try:
        parsed = builder.build(text, bom, root)
    except RecursionError:
        problem = Problem("roadmap-parse-shape", "roadmap.yaml is nested too deeply to read.", None)
        return _Parsed(text, bom, None, Roadmap(), [problem])
    return parsed


def _first_alias(text: str) -> tuple[str, int] | None:
    """The name and line of the first YAML alias (`*name`) in `text`, or None.

    Read from the parser's events, before anything is composed: an alias can make a topic contain itself,
    which every recursive walk of the tree (the editor's among them) would follow forever. A file that does
    not parse is left for `yaml.compose` to report with its line.
    """
    if "*" not in text:
        return None
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark is not None else 0
                return str(event.anchor), line
    except (yaml.YAMLError, RecursionError, ValueError, MemoryError):
        return None
    return None


_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "binary", "merge", "value")
)
_MAX_TAG_SCAN = 100_000
"""Nodes looked at for foreign tags; aliases are visited once, so an alias bomb costs no more than its text."""


def _foreign_tags(root: yaml.Node) -> list[Problem]:
    """A problem for each node carrying a tag other than YAML's plain types (`!!python/...`, `!include`).

    The roadmap is only composed, never constructed, so such a tag can't run anything; it is reported so
    the user knows the value was read as plain text or ignored.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack and len(seen) < _MAX_TAG_SCAN:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(
                Problem(
                    "roadmap-unsafe-tag",
                    f"The YAML tag {tag!r} is not allowed in roadmap.yaml; its value is read as plain data "
                    "and nothing is run.",
                    _line(node),
                )
            )
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
    return sorted(problems, key=lambda p: p.line or 0)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar_text(node: yaml.Node) -> str | None:
    """The text of a scalar as written (so `yes` stays "yes"); None for null, a list or a mapping."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
        return None
    return str(node.value)


def _pairs(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    """String keys to value nodes; a repeated key keeps its last value, as YAML loaders do."""
    out: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            out[str(key.value)] = value
    return out


def _duplicate_keys(node: yaml.MappingNode) -> list[str]:
    seen: set[str] = set()
    duplicates: list[str] = []
    for key, _value in node.value:
        if isinstance(key, yaml.ScalarNode):
            name = str(key.value)
            if name in seen:
                duplicates.append(name)
            seen.add(name)
    return duplicates


class _Builder:
    """Turns the composed YAML node graph into topics, noting problems as it goes."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.nodes: dict[str, list[yaml.MappingNode]] = {}
        self.explicit_ids: set[str] = set()
        self.first_line: dict[str, int] = {}
        self.visited: set[int] = set()

    def build(self, text: str, bom: str, root: yaml.Node | None) -> _Parsed:
        title: str | None = None
        topics_node: yaml.Node | None = None
        if root is None:
            pass
        elif isinstance(root, yaml.SequenceNode):
            topics_node = root
        elif isinstance(root, yaml.MappingNode):
            pairs = _pairs(root)
            if "title" in pairs:
                title = _scalar_text(pairs["title"])
            topics_node = pairs.get("topics")
            if (
                topics_node is not None
                and _scalar_text(topics_node) is None
                and isinstance(topics_node, yaml.ScalarNode)
            ):
                topics_node = None  # `topics:` with nothing after it: an empty roadmap
        elif _scalar_text(root) is not None or root.tag != _NULL_TAG:
            self.problems.append(
                Problem(
                    "roadmap-parse-shape",
                    "roadmap.yaml should hold a `topics:` list; this file holds something else.",
                    _line(root),
                )
            )
        roots: list[Topic] = []
        if topics_node is not None:
            if isinstance(topics_node, yaml.SequenceNode):
                roots = self._topics(topics_node, parent=None, depth=0)
            else:
                self.problems.append(
                    Problem(
                        "roadmap-parse-shape", "`topics:` should be a list of topics.", _line(topics_node)
                    )
                )
                topics_node = None
        if root is not None:
            self.problems.extend(_foreign_tags(root))
        roadmap = Roadmap(roots, title)
        return _Parsed(
            text,
            bom,
            root,
            roadmap,
            self.problems,
            self.nodes,
            self.explicit_ids,
            topics_node,
        )

    def _topics(self, seq: yaml.SequenceNode, parent: str | None, depth: int) -> list[Topic]:
        topics: list[Topic] = []
        for item in seq.value:
            topic = self._topic(item, parent, depth)
            if topic is not None:
                topics.append(topic)
        return topics

    def _topic(self, node: yaml.Node, parent: str | None, depth: int) -> Topic | None:
        line = _line(node)
        if id(node) in self.visited:
            # A YAML alias repeating a topic: reading it again would duplicate ids (or explode).
            self.problems.append(
                Problem("roadmap-duplicate-id", f"Line {line} repeats a topic through an alias.", line)
            )
            return None
        self.visited.add(id(node))
        if depth >= MAX_DEPTH:
            self.problems.append(
                Problem(
                    "roadmap-bad-topic", f"Topics nested deeper than {MAX_DEPTH} levels are ignored.", line
                )
            )
            return None
        if isinstance(node, yaml.ScalarNode) and _scalar_text(node):
            # A bare `- Some title` list item: readable, but it needs an id before it can be edited.
            title = str(node.value).strip()
            topic_id = self._derived_id(title, line)
            topic = Topic(topic_id, title, parent=parent, line=line)
            return topic
        if not isinstance(node, yaml.MappingNode):
            self.problems.append(
                Problem("roadmap-bad-topic", f"The topic on line {line} is not a mapping.", line)
            )
            return None
        for key in _duplicate_keys(node):
            self.problems.append(
                Problem(
                    "roadmap-duplicate-key", f"The topic on line {line} has `{key}:` more than once.", line
                )
            )
        pairs = _pairs(node)
        raw_id = (_scalar_text(pairs["id"]) or "").strip() if "id" in pairs else ""
        raw_title = _scalar_text(pairs["title"]) if "title" in pairs else None
        title = (raw_title or "").strip()
        if raw_id:
            topic_id = raw_id
            self.explicit_ids.add(topic_id)
        elif title:
            topic_id = self._derived_id(title, line)
        else:
            self.problems.append(
                Problem("roadmap-missing-id", f"The topic on line {line} has neither id nor title.", line)
            )
            topic_id = self._derived_id(f"untitled-line-{line}", line, report=False)
        if not title:
            title = topic_id
        if topic_id in self.first_line:
            self.problems.append(
                Problem(
                    "roadmap-duplicate-id",
                    f"Topic id {topic_id!r} on line {line} is already used on line {self.first_line[topic_id]}.",
                    line,
                )
            )
        else:
            self.first_line[topic_id] = line
        self.nodes.setdefault(topic_id, []).append(node)
        status = "todo"
        if "status" in pairs:
            raw_status = _scalar_text(pairs["status"])
            if raw_status is not None and raw_status.strip() in STATUSES:
                status = raw_status.strip()
            elif raw_status is not None and raw_status.strip():
                status_line = _line(pairs["status"])
                self.problems.append(
                    Problem(
                        "roadmap-unknown-status",
                        f"Topic {topic_id!r} has status {raw_status.strip()!r}; "
                        f"use one of {', '.join(STATUSES)} (read as todo).",
                        status_line,
                    )
                )
        notes = _scalar_text(pairs["notes"]) if "notes" in pairs else None
        topic = Topic(topic_id, title, status, notes or None, [], [], parent, line)
        topic.done = self._day_field(pairs, "done", topic_id)
        topic.reviewed = self._day_field(pairs, "reviewed", topic_id)
        topic.postponed = self._day_field(pairs, "postponed", topic_id)
        if "reviews" in pairs:
            raw_reviews = (_scalar_text(pairs["reviews"]) or "").strip()
            if raw_reviews.isdigit() and len(raw_reviews) < 6:
                topic.reviews = int(raw_reviews)
            else:
                self.problems.append(
                    Problem(
                        "roadmap-bad-value",
                        f"`reviews:` of {topic_id!r} should be a whole number (read as 0).",
                        _line(pairs["reviews"]),
                    )
                )
        if "resources" in pairs:
            topic.resources = self._resources(pairs["resources"], topic_id)
        if "children" in pairs:
            children = pairs["children"]
            if isinstance(children, yaml.SequenceNode):
                topic.children = self._topics(children, topic_id, depth + 1)
            elif _scalar_text(children) is not None or not isinstance(children, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        "roadmap-bad-topic", f"`children:` of {topic_id!r} should be a list.", _line(children)
                    )
                )
        return topic

    def _day_field(self, pairs: dict[str, yaml.Node], key: str, topic_id: str) -> str | None:
        """A `done:`-style date as YYYY-MM-DD, or None (with a problem when it is there but not a date)."""
        if key not in pairs:
            return None
        raw = (_scalar_text(pairs[key]) or "").strip()
        if _ISO_DAY.fullmatch(raw):
            with contextlib.suppress(ValueError):
                return date.fromisoformat(raw).isoformat()
        if raw:
            self.problems.append(
                Problem(
                    "roadmap-bad-value",
                    f"`{key}:` of {topic_id!r} should be a date like 2024-05-01 (ignored).",
                    _line(pairs[key]),
                )
            )
        return None

    def _resources(self, node: yaml.Node, topic_id: str) -> list[Resource]:
        if not isinstance(node, yaml.SequenceNode):
            if _scalar_text(node) is not None or not isinstance(node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        "roadmap-bad-topic", f"`resources:` of {topic_id!r} should be a list.", _line(node)
                    )
                )
            return []
        found: list[Resource] = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and _scalar_text(item):
                found.append(Resource(str(item.value).strip()))
                continue
            if not isinstance(item, yaml.MappingNode):
                self.problems.append(
                    Problem("roadmap-bad-topic", f"A resource of {topic_id!r} is not a mapping.", _line(item))
                )
                continue
            pairs = _pairs(item)
            title = (_scalar_text(pairs["title"]) or "").strip() if "title" in pairs else ""
            url = (_scalar_text(pairs["url"]) or "").strip() if "url" in pairs else ""
            status = (_scalar_text(pairs["status"]) or "todo").strip() if "status" in pairs else "todo"
            if status not in STATUSES:
                self.problems.append(
                    Problem(
                        "roadmap-unknown-status",
                        f"A resource of {topic_id!r} has status {status!r} (read as todo).",
                        _line(item),
                    )
                )
                status = "todo"
            if not title and not url:
                self.problems.append(
                    Problem("roadmap-bad-topic", f"A resource of {topic_id!r} has no title.", _line(item))
                )
                continue
            found.append(Resource(title or url, url or None, status))
        return found

    def _derived_id(self, title: str, line: int, *, report: bool = True) -> str:
        topic_id = unique_id(slugify(title), self.first_line.keys())
        if report:
            self.problems.append(
                Problem(
                    "roadmap-missing-id",
                    f"The topic on line {line} has no id; it is read as {topic_id!r}.",
                    line,
                )
            )
        return topic_id


# --- ids ---------------------------------------------------------------------------------------------------


def slugify(title: str) -> str:
    """A lowercase ASCII id from a title: "Linear Algebra (basics)" → "linear-algebra-basics"."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] or slug[:60]
    return slug.strip("-") or "topic"


def unique_id(candidate: str, taken: Any) -> str:
    """`candidate`, or `candidate-2`, `candidate-3`... whichever is not in `taken`."""
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"


def is_valid_id(topic_id: str) -> bool:
    """Ids the app writes: ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit."""
    return _ID_PATTERN.fullmatch(topic_id) is not None


# --- the default roadmap -----------------------------------------------------------------------------------


def default_roadmap_text(template: str = "ml") -> str:
    """The text of a new roadmap.yaml: "ml" (the machine-learning roadmap) or "blank" (empty, explained)."""
    if template not in TEMPLATES:
        raise RoadmapError(f"Unknown roadmap template {template!r}; choose one of {', '.join(TEMPLATES)}.")
    if template == "blank":
        return _BLANK_TEMPLATE
    return (
        resources.files("mljournal.core").joinpath("templates", "roadmap_ml.yaml").read_text(encoding="utf-8")
    )


_BLANK_TEMPLATE = """\
# Your learning roadmap: an ordered tree of topics.
#
# Each topic has an `id` (entries link to it with `topics: [id]` in their front-matter; keep it stable),
# a `title`, a `status` (todo, learning, done or skipped), and optionally `notes`, `resources`
# (each with a `title`, an optional `url` and its own `status`) and `children` (more topics).
# Progress of a topic is the share of the topics at the bottom of its branch that are done or skipped.
#
# Example:
#
# topics:
#   - id: foundations
#     title: Foundations
#     status: learning
#     children:
#       - id: python
#         title: Python
#         status: done
#         notes: Comfortable with the language; practise NumPy next.
#         resources:
#           - title: The official Python tutorial
#             url: https://docs.python.org/3/tutorial/
#             status: done
#
# `mljournal roadmap add - "A title"` adds a top-level topic; edit this file by hand whenever you like,
# comments and formatting are kept when the app changes it.

topics: []
"""


# --- writing -----------------------------------------------------------------------------------------------

_EDIT_ATTEMPTS = 5
"""How often an edit starts again when a program that ignores our lock (an editor) saved roadmap.yaml between
our read and our write."""

T = TypeVar("T")


class _ChangedMeanwhile(RoadmapError):
    """roadmap.yaml's bytes are no longer those the edit was made from."""


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the lock of the journal holding roadmap.yaml; a journal kept busy too long is a RoadmapError."""
    try:
        with journal_lock(Path(path).parent):
            yield
    except RoadmapError:
        raise
    except JournalError as error:
        raise RoadmapError(str(error)) from None


def _under_lock(path: Path, edit: Callable[[], T]) -> T:
    """Run `edit` (read, change, `_commit_edit`) under the journal's lock, again from a fresh read if the file
    changed under it, so a status set by another writer is built on, never dropped."""
    with _locked(path):
        for _attempt in range(_EDIT_ATTEMPTS - 1):
            try:
                return edit()
            except _ChangedMeanwhile:
                continue
        return edit()


def _roadmap_write_target(path: Path) -> Path:
    """The file an edit of roadmap.yaml replaces: a symlink's target inside the journal, never one outside."""
    try:
        return write_target(Path(path).parent, Path(path))
    except JournalError as error:
        raise RoadmapError(str(error)) from None


def _read_for_edit(path: Path, *, missing_ok: bool = False) -> _Parsed:
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        if missing_ok:
            return _parse(_BLANK_TEMPLATE)
        raise RoadmapError(f"There is no roadmap at {path}.") from None
    except OSError as error:
        raise RoadmapError(f"{path} could not be read: {error.strerror or error}.") from None
    parsed = _parse(raw)
    parsed.original = raw
    blocking = [p for p in parsed.problems if p.code.startswith(UNREADABLE_PREFIX)]
    if blocking or (parsed.root is None and parsed.problems):
        problem = blocking[0] if blocking else parsed.problems[0]
        raise RoadmapError(f"Refusing to edit: {problem.message} Fix it by hand first.")
    return parsed


def _target(parsed: _Parsed, topic_id: str) -> yaml.MappingNode:
    nodes = parsed.nodes.get(topic_id)
    if not nodes:
        topic = parsed.roadmap.find(topic_id)
        if topic is not None:
            raise RoadmapError(
                f"Topic {topic_id!r} (line {topic.line}) is a bare title; give it an `id:` by hand first."
            )
        raise RoadmapError(f"There is no topic {topic_id!r} in the roadmap.")
    if len(nodes) > 1:
        lines = " and ".join(str(_line(n)) for n in nodes[:2])
        raise RoadmapError(
            f"Topic id {topic_id!r} is used twice (lines {lines}); fix roadmap.yaml by hand first."
        )
    return nodes[0]


def _shape(topics: list[Topic]) -> list[Any]:
    """Everything the model reads from a topic, for checking that an edit changed only what it meant to."""
    return [
        (
            t.id,
            t.title,
            t.status,
            t.notes,
            [(r.title, r.url, r.status) for r in t.resources],
            (t.done, t.reviewed, t.reviews, t.postponed),
            _shape(t.children),
        )
        for t in topics
    ]


def _commit_edit(path: Path, parsed: _Parsed, new_text: str, expected: list[Topic]) -> Roadmap:
    """Check that `new_text` reads as exactly `expected`, then write it atomically."""
    check = _parse(parsed.bom + new_text)
    if check.root is None or _shape(check.roadmap.roots) != _shape(expected):
        raise RoadmapError(
            "The roadmap could not be edited safely (its layout is unusual); nothing was written."
        )
    try:
        data = (parsed.bom + new_text).encode("utf-8")
    except UnicodeEncodeError:
        raise RoadmapError("That text cannot be stored as UTF-8; nothing was written.") from None
    try:
        current: bytes | None = read_regular_file(path)
    except FileNotFoundError:
        current = None
    if current != parsed.original:
        # Another program (an editor, the app in another terminal) saved in the meantime: keep its words.
        raise _ChangedMeanwhile(
            "roadmap.yaml changed while it was being edited; nothing was written, try again."
        )
    target = _roadmap_write_target(path)
    try:
        atomic_write_bytes(target, data)
    except OSError as error:
        # A full disk or a read-only folder: the old file is intact (atomic write); say so in words.
        raise RoadmapError(describe_os_error("save", Path(path).name, error)) from None
    return check.roadmap


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_after(text: str, index: int) -> int:
    """The index just past the end of the line containing `index` (past its newline)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _content_end(node: yaml.Node) -> int:
    """Where the last token written for `node` ends (block collections' own end marks include comments)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1])
    return int(node.end_mark.index)


def _insertion_point(text: str, node: yaml.Node) -> int:
    """The start of the line after everything written for `node`."""
    end = _content_end(node)
    last = node
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and not last.flow_style and last.value:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    if isinstance(last, yaml.ScalarNode) and last.style in ("|", ">") and end > 0 and text[end - 1] == "\n":
        return end
    return _line_after(text, end)


def _insert_line(text: str, index: int, line: str) -> str:
    nl = _newline(text)
    if index >= len(text) and text and not text.endswith("\n"):
        return text + nl + line + nl
    return text[:index] + line + nl + text[index:]


def _is_printable(value: str) -> bool:
    return all(
        ch in "\t\n"
        or (" " <= ch <= "~")
        or ch == "\x85"
        or ("\xa0" <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch >= "\U00010000"
        for ch in value
    )


_PLAIN_OK = re.compile(r"[^\W\d_][^\n]*", re.UNICODE)


def _is_plain_safe(value: str, *, flow: bool = False) -> bool:
    if not _PLAIN_OK.fullmatch(value) or value != value.strip() or not _is_printable(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    # Flow indicators are fine in block context but end the value inside `{...}` or `[...]`.
    if flow and any(char in value for char in ",[]{}"):
        return False
    if value.lower() in {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}:
        return False
    try:
        return bool(yaml.load(f"k: {value}\n", Loader=yaml.CSafeLoader) == {"k": value})
    except yaml.YAMLError:
        return False


def render_scalar(value: str, style: str | None = None, *, flow: bool = False) -> str:
    """`value` as a YAML scalar, keeping `style` ("'", '"' or None for plain) when it can represent it.

    `flow` says the scalar goes inside a `{...}`/`[...]` collection, where `,` and brackets need quotes.
    """
    if style == "'" and _is_printable(value) and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style is None and _is_plain_safe(value, flow=flow):
        return value
    return yaml_double_quoted(value)


def _replace_value(
    text: str, mapping: yaml.MappingNode, key: str, value: str, after: tuple[str, ...], *, plain: bool = False
) -> str:
    """Set `key: value` in the topic `mapping`, replacing just the old value's characters or adding a line.

    `plain`: `value` is written as it is (a date or a count, which YAML reads back as the same text)."""
    pairs = [(k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    if len(pairs) > 1:
        raise RoadmapError(f"The topic on line {_line(mapping)} has `{key}:` twice; fix it by hand first.")
    if pairs:
        key_node, node = pairs[0]
        if not isinstance(node, yaml.ScalarNode):
            raise RoadmapError(f"`{key}:` on line {_line(node)} is not a single value; fix it by hand first.")
        style = node.style if node.style in ("'", '"') else None
        rendered = (
            value if plain and style is None else render_scalar(value, style, flow=bool(mapping.flow_style))
        )
        start, end = int(node.start_mark.index), int(node.end_mark.index)
        if node.style in ("|", ">"):
            return text[:start] + rendered + _newline(text) + text[end:]
        if start == end:
            # An empty value (`status:`): the new one goes after the colon.
            colon = text.index(":", int(key_node.end_mark.index))
            return text[: colon + 1] + " " + rendered + text[colon + 1 :]
        return text[:start] + rendered + text[end:]
    rendered = value if plain else render_scalar(value, flow=bool(mapping.flow_style))
    if mapping.flow_style:
        close = int(mapping.end_mark.index) - 1
        if text[close] != "}":
            raise RoadmapError(f"The topic on line {_line(mapping)} has an unusual layout; edit it by hand.")
        separator = ", " if mapping.value else ""
        return text[:close] + f"{separator}{key}: {rendered}" + text[close:]
    names = {k.value: v for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}
    anchor_value = next((names[name] for name in after if name in names), mapping.value[-1][1])
    column = int(mapping.value[0][0].start_mark.column)
    index = _insertion_point(text, anchor_value)
    return _insert_line(text, index, " " * column + f"{key}: {rendered}")


def _clone(parsed: _Parsed) -> tuple[list[Topic], dict[str, Topic]]:
    roots = copy.deepcopy(parsed.roadmap.roots)
    by_id: dict[str, Topic] = {}
    stack = list(roots)
    while stack:
        topic = stack.pop()
        by_id.setdefault(topic.id, topic)
        stack.extend(topic.children)
    return roots, by_id


def _check_status(status: str) -> str:
    if status not in STATUSES:
        raise RoadmapError(f"Unknown status {status!r}; use one of {', '.join(STATUSES)}.")
    return status


_FIELD_ORDER: Final = ("postponed", "reviews", "reviewed", "done", "status", "title", "id")
"""Where a new key goes: after the first of the keys that follow it here which the topic has."""


def _set_fields(parsed: _Parsed, topic_id: str, fields: list[tuple[str, str, bool]]) -> str:
    """The text with each `(key, value, plain)` set on one topic, re-reading between edits so every edit
    works on fresh offsets."""
    text = parsed.text
    current = parsed
    for key, value, plain in fields:
        if text is not parsed.text:
            current = _parse(parsed.bom + text)
        after = _FIELD_ORDER[_FIELD_ORDER.index(key) + 1 :] if key in _FIELD_ORDER else ("title", "id")
        text = _replace_value(text, _target(current, topic_id), key, value, after=after, plain=plain)
    return text


def set_status(path: Path, topic_id: str, status: str, *, today: date | None = None) -> Topic:
    """Set a topic's status in roadmap.yaml, changing nothing else in the file; returns the updated topic.

    Marking a topic done also records the day as `done: YYYY-MM-DD` (kept when it is already there), which
    starts its review schedule (`mljournal.core.review`)."""
    _check_status(status)
    day = (today or date.today()).isoformat()

    def edit() -> Topic:
        parsed = _read_for_edit(path)
        _target(parsed, topic_id)  # an unknown id is refused before anything is written
        roots, by_id = _clone(parsed)
        topic = by_id[topic_id]
        topic.status = status
        fields = [("status", status, False)]
        if status == "done" and topic.done is None:
            topic.done = day
            fields.append(("done", day, True))
        roadmap = _commit_edit(path, parsed, _set_fields(parsed, topic_id, fields), roots)
        return _found(roadmap, topic_id)

    return _under_lock(path, edit)


def mark_reviewed(path: Path, topic_id: str, *, today: date | None = None) -> Topic:
    """Record a review of a finished topic: `reviewed:` today and one more in `reviews:`."""
    day = (today or date.today()).isoformat()

    def edit() -> Topic:
        parsed = _read_for_edit(path)
        _target(parsed, topic_id)
        roots, by_id = _clone(parsed)
        topic = by_id[topic_id]
        topic.reviewed, topic.reviews, topic.postponed = day, topic.reviews + 1, topic.postponed
        fields = [("reviewed", day, True), ("reviews", str(topic.reviews), True)]
        return _found(_commit_edit(path, parsed, _set_fields(parsed, topic_id, fields), roots), topic_id)

    return _under_lock(path, edit)


def set_resource_status(
    path: Path, topic_id: str, number: int, status: str, *, expected_title: str | None = None
) -> Topic:
    """Set the status of a topic's `number`-th resource (from 1), changing only that value's characters.

    With `expected_title` (the title the user picked, from an earlier read) the edit is refused, the file
    unchanged, when the resource at `number` has another title now: roadmap.yaml was edited meanwhile.
    """
    _check_status(status)

    def edit() -> Topic:
        parsed = _read_for_edit(path)
        node = _target(parsed, topic_id)
        resources = _pairs(node).get("resources")
        items = resources.value if isinstance(resources, yaml.SequenceNode) else []
        if not 1 <= number <= len(items):
            raise RoadmapError(f"{topic_id!r} has {len(items)} resource(s); there is no number {number}.")
        item = items[number - 1]
        if not isinstance(item, yaml.MappingNode):
            raise RoadmapError(
                f"Resource {number} of {topic_id!r} is a plain line (line {_line(item)}); give it `title:` and "
                "`status:` keys to track it."
            )
        roots, by_id = _clone(parsed)
        current = by_id[topic_id].resources[number - 1]
        if expected_title is not None and current.title != expected_title:
            raise RoadmapError(
                f"roadmap.yaml changed meanwhile: resource {number} of {topic_id!r} is now {current.title!r}; "
                "nothing was changed, pick it again."
            )
        current.status = status
        new_text = _replace_value(parsed.text, item, "status", status, after=("url", "title"))
        return _found(_commit_edit(path, parsed, new_text, roots), topic_id)

    return _under_lock(path, edit)


def postpone_review(path: Path, topic_id: str, until: date) -> Topic:
    """Put a topic's review off until `until` (recorded as `postponed:`)."""

    def edit() -> Topic:
        parsed = _read_for_edit(path)
        _target(parsed, topic_id)
        roots, by_id = _clone(parsed)
        by_id[topic_id].postponed = until.isoformat()
        fields = [("postponed", until.isoformat(), True)]
        return _found(_commit_edit(path, parsed, _set_fields(parsed, topic_id, fields), roots), topic_id)

    return _under_lock(path, edit)


def cycle_status(path: Path, topic_id: str, *, today: date | None = None) -> Topic:
    """Move a topic to its next status (`next_status`), starting from the status in the file at the moment of
    the edit, under the lock: two quick presses, or two apps, advance it twice rather than both setting the
    same status from a stale read."""
    with _locked(path):
        current = _read_for_edit(path).roadmap.find(topic_id)
        if current is None:
            raise RoadmapError(f"There is no topic {topic_id!r} in the roadmap.")
        return set_status(path, topic_id, next_status(current.status), today=today)


def rename_topic(path: Path, topic_id: str, new_title: str) -> Topic:
    """Change a topic's title (its id, which entries link to, stays); returns the updated topic."""
    title = _clean_title(new_title)

    def edit() -> Topic:
        parsed = _read_for_edit(path)
        node = _target(parsed, topic_id)
        roots, by_id = _clone(parsed)
        by_id[topic_id].title = title
        new_text = _replace_value(parsed.text, node, "title", title, after=("id",))
        roadmap = _commit_edit(path, parsed, new_text, roots)
        return _found(roadmap, topic_id)

    return _under_lock(path, edit)


def _clean_title(title: str) -> str:
    cleaned = title.strip()
    if not cleaned:
        raise RoadmapError("A topic needs a title.")
    if any(unicodedata.category(ch) in {"Cc", "Cs"} for ch in cleaned):
        raise RoadmapError("A topic title must be one line without control characters.")
    return cleaned


def _found(roadmap: Roadmap, topic_id: str) -> Topic:
    topic = roadmap.find(topic_id)
    assert topic is not None, topic_id  # _commit_edit checked the whole tree
    return topic


def _check_new_id(parsed: _Parsed, new_id: str) -> str:
    if not is_valid_id(new_id):
        raise RoadmapError(
            f"{new_id!r} is not a usable id: use letters, digits, '.', '_' and '-' (at most 100), "
            "starting with a letter or digit."
        )
    if new_id in parsed.roadmap:
        raise RoadmapError(f"There is already a topic with id {new_id!r}.")
    return new_id


def add_topic(path: Path, parent_id: str | None, title: str, id: str | None = None) -> Topic:
    """Add a topic (todo) as the last child of `parent_id`, or as the last top-level topic when it is None.

    Without `id`, one is made from the title and made unique. Creates roadmap.yaml if it does not exist.
    """
    clean_title = _clean_title(title)
    return _under_lock(path, lambda: _add_topic(path, parent_id, clean_title, id))


def _add_topic(path: Path, parent_id: str | None, clean_title: str, id: str | None) -> Topic:
    parsed = _read_for_edit(path, missing_ok=True)
    if id is not None:
        new_id = _check_new_id(parsed, id)
    else:
        new_id = unique_id(slugify(clean_title), set(parsed.roadmap.ids()))
    roots, by_id = _clone(parsed)
    new_topic = Topic(new_id, clean_title, "todo", parent=parent_id)
    text = parsed.text
    # A new topic may land inside a flow collection (`children: [...]`), so render as if it does.
    fields = [
        ("id", render_scalar(new_id, flow=True)),
        ("title", render_scalar(clean_title, flow=True)),
        ("status", "todo"),
    ]
    if parent_id is None:
        roots.append(new_topic)
        new_text = _add_to_root(parsed, fields)
    else:
        parent_node = _target(parsed, parent_id)
        by_id[parent_id].children.append(new_topic)
        new_text = _add_child(text, parent_node, fields, _child_offset(parsed))
    roadmap = _commit_edit(path, parsed, new_text, roots)
    return _found(roadmap, new_id)


def _child_offset(parsed: _Parsed) -> int:
    """How far this file indents a list's dash under its key (0 or 2, usually), learnt from the file itself."""
    for nodes in parsed.nodes.values():
        for node in nodes:
            for key, value in node.value:
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.value == "children"
                    and isinstance(value, yaml.SequenceNode)
                    and not value.flow_style
                    and value.value
                ):
                    return _dash_column(parsed.text, value.value[0]) - int(key.start_mark.column)
    if isinstance(parsed.root, yaml.MappingNode):
        for key, value in parsed.root.value:
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                return _dash_column(parsed.text, value.value[0]) - int(key.start_mark.column)
    return 2


def _dash_column(text: str, item: yaml.Node) -> int:
    start = int(item.start_mark.index)
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip(" ")
    if before.endswith("-"):
        return len(before) - 1
    return max(int(item.start_mark.column) - 2, 0)


def _block_item(fields: list[tuple[str, str]], dash_column: int, key_column: int) -> list[str]:
    lines = []
    for n, (key, value) in enumerate(fields):
        if n == 0:
            gap = max(key_column - dash_column - 1, 1)
            lines.append(" " * dash_column + "-" + " " * gap + f"{key}: {value}")
        else:
            lines.append(" " * max(key_column, dash_column + 2) + f"{key}: {value}")
    return lines


def _flow_item(fields: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


def _append_to_sequence(text: str, seq: yaml.SequenceNode, fields: list[tuple[str, str]]) -> str:
    nl = _newline(text)
    if seq.flow_style:
        close = int(seq.end_mark.index) - 1
        if text[close] != "]":
            raise RoadmapError(f"The list on line {_line(seq)} has an unusual layout; edit it by hand.")
        inner = text[int(seq.start_mark.index) + 1 : close]
        separator = ", " if inner.strip() else ""
        return text[:close] + separator + _flow_item(fields) + text[close:]
    last = seq.value[-1]
    dash = _dash_column(text, last)
    key_column = int(last.start_mark.column) if isinstance(last, yaml.MappingNode) else dash + 2
    index = _insertion_point(text, last)
    block = nl.join(_block_item(fields, dash, key_column))
    return _insert_line(text, index, block)


def _add_child(text: str, parent: yaml.MappingNode, fields: list[tuple[str, str]], offset: int) -> str:
    pairs = [(k, v) for k, v in parent.value if isinstance(k, yaml.ScalarNode) and k.value == "children"]
    if len(pairs) > 1:
        raise RoadmapError(f"The topic on line {_line(parent)} has `children:` twice; fix it by hand first.")
    nl = _newline(text)
    if pairs:
        key, children = pairs[0]
        if isinstance(children, yaml.SequenceNode) and (children.value or not children.flow_style):
            return _append_to_sequence(text, children, fields)
        if isinstance(children, yaml.SequenceNode) or (
            isinstance(children, yaml.ScalarNode) and children.tag == _NULL_TAG
        ):
            return _replace_empty_list(text, key, children, fields, offset)
        raise RoadmapError(f"`children:` on line {_line(children)} is not a list; fix it by hand first.")
    if parent.flow_style:
        close = int(parent.end_mark.index) - 1
        if text[close] != "}":
            raise RoadmapError(f"The topic on line {_line(parent)} has an unusual layout; edit it by hand.")
        separator = ", " if parent.value else ""
        return text[:close] + f"{separator}children: [{_flow_item(fields)}]" + text[close:]
    column = int(parent.value[0][0].start_mark.column)
    dash = column + offset
    lines = [" " * column + "children:", *_block_item(fields, dash, dash + 2)]
    return _insert_line(text, _insertion_point(text, parent), nl.join(lines))


def _replace_empty_list(
    text: str, key: yaml.Node, value: yaml.Node, fields: list[tuple[str, str]], offset: int
) -> str:
    """`key: []` or `key:` (null) becomes `key:` followed by a block list with one item."""
    nl = _newline(text)
    column = int(key.start_mark.column)
    dash = column + offset
    block = nl.join(_block_item(fields, dash, dash + 2))
    start, end = int(value.start_mark.index), int(value.end_mark.index)
    if start == end:
        colon = text.index(":", int(key.end_mark.index))
        start = end = colon + 1
    else:
        # Drop the space between the colon and `[]`/`~` so the key line has no trailing blank.
        while start > 0 and text[start - 1] == " ":
            start -= 1
    rest_of_line_end = text.find("\n", end)
    rest = text[end : len(text) if rest_of_line_end < 0 else rest_of_line_end].rstrip("\r")
    if rest.strip():
        # A comment after `[]` stays on the key's line.
        return text[:start] + " " + rest.strip() + nl + block + text[end + len(rest) :]
    return text[:start] + nl + block + text[end:]


def _add_to_root(parsed: _Parsed, fields: list[tuple[str, str]]) -> str:
    text = parsed.text
    nl = _newline(text)
    root = parsed.root
    if isinstance(root, yaml.SequenceNode):
        return _append_to_sequence(text, root, fields)
    if isinstance(root, yaml.MappingNode):
        pairs = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "topics"]
        if pairs:
            key, topics = pairs[0]
            if isinstance(topics, yaml.SequenceNode) and (topics.value or not topics.flow_style):
                return _append_to_sequence(text, topics, fields)
            return _replace_empty_list(text, key, topics, fields, 2)
        block = nl.join(["topics:", *_block_item(fields, 2, 4)])
        return _insert_line(text, len(text), block)
    # An empty file or one with only comments.
    block = nl.join(["topics:", *_block_item(fields, 2, 4)])
    return _insert_line(text, len(text), block)


# --- moving a topic to a new id, with its linked entries ---------------------------------------------------


@dataclass
class MoveResult:
    """What `move_topic` did: the entries it rewrote and those it had to leave (with why)."""

    old_id: str
    new_id: str
    rewritten: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    roadmap_updated: bool = False
    already_moved: list[str] = field(default_factory=list)
    """Entries that linked the new id, not the old one: rewritten by an earlier, interrupted run of the move
    (their index rows may still show the old id)."""

    @property
    def changed_entries(self) -> list[str]:
        """Every entry whose file this move changed, now or in the interrupted run it finished."""
        return [*self.rewritten, *self.already_moved]


def _pending_path(root: Path) -> Path:
    return root / ".mljournal" / PENDING_MOVE_FILE


def move_topic(
    path: Path,
    topic_id: str,
    new_id: str,
    *,
    entries_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MoveResult:
    """Give a topic a new id and rewrite `topics:` in every entry that links to the old one.

    Resumable: the intent is recorded in `.mljournal/pending-move.json` before anything changes, each
    step is idempotent, and `resume_pending_move` finishes an interrupted move. Every entry is read twice
    (a check, then the rewrite); `progress(done, total)` counts those reads, a few times a second.
    """
    path = Path(path)
    with _locked(path):
        return _move_topic(path, topic_id, new_id, entries_dir, progress)


def _move_topic(
    path: Path,
    topic_id: str,
    new_id: str,
    entries_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> MoveResult:
    root = path.parent
    resume_pending_move(path, entries_dir=entries_dir)
    parsed = _read_for_edit(path)
    if topic_id == new_id:
        raise RoadmapError(f"Topic {topic_id!r} already has that id.")
    _target(parsed, topic_id)
    _check_new_id(parsed, new_id)
    entries = entries_dir or root / "entries"
    # Two passes over the entries, reported as one count: the check is the first half of the work.
    checking = None if progress is None else (lambda done, total: progress(done, 2 * total))
    rewriting = None if progress is None else (lambda done, total: progress(total + done, 2 * total))
    _check_entries_editable(root, entries, topic_id, new_id, checking)
    pending = _pending_path(root)
    problem = state_dir_problem(Journal(root))
    if problem is not None:
        raise RoadmapError(f"Nothing was changed: a move records its progress in .mljournal/, but {problem}.")
    record = {"old": topic_id, "new": new_id, "roadmap": path.name}
    try:
        pending.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(pending, (json.dumps(record) + "\n").encode("utf-8"))
    except OSError as error:
        raise RoadmapError(describe_os_error("record the move in", pending.name, error)) from None
    return _finish_move(path, topic_id, new_id, entries, rewriting)


def pending_move(path: Path) -> tuple[str, str] | None:
    """The (old, new) ids of an interrupted move of the roadmap at `path`, if there is one."""
    try:
        record = json.loads(_pending_path(Path(path).parent).read_text(encoding="utf-8"))
        old, new = record["old"], record["new"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if isinstance(old, str) and isinstance(new, str):
        return old, new
    return None


def resume_pending_move(path: Path, *, entries_dir: Path | None = None) -> MoveResult | None:
    """Finish an interrupted `move_topic` for the roadmap at `path`; None when there was nothing to finish."""
    path = Path(path)
    if pending_move(path) is None and not _pending_path(path.parent).exists():
        return None  # the common case, decided without waiting for the lock
    with _locked(path):
        found = pending_move(path)
        if found is None:
            pending = _pending_path(path.parent)
            if pending.exists() and state_dir_problem(Journal(path.parent)) is None:
                # Unreadable or half-written before anything else changed: it carries no work to finish.
                with contextlib.suppress(OSError):
                    pending.unlink()
            return None
        old, new = found
        return _finish_move(path, old, new, entries_dir or path.parent / "entries")


def _finish_move(
    path: Path, old: str, new: str, entries_dir: Path, progress: Callable[[int, int], None] | None = None
) -> MoveResult:
    result = MoveResult(old, new)
    root = path.parent
    failed_writes = _rewrite_entries(root, entries_dir, old, new, result, progress)
    if failed_writes:
        first, why = result.skipped[0]
        raise RoadmapError(
            f"Moving {old!r} to {new!r} is unfinished: {first} could not be rewritten ({why.rstrip('.')})"
            f"{f' and {failed_writes - 1} more' if failed_writes > 1 else ''}; fix that, then run "
            "`mljournal roadmap` again to finish the move."
        )
    result.roadmap_updated = _under_lock(path, lambda: _rename_id_in_roadmap(path, old, new))
    with contextlib.suppress(FileNotFoundError):
        _pending_path(root).unlink()
    return result


def _rename_id_in_roadmap(path: Path, old: str, new: str) -> bool:
    """Give topic `old` the id `new` in roadmap.yaml; False when that was already done."""
    parsed = _read_for_edit(path)
    if old not in parsed.roadmap:
        return False
    if new in parsed.roadmap:
        raise RoadmapError(
            f"Cannot finish moving {old!r} to {new!r}: both ids are in the roadmap now; "
            f"fix roadmap.yaml by hand, then delete {_pending_path(path.parent)}."
        )
    node = _target(parsed, old)
    roots, by_id = _clone(parsed)
    _rename_in_model(by_id[old], new)
    new_text = _replace_value(parsed.text, node, "id", new, after=())
    _commit_edit(path, parsed, new_text, roots)
    return True


def _rename_in_model(topic: Topic, new_id: str) -> None:
    topic.id = new_id
    for child in topic.children:
        child.parent = new_id


def iter_entry_files(entries_dir: Path) -> Iterator[Path]:
    """Every entry file under `entries_dir` (the journal's `entries/`), as the index's walker finds them:
    regular files only, hidden folders and temp files skipped."""
    from mljournal.core.journal import Journal, walk_entry_files

    journal = Journal(entries_dir.parent)
    for relpath, _stat in walk_entry_files(journal):
        yield journal.root / relpath


def _topic_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return []


def _relinked(value: Any, old: str, new: str) -> Any | None:
    """The `topics` value with `old` replaced by `new` (in the value's own shape), or None if it has no `old`."""
    topics = _topic_list(value)
    if old not in topics:
        return None
    updated: list[str] = []
    for topic in topics:
        replacement = new if topic == old else topic
        if replacement not in updated:
            updated.append(replacement)
    # A comma-separated string stays one, so the edit touches as little of the entry as possible.
    return ", ".join(updated) if isinstance(value, str) else updated


def _entry_edits(
    root: Path,
    entries_dir: Path,
    old: str,
    new: str,
    linking_new: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Path, str, bytes, bytes | str]]:
    """Each entry linking `old`: its bytes, and its rewritten bytes or why it can't be rewritten (a str).

    Entries that link `new` and not `old` (moved already) are listed in `linking_new` when it is given.
    `progress(done, total)` counts the entries read.
    """
    from mljournal.core.progress import Throttled

    report_progress = Throttled(progress)
    files = list(iter_entry_files(entries_dir))  # listed first, so progress knows the total
    total = len(files)
    for done, file in enumerate(files):
        report_progress(done, total)
        rel = Path(os.path.relpath(file, root)).as_posix()
        try:
            raw = read_regular_file(file)
        except OSError as error:
            yield file, rel, b"", error.strerror or str(error)
            continue
        edit = _entry_edit(raw, old, new, linking_new=linking_new, rel=rel)
        if edit is not None:
            yield file, rel, raw, edit
    report_progress(total, total)


def _entry_edit(
    raw: bytes, old: str, new: str, *, linking_new: list[str] | None = None, rel: str = ""
) -> bytes | str | None:
    """The entry `raw` with `old` relinked to `new`, why that can't be done, or None if it doesn't link `old`
    (then `rel` goes into `linking_new` when the entry links `new`)."""
    from mljournal.core.document import parse_document, set_field

    metadata = parse_document(raw).metadata
    topics = metadata.get("topics") if isinstance(metadata, Mapping) else None
    value = _relinked(topics, old, new)
    if value is None:
        if linking_new is not None and new in _topic_list(topics):
            linking_new.append(rel)
        return None
    try:
        return set_field(raw, "topics", value)
    except Exception as error:  # FrontMatterEditError and friends: the entry can't be edited safely
        return str(error) or type(error).__name__


def _check_entries_editable(
    root: Path, entries_dir: Path, old: str, new: str, progress: Callable[[int, int], None] | None = None
) -> None:
    """Refuse a move up front, before anything is written, if a linked entry could not be rewritten."""
    blocked = [
        (rel, edit)
        for _file, rel, _raw, edit in _entry_edits(root, entries_dir, old, new, progress=progress)
        if isinstance(edit, str)
    ]
    if blocked:
        rel, why = blocked[0]
        more = f" (and {len(blocked) - 1} more)" if len(blocked) > 1 else ""
        raise RoadmapError(
            f"Nothing was changed: {rel}{more} links {old!r} but cannot be edited safely ({why.rstrip('.')}); "
            "fix it first."
        )


def _rewrite_entries(
    root: Path,
    entries_dir: Path,
    old: str,
    new: str,
    result: MoveResult,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    failed = 0
    for file, rel, raw, edit in _entry_edits(root, entries_dir, old, new, result.already_moved, progress):
        try:
            # Another program (not holding our lock) may have saved since the scan: relink its bytes instead.
            current = read_regular_file(file)
            if current != raw:
                refreshed = _entry_edit(current, old, new)
                if refreshed is None:
                    continue  # it no longer links `old`: nothing to move
                edit = refreshed
            if isinstance(edit, str):
                result.skipped.append((rel, edit))
                failed += 1
                continue
            atomic_write_bytes(write_target(root, file), edit)
        except JournalError as error:
            result.skipped.append((rel, str(error)))
            failed += 1
            continue
        except OSError as error:
            result.skipped.append((rel, error.strerror or str(error)))
            failed += 1
            continue
        result.rewritten.append(rel)
    return failed


def scan_topic_links(root: Path, entries_dir: Path | None = None) -> dict[str, set[str]]:
    """Topic id → entry paths (relative to `root`) linking to it, read from the entry files themselves.

    The fallback when no index is at hand; unreadable entries are skipped (`check` reports them).
    """
    from mljournal.core.document import parse_document

    links: dict[str, set[str]] = {}
    for file in iter_entry_files(entries_dir or Path(root) / "entries"):
        try:
            metadata = parse_document(read_regular_file(file)).metadata
        except Exception:
            continue
        if not isinstance(metadata, Mapping):
            continue
        rel = Path(os.path.relpath(file, root)).as_posix()
        for topic in _topic_list(metadata.get("topics")):
            links.setdefault(topic, set()).add(rel)
    return links
