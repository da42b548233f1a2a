"""What the FTS5 tokenizer keeps: whether a text holds any word the index could match, asked of SQLite itself."""

from __future__ import annotations

import functools
import sqlite3
import threading
import unicodedata

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
"""The tokenizer the index's FTS5 table must use: the parser's notion of "a word with no letters" follows it."""

_probe_lock = threading.Lock()
_probe_db: sqlite3.Connection | None = None
_probe_failed = False


def _probe_connection() -> sqlite3.Connection | None:
    global _probe_db, _probe_failed
    if _probe_db is None and not _probe_failed:
        try:
            db = sqlite3.connect(":memory:", check_same_thread=False)
            # Porter stemming never empties a token, so the plain unicode61 settings decide emptiness.
            db.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
            db.execute("CREATE VIRTUAL TABLE probe_vocab USING fts5vocab(probe, 'row')")
            _probe_db = db
        except sqlite3.Error:
            _probe_failed = True
    return _probe_db


@functools.lru_cache(maxsize=4096)
def _sqlite_has_tokens_cached(text: str) -> bool:
    return _sqlite_has_tokens(text)


def _sqlite_has_tokens(text: str) -> bool:
    with _probe_lock:
        db = _probe_connection()
        if db is None:
            return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" for c in text)
        try:
            db.execute("INSERT INTO probe(rowid, x) VALUES (1, ?)", (text,))
            found = db.execute("SELECT 1 FROM probe_vocab LIMIT 1").fetchone() is not None
        finally:
            db.execute("DELETE FROM probe WHERE rowid = 1")
        return found


def has_tokens(text: str) -> bool:
    """True when the FTS5 tokenizer finds at least one word in `text`.

    ASCII is decided here (letters and digits are word characters, everything else separates). Beyond ASCII,
    SQLite's Unicode tables are older than Python's and disagree with `unicodedata` (in SQLite 3.40 "😀" is a
    separator but "🧠" is a word), so SQLite itself is asked, once per distinct text.
    """
    if text.isascii():
        return any(c.isalnum() for c in text)
    if any(c.isascii() and c.isalnum() for c in text):
        return True
    # Only short texts are cached: what people type repeats, and pasted walls of text would pin memory.
    return _sqlite_has_tokens_cached(text) if len(text) <= 64 else _sqlite_has_tokens(text)
