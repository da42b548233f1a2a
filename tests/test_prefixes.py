"""Prefix search against porter stems: `mis*` means words starting with "mis", not FTS5's stemmed `mi*`."""

from __future__ import annotations

from pathlib import Path

import journal_factory
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mljournal.core.index import Index
from mljournal.core.index.prefixes import normalise, query_spellings, spell_out_prefixes, stem
from mljournal.core.journal import Journal


def make_journal(root: Path, bodies: dict[str, str]) -> Journal:
    files = {f"entries/{name}.md": f"---\ntitle: {name}\n---\n\n{body}\n" for name, body in bodies.items()}
    return journal_factory.make_journal(root, files)


def spell(index: Index, match: str) -> str:
    index.prepare("warm*")  # creates the connection's instance vocabulary
    return spell_out_prefixes(match, index.conn, "entries_vocab", "temp.entries_instances")


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
    assert spell(index, '"zus" *') == '("zus")'
    assert found(index, "zus*") == set()
    assert found(index, "zus* OR microscope") == {"b"}


def test_prefixes_the_stemmer_leaves_alone_go_to_fts5_unchanged(index: Index) -> None:
    assert spell(index, '"lea" *') == '"lea" *'
    assert spell(index, '"machine learn" *') == '"machine learn" *'
    assert found(index, "gra*") == {"d"}


def test_a_prefix_typed_past_the_stored_stem_finds_the_word_being_typed(tmp_path: Path) -> None:
    journal = make_journal(
        tmp_path / "j",
        {
            "a": "Attention is all you need.",
            "b": "Something odd happened.",
            "c": "The gradient exploded.",
            "d": "Grades were posted.",
        },
    )
    with Index(journal) as index:
        index.sync()
        # "attention" is stored as "attent" and "something" as "someth": FTS5 alone finds nothing here.
        assert found(index, "attentio*") == {"a"}
        assert found(index, "somethin*") == {"b"}
        assert found(index, "something*") == {"b"}
        # A prefix that stored words do start with keeps its exact reading: no "grade" for `gradi*`.
        assert found(index, "gradi*") == {"c"}
        assert found(index, "qqqqqq*") == set()


def expected_matches(docs: dict[str, list[str]], prefix: str) -> set[str]:
    """What `prefix*` should find, from the stored (stemmed) words of each document."""
    stored = {name: [s for s in stem(words) if s is not None] for name, words in docs.items()}
    every = {s for stems in stored.values() for s in stems}
    as_word = stem([prefix])[0]
    wanted: set[str] = set()
    if as_word != prefix:
        wanted.add(as_word or "")  # the prefix read as a word (`day*` finds "days", stored "dai")
    starts = any(s.startswith(prefix) for s in every)
    if not starts:  # typed past a stem: the longest stored term the prefix starts with
        for length in range(len(prefix) - 1, max(3, len(prefix) // 2) - 1, -1):
            if prefix[:length] in every and query_spellings([prefix[:length]])[0] is not None:
                wanted.add(prefix[:length])
                break
    return {name for name, stems in stored.items() if any(s.startswith(prefix) or s in wanted for s in stems)}


# Words over a small alphabet, so that random prefixes often hit, and often end in "s", "e" or "y".
WORDS = st.text(alphabet="adeimnsy", min_size=2, max_size=7)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(st.lists(WORDS, min_size=1, max_size=6), min_size=1, max_size=6), data=st.data())
def test_a_prefix_finds_the_entries_with_a_stored_word_starting_with_it(
    tmp_path_factory: pytest.TempPathFactory, docs: list[list[str]], data: st.DataObject
) -> None:
    # A random prefix, the start of a word that is there, or such a word typed a little further.
    word = data.draw(st.sampled_from([w for words in docs for w in words]))
    prefix = data.draw(
        st.one_of(
            st.text(alphabet="adeimnsy", min_size=3, max_size=6),
            st.integers(3, 7).map(lambda n: word[:n]),
            st.text(alphabet="adeimnsy", min_size=1, max_size=2).map(lambda extra: word + extra),
        ).filter(lambda p: len(p) >= 3)
    )
    bodies = {f"n{i}": " ".join(words) for i, words in enumerate(docs)}
    journal = make_journal(tmp_path_factory.mktemp("j"), bodies)
    with Index(journal) as index:
        index.sync()
        expected = expected_matches(dict(zip(bodies, docs, strict=True)), prefix)
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
