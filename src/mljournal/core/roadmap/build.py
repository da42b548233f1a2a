"""Turning the composed YAML node graph of roadmap.yaml into topics, noting every problem with its line.

Also `_Parsed`, what a read hands to the writer: the text, the model and, per topic id, the YAML mapping
nodes an edit changes in place.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Final

import yaml

from mljournal.core.model import Problem
from mljournal.core.roadmap.model import MAX_DEPTH, STATUSES, Resource, Roadmap, Topic
from mljournal.core.text.slug import topic_slug, unique_name

_ISO_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULL_TAG = "tag:yaml.org,2002:null"


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
        topic_id = unique_name(topic_slug(title), self.first_line.keys())
        if report:
            self.problems.append(
                Problem(
                    "roadmap-missing-id",
                    f"The topic on line {line} has no id; it is read as {topic_id!r}.",
                    line,
                )
            )
        return topic_id
