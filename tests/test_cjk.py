"""Chinese, Japanese and Korean words are found inside runs of such characters, and snippets stay readable."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.query import FTS_TOKENIZE, parse_query
from mljournal.core.text.cjk import (
    SEPARATOR,
    has_cjk,
    index_form,
    only_single_characters,
    query_form,
    readable,
)

FUZZ = settings(
    max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

ENTRIES = {
    "entries/2024-01-01-threads.md": (
        "---\ntitle: 并发编程笔记\ntags: [java]\n---\n\n在Java中，线程池有着比较方便的实现类。我们用多线程处理请求。\n"
    ),
    "entries/2024-01-02-japanese.md": (
        "---\ntitle: 機械学習の勉強\n---\n\n今日はニューラルネットワークの勾配降下法を勉強しました。\n"
    ),
    "entries/2024-01-03-korean.md": "---\ntitle: 한국어 노트\n---\n\n오늘은 머신러닝을 공부했습니다.\n",
    "entries/2024-01-04-mixed.md": "---\ntitle: Mixed\n---\n\n用Python写代码，比如numpy很好用。\n",
    "entries/2024-01-05-english.md": "---\ntitle: Gradient descent\n---\n\nThe learning rate matters.\n",
}


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    for relpath, text in ENTRIES.items():
        (journal.root / relpath).write_text(text, encoding="utf-8")
    with Index(journal) as idx:
        idx.sync()
        yield idx


def found(index: Index, query: str) -> list[str]:
    return sorted(hit.row.path.split("-", 3)[-1] for hit in index.search(query).hits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("线程", ["threads.md"]),  # inside the run "在Java中，线程池有着..." and "我们用多线程处理请求"
        ("线程池", ["threads.md"]),
        ("多线程", ["threads.md"]),
        ("编程", ["threads.md"]),  # in the title's run
        ("title:编程", ["threads.md"]),
        ('"Java中"', ["threads.md"]),  # Latin then CJK in one phrase
        ("勾配降下法", ["japanese.md"]),
        ("ニューラル", ["japanese.md"]),  # Katakana
        ("勉強", ["japanese.md"]),
        ("学習", ["japanese.md"]),
        ("머신러닝", ["korean.md"]),
        ("공부", ["korean.md"]),
        ("Python", ["mixed.md"]),  # a Latin word between CJK runs is its own word now
        ("numpy", ["mixed.md"]),
        ("写代码", ["mixed.md"]),
        ("用", ["mixed.md", "threads.md"]),  # a single character: in 用Python, 好用 and 我们用多线程
        ("池", ["threads.md"]),
        ("learning", ["english.md"]),
        ("线程 -java", []),
        ("线程 OR 勉強", ["japanese.md", "threads.md"]),
        ("线程程序", []),  # a longer word that isn't in the text
        ("程线", []),
    ],
)
def test_a_word_inside_a_cjk_run_is_found(index: Index, query: str, expected: list[str]) -> None:
    assert found(index, query) == expected


def test_snippets_show_the_text_as_written(index: Index) -> None:
    [hit] = index.search("线程池").hits
    # 24 tokens: one per CJK character.
    assert hit.snippet.strip() == "在Java中，[线程池]有着比较方便的实现类。我们用多线程处理…"
    [hit] = index.search("勾配").hits
    assert "[勾配]降下法" in hit.snippet and SEPARATOR not in hit.snippet
    [hit] = index.search("Python").hits
    assert hit.snippet.strip() == "用[Python]写代码，比如numpy很好用。"


def test_latin_text_is_stored_and_queried_unchanged() -> None:
    text = "Café naïve — learning rate “quoted” 2024\x1f"
    assert index_form(text) is text
    assert query_form("learning") == ("learning", False)
    assert parse_query('learn* "a phrase" -x').match == '("learn" * AND "a phrase") NOT ("x")'


def test_runs_become_bigrams_and_their_last_character() -> None:
    assert index_form("我们用线程") == "\x1f我们\x1f们用\x1f用线\x1f线程\x1f程\x1f"
    assert index_form("a线b") == "a\x1f线\x1fb"
    # A separator in the text itself is made a space, so the rewrite can be undone exactly.
    assert index_form("线程\x1f池") == "\x1f线程\x1f程\x1f \x1f池\x1f"


@pytest.mark.parametrize(
    ("term", "form"),
    [
        ("线程", ("线程", False)),
        ("线程池", ("线程 程池", False)),
        ("线", ("线", True)),
        ("Python用", ("Python 用", True)),  # the run may go on in the text: its character is a prefix there
        ("使用Python", ("使用 用 Python", False)),  # the run ends before "Python" in the text too
        ("日本語のテキスト", ("日本 本語 語の のテ テキ キス スト", False)),
    ],
)
def test_query_terms_use_the_index_tokens(term: str, form: tuple[str, bool]) -> None:
    assert query_form(term) == form


def test_readable_undoes_the_rewrite_in_snippets() -> None:
    stored = index_form("我们用线程池")
    assert readable(stored) == "我们用线程池"
    # FTS5 marks whole tokens; a marked bigram covers its second character too.
    assert readable("\x1f我们\x1f们用\x1f用线\x1f[线程\x1f程池]\x1f池\x1f") == "我们用[线程池]"
    assert readable("…\x1f[线程]\x1f程池\x1f池\x1f") == "…[线程]池"
    assert readable("\x1f[线程]\x1f[程池]\x1f池\x1f") == "[线程][池]"
    assert readable("[link](x) \x1f用\x1f[Python]\x1f写\x1f") == "[link](x) 用[Python]写"


def test_has_cjk() -> None:
    assert has_cjk("我") and has_cjk("ひらがな") and has_cjk("カタカナ") and has_cjk("한글")
    assert not has_cjk("plain ascii") and not has_cjk("Ünïcödé — “quotes”")


CJK_ALPHABET = "线程池我们用多的了学習勉強ひらがなカタカナー한국어노트々"
cjk_or_latin = st.text(alphabet=CJK_ALPHABET + "ab c,。\n", min_size=2, max_size=60)


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE fts USING fts5(body, tokenize='{FTS_TOKENIZE}', prefix='3')")
    yield db
    db.close()


@FUZZ
@given(body=cjk_or_latin, data=st.data())
def test_any_cjk_substring_finds_its_entry(fts: sqlite3.Connection, body: str, data: st.DataObject) -> None:
    runs = [(i, j) for i in range(len(body)) for j in range(i + 1, len(body) + 1) if has_cjk(body[i:j])]
    runs = [(i, j) for i, j in runs if all(has_cjk(c) for c in body[i:j])]
    if not runs:
        return
    start, end = data.draw(st.sampled_from(runs))
    word = body[start:end]
    with fts:
        fts.execute("INSERT INTO fts(rowid, body) VALUES (1, ?)", (index_form(body),))
        try:
            match = parse_query(word).match
            assert match is not None
            assert [r for (r,) in fts.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (match,))] == [1]
            # ... and so does a phrase from there to the end of the text, whatever follows the CJK run.
            match = parse_query(f'"{body[start:]}"').match
            assert match is not None
            assert [r for (r,) in fts.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (match,))] == [1]
        finally:
            fts.execute("DELETE FROM fts WHERE rowid = 1")


@FUZZ
@given(text=st.text(max_size=80).map(lambda t: t.replace(SEPARATOR, "")))
def test_readable_undoes_index_form(text: str) -> None:
    assert readable(index_form(text)) == text


def test_an_index_from_before_the_bigrams_is_rebuilt(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    relpath = "entries/2024-01-01-threads.md"
    (journal.root / relpath).write_text(ENTRIES[relpath], encoding="utf-8")
    with Index(journal) as index:
        index.sync()
    # What a schema-5 index held: the CJK text as written, one token per run.
    conn = sqlite3.connect(journal.index_path)
    with conn:
        conn.execute(
            "UPDATE entries_fts SET title = '并发编程笔记', body = '在Java中，线程池有着比较方便的实现类。'"
        )
        conn.execute("PRAGMA user_version = 5")
    conn.close()
    with Index(journal) as index:
        assert index.rebuilt
        index.quick_sync()
        assert [hit.row.path for hit in index.search("线程").hits] == [relpath]


def test_a_single_character_search_marks_just_that_character(index: Index) -> None:
    [hit] = index.search("池").hits
    assert "线程[池]有着" in hit.snippet
    [hit] = index.search("线程").hits
    assert "[线程]池" in hit.snippet
    assert readable("\x1f[线程]\x1f程池\x1f池\x1f", marks_cover_pairs=False) == "[线]程池"
    assert only_single_characters(["池"]) and only_single_characters(["池", "learning"])
    assert not only_single_characters(["池", "线程"]) and not only_single_characters(["learning"])
