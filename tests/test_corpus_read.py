"""Every real file in ../shared (3,000+ Markdown files from public repositories, plus hand-made hostile ones)
is read without an exception, and what went wrong in CENSUS.md becomes a Problem instead."""

from __future__ import annotations

import codecs
import functools
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mljournal.core.entries.read import entry_from_document, load_entry
from mljournal.core.frontmatter.read import Document, parse_document
from mljournal.core.model import Entry

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

SUFFIXES = (".md", ".markdown", ".mdx")
META_FILES = {"SOURCES.md", "CENSUS.md", "README.md"}


@dataclass
class Read:
    path: Path
    raw: bytes
    doc: Document
    entry: Entry


@functools.cache
def read_corpus(corpus_dir: Path) -> dict[str, Read]:
    """Parse the whole corpus once per test module (it is 27 MB); keyed by path relative to the corpus."""
    result: dict[str, Read] = {}
    for path in sorted(corpus_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            continue
        relative = path.relative_to(corpus_dir).as_posix()
        if relative in META_FILES or relative == "odd/README.md":
            continue
        raw = path.read_bytes()
        doc = parse_document(raw)
        entry = entry_from_document(relative, doc, path.stat().st_mtime)
        result[relative] = Read(path, raw, doc, entry)
    return result


def census_failures(corpus_dir: Path) -> dict[str, str]:
    """The files CENSUS.md lists as making python-frontmatter raise, with the exception name."""
    text = (corpus_dir / "CENSUS.md").read_text(encoding="utf-8")
    section = text.split("Failing files (all):", 1)[1].split("###", 1)[0]
    return dict(re.findall(r"^- `(.+?)` — (\w+):", section, flags=re.MULTILINE))


def test_every_file_is_read(corpus_dir: Path) -> None:
    files = read_corpus(corpus_dir)
    assert len(files) > 3000
    for relative, item in files.items():
        assert isinstance(item.doc.metadata, dict), relative
        assert item.doc.text.endswith(item.doc.body), relative
        assert item.entry.title, relative


def test_load_entry_on_every_file(corpus_dir: Path) -> None:
    # load_entry catches everything by design, so also check it found no internal errors.
    for relative, item in read_corpus(corpus_dir).items():
        entry = load_entry(corpus_dir, item.path, raw=item.raw, mtime=0.0)
        assert entry.path == relative
        assert "entry-error" not in [problem.code for problem in entry.problems], relative


def test_census_failures_become_problems(corpus_dir: Path) -> None:
    failures = census_failures(corpus_dir)
    assert len(failures) >= 50
    files = read_corpus(corpus_dir)
    for relative, exception in failures.items():
        item = files[relative]
        if exception == "UnicodeDecodeError" and item.doc.encoding == "utf-16":
            # python-frontmatter could not decode UTF-16; we can, and the front-matter must be there.
            assert item.doc.metadata.get("title"), relative
            continue
        assert item.entry.problems, relative


def test_toml_and_bom_front_matter_is_read(corpus_dir: Path) -> None:
    checked = 0
    for relative, item in read_corpus(corpus_dir).items():
        raw = item.raw.removeprefix(codecs.BOM_UTF8)
        has_bom = item.raw.startswith(codecs.BOM_UTF8)
        if not (raw.startswith(b"+++") or (has_bom and raw.startswith(b"---"))):
            continue
        checked += 1
        codes = [problem.code for problem in item.doc.problems]
        if "toml-error" in codes:
            continue
        assert item.doc.front_matter_format in ("toml", "yaml"), relative
        assert item.doc.metadata or not item.doc.front_matter_text.strip(), relative
        if "title" in item.doc.metadata:
            assert item.entry.title == " ".join(str(item.doc.metadata["title"]).split()), relative
    assert checked > 300  # zola and the Rust blog use TOML; a few files start with a BOM


def test_hostile_files(corpus_dir: Path) -> None:
    files = read_corpus(corpus_dir)

    def codes(name: str) -> list[str]:
        return [problem.code for problem in files[f"odd/{name}"].entry.problems]

    assert "yaml-alias-bomb" in codes("fm_yaml_alias_bomb.md")
    assert "too-deep" in codes("fm_deep_nesting.md")
    for name in (
        "sec_yaml_python_object_apply.md",
        "sec_yaml_python_object_new.md",
        "sec_yaml_python_object_os.md",
    ):
        assert "yaml-unsafe-tag" in codes(name)
        assert 42 not in files[f"odd/{name}"].doc.metadata.values()
    assert "bad-date" in codes("date_invalid_feb30.md")
    assert "non-utf8" in codes("enc_latin1.md")
    assert files["odd/enc_latin1.md"].entry.title.isprintable()
    assert files["odd/fm_toml_plus.md"].entry.date == "2024-01-15T10:00:00+01:00"
    assert files["odd/enc_utf8_bom.md"].entry.title == "UTF-8 file with BOM"
    assert files["odd/enc_cr_only.md"].entry.title == "Classic Mac CR-only line endings"
    assert files["odd/fm_json_braces.md"].entry.tags == ["json", "hugo"]
    huge = files["odd/fm_huge_front_matter.md"].entry
    assert len(huge.tags) > 10_000


def test_seed_diving_into_ml(seeds_dir: Path) -> None:
    entry = load_entry(seeds_dir, seeds_dir / "diving-into-ml.md")
    assert entry.title == "Diving into Machine Learning"
    assert entry.date == "2023-08-11T12:30:00+02:00"
    assert entry.day == "2023-08-11"
    assert not entry.date_inferred
    assert entry.tags == ["data-analysis", "data-visualization", "machine-learning"]
    assert entry.description == "My starting into the world of machine learning."
    assert entry.problems == []


def test_seed_journey_begins(seeds_dir: Path) -> None:
    entry = load_entry(seeds_dir, seeds_dir / "journey-begins.md")
    assert entry.title == "My Machine Learning Journey Begins"
    assert entry.date == "2024-01-15"
    assert entry.tags == []
    assert entry.problems == []
    assert entry.word_count > 300


def _plain_pipeline(raw: bytes) -> object:
    text = raw.decode("utf-8", errors="replace")
    if not text.startswith("---"):
        return None
    parts = text.split("\n---", 2)
    if len(parts) < 2:
        return None
    try:
        return yaml.load(parts[0][3:], Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError, TypeError):
        return None


def test_measure_parse_speed(corpus_dir: Path) -> None:
    """Prints (does not assert) parse_document's cost against a bare read+split+CSafeLoader loop."""
    blobs = [item.raw for item in read_corpus(corpus_dir).values()]
    timings: dict[str, float] = {}
    for name, function in (("plain", _plain_pipeline), ("parse_document", parse_document)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for raw in blobs:
                function(raw)
            best = min(best, time.perf_counter() - start)
        timings[name] = best
    ratio = timings["parse_document"] / timings["plain"]
    print(
        f"\n{len(blobs)} files: plain {timings['plain'] * 1000:.0f} ms, "
        f"parse_document {timings['parse_document'] * 1000:.0f} ms, ratio {ratio:.2f}"
    )
    assert len(blobs) > 3000
