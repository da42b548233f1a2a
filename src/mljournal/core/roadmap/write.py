"""Edits of roadmap.yaml: each one locked, made on a fresh read, verified by parsing, and written atomically.

Every edit reads, checks and replaces the file under the journal's lock (`core.locking`); an edit whose new
text would read as anything but the intended model is refused, and one whose file changed meanwhile (an
editor that ignores our lock) starts again from the new bytes. A symlinked roadmap.yaml is written through
to its target only when that target is inside the journal.
"""

from __future__ import annotations

import contextlib
import copy
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml

from mljournal.core.atomic import atomic_write_bytes
from mljournal.core.errors import describe_os_error
from mljournal.core.journal import JournalError, read_regular_file, write_target
from mljournal.core.locking import journal_lock
from mljournal.core.roadmap.build import _line, _pairs, _Parsed
from mljournal.core.roadmap.model import STATUSES, Roadmap, RoadmapError, Topic, is_valid_id, next_status
from mljournal.core.roadmap.read import UNREADABLE_PREFIX, _parse
from mljournal.core.roadmap.templates import _BLANK_TEMPLATE
from mljournal.core.roadmap.tree_edit import (
    _add_child,
    _add_to_root,
    _child_offset,
    _replace_value,
    roadmap_scalar,
)
from mljournal.core.text.slug import topic_slug, unique_name

_EDIT_ATTEMPTS = 5
"""How often an edit starts again when a program that ignores our lock (an editor) saved roadmap.yaml between
our read and our write."""

T = TypeVar("T")


class _ChangedMeanwhile(RoadmapError):
    """roadmap.yaml's bytes are no longer those the edit was made from."""


@contextlib.contextmanager
def roadmap_lock(path: Path) -> Iterator[None]:
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
    with roadmap_lock(path):
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
    starts its review schedule (`mljournal.core.roadmap.review`)."""
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
    with roadmap_lock(path):
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
        new_id = unique_name(topic_slug(clean_title), set(parsed.roadmap.ids()))
    roots, by_id = _clone(parsed)
    new_topic = Topic(new_id, clean_title, "todo", parent=parent_id)
    text = parsed.text
    # A new topic may land inside a flow collection (`children: [...]`), so render as if it does.
    fields = [
        ("id", roadmap_scalar(new_id, flow=True)),
        ("title", roadmap_scalar(clean_title, flow=True)),
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
