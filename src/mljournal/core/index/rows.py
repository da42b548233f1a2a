"""Reading rows back from the index: one entry, a list of ids, counts of tags and months, problems."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mljournal.core.index.connection import IndexConnection
from mljournal.core.model import Problem


@dataclass(frozen=True, slots=True)
class EntryRow:
    """What the index knows about one entry: enough for a list row and a search result."""

    id: int
    path: str
    title: str
    date: str | None
    day: str | None
    tags: tuple[str, ...]
    topics: tuple[str, ...]
    description: str
    word_count: int
    draft: bool
    problem_count: int


class IndexReads(IndexConnection):
    """Plain reads of what the index holds, for lists, counts and `mljournal check`."""

    _ROW_COLUMNS = (
        "e.id, e.path, e.title, e.date, e.day, e.tags, e.topics, e.description, e.word_count, e.draft,"
        " e.problem_count"
    )

    @staticmethod
    def _row(values: Sequence[Any]) -> EntryRow:
        return EntryRow(
            id=values[0],
            path=values[1],
            title=values[2],
            date=values[3],
            day=values[4],
            tags=tuple(json.loads(values[5] or "[]")),
            topics=tuple(json.loads(values[6] or "[]")),
            description=values[7] or "",
            word_count=values[8] or 0,
            draft=bool(values[9]),
            problem_count=values[10] or 0,
        )

    def total(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def entry_row(self, relpath: str) -> EntryRow | None:
        values = self.conn.execute(
            f"SELECT {self._ROW_COLUMNS} FROM entries e WHERE e.path = ?", (relpath,)
        ).fetchone()
        return self._row(values) if values else None

    def rows(self, ids: Sequence[int]) -> list[EntryRow]:
        """The rows for these ids, in the given order (ids that no longer exist are left out)."""
        found: dict[int, EntryRow] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for values in self.conn.execute(
                f"SELECT {self._ROW_COLUMNS} FROM entries e WHERE e.id IN ({marks})", chunk
            ):
                row = self._row(values)
                found[row.id] = row
        return [found[i] for i in ids if i in found]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of entries carrying it, most used first (case-insensitive)."""
        # Tags compare case-insensitively; show each under the spelling most entries use.
        totals: dict[str, int] = {}
        spelling: dict[str, tuple[int, str]] = {}
        for tag, name, count in self.conn.execute(
            "SELECT tag, name, count(*) FROM entry_tags GROUP BY tag, name ORDER BY tag, name"
        ):
            totals[tag] = totals.get(tag, 0) + count
            if count > spelling.get(tag, (0, ""))[0]:
                spelling[tag] = (count, name)
        return sorted(
            ((spelling[tag][1], n) for tag, n in totals.items()), key=lambda item: (-item[1], item[0])
        )

    def month_counts(self) -> list[tuple[str, int]]:
        """("2024-03", 4) per month that has entries, newest first."""
        return [
            (month, count)
            for month, count in self.conn.execute(
                "SELECT substr(day, 1, 7) AS month, count(*) FROM entries WHERE day IS NOT NULL"
                " GROUP BY month ORDER BY month DESC"
            )
        ]

    def topic_links(self) -> dict[str, set[str]]:
        """Topic id -> paths of the entries that link it directly."""
        links: dict[str, set[str]] = {}
        for topic, path in self.conn.execute(
            "SELECT t.topic, e.path FROM entry_topics t JOIN entries e ON e.id = t.entry_id"
        ):
            links.setdefault(topic, set()).add(path)
        return links

    def problems(self) -> list[tuple[str, Problem]]:
        """Every problem recorded while reading the files, by path."""
        found: list[tuple[str, Problem]] = []
        for path, problems in self.conn.execute(
            "SELECT path, problems FROM entries WHERE problem_count > 0 ORDER BY path"
        ):
            for code, message, line in json.loads(problems):
                found.append((path, Problem(code, message, line)))
        # Files the walk could not index at all (see `walk_entry_files`).
        for path, code, message in json.loads(self._get_meta("skipped") or "[]"):
            found.append((path, Problem(code, message)))
        found.sort(key=lambda item: item[0])
        return found
