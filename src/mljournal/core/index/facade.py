"""`Index`, the journal's SQLite index, assembled from the mixins that each do one of its jobs.

The files under `entries/` are the truth. This index can be deleted at any time; it is rebuilt silently when it
is missing, corrupt, foreign or from another schema version. One `Index` holds one SQLite connection and must be
used from one thread (open one per worker: opening is cheap).
"""

from __future__ import annotations

from pathlib import Path

from mljournal.core.index.links import IndexLinks
from mljournal.core.index.search import IndexSearch, TopicSubtrees
from mljournal.core.index.sync import IndexSync
from mljournal.core.journal import Journal


class Index(IndexSearch, IndexLinks, IndexSync):
    """The journal's SQLite index: open (`connection`), sync (`sync`), read (`rows`, `links`), search (`search`)."""

    def __init__(
        self, journal: Journal, *, path: Path | None = None, topic_subtrees: TopicSubtrees | None = None
    ) -> None:
        """Open (or build) the index of `journal`, at `path` or the journal's usual place.

        `topic_subtrees` widens `topic:x` to x's subtree (`services.topic_links.open_index` passes the
        roadmap's); without it `topic:x` matches entries linked to x itself.
        """
        self._topic_subtrees = topic_subtrees
        super().__init__(journal, path=path)
