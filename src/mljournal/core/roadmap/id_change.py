"""Changing a topic's id in roadmap.yaml, for the move service (`mljournal.core.services.move_topic`).

Kept apart from `write` because an id change is not a user's edit of one topic: the service checks it first,
rewrites the entries that link the old id, and may run it again after a crash (so it says when it was done).
"""

from __future__ import annotations

from pathlib import Path

from mljournal.core.roadmap.model import RoadmapError
from mljournal.core.roadmap.tree_edit import _replace_value
from mljournal.core.roadmap.write import (
    _check_new_id,
    _clone,
    _commit_edit,
    _read_for_edit,
    _target,
    _under_lock,
)


class BothIdsPresent(RoadmapError):
    """`rename_topic_id` found the old and the new id in the roadmap, so it can't tell which one to keep."""


def check_id_change(path: Path, topic_id: str, new_id: str) -> None:
    """Refuse, before anything is written, giving `topic_id` the id `new_id`: an unknown, bare-title or
    duplicated topic, the same id, or a new id that is invalid or taken. Call it under `roadmap_lock`."""
    parsed = _read_for_edit(path)
    if topic_id == new_id:
        raise RoadmapError(f"Topic {topic_id!r} already has that id.")
    _target(parsed, topic_id)
    _check_new_id(parsed, new_id)


def rename_topic_id(path: Path, old: str, new: str) -> bool:
    """Give topic `old` the id `new` in roadmap.yaml (its children's parent follows); False when the file has
    no `old` any more (the rename was done already). `BothIdsPresent` when it has both."""
    return _under_lock(path, lambda: _rename_topic_id(path, old, new))


def _rename_topic_id(path: Path, old: str, new: str) -> bool:
    parsed = _read_for_edit(path)
    if old not in parsed.roadmap:
        return False
    if new in parsed.roadmap:
        raise BothIdsPresent(f"Both {old!r} and {new!r} are topic ids in the roadmap.")
    node = _target(parsed, old)
    roots, by_id = _clone(parsed)
    topic = by_id[old]
    topic.id = new
    for child in topic.children:
        child.parent = new
    new_text = _replace_value(parsed.text, node, "id", new, after=())
    _commit_edit(path, parsed, new_text, roots)
    return True
