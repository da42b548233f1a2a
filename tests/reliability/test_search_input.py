"""Whatever is typed into search reaches SQLite only as bound parameters, and always gets an answer.

This SQLite build's trace callback shows statements with their parameters expanded (checked below), so the
proof has two halves: the SQL text the index passes to `execute` never holds the user's token, and in the
traced statements the token appears only inside quoted string literals (where bound values land).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_helpers import many_entries, write_files

from mljournal.core.index import Index, SearchResult

TOKEN = "Zq7uniquetok"

QUERY_PIECES = st.sampled_from(
    [
        '"', "'", "*", "(", ")", ":", "-", "^", "+", "OR", "AND", "NOT", "NEAR", "NEAR(", "tag:", "#", "topic:",
        "title:", "after:", "before:", "on:", "7d", "2024-02-30", ";", "--", "/*", "\\", "\x00", "\x1b[2J",
        "\u202e", "gradient", "tensor", "bayes", " ", "  ", "ﬁ", "İ", "ß", "日本", "🙂",
    ]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(QUERY_PIECES, st.text(max_size=6)), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    journal = write_files(tmp_path_factory.mktemp("search") / "j", many_entries(60))
    (journal.root / "roadmap.yaml").write_text(
        "topics:\n  - id: basics\n    title: Basics\n    children:\n      - id: sub\n        title: Sub\n",
        encoding="utf-8",
    )
    with Index(journal) as opened:
        opened.sync()
        yield opened


@settings(max_examples=300, deadline=None)
@given(query=QUERIES)
def test_any_query_returns_results_or_a_hint_and_never_raises(index: Index, query: str) -> None:
    result = index.search(query, limit=10)
    assert isinstance(result, SearchResult)
    assert result.total >= len(result.hits)
    assert result.hint is None or (isinstance(result.hint, str) and "\n" not in result.hint)
    for hit in result.hits:
        assert hit.row.path.startswith("entries/")
    # Later pages never raise either (offsets reach the windowed ranking code).
    index.search(query, limit=5, offset=7)


def test_plain_words_and_filters_still_find_entries(index: Index) -> None:
    assert index.search("marker12x").hits[0].row.title == "Note 12 about softmax"
    assert index.search("tag:bayes").total == len([i for i in range(60) if i % 7 == 2])
    assert index.search("'); DROP TABLE entries; --").hits == []
    assert index.total() == 60


class RecordingConnection:
    """Stands in for `Index.conn`: records the SQL text of every statement, then runs it on the real one."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real
        self.sql: list[str] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self.sql.append(sql)
        return self.real.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self.sql.append(sql)
        return self.real.executemany(sql, *args)

    def cursor(self) -> Any:
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def outside_literals(sql: str) -> str:
    """`sql` with every single-quoted string literal (with '' escapes) removed."""
    out: list[str] = []
    inside = False
    i = 0
    while i < len(sql):
        char = sql[i]
        if char == "'":
            if inside and sql[i + 1 : i + 2] == "'":
                i += 2
                continue
            inside = not inside
        elif not inside:
            out.append(char)
        i += 1
    return "".join(out)


def test_the_trace_shows_expanded_parameters_in_this_build() -> None:
    # The premise of the check below: bound values do show in traces, as quoted literals.
    conn = sqlite3.connect(":memory:")
    traced: list[str] = []
    conn.set_trace_callback(traced.append)
    conn.execute("SELECT ?", (TOKEN,))
    assert traced and TOKEN in traced[-1] and TOKEN not in outside_literals(traced[-1])


INJECTIONS = [
    TOKEN,
    f"{TOKEN}*",
    f'"{TOKEN} phrase"',
    f"-{TOKEN} gradient",
    f"tag:{TOKEN}",
    f"-tag:{TOKEN}",
    f"#{TOKEN}",
    f"topic:{TOKEN}",
    f"topic:basics -topic:{TOKEN}",
    f"title:{TOKEN}",
    f"after:{TOKEN}",
    f"{TOKEN} OR gradient",
    f"'); DROP TABLE entries; --{TOKEN}",
    f"{TOKEN}') OR 1=1 --",
    f'{TOKEN}" OR "',
    f"NEAR({TOKEN} gradient)",
    f"{TOKEN}:*",
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_user_text_reaches_sqlite_only_as_parameters(index: Index, query: str) -> None:
    real = index.conn
    recorder = RecordingConnection(real)
    traced: list[str] = []
    real.set_trace_callback(traced.append)
    index.conn = recorder  # type: ignore[assignment]
    try:
        index.search(query, limit=10)
        index.search(query, limit=10, offset=10)
    finally:
        index.conn = real
        real.set_trace_callback(None)
    assert recorder.sql, "no SQL was run at all"
    for sql in recorder.sql:
        assert TOKEN.lower() not in sql.lower(), f"user text was built into SQL: {sql}"
    for statement in traced:
        assert TOKEN.lower() not in outside_literals(statement).lower(), (
            f"user text outside a literal: {statement}"
        )


def test_the_journal_is_untouched_by_hostile_queries(index: Index) -> None:
    for query in INJECTIONS:
        index.search(query)
    assert index.total() == 60
    assert index.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert Path(index.path).exists()
