"""`Index`, the journal's SQLite index, assembled from the mixins that each do one of its jobs.

The files under `entries/` are the truth. This index can be deleted at any time; it is rebuilt silently when it
is missing, corrupt, foreign or from another schema version. One `Index` holds one SQLite connection and must be
used from one thread (open one per worker: opening is cheap).
"""

from __future__ import annotations

from mljournal.core.index.links import IndexLinks
from mljournal.core.index.search import IndexSearch
from mljournal.core.index.sync import IndexSync


class Index(IndexSearch, IndexLinks, IndexSync):
    """The journal's SQLite index: open (`connection`), sync (`sync`), read (`rows`, `links`), search (`search`)."""
