"""The seeds and the corpus in ../shared: imported, indexed and searched for real (skipped when absent)."""

from __future__ import annotations

import filecmp
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal


def cli(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-j", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture
def seeded(tmp_path: Path, seeds_dir: Path) -> Path:
    root = tmp_path / "journal"
    assert cli(root.parent, "init", str(root))[0] == 0
    sources = sorted(str(p) for p in seeds_dir.glob("*.md"))
    code, output = cli(root, "import", *sources)
    assert code == 0, output
    return root


def search_json(root: Path, query: str) -> list[dict[str, object]]:
    code, output = cli(root, "search", "--json", query)
    assert code == 0, output
    return json.loads(output)  # type: ignore[no-any-return]


def test_seeds_are_read_right(seeded: Path) -> None:
    items = {item["title"]: item for item in search_json(seeded, "")}
    journey = items["My Machine Learning Journey Begins"]
    assert journey["date"] == "2024-01-15" and journey["tags"] == []
    diving = items["Diving into Machine Learning"]
    assert diving["date"] == "2023-08-11T12:30:00+02:00"
    assert diving["tags"] == ["data-analysis", "data-visualization", "machine-learning"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("tag:machine-learning", "Diving into Machine Learning"),
        ("after:2024-01-01", "My Machine Learning Journey Begins"),
        ("eigenvalues", "Diving into Machine Learning"),
        ("Bishop", "My Machine Learning Journey Begins"),
    ],
)
def test_seed_searches_find_exactly_the_right_entry(seeded: Path, query: str, title: str) -> None:
    assert [item["title"] for item in search_json(seeded, query)] == [title]


@pytest.fixture(scope="module")
def imported_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    root = tmp_path_factory.mktemp("corpus") / "journal"
    assert cli(root.parent, "init", str(root), "--template", "blank")[0] == 0
    code, output = cli(root, "import", str(corpus))
    assert code == 0, output
    assert "Traceback" not in output
    return root, corpus, output


def corpus_markdown(corpus: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(corpus):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(folder) / f
            for f in files
            if f.lower().endswith((".md", ".markdown", ".mdx")) and not f.startswith(".")
        )
    return found


@pytest.mark.corpus
def test_corpus_import_loses_nothing(imported_corpus: tuple[Path, Path, str]) -> None:
    root, corpus, _output = imported_corpus
    sources = corpus_markdown(corpus)
    assert len(sources) > 3000
    with Index(Journal(root)) as index:
        index.sync()
        indexed = {row[0] for row in index.conn.execute("SELECT path FROM entries")}
    for source in sources:
        relpath = f"entries/corpus/{source.relative_to(corpus).as_posix()}"
        assert relpath in indexed, f"{relpath} is not in the index"
        assert filecmp.cmp(source, root / relpath, shallow=False), f"{relpath} differs from its source"


@pytest.mark.corpus
def test_corpus_toml_and_bom_front_matter_is_read(imported_corpus: tuple[Path, Path, str]) -> None:
    root, corpus, _ = imported_corpus
    with Index(Journal(root)) as index:
        toml_titles = [
            row[0]
            for row in index.conn.execute(
                "SELECT title FROM entries WHERE path LIKE 'entries/corpus/getzola__zola/%'"
            )
        ]
        assert toml_titles
        # Titles came from the +++ front-matter, not the file names.
        stems = {p.stem for p in (corpus / "getzola__zola").rglob("*.md")}
        assert sum(1 for t in toml_titles if t not in stems) > len(toml_titles) // 2
        bom_files = [p for p in corpus.rglob("*.md") if p.read_bytes().startswith(b"\xef\xbb\xbf---")]
        assert bom_files
        for path in bom_files:
            relpath = f"entries/corpus/{path.relative_to(corpus).as_posix()}"
            inferred, problems = index.conn.execute(
                "SELECT date_inferred, problem_count FROM entries WHERE path = ?", (relpath,)
            ).fetchone()
            # The date came from the front-matter behind the BOM, not from the file's mtime.
            assert inferred == 0 and problems == 0, relpath


@pytest.mark.corpus
def test_corpus_check_lists_the_real_problems(imported_corpus: tuple[Path, Path, str]) -> None:
    root, _corpus, _ = imported_corpus
    code, output = cli(root, "check")
    assert code == 1
    lines = output.splitlines()
    assert "Traceback (most recent call last)" not in output
    flagged = {line.split(":", 1)[0] for line in lines}
    for expected in [
        "entries/corpus/odd/sec_yaml_python_object_apply.md",
        "entries/corpus/odd/fm_broken_unclosed_quote.md",
        "entries/corpus/odd/enc_latin1.md",
        "entries/corpus/odd/date_invalid_feb30.md",
        "entries/corpus/jekyll__jekyll/source/_broken/bad_post.md",
    ]:
        assert expected in flagged, f"check did not flag {expected}"


@pytest.mark.corpus
def test_corpus_chinese_word_is_found_in_every_post_that_has_it(
    imported_corpus: tuple[Path, Path, str],
) -> None:
    # The Chinese blog posts write 线程 ("thread") inside runs like 线程池 and 多线程: FTS5's unicode61 keeps
    # a run as one token, so before CJK text was indexed as bigrams this found 1 post of 11.
    root, corpus, _ = imported_corpus
    expected = {
        f"entries/corpus/{path.relative_to(corpus).as_posix()}"
        for path in corpus_markdown(corpus)
        if "线程" in path.read_bytes().decode("utf-8", "replace")
    }
    assert len(expected) >= 8
    code, output = cli(root, "search", "--json", "--limit", "1000", "线程")
    assert code == 0, output
    hits = json.loads(output)
    assert {hit["path"] for hit in hits} == expected
    for hit in hits:
        assert "[线程" in hit["snippet"] and "\x1f" not in hit["snippet"]
