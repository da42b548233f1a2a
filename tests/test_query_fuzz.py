"""Properties of the search parser for arbitrary input, checked against a real SQLite FTS5 table."""

from __future__ import annotations

import datetime
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mljournal.core.query import (
    FTS_TOKENIZE,
    MAX_CLAUSES,
    ParsedQuery,
    parse_query,
    quote_value,
)
from mljournal.core.text.cjk import index_form
from mljournal.core.text.tags import tag_key as normalize_tag

TODAY = datetime.date(2024, 3, 31)

# Derandomized so the suite gives the same verdict on every run and machine.
FUZZ = settings(
    max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text that hits the language's syntax far more often than uniform Unicode would.
SYNTAX_PIECES = [
    " ",
    " ",
    "\t",
    "\n",
    '"',
    '""',
    "*",
    "-",
    "#",
    ":",
    "(",
    ")",
    "OR",
    "NOT",
    "AND",
    "or",
    "NEAR",
    "^",
    "{",
    "}",
    "+",
    "tag:",
    "TAG:",
    "topic:",
    "title:",
    "on:",
    "date:",
    "after:",
    "before:",
    "today",
    "yesterday",
    "7d",
    "3m",
    "1y",
    "2024",
    "-01",
    "-13",
    "-29",
    "learning",
    "rate",
    "deep",
    "é",
    "😀",
    "🧠",
    "\x00",
    "\x1b",
    "'",
    ";",
    "\\",
]
query_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(SYNTAX_PIECES) | st.text(max_size=4), max_size=25).map("".join),
)

FTS_STRING = re.compile(r'"(?:[^"]|"")*"')
# What may remain of a MATCH expression once its quoted strings are taken out: only what the parser writes.
PARSER_SYNTAX = re.compile(r"(?:\s|AND|OR|NOT|\(|\)|\*|title :)*")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute(
        f"CREATE VIRTUAL TABLE fts USING fts5(title, description, tags, body, tokenize='{FTS_TOKENIZE}')"
    )
    db.execute("CREATE VIRTUAL TABLE fts_vocab USING fts5vocab(fts, 'instance')")
    db.execute(
        "INSERT INTO fts(rowid, title, description, tags, body) VALUES"
        " (1, 'Deep learning', 'notes', 'ml', 'learning rate today 2024 NEAR tag title')"
    )
    yield db
    db.close()


def run(db: sqlite3.Connection, expression: str) -> set[int]:
    return {rowid for (rowid,) in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,))}


@FUZZ
@given(text=query_text)
def test_any_text_parses_into_runnable_fts5(fts: sqlite3.Connection, text: str) -> None:
    query = parse_query(text, today=TODAY)
    assert isinstance(query, ParsedQuery)
    # The MATCH text is the parser's own syntax around quoted strings: nothing the user typed is interpreted.
    for expression in (query.match, query.exclude_match):
        if expression is not None:
            assert PARSER_SYNTAX.fullmatch(FTS_STRING.sub("", expression)), expression
            assert '""' not in FTS_STRING.findall(expression)
            run(fts, expression)  # raises sqlite3.Error on any FTS5 syntax problem
    assert query.match is None or query.exclude_match is None
    assert bool(query.terms) == query.has_text
    assert query.hint is None or (query.hint and "\n" not in query.hint and "\x1b" not in query.hint)
    for day in (query.dates.start, query.dates.end):
        assert day is None or ISO_DAY.fullmatch(day)
    assert all(tag == tag.lower() and tag for tag in query.tags_all + query.tags_none)
    assert all(topic for topic in query.topics_all + query.topics_none)
    assert query.is_empty == (
        not query.has_text
        and query.exclude_match is None
        and not (query.tags_all or query.tags_none or query.topics_all or query.topics_none)
        and query.dates.start is None
        and query.dates.end is None
    )


@FUZZ
@given(text=st.text(max_size=40))
def test_a_quoted_phrase_finds_the_text_it_was_copied_from(fts: sqlite3.Connection, text: str) -> None:
    """Whatever is pasted between quotes finds a document containing exactly that text, or is dropped only
    when FTS5 itself sees no word in it (the parser's idea of "no letters" agrees with the tokenizer's)."""
    query = parse_query(f'"{text.replace(chr(34), chr(34) * 2)}"', today=TODAY)
    clean = text.replace("\x00", "")
    clean = re.sub("[\ud800-\udfff]", "", clean)
    with fts:
        # Stored as the index stores text (CJK runs as bigrams).
        fts.execute("INSERT INTO fts(rowid, body) VALUES (2, ?)", (index_form(clean),))
        try:
            tokens = fts.execute("SELECT count(*) FROM fts_vocab WHERE doc = 2").fetchone()[0]
            if query.match is None:
                assert tokens == 0
            else:
                assert tokens > 0
                assert 2 in run(fts, query.match)
        finally:
            fts.execute("DELETE FROM fts WHERE rowid = 2")


@FUZZ
@given(value=st.text(max_size=30))
def test_any_value_round_trips_through_quote_value(value: str) -> None:
    # NUL and lone surrogates cannot reach SQLite and are always removed; everything else must survive.
    value = re.sub("[\x00\ud800-\udfff]", "", value)
    quoted = quote_value(value)
    for fragment, field, expected in (
        (f"tag:{quoted}", "tags_all", normalize_tag(value)),
        (f"#{quoted}", "tags_all", normalize_tag(value)),
        (f"-tag:{quoted}", "tags_none", normalize_tag(value)),
        (f"topic:{quoted}", "topics_all", value.strip()),
        (f"NOT topic:{quoted}", "topics_none", value.strip()),
    ):
        query = parse_query(f"learning {fragment} rate", today=TODAY)
        assert getattr(query, field) == ((expected,) if expected else ()), fragment
        # The fragment never leaks into the words around it.
        assert query.terms == ("learning", "rate")


@settings(FUZZ, max_examples=60)
@given(
    words=st.lists(
        st.sampled_from(["learning", "rate", "深度", "ca\u0301fe", "x1", "-old", "OR"]), max_size=300
    )
)
def test_long_input_is_capped(words: list[str]) -> None:
    query = parse_query(" ".join(words), today=TODAY)
    expressions = (query.match or "") + (query.exclude_match or "")
    assert len(FTS_STRING.findall(expressions)) <= MAX_CLAUSES
    if len([word for word in words if word != "OR"]) > MAX_CLAUSES:
        assert query.hint is not None and str(MAX_CLAUSES) in query.hint


@FUZZ
@given(
    day=st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
    amount=st.integers(min_value=0, max_value=999_999),
    unit=st.sampled_from("dwmyDWMY"),
)
def test_relative_dates_never_fail(day: datetime.date, amount: int, unit: str) -> None:
    query = parse_query(f"after:{amount}{unit} before:{amount}{unit}", today=day)
    if query.dates.start is not None:
        assert query.dates.start == query.dates.end
        assert query.dates.start <= day.isoformat()
    else:
        assert query.hint is not None and "not a date" in query.hint


@FUZZ
@given(day=st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)))
def test_absolute_dates_cover_their_whole_period(day: datetime.date) -> None:
    iso = day.isoformat()
    for text, start in ((iso, iso), (iso[:7], iso[:8] + "01"), (iso[:4], iso[:5] + "01-01")):
        dates = parse_query(f"on:{text}").dates
        assert dates.start == start
        assert dates.start <= iso
        assert dates.end is None or iso < dates.end


@pytest.mark.corpus
def test_real_lines_quoted_as_phrases_find_themselves(corpus_dir: Path) -> None:
    """Real Markdown lines (code, emoji, CJK, URLs, front-matter), pasted between quotes, find the text they came
    from: the quoting survives real text and the parser drops only what FTS5 itself cannot see."""
    lines: list[str] = []
    for path in sorted(corpus_dir.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", "replace")
        found = [line for line in text.splitlines() if line.strip()]
        if found:
            # The first line and one from the middle: front-matter fences, titles and body text.
            lines.extend(dict.fromkeys((found[0], found[len(found) // 2])))
    assert len(lines) > 3000
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='{FTS_TOKENIZE}')")
    stored = (index_form(line) for line in lines)  # as the index stores text (CJK runs as bigrams)
    db.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", enumerate(stored, start=1))
    searched = 0
    for rowid, line in enumerate(lines, start=1):
        # Long lines are cut at a space: a cut word would not match (and as a prefix it can miss too, because
        # FTS5 compares prefixes with porter stems: "somethin*" does not find "something", stored as "someth").
        cut = line if len(line) <= 200 else line[:200].rsplit(None, 1)[0]
        query = parse_query('"' + cut.replace('"', '""') + '"', today=TODAY)
        if query.match is None:
            continue
        searched += 1
        matched = {r for (r,) in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (query.match,))}
        assert rowid in matched, line
    assert searched > len(lines) // 2
    db.close()
