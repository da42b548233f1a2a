"""Searching the index: a query prepared for SQL, its filters, count, ranked pages, positions and snippets."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mljournal.core.index.rows import EntryRow, IndexReads
from mljournal.core.text.cjk import only_single_characters, readable

# bm25 weights per FTS column, in FTS_COLUMNS order: a hit in the title matters most, then tags and the
# description; the body is the baseline.
BM25_WEIGHTS = (10.0, 4.0, 5.0, 1.0, 2.0, 2.0)
RANK_WINDOW = 4000
"""Matches are ranked by bm25 in windows of this many (see `Index._ranked_ids`)."""
PREFIX_RANK_WINDOW = 1000
"""The window for queries with a prefix term (`lea*`), whose matches cost more each to score."""
DATE_LIST_LIMIT = 20_000
"""A date range with at most this many entries is listed once per query; a wider one is checked per match."""

TopicSubtrees = Callable[[str], tuple[str, ...]]
"""Given a topic id, the ids `topic:ID` matches: the topic and every topic below it (never empty)."""

_PREFIX_TERM = re.compile(r'"\s*\*')
"""A prefix term in an FTS5 expression from the query parser: a quoted string followed by `*`."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry's row and a snippet of the text around the match."""

    row: EntryRow
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[Hit]
    total: int
    hint: str | None


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A parsed query with topic ids expanded to their subtrees, ready to run against this index."""

    text: str
    match: str | None
    exclude_match: str | None
    tags_all: tuple[str, ...]
    tags_none: tuple[str, ...]
    topics_all: tuple[tuple[str, ...], ...]
    topics_none: tuple[str, ...]
    start_day: str | None
    end_day: str | None
    hint: str | None
    terms: tuple[str, ...]
    prefix: bool = False
    """Whether the text match has a prefix term (`lea*`), whose matches cost more each to rank."""
    read_as: tuple[tuple[str, str], ...] = ()
    """Prefixes no indexed word starts with, each with the shorter word searched instead (`gradeint`, `grade`)."""

    @property
    def ranked(self) -> bool:
        return self.match is not None


class IndexSearch(IndexReads):
    """The search language run against the index (see `mljournal.core.query`)."""

    _topic_subtrees: TopicSubtrees | None = None
    """Expands a topic id to the ids of its subtree (`Index(topic_subtrees=...)`); None: each id alone."""

    def _expand_topic(self, topic_id: str) -> tuple[str, ...]:
        return (topic_id,) if self._topic_subtrees is None else self._topic_subtrees(topic_id)

    def prepare(self, query: str, *, today: date | None = None) -> PreparedQuery:
        """Parse `query` in the search language and expand topic ids to their subtrees."""
        from mljournal.core.query.parse import parse_query

        parsed = parse_query(query, today=today)
        read_as: list[tuple[str, str]] = []
        return PreparedQuery(
            text=query,
            match=self._spell_out_prefixes(parsed.match, read_as),
            exclude_match=self._spell_out_prefixes(parsed.exclude_match),
            tags_all=tuple(tag.lower() for tag in parsed.tags_all),
            tags_none=tuple(tag.lower() for tag in parsed.tags_none),
            topics_all=tuple(self._expand_topic(topic) for topic in parsed.topics_all),
            topics_none=tuple(
                topic for topic_id in parsed.topics_none for topic in self._expand_topic(topic_id)
            ),
            start_day=parsed.dates.start,
            end_day=parsed.dates.end,
            hint=parsed.hint,
            terms=parsed.terms,
            prefix=bool(_PREFIX_TERM.search(parsed.match or "")),
            read_as=tuple(read_as),
        )

    def _spell_out_prefixes(
        self, match: str | None, read_as: list[tuple[str, str]] | None = None
    ) -> str | None:
        """`match` with the prefixes FTS5 would get wrong (`mis*` read as `mi*`, `attentio*` past the stored
        stem "attent") replaced by the indexed words they stand for; see `mljournal.core.index.prefixes`."""
        if match is None or not _PREFIX_TERM.search(match):
            return match
        from mljournal.core.index.prefixes import spell_out_prefixes

        try:
            # A per-connection table, not part of the schema: an index of any version can have it.
            self.conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.entries_instances"
                " USING fts5vocab(main, entries_fts, instance)"
            )
            return spell_out_prefixes(match, self.conn, "entries_vocab", "temp.entries_instances", read_as)
        except sqlite3.Error:
            return match  # FTS5's own reading of the prefix: not always right, but still an answer

    def _few_days_match(self, conditions: list[str], values: list[Any]) -> bool:
        """Whether a date range holds few enough entries to list them (counting stops early)."""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM entries WHERE {' AND '.join(conditions)} LIMIT ?)"
        limit = DATE_LIST_LIMIT + 1
        return int(self.conn.execute(sql, [*values, limit]).fetchone()[0]) <= DATE_LIST_LIMIT

    def _filters(self, q: PreparedQuery, id_column: str = "e.id") -> tuple[list[str], list[Any]]:
        """SQL conditions on `id_column` for everything but the ranked text match; parameters only.

        With `id_column="e.id"` the query has the entries table as `e`; with `"f.rowid"` it reads the FTS
        table alone, and the date filter becomes a lookup in the `day` index.
        """
        where: list[str] = []
        params: list[Any] = []
        # A unary plus keeps SQLite from handing `rowid IN (...)` to FTS5 as an index constraint: FTS5
        # would then re-run the whole MATCH once per listed id (seconds at 100,000 entries). As a plain
        # filter, the list is built once and each match is checked against it.
        guard = "+" if id_column == "f.rowid" else ""
        for tag in q.tags_all:
            where.append(f"{guard}{id_column} IN (SELECT entry_id FROM entry_tags WHERE tag = ?)")
            params.append(tag)
        if q.tags_none:
            marks = ",".join("?" * len(q.tags_none))
            where.append(
                f"{guard}{id_column} NOT IN (SELECT entry_id FROM entry_tags WHERE tag IN ({marks}))"
            )
            params.extend(q.tags_none)
        for subtree in q.topics_all:
            marks = ",".join("?" * len(subtree))
            where.append(
                f"{guard}{id_column} IN (SELECT entry_id FROM entry_topics WHERE topic IN ({marks}))"
            )
            params.extend(subtree)
        if q.topics_none:
            marks = ",".join("?" * len(q.topics_none))
            where.append(
                f"{guard}{id_column} NOT IN (SELECT entry_id FROM entry_topics WHERE topic IN ({marks}))"
            )
            params.extend(q.topics_none)
        day_conditions: list[str] = []
        if q.start_day is not None:
            day_conditions.append("day >= ?")
            params.append(q.start_day)
        if q.end_day is not None:
            day_conditions.append("day < ?")
            params.append(q.end_day)
        if day_conditions:
            if id_column == "e.id":
                where.extend(f"e.{condition}" for condition in day_conditions)
            elif self._few_days_match(day_conditions, params[-len(day_conditions) :]):
                conditions = " AND ".join(day_conditions)
                where.append(f"{guard}{id_column} IN (SELECT id FROM entries WHERE {conditions})")
            else:
                # Looked up per match, not listed: a wide range can hold most of the journal, and listing
                # 60,000 ids costs more than checking the matches a search has.
                conditions = " AND ".join(f"d.{condition}" for condition in day_conditions)
                where.append(f"EXISTS (SELECT 1 FROM entries d WHERE d.id = {id_column} AND {conditions})")
        if q.exclude_match is not None:
            where.append(
                f"{guard}{id_column} NOT IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)"
            )
            params.append(q.exclude_match)
        return where, params

    def count(self, q: PreparedQuery) -> int:
        """How many entries match (all of them, not just a page)."""
        try:
            if q.match is not None:
                where, params = self._filters(q, "f.rowid")
                sql = "SELECT count(*) FROM entries_fts f WHERE entries_fts MATCH ?"
                params = [q.match, *params]
            else:
                where, params = self._filters(q)
                sql = "SELECT count(*) FROM entries e WHERE 1"
            if where:
                sql += " AND " + " AND ".join(where)
            return int(self.conn.execute(sql, params).fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def page(self, q: PreparedQuery, offset: int, limit: int) -> list[EntryRow]:
        """One page of results in order: best match first when there are words, else newest first."""
        offset, limit = max(0, offset), max(0, limit)
        try:
            if q.match is not None:
                return self.rows(self._ranked_ids(q, offset, limit))
            where, params = self._filters(q)
            sql = f"SELECT {self._ROW_COLUMNS} FROM entries e"
            if where:
                sql += " WHERE " + " AND ".join(where)
            sql += " ORDER BY e.day DESC, e.date_sort DESC, e.id DESC LIMIT ? OFFSET ?"
            return [self._row(values) for values in self.conn.execute(sql, [*params, limit, offset])]
        except sqlite3.OperationalError:
            # The parser quotes every term, so this is not expected; a search must still never crash.
            return []

    def position(self, q: PreparedQuery, relpath: str) -> int | None:
        """Where the entry at `relpath` stands (0-based) in the results of `q`, or None if it isn't there.

        Known cheaply only for newest-first listings: it is the number of matching entries that sort before
        it, one count over the `(day, date_sort, id)` index. A ranked search returns None (its order is
        known only by ranking).
        """
        if q.ranked:
            return None
        target = self.conn.execute(
            "SELECT id, day, date_sort FROM entries WHERE path = ?", (relpath,)
        ).fetchone()
        if target is None or target[1] is None or target[2] is None:
            return None
        entry_id, day, date_sort = target
        where, params = self._filters(q)
        condition = " AND ".join(where) if where else "1"
        try:
            if not self.conn.execute(
                f"SELECT count(*) FROM entries e WHERE e.id = ? AND {condition}", [entry_id, *params]
            ).fetchone()[0]:
                return None
            before = "(e.day > ? OR (e.day = ? AND (e.date_sort > ? OR (e.date_sort = ? AND e.id > ?))))"
            return int(
                self.conn.execute(
                    f"SELECT count(*) FROM entries e WHERE {condition} AND {before}",
                    [*params, day, day, date_sort, date_sort, entry_id],
                ).fetchone()[0]
            )
        except sqlite3.OperationalError:
            return None

    def _ranked_ids(self, q: PreparedQuery, offset: int, limit: int) -> list[int]:
        """Ids of matching entries in relevance order, ranked window by window.

        bm25 has to score every match before it can sort, which for a very common word or a short prefix at
        100,000 entries costs over 100 ms. So matches are taken in windows of `RANK_WINDOW`, newest-indexed
        first (ids grow as entries are added, and `YYYY-MM-DD-` file names make a cold index chronological),
        and ranked by bm25 within each window. A query with fewer matches than that, which is most of them,
        is ranked exactly; a huge result set shows the best of the recent matches first.
        """
        where, params = self._filters(q, "f.rowid")
        base = "FROM entries_fts f WHERE entries_fts MATCH ?" + "".join(f" AND {w}" for w in where)
        base_params: list[Any] = [q.match, *params]
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)

        def rowid_at(position: int) -> int | None:
            row = self.conn.execute(
                f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?", [*base_params, position]
            ).fetchone()
            return None if row is None else int(row[0])

        ids: list[int] = []
        # A prefix (the word still being typed) scores every term it expands to, so it gets a smaller window.
        size = PREFIX_RANK_WINDOW if q.prefix else RANK_WINDOW
        window, skip = divmod(offset, size)
        while len(ids) < limit:
            high = None if window == 0 else rowid_at(window * size)
            if window > 0 and high is None:
                break
            low = rowid_at((window + 1) * size)
            bounds, bound_params = "", []
            if high is not None:
                bounds += " AND f.rowid <= ?"
                bound_params.append(high)
            if low is not None:
                bounds += " AND f.rowid > ?"
                bound_params.append(low)
            sql = (
                f"SELECT f.rowid {base}{bounds} ORDER BY bm25(entries_fts, {weights}), f.rowid DESC"
                " LIMIT ? OFFSET ?"
            )
            rows = self.conn.execute(sql, [*base_params, *bound_params, limit - len(ids), skip]).fetchall()
            ids.extend(int(row[0]) for row in rows)
            if low is None:
                break
            window, skip = window + 1, 0
        return ids

    def snippets(self, q: PreparedQuery, ids: Sequence[int]) -> dict[int, str]:
        """A snippet around the match for each of these entries (for a page of results, not all of them)."""
        if q.match is None or not ids:
            return {}
        marks = ",".join("?" * len(ids))
        # A rowid range plus a plain filter, not `rowid IN (...)`: FTS5 would run the MATCH once per id,
        # which for a prefix spelled out as an OR of a hundred words costs 0.2 s a page. A page of ranked
        # hits comes from one or two rank windows, so the range holds at most a few thousand matches.
        # The FTS columns hold CJK text as bigrams: a snippet is turned back into what was written.
        pairs = not only_single_characters(q.terms)
        try:
            return {
                int(rowid): readable(snippet, marks_cover_pairs=pairs)
                for rowid, snippet in self.conn.execute(
                    "SELECT rowid, snippet(entries_fts, -1, '[', ']', '…', 24) FROM entries_fts"
                    f" WHERE entries_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
                    [q.match, min(ids), max(ids), *ids],
                )
            }
        except sqlite3.OperationalError:
            return {}

    def search(
        self, query: str, *, limit: int = 50, offset: int = 0, today: date | None = None
    ) -> SearchResult:
        """Run `query` in the search language: a page of hits with snippets, the total, and any hint."""
        q = self.prepare(query, today=today)
        rows = self.page(q, offset, limit)
        snippets = self.snippets(q, [row.id for row in rows])
        hits = [Hit(row, snippets.get(row.id, "")) for row in rows]
        total = self.count(q) if (len(hits) == limit or offset) else len(hits)
        return SearchResult(hits=hits, total=total, hint=q.hint)
