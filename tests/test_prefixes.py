"""Prefix search against porter stems: `mis*` means words starting with "mis", not FTS5's stemmed `mi*`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.prefixes import expand_stemmed_prefixes, normalise, query_spellings, stem


def make_journal(root: Path, bodies: dict[str, str]) -> Journal:
    journal = Journal(root)
    journal.entries_dir.mkdir(parents=True, exist_ok=True)
    for name, body in bodies.items():
        (journal.entries_dir / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\n{body}\n", "utf-8")
    return journal


def found(index: Index, query: str) -> set[str]:
    result = index.search(query, limit=1000)
    return {Path(hit.row.path).stem for hit in result.hits}


def test_stem_and_spellings_agree_with_sqlite() -> None:
    assert stem(["database", "mis", "day", "learning", "two words"]) == [
        "databas",
        "mi",
        "dai",
        "learn",
        None,
    ]
    assert normalise(["Mís", "DAY"]) == ["mis", "day"]
    # "databas" would itself be stemmed to "databa"; "database" is a spelling that stems back to it.
    assert query_spellings(["databas", "learn", "mistak"]) == ["database", "learn", "mistak"]


@pytest.fixture
def index(tmp_path: Path) -> Index:
    journal = make_journal(
        tmp_path / "j",
        {
            "a": "A small mistake in the loss.",
            "b": "The microscope was new.",
            "c": "Daylight saving broke the dates.",
            "d": "Three days of gradient descent.",
            "e": "The database migration ran.",
            "f": "Missing values everywhere.",
        },
    )
    index = Index(journal)
    index.sync()
    return index


def test_a_prefix_the_stemmer_would_cut_finds_exactly_its_words(index: Index) -> None:
    # FTS5 alone searches `mi*` here, which also finds "microscope".
    assert found(index, "mis*") == {"a", "f"}
    assert found(index, "MIS*") == {"a", "f"}
    # FTS5 alone searches `dai*`, which misses "daylight" (stored as "daylight").
    assert found(index, "day*") == {"c", "d"}
    assert found(index, "databas*") == {"e"}


def test_spelled_out_prefixes_work_with_columns_exclusions_and_or(index: Index) -> None:
    assert found(index, "title:mis*") == set()
    assert found(index, "the -mis*") == {"b", "c", "e"}
    assert found(index, "mis* OR microscope") == {"a", "b", "f"}
    snippet = index.search("mis*").hits[0].snippet
    assert "[" in snippet and "]" in snippet


def test_a_prefix_no_stored_word_starts_with_finds_nothing(index: Index) -> None:
    assert expand_stemmed_prefixes('"zus" *', index.conn, "entries_vocab") == '("zus")'
    assert found(index, "zus*") == set()
    assert found(index, "zus* OR microscope") == {"b"}


def test_prefixes_the_stemmer_leaves_alone_go_to_fts5_unchanged(index: Index) -> None:
    assert expand_stemmed_prefixes('"lea" *', index.conn, "entries_vocab") == '"lea" *'
    assert expand_stemmed_prefixes('"machine learn" *', index.conn, "entries_vocab") == '"machine learn" *'
    assert found(index, "gra*") == {"d"}


# Words over a small alphabet, so that random prefixes often hit, and often end in "s", "e" or "y".
WORDS = st.text(alphabet="adeimnsy", min_size=2, max_size=7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    docs=st.lists(st.lists(WORDS, min_size=1, max_size=6), min_size=1, max_size=6),
    prefix=st.text(alphabet="adeimnsy", min_size=3, max_size=4),
)
def test_a_prefix_finds_the_entries_with_a_stored_word_starting_with_it(
    tmp_path_factory: pytest.TempPathFactory, docs: list[list[str]], prefix: str
) -> None:
    bodies = {f"n{i}": " ".join(words) for i, words in enumerate(docs)}
    journal = make_journal(tmp_path_factory.mktemp("j"), bodies)
    with Index(journal) as index:
        index.sync()
        # Stored words starting with the prefix, or the prefix itself as a word (`day*` finds "days").
        as_word = stem([prefix])[0]
        expected = {
            name
            for name, words in zip(bodies, docs, strict=True)
            if any(
                stored is not None and (stored.startswith(prefix) or stored == as_word)
                for stored in stem(words)
            )
        }
        assert found(index, f"{prefix}*") == expected


PIECES = st.sampled_from(
    ["mis*", "day*", "DAY*", "Mís*", "use*", "zus*", "title:", "-", "OR", '"', "*", " ", "ǅs*", "😀*", 'a"s*']
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=8))
def test_any_query_with_prefixes_gives_valid_fts5_and_an_answer(index: Index, pieces: list[str]) -> None:
    query = "".join(pieces)
    prepared = index.prepare(query)
    for match in (prepared.match, prepared.exclude_match):
        if match is not None:  # the spelled-out expression must still be valid FTS5 (this raises if not)
            index.conn.execute("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (match,))
    result = index.search(query, limit=10)
    assert result.total >= len(result.hits)
