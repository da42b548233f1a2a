"""The index's SQLite schema: its version, the tables it is built with, and the check that a file has them."""

from __future__ import annotations

import contextlib
import sqlite3

from mljournal.core.query.tokens import FTS_TOKENIZE

SCHEMA_VERSION = 12
"""Bump whenever the tables change, or what the reader records in them, so an index of another version is
rebuilt from the files. 6: inline #tags are indexed and tags an edit refuses are problems; 7: CJK runs are
indexed as bigrams; 8: front-matter that is not at the top of the file is a problem; 9: links between entries
(`entry_links`, `entry_link_keys`, `entry_keys`); 10: `minutes:` is stored per entry (for the time summed
per phase); 11: both together (10 was used for each alone while they were written); 12: an index of
`(day, word_count, minutes)` for the dashboard's activity per day."""

APPLICATION_ID = 0x6D6C6A6E  # "mljn": tells our index apart from any other SQLite file at that path.

FTS_COLUMNS = ("title", "description", "tags", "body", "categories", "keywords")
# bm25 weights per FTS column, in FTS_COLUMNS order: a hit in the title matters most, then tags and the
# description; the body is the baseline.
FTS_HASH_BYTES = 32 * 1024 * 1024
"""FTS5's buffer of pending terms (its `hashsize` setting); see `create_schema`."""


SECONDARY_INDEXES = {
    # One index serves both newest-first listing and date filters: it walks a day range in order, so
    # `on:2023 ... LIMIT 50` stops after 50 rows instead of sorting the whole year. (The names of the two
    # `idx_entries_…` indexes are the ones sqlite-utils gave them when it created them.)
    "idx_entries_day_date_sort_id": "entries (day, date_sort, id)",
    # The dashboard's activity per day reads only these columns: covered by this index it is one walk
    # of the index, 20 ms at 100,000 entries, instead of 150 ms of row lookups for the two sums.
    "idx_entries_day_word_count_minutes": "entries (day, word_count, minutes)",
    # Only entries that record `minutes:` (few, or none): "does any?" is one lookup, not a scan.
    "entries_minutes": "entries (minutes) WHERE minutes IS NOT NULL",
    # Deleting or re-reading one entry finds its rows in the key tables by entry id.
    "entry_tags_entry": "entry_tags (entry_id)",
    "entry_topics_entry": "entry_topics (entry_id)",
    "entry_link_keys_entry": "entry_link_keys (entry_id)",
    "entry_keys_entry": "entry_keys (entry_id)",
}
"""Indexes for reading, not for writing: a cold build drops them, loads every entry, then builds each in one
sorted pass, which is cheaper than growing seven B-trees a row at a time (see `IndexSync.sync`)."""


def missing_secondary_indexes(conn: sqlite3.Connection) -> list[str]:
    """The `SECONDARY_INDEXES` this index lacks: all of them during a cold build, none otherwise.

    A build killed half-way leaves them missing; the next sync creates them (the file stays a sound index
    meanwhile, only slower to read), so this is checked by every sync rather than treated as damage.
    """
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return [name for name in SECONDARY_INDEXES if name not in present]


def create_secondary_indexes(conn: sqlite3.Connection) -> None:
    """Create whichever `SECONDARY_INDEXES` are missing (inside the caller's transaction, if any)."""
    for name in missing_secondary_indexes(conn):
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {SECONDARY_INDEXES[name]}")


def drop_secondary_indexes(conn: sqlite3.Connection) -> None:
    """Drop the `SECONDARY_INDEXES` before a cold build's bulk load (inside the caller's transaction)."""
    for name in SECONDARY_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def schema_ok(conn: sqlite3.Connection) -> bool:
    """Whether `conn` holds an index of this version, readable in every table (and set up for WAL)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
        return False
    # Touch every table so a truncated or damaged file fails here, not in the middle of a search.
    for table in ("entries", "entry_tags", "entry_topics", "entries_fts", "meta"):
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
    # WAL is a property of the file, set when it was built. Asking to set it again takes a lock, and two
    # threads opening the index at once then wait on each other's busy handler (~150 ms at app start).
    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return True


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table of an empty index in `conn`, and stamp it with our application id and version.

    sqlite-utils writes the `entries` table and its indexes; the rest is raw SQL because sqlite-utils can't
    declare a `WITHOUT ROWID` table, a partial index or an FTS5 table with `prefix=` and our tokenizer.
    """
    # sqlite-utils costs ~0.1 s to import; only building the schema needs it, not every search.
    import sqlite_utils

    with contextlib.suppress(sqlite3.DatabaseError):
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn)
    db.table("entries").create(
        {
            "id": int,
            "path": str,
            "title": str,
            "date": str,
            "date_sort": float,
            "day": str,
            "date_inferred": int,
            "updated": str,
            "description": str,
            "tags": str,
            "topics": str,
            "categories": str,
            "keywords": str,
            "draft": int,
            "word_count": int,
            "minutes": float,
            "size": int,
            "mtime_ns": int,
            "hash": str,
            "problems": str,
            "problem_count": int,
        },
        pk="id",
        not_null={"path", "title"},
    )
    # The one secondary index a sync itself needs (it looks entries up by path); the others are
    # `SECONDARY_INDEXES`, created below and left out while a cold build bulk-loads (see `IndexSync.sync`).
    db.table("entries").create_index(["path"], unique=True)
    conn.execute(
        "CREATE TABLE entry_tags (tag TEXT NOT NULL, entry_id INTEGER NOT NULL, name TEXT NOT NULL,"
        " PRIMARY KEY (tag, entry_id)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE entry_topics (topic TEXT NOT NULL, entry_id INTEGER NOT NULL,"
        " PRIMARY KEY (topic, entry_id)) WITHOUT ROWID"
    )
    # Links as written (see `_link_rows` for why they are resolved when asked, not here).
    conn.execute(
        "CREATE TABLE entry_links (entry_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
        " target TEXT NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL,"
        " PRIMARY KEY (entry_id, seq)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE entry_link_keys (key TEXT NOT NULL, entry_id INTEGER NOT NULL,"
        " PRIMARY KEY (key, entry_id)) WITHOUT ROWID"
    )
    # Each entry's own keys (title, stem, path), so a link is resolved against the few entries it may
    # name (`link_resolver`) instead of all of them.
    conn.execute(
        "CREATE TABLE entry_keys (key TEXT NOT NULL, entry_id INTEGER NOT NULL,"
        " PRIMARY KEY (key, entry_id)) WITHOUT ROWID"
    )
    columns = ", ".join(FTS_COLUMNS)
    # A prefix index for 3-letter prefixes: without it `kal*` merges the doclists of every term
    # starting with "kal" on each keystroke (0.4 s at 100,000 entries); with it, one lookup. 2-letter
    # prefixes would cost another 30% of cold indexing time; they are rare enough to be merged.
    conn.execute(
        f"CREATE VIRTUAL TABLE entries_fts USING fts5({columns}, tokenize = '{FTS_TOKENIZE}', prefix = '3')"
    )
    # FTS5 writes its pending terms out as a new segment each time they pass `hashsize` bytes (1 MB by
    # default), and then spends much of its time merging those small segments. With a 32 MB buffer the
    # FTS inserts of 10,000 entries took 1.2 s instead of 1.8 s (same machine, back to back). It is a
    # cap, not an allocation, and it is stored with the table, so later syncs use it too.
    conn.execute(f"INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', {FTS_HASH_BYTES})")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    create_secondary_indexes(conn)
    conn.execute("CREATE VIRTUAL TABLE entries_vocab USING fts5vocab(entries_fts, 'row')")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
