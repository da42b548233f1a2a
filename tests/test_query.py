"""The search language: each construct, the FTS5 text it produces, and that text run against a real FTS5 table."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator

import pytest

from mljournal.core.query import (
    FTS_TOKENIZE,
    MAX_CLAUSES,
    TAG_PREFIXES,
    DateRange,
    ParsedQuery,
    parse_query,
    quote_value,
)
from mljournal.core.text.tags import tag_key as normalize_tag

TODAY = datetime.date(2024, 3, 31)

DOCS = {
    1: ("Gradient descent", "first steps", "ml optimisation", "Learning rate and momentum. 🧠 notes."),
    2: ("Deep learning notes", "", "dl", "Backpropagation through a small network; learning rate again."),
    3: (
        "Linear regression",
        "least squares",
        "ml",
        "Closed form versus gradient descent. See http://example.com",
    ),
    4: ("Café au lait", "", "", "Diacritics: naïve résumé. C++ and f(x) appear here. 😀 smile."),
}


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute(
        f"CREATE VIRTUAL TABLE fts USING fts5(title, description, tags, body, tokenize='{FTS_TOKENIZE}')"
    )
    db.executemany(
        "INSERT INTO fts(rowid, title, description, tags, body) VALUES (?, ?, ?, ?, ?)",
        [(rowid, *doc) for rowid, doc in DOCS.items()],
    )
    yield db
    db.close()


def search(db: sqlite3.Connection, query: ParsedQuery) -> set[int]:
    """Rows the query's text part selects, the way the index is meant to compile it."""
    rows = {r for (r,) in db.execute("SELECT rowid FROM fts")}
    if query.match is not None:
        rows &= {r for (r,) in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (query.match,))}
    if query.exclude_match is not None:
        rows -= {r for (r,) in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (query.exclude_match,))}
    return rows


def parse(text: str) -> ParsedQuery:
    return parse_query(text, today=TODAY)


# --- text terms ---------------------------------------------------------------------------------------------


def test_empty_input_is_an_empty_query() -> None:
    for text in ("", "   ", "\n\t"):
        query = parse(text)
        assert query.is_empty
        assert not query.has_text
        assert query.hint is None


def test_free_words_must_all_match(fts: sqlite3.Connection) -> None:
    query = parse("learning rate")
    assert query.match == '"learning" AND "rate"'
    assert query.terms == ("learning", "rate")
    assert query.has_text and not query.is_empty
    assert search(fts, query) == {1, 2}
    assert search(fts, parse("learning momentum")) == {1}


def test_phrase_keeps_word_order(fts: sqlite3.Connection) -> None:
    query = parse('"gradient descent"')
    assert query.match == '"gradient descent"'
    assert query.terms == ("gradient descent",)
    assert search(fts, query) == {1, 3}
    assert search(fts, parse('"descent gradient"')) == set()


def test_unterminated_phrase_runs_to_the_end() -> None:
    assert parse('"deep learn').match == '"deep learn"'


def test_prefix_word_and_prefix_phrase(fts: sqlite3.Connection) -> None:
    assert parse("backprop*").match == '"backprop" *'
    assert search(fts, parse("backprop*")) == {2}
    assert parse('"deep lea"*').match == '"deep lea" *'
    assert search(fts, parse('"deep lea"*')) == {2}
    assert parse("backprop*").terms == ("backprop",)


def test_excluded_words_attach_to_positive_terms(fts: sqlite3.Connection) -> None:
    query = parse("learning -momentum")
    assert query.match == '("learning") NOT ("momentum")'
    assert query.exclude_match is None
    assert query.terms == ("learning",)
    assert search(fts, query) == {2}
    assert parse("learning NOT momentum") == query


def test_only_excluded_words_go_to_exclude_match(fts: sqlite3.Connection) -> None:
    query = parse('-learning -"least squares"')
    assert query.match is None
    assert query.exclude_match == '"learning" OR "least squares"'
    assert not query.has_text and not query.is_empty
    assert search(fts, query) == {4}


def test_or_binds_tighter_than_and(fts: sqlite3.Connection) -> None:
    query = parse("gradient momentum OR squares")
    assert query.match == '"gradient" AND ("momentum" OR "squares")'
    assert search(fts, query) == {1, 3}
    assert parse("a OR b OR c").match == '("a" OR "b" OR "c")'


def test_only_uppercase_operators() -> None:
    assert parse("a or b").match == '"a" AND "or" AND "b"'
    assert parse("a not b").match == '"a" AND "not" AND "b"'
    assert parse("a AND b").match == '"a" AND "b"'


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("OR a", '"a"'),
        ("a OR", '"a"'),
        ("a OR -b", '("a") NOT ("b")'),
        ("a OR tag:x", '"a"'),
    ],
)
def test_dangling_or_is_ignored_with_a_hint(text: str, match: str) -> None:
    query = parse(text)
    assert query.match == match
    assert query.hint is not None and "OR" in query.hint


def test_repeated_or_collapses() -> None:
    assert parse("a OR OR b").match == '("a" OR "b")'


def test_dangling_not_is_ignored_with_a_hint() -> None:
    query = parse("a NOT")
    assert query.match == '"a"'
    assert query.hint is not None and "NOT" in query.hint


def test_parentheses_do_not_group_but_words_survive(fts: sqlite3.Connection) -> None:
    query = parse("(gradient OR backpropagation) momentum")
    assert query.match == '("gradient" OR "backpropagation") AND "momentum"'
    assert query.hint is not None and "Parentheses" in query.hint
    assert search(fts, query) == {1}
    # Parentheses inside a word are part of it and need no hint.
    assert parse("f(x)").match == '"f(x)"'
    assert parse("f(x)").hint is None
    assert search(fts, parse("f(x)")) == {4}


def test_title_restricts_to_the_title_column(fts: sqlite3.Connection) -> None:
    assert parse("title:learning").match == 'title : "learning"'
    assert search(fts, parse("title:learning")) == {2}
    assert search(fts, parse('title:"linear regression"')) == {3}
    assert search(fts, parse("title:grad*")) == {1}
    assert search(fts, parse("learning -title:deep")) == {1}
    assert parse("Title:x").match == parse("TITLE:x").match == 'title : "x"'


def test_unknown_keys_are_plain_text(fts: sqlite3.Connection) -> None:
    query = parse("http://example.com foo:bar c++")
    assert query.match == '"http://example.com" AND "foo:bar" AND "c++"'
    assert query.hint is None
    assert search(fts, parse("http://example.com")) == {3}
    assert search(fts, parse("c++")) == {4}


def test_diacritics_are_folded(fts: sqlite3.Connection) -> None:
    assert search(fts, parse("cafe naive")) == {4}
    assert search(fts, parse("café")) == {4}


@pytest.mark.parametrize("text", ["*", "-", ":", "#", "--", "()", "'\"\"'", "...", "😀"])
def test_words_without_letters_are_dropped(text: str) -> None:
    query = parse(text)
    assert query.match is None and query.exclude_match is None
    assert query.is_empty


def test_emoji_follow_sqlite_not_python(fts: sqlite3.Connection) -> None:
    # SQLite's unicode61 tables predate some emoji: old ones separate words, newer ones are word characters.
    # Whatever this SQLite does, a kept emoji must find the entry that contains it.
    for emoji, rowid in (("🧠", 1), ("😀", 4)):
        query = parse(f"notes {emoji}" if rowid == 1 else f"smile {emoji}")
        assert rowid in search(fts, query)


def test_keyword_glued_to_parenthesis_is_a_word() -> None:
    assert parse("AND(").match == '"AND("'
    assert parse("AND(").hint is None


def test_sql_and_fts_syntax_stays_inside_strings(fts: sqlite3.Connection) -> None:
    query = parse("'); DROP TABLE fts; --")
    assert query.match == '"DROP" AND "TABLE" AND "fts;"'
    assert search(fts, query) == set()
    # FTS5 syntax typed by the user is quoted, never interpreted.
    hostile = parse('body:learning NEAR(a b) {title}:x ^start "a"" OR ""b" title*')
    assert hostile.match is not None
    for chunk in ('"body:learning"', '"NEAR(a"', '"{title}:x"', '"^start"', '"a"" OR ""b"'):
        assert chunk in hostile.match
    search(fts, hostile)
    assert fts.execute("SELECT count(*) FROM fts").fetchone() == (len(DOCS),)


def test_nul_and_lone_surrogates_are_removed(fts: sqlite3.Connection) -> None:
    query = parse("lear\x00ning \udcff")
    assert query.match == '"learning"'
    search(fts, query)


def test_many_terms_are_capped_with_a_hint(fts: sqlite3.Connection) -> None:
    text = " ".join(f"w{i}" for i in range(2000))
    query = parse(text)
    assert query.match is not None
    assert query.match.count(" AND ") == MAX_CLAUSES - 1
    assert query.hint is not None and str(MAX_CLAUSES) in query.hint
    search(fts, query)


# --- filters ------------------------------------------------------------------------------------------------


def test_tags_are_lower_cased_and_all_required() -> None:
    query = parse('tag:ML #DL tag:"Deep Learning" -tag:draft -#Old tag:ml')
    assert query.tags_all == ("ml", "dl", "deep learning")
    assert query.tags_none == ("draft", "old")
    assert query.match is None and not query.has_text
    assert not query.is_empty
    assert TAG_PREFIXES == ("tag:", "#")


def test_tags_match_how_entries_store_them() -> None:
    # Entry tags are stored without a leading "#" (front-matter often says `tags: "#ml #dl"`).
    assert parse('tag:#ML ##dl tag:" #deep learning "').tags_all == ("ml", "dl", "deep learning")
    assert normalize_tag("  #Deep Learning ") == "deep learning"
    query = parse('tag:# #"#" learning')
    assert query.tags_all == ()
    assert query.match == '"learning"'
    assert query.hint is not None and "tag name" in query.hint


def test_not_keyword_negates_a_filter() -> None:
    assert parse("NOT tag:x NOT topic:y").tags_none == ("x",)
    assert parse("NOT tag:x NOT topic:y").topics_none == ("y",)


def test_topics_keep_their_case() -> None:
    query = parse("topic:ML.basics topic:nn -topic:old")
    assert query.topics_all == ("ML.basics", "nn")
    assert query.topics_none == ("old",)


@pytest.mark.parametrize("text", ["tag:", "topic:", 'tag:""', "on:", "-tag:", "title:", 'after:""'])
def test_filter_without_value_is_ignored_with_a_hint(text: str) -> None:
    query = parse(text)
    assert query.is_empty
    assert query.hint is not None and "value" in query.hint


def test_filters_and_words_mix() -> None:
    query = parse("#ml gradient after:2024-01 -tag:old")
    assert query.match == '"gradient"'
    assert query.tags_all == ("ml",)
    assert query.tags_none == ("old",)
    assert query.dates == DateRange("2024-01-01", None)


# --- dates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("on:2024", "2024-01-01", "2025-01-01"),
        ("on:2024-02", "2024-02-01", "2024-03-01"),
        ("on:2023-12", "2023-12-01", "2024-01-01"),
        ("on:2024-02-29", "2024-02-29", "2024-03-01"),
        ("date:2024-1-5", "2024-01-05", "2024-01-06"),
        ("ON:today", "2024-03-31", "2024-04-01"),
        ("on:yesterday", "2024-03-30", "2024-03-31"),
        ("after:2024-01-15", "2024-01-15", None),
        ("after:2024-02", "2024-02-01", None),
        ("before:2024", None, "2024-01-01"),
        ("before:2024-01-15", None, "2024-01-15"),
        ("after:today", "2024-03-31", None),
        ("before:yesterday", None, "2024-03-30"),
        ("after:7d", "2024-03-24", None),
        ("after:4w", "2024-03-03", None),
        ("after:1m", "2024-02-29", None),  # 31 March minus a month clamps to the end of February
        ("after:3M", "2023-12-31", None),
        ("after:1y", "2023-03-31", None),
        ("before:0d", None, "2024-03-31"),
        ("on:9999-12", "9999-12-01", None),
        ("on:9999", "9999-01-01", None),
    ],
)
def test_date_filters(text: str, start: str | None, end: str | None) -> None:
    query = parse(text)
    assert query.dates == DateRange(start, end)
    assert query.hint is None
    assert not query.is_empty


def test_relative_years_from_a_leap_day() -> None:
    assert parse_query("after:1y", today=datetime.date(2024, 2, 29)).dates.start == "2023-02-28"


def test_date_filters_intersect() -> None:
    assert parse("on:2024 after:2024-06 before:2024-06-10").dates == DateRange("2024-06-01", "2024-06-10")
    assert parse("after:2023 after:2022").dates == DateRange("2023-01-01", None)


def test_disjoint_dates_say_nothing_can_match() -> None:
    query = parse("on:2024 before:2023")
    assert query.dates.start is not None and query.dates.end is not None
    assert query.dates.start >= query.dates.end
    assert query.hint is not None and "overlap" in query.hint


@pytest.mark.parametrize(
    "text",
    [
        "on:2024-13",
        "on:2023-02-29",
        "on:0000",
        "on:24",
        "on:7d",
        "after:soon",
        "before:2024-1-32",
        "after:999999y",
    ],
)
def test_invalid_dates_are_ignored_with_a_hint(text: str) -> None:
    query = parse(text)
    assert query.dates == DateRange()
    assert query.is_empty
    assert query.hint is not None
    assert query.hint.startswith(f'Ignored "{text}": not a date')


def test_exact_hint_for_a_bad_month() -> None:
    assert parse("on:2024-13").hint == 'Ignored "on:2024-13": not a date (use 2024, 2024-01 or 2024-01-15).'


def test_dates_cannot_be_excluded() -> None:
    query = parse("-on:2024")
    assert query.dates == DateRange()
    assert query.hint is not None and "excluded" in query.hint


def test_today_defaults_to_the_local_date() -> None:
    assert parse_query("on:today").dates.start == datetime.date.today().isoformat()


def test_several_hints_become_one_line() -> None:
    query = parse("on:2024-13 tag: *")
    assert query.hint is not None
    assert "\n" not in query.hint
    assert query.hint.endswith("(and 2 more)")
    # What changes the results comes first, however late it was typed.
    assert query.hint.startswith('Ignored "on:2024-13"')
    assert (parse("* on:2024-13").hint or "").startswith('Ignored "on:2024-13"')


# --- quote_value --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("ml", "ml"),
        ("2024-01", "2024-01"),
        ("ml.basics", "ml.basics"),
        ("c++", "c++"),
        ("deep learning", '"deep learning"'),
        ('say "hi"', '"say ""hi"""'),
        ("", '""'),
        ("a)", '"a)"'),
        ("x*", '"x*"'),
    ],
)
def test_quote_value(value: str, quoted: str) -> None:
    assert quote_value(value) == quoted


def test_quoted_values_round_trip_through_filters() -> None:
    for tag in ("deep learning", 'say "hi"', "a)", "(b", "x*", "OR", "-x", "#x", "tag:y"):
        assert parse(f"tag:{quote_value(tag)}").tags_all == (normalize_tag(tag),)
        assert parse(f"-#{quote_value(tag)}").tags_none == (normalize_tag(tag),)
        assert parse(f"topic:{quote_value(tag)}").topics_all == (tag,)
    assert parse(f"on:{quote_value('2024-01')}").dates == DateRange("2024-01-01", "2024-02-01")


def test_hostile_input_is_read_only_so_far() -> None:
    # Thousands of pieces that are all ignored must not each cost a tokenizer probe.
    query = parse("😀 - ( " * 2000 + "learning")
    assert query.match is None
    assert query.hint is not None and "Used the first" in query.hint


def test_without_fts5_the_parser_falls_back_to_unicode_categories(monkeypatch: pytest.MonkeyPatch) -> None:
    from mljournal.core.query import tokens as query_module

    monkeypatch.setattr(query_module, "_probe_connection", lambda: None)
    query_module._sqlite_has_tokens_cached.cache_clear()
    try:
        assert parse("深度学习 ✨").match == '"深度 度学 学习"'  # CJK as bigrams (core/cjk.py)
    finally:
        query_module._sqlite_has_tokens_cached.cache_clear()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("a" + ")" * 10_000, '"a"'),
        ("(" * 10_000 + "a", '"a"'),
        ('"' + "a" * 10_000, '"' + "a" * 10_000 + '"'),
        ("(f(x))", '"f(x)"'),
        ("g())", '"g()"'),
    ],
)
def test_runs_of_brackets_and_quotes(text: str, match: str) -> None:
    assert parse(text).match == match


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("broad", "broad*"),
        ("tag:numpy broad", "tag:numpy broad*"),
        ("broad ", "broad "),
        ("br", "br"),
        ("tag:num", "tag:num"),
        ("-broad", "-broad"),
        ("#numpy", "#numpy"),
        ('"broad', '"broad'),
        ('"a phrase"', '"a phrase"'),
        ("cnn OR", "cnn OR"),
        ("broad*", "broad*"),
        ("c++", "c++"),
        ("(broad", "(broad*"),
        ("mis", "mis*"),  # the index spells out prefixes the stemmer would cut (see core/prefixes.py)
        ("miss", "miss*"),
        ("misst", "misst*"),
        ("", ""),
    ],
)
def test_the_word_being_typed_becomes_a_prefix(typed: str, searched: str) -> None:
    from mljournal.core.query import complete_last_word

    assert complete_last_word(typed) == searched
