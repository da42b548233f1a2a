"""The SQLite index: a rebuildable cache of the entry files, for instant search by text, tag, topic and date.

`Index` (in `facade`) is assembled from one mixin per job: `connection` opens or rebuilds the file, `sync`
writes what changed on disk (parsed by `scan`), `rows` and `links` read it back, `search` runs the search
language; `schema` holds the tables and `prefixes` the spelling of prefix terms.
"""

from __future__ import annotations

from mljournal.core.index.connection import IndexBlocked as IndexBlocked
from mljournal.core.index.connection import MemoryFallback as MemoryFallback
from mljournal.core.index.connection import is_disk_full as is_disk_full
from mljournal.core.index.facade import Index as Index
from mljournal.core.index.rows import EntryRow as EntryRow
from mljournal.core.index.scan import load_for_index as load_for_index
from mljournal.core.index.schema import FTS_HASH_BYTES as FTS_HASH_BYTES
from mljournal.core.index.schema import SCHEMA_VERSION as SCHEMA_VERSION
from mljournal.core.index.search import Hit as Hit
from mljournal.core.index.search import PreparedQuery as PreparedQuery
from mljournal.core.index.search import SearchResult as SearchResult
from mljournal.core.index.search import TopicSubtrees as TopicSubtrees
from mljournal.core.index.sync import SyncReport as SyncReport
