"""Topic expansion for search: `topic:x` means x and every topic below it in the journal's roadmap.

The index knows nothing of the roadmap (so `core.index` never imports `core.roadmap`); it is handed a
`TopicSubtrees` callable instead. `open_index` is how the CLI, the TUI and the services open an index wired
with this journal's roadmap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mljournal.core.index import Index
from mljournal.core.journal import Journal

if TYPE_CHECKING:
    from mljournal.core.roadmap import Roadmap


class RoadmapSubtrees:
    """`topic_id` -> the ids of its subtree in the journal's roadmap, re-read only when roadmap.yaml changes.

    Never raises: an unknown id, a missing or broken roadmap each give `(topic_id,)`, because a broken
    roadmap must not break search. Holds a cache, so use one per `Index` (one per thread).
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._cache: tuple[float, Roadmap] | None = None

    def _roadmap(self) -> Roadmap:
        # Imported here: loading the roadmap code costs start-up time a search without `topic:` never needs.
        from mljournal.core.roadmap import load_roadmap

        try:
            mtime = self.journal.roadmap_path.stat().st_mtime
        except OSError:
            mtime = -1.0
        if self._cache is None or self._cache[0] != mtime:
            roadmap, _problems = load_roadmap(self.journal.roadmap_path)
            self._cache = (mtime, roadmap)
        return self._cache[1]

    def __call__(self, topic_id: str) -> tuple[str, ...]:
        try:
            roadmap = self._roadmap()
            ids = tuple(roadmap.subtree_ids(topic_id)) if roadmap.find(topic_id) is not None else ()
        except Exception:
            # A broken roadmap must not break search: match the id itself.
            ids = ()
        return ids or (topic_id,)


def open_index(journal: Journal, *, path: Path | None = None) -> Index:
    """An `Index` of `journal` whose `topic:` filters cover each topic's subtree in the roadmap."""
    return Index(journal, path=path, topic_subtrees=RoadmapSubtrees(journal))
