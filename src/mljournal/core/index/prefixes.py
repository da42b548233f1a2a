"""Prefix terms that FTS5's porter stemmer would change, spelled out as the indexed words they stand for.

FTS5 runs every query token through the table's tokenizer, prefix tokens included, and the porter stemmer
has no notion of a prefix: `mis*` is searched as `mi*` (a final "s" is dropped), `day*` as `dai*`, `use*` as
`us*`. The first matches every "mi..." word, the second misses "daylight", and a 2-letter prefix has no prefix
index, so it is also slow (0.2 s at 100,000 entries). Only about 1% of 3-letter prefixes are changed, but they
include common ones ("dis", "res", "pos", "day", "use").

For those, `spell_out_prefixes` looks the prefix up in the index's vocabulary (the stored, stemmed
terms) and replaces it with an OR of the terms that really start with it, and of the prefix read as a whole word
(so `day*` still finds "days", stored as "dai"). Each term is itself run through the
stemmer at query time, so it is written in a spelling that stems back to it: the term itself for almost all,
the term plus "e" for stems like `databas` (from "database"), whose own stem would be `databa`.

The opposite happens while a word is typed: the index stores "attention" as "attent", so `attentio*`
matches nothing, and results vanish for a letter or two before the word is complete. A prefix that no
stored term starts with is therefore read as the longest stored term it starts with (at least half of it).

Which tokens the stemmer changes is asked of SQLite itself, through a private in-memory FTS5 table with the
same tokenizer, so this never disagrees with the index about a single word.
"""

from __future__ import annotations

import re
import sqlite3
import threading

from mljournal.core.query.tokens import FTS_TOKENIZE

MAX_EXPANSION = 400
"""A prefix that stands for more indexed terms than this keeps FTS5's own (stemmed) reading: an OR of that
many terms would cost more to rank than the broader prefix it replaces."""

# A prefix term as the query parser writes it: a quoted string, a space and `*`.
_PREFIX_TERM_RE = re.compile(r'"((?:[^"]|"")*)" \*')

_local = threading.local()


def _tokenizer() -> sqlite3.Connection:
    """This thread's in-memory database with one FTS5 table per tokenizer (plain, and plain + porter)."""
    conn: sqlite3.Connection | None = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:")
        plain = FTS_TOKENIZE.replace("porter", "").strip()
        conn.execute(f"CREATE VIRTUAL TABLE plain USING fts5(x, tokenize = '{plain}')")
        conn.execute(f"CREATE VIRTUAL TABLE stemmed USING fts5(x, tokenize = '{FTS_TOKENIZE}')")
        conn.execute("CREATE VIRTUAL TABLE plain_tokens USING fts5vocab(plain, 'instance')")
        conn.execute("CREATE VIRTUAL TABLE stemmed_tokens USING fts5vocab(stemmed, 'instance')")
        _local.conn = conn
    return conn


def _tokens(table: str, words: list[str]) -> list[str | None]:
    """How `table`'s tokenizer reads each of `words` (one token each), None for a word it splits or drops."""
    conn = _tokenizer()
    with conn:
        conn.execute(f"DELETE FROM {table}")
        conn.executemany(f"INSERT INTO {table} (rowid, x) VALUES (?, ?)", enumerate(words))
        found: dict[int, list[str]] = {}
        for rowid, term in conn.execute(f"SELECT doc, term FROM {table}_tokens"):
            found.setdefault(int(rowid), []).append(str(term))
    return [terms[0] if len(terms := found.get(i, [])) == 1 else None for i in range(len(words))]


def stem(words: list[str]) -> list[str | None]:
    """Each word as the index's tokenizer (porter included) stores it; None where it isn't one token."""
    return _tokens("stemmed", words)


def normalise(words: list[str]) -> list[str | None]:
    """Each word as the tokenizer reads it before stemming (case and diacritics folded)."""
    return _tokens("plain", words)


def query_spellings(terms: list[str]) -> list[str | None]:
    """For each stored term, a word that the query tokenizer turns into exactly that term (None if none found)."""
    spellings: list[str | None] = [None] * len(terms)
    candidates = [terms, [term + "e" for term in terms]]
    for words in candidates:
        missing = [i for i, found in enumerate(spellings) if found is None]
        if not missing:
            break
        stems = stem([words[i] for i in missing])
        for i, stemmed in zip(missing, stems, strict=True):
            if stemmed == terms[i]:
                spellings[i] = words[i]
    return spellings


def _next_string(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (for a range scan)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _quoted(spellings: list[str]) -> str:
    return "(" + " OR ".join('"' + s.replace('"', '""') + '"' for s in dict.fromkeys(spellings)) + ")"


def _any_term_starts_with(conn: sqlite3.Connection, instances: str, word: str) -> bool:
    # An 'instance' vocabulary streams, so LIMIT 1 stops at the first hit (a 'row' one counts every
    # document of the term first: milliseconds for a common word at 100,000 entries, against microseconds).
    row = conn.execute(
        f"SELECT 1 FROM {instances} WHERE term >= ? AND term < ? LIMIT 1", (word, _next_string(word))
    ).fetchone()
    return row is not None


def _stored_stem_of(conn: sqlite3.Connection, instances: str, word: str) -> str | None:
    """The longest stored term that `word` starts with (at least half of it, and 3 letters), or None."""
    for length in range(len(word) - 1, max(3, len(word) // 2) - 1, -1):
        if conn.execute(f"SELECT 1 FROM {instances} WHERE term = ? LIMIT 1", (word[:length],)).fetchone():
            return word[:length]
    return None


def spell_out_prefixes(
    match: str,
    conn: sqlite3.Connection,
    vocab_table: str,
    instance_table: str,
    read_as: list[tuple[str, str]] | None = None,
) -> str:
    """`match` (an FTS5 expression from the query parser) with prefixes FTS5 would get wrong spelled out.

    - A prefix the stemmer would change (`mis*`) becomes the stored terms that start with it, and itself as
      a word.
    - A prefix no stored term starts with, because it runs past a word's stem (`attentio*`, while
      "attention" is stored as "attent"), becomes the longest stored term it starts with, so results don't
      vanish halfway through typing a word.

    `vocab_table` and `instance_table` are `fts5vocab` tables of type 'row' and 'instance' over the FTS
    table that `match` is for. Each prefix read as a shorter word is added to `read_as` as (typed, word),
    so a search box can say what it searched.
    """
    found = list(_PREFIX_TERM_RE.finditer(match))
    if not found:
        return match
    values = [m.group(1).replace('""', '"') for m in found]
    plain = normalise(values)
    stemmed = stem(values)
    replaced: dict[int, str] = {}
    for i, (word, stemmed_word) in enumerate(zip(plain, stemmed, strict=True)):
        if word is None or stemmed_word is None or word[-1] == "\U0010ffff":
            continue  # several tokens (a phrase prefix): FTS5 reads it as written
        spellings: list[str] = []
        if word != stemmed_word:
            terms = [
                str(term)
                for (term,) in conn.execute(
                    f"SELECT term FROM {vocab_table} WHERE term >= ? AND term < ? LIMIT ?",
                    (word, _next_string(word), MAX_EXPANSION + 1),
                )
            ]
            if len(terms) > MAX_EXPANSION:
                continue  # FTS5's own, broader reading: cheaper than ranking an OR of that many terms
            spellings = [s for s in query_spellings(terms) if s is not None]
            # The prefix is also a word of its own: `day*` finds "day" and "days", both stored as "dai".
            # Written as typed, the query tokenizer stems it to that same term.
            spellings.append(values[i])
            starts = bool(terms)
        else:
            starts = _any_term_starts_with(conn, instance_table, word)
        if not starts:
            cut = _stored_stem_of(conn, instance_table, word)
            spelling = query_spellings([cut])[0] if cut is not None else None
            if spelling is not None:
                spellings.append(spelling)
                if read_as is not None and cut is not None:
                    # As typed (case, accents) when folding kept the length, else as stored.
                    shown = values[i][: len(cut)] if len(values[i]) == len(word) else cut
                    read_as.append((values[i], shown))
        if spellings:
            replaced[i] = _quoted(spellings)
    if not replaced:
        return match
    parts: list[str] = []
    last = 0
    for i, m in enumerate(found):
        if i in replaced:
            parts.append(match[last : m.start()])
            parts.append(replaced[i])
            last = m.end()
    parts.append(match[last:])
    return "".join(parts)
