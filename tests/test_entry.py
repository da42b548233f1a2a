"""Reading an `Entry` out of a file (`mljournal.core.entries.read`): which keys win and how odd values are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from mljournal.core.entries.read import entry_from_document, load_entry
from mljournal.core.frontmatter.read import Document, parse_document
from mljournal.core.model import Entry

MTIME = 1_700_000_000.0  # 2023-11-14T22:13:20Z


def entry(text: str, name: str = "entries/note.md") -> Entry:
    return entry_from_document(name, parse_document(text.encode()), MTIME)


# ---- title ---------------------------------------------------------------------------------------------


def test_title_from_front_matter() -> None:
    assert entry("---\ntitle: Hello\n---\n# Other\n").title == "Hello"


@pytest.mark.parametrize(
    ("value", "title"),
    [
        ("42", "42"),
        ("1.5", "1.5"),
        ("no", "false"),
        ("2024-01-15", "2024-01-15"),
        ("[a, b]", "a, b"),
        ("{en: English, fr: Français}", "English"),
        ("|\n  two\n  lines", "two lines"),
    ],
)
def test_non_string_titles_become_text(value: str, title: str) -> None:
    assert entry(f"---\ntitle: {value}\n---\n").title == title


def test_title_falls_back_to_first_h1_outside_code() -> None:
    body = "```python\n# not a title\n```\n\n## Sub\n# The Heading ##\n"
    assert entry(f"---\ntitle:\n---\n{body}").title == "The Heading"
    assert entry(body).title == "The Heading"


def test_title_falls_back_to_the_file_stem() -> None:
    assert entry("no heading here\n", "entries/2024-01-15-my-note.md").title == "2024-01-15-my-note"


def test_capitalised_title_key_is_found() -> None:
    assert entry("---\nTitle: Caps\n---\n").title == "Caps"


def test_control_characters_are_dropped_from_titles() -> None:
    assert entry('---\ntitle: "a\\0b"\n---\n').title == "a b"


# ---- dates ---------------------------------------------------------------------------------------------


def test_date_key_precedence() -> None:
    text = "---\npubDate: 2023-12-31\ncreated: 2020-01-01\npublishDate: '2024-02-01'\n---\n"
    result = entry(text)
    assert result.date == "2024-02-01" and not result.date_inferred


def test_pub_datetime_keeps_its_zone() -> None:
    result = entry("---\npubDatetime: 2023-08-11T12:30:00+2\n---\n")
    assert result.date == "2023-08-11T12:30:00+02:00"
    assert result.day == "2023-08-11"
    assert result.date_sort == 1691749800.0


def test_published_flag_is_not_a_date_but_marks_a_draft() -> None:
    result = entry("---\npublished: false\ncreated: 2024-01-02\n---\n")
    assert result.date == "2024-01-02"
    assert result.draft is True
    assert result.problems == []


def test_bad_date_is_a_problem_and_the_next_key_is_used() -> None:
    result = entry("---\ndate: 30 mins\ncreated: 2024-01-02\n---\n")
    assert result.date == "2024-01-02"
    assert [p.code for p in result.problems] == ["bad-date"]


@pytest.mark.parametrize(("value", "minutes"), [("45", 45.0), ("12.5", 12.5), ('"30"', 30.0), ("0", 0.0)])
def test_minutes_are_read_as_a_number(value: str, minutes: float) -> None:
    result = entry(f"---\nminutes: {value}\n---\n")
    assert result.minutes == minutes
    assert result.problems == []


@pytest.mark.parametrize("value", ["45 min", "yes", "-10", "[30]", ".nan", ".inf"])
def test_minutes_that_are_not_a_number_are_a_problem_and_left_out(value: str) -> None:
    result = entry(f"---\ntitle: Kept\nminutes: {value}\n---\nBody.\n")
    assert result.minutes is None
    assert [p.code for p in result.problems] == ["bad-minutes"]
    assert result.title == "Kept" and result.body.strip() == "Body."


def test_no_minutes_is_none_without_a_problem() -> None:
    result = entry("---\ntitle: x\n---\n")
    assert result.minutes is None and result.problems == []


def test_impossible_date_is_reported_once() -> None:
    result = entry("---\ndate: 2024-02-30\n---\n", "entries/x.md")
    assert [p.code for p in result.problems] == ["bad-date"]
    assert result.date_inferred


def test_date_from_file_name_then_mtime() -> None:
    named = entry("---\ntitle: T\n---\n", "entries/2024-01-15-note.md")
    assert (named.date, named.date_inferred) == ("2024-01-15", True)
    unnamed = entry("---\ntitle: T\n---\n", "entries/note.md")
    assert unnamed.date_inferred and unnamed.date_sort == MTIME
    assert unnamed.day == "2023-11-14"


def test_nested_mkdocs_dates() -> None:
    result = entry("---\ndate:\n  created: 2024-01-15\n  updated: 2024-03-01\n---\n")
    assert (result.date, result.updated) == ("2024-01-15", "2024-03-01")


def test_updated_keys() -> None:
    assert entry("---\nmodDatetime: 2024-03-03T00:00:00Z\n---\n").updated == "2024-03-03T00:00:00+00:00"
    assert entry("---\nlastmod: 2024-03-02\nupdated: 2024-03-01\n---\n").updated == "2024-03-01"


# ---- tags and other lists ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tags"),
    [
        ("[ML, nlp]", ["ML", "nlp"]),
        ("\n  - a\n  - b", ["a", "b"]),
        ("ml, nlp,  transformers", ["ml", "nlp", "transformers"]),
        ("ml nlp", ["ml", "nlp"]),
        ('"#ml #notes"', ["ml", "notes"]),
        ("['#a/b', c]", ["a/b", "c"]),
        ("[ML, ml, ' Ml ', nlp]", ["ML", "nlp"]),
        ("['machine learning', x]", ["machine learning", "x"]),
        ("[ml, 2024, true, null, {k: v}]", ["ml", "2024", "true"]),
        ("[[ml, nlp], [cv]]", ["ml", "nlp", "cv"]),
        ("{topic: ml, level: beginner}", ["ml", "beginner"]),
        ("42", ["42"]),
        ("", []),
        ("[]", []),
        ('""', []),
    ],
)
def test_tag_shapes(value: str, tags: list[str]) -> None:
    assert entry(f"---\ntags: {value}\n---\n").tags == tags


def test_singular_and_capitalised_tag_keys() -> None:
    assert entry("---\ntag: solo\n---\n").tags == ["solo"]
    assert entry("---\nTags: [Big]\n---\n").tags == ["Big"]


def test_categories_keywords_topics() -> None:
    result = entry("---\ncategory: ML\nkeywords: a, b\ntopics: [linear-algebra, calculus]\n---\n")
    assert result.categories == ["ML"]
    assert result.keywords == ["a", "b"]
    assert result.topics == ["linear-algebra", "calculus"]
    assert result.tags == []


def test_toml_taxonomies_and_json_read_the_same() -> None:
    toml = entry(
        '+++\ntitle = "T"\ndate = 2024-01-15\n[taxonomies]\ntags = ["x", "y"]\ncategories = ["c"]\n+++\n'
    )
    assert (toml.title, toml.date, toml.tags, toml.categories) == ("T", "2024-01-15", ["x", "y"], ["c"])
    assert toml.front_matter_format == "toml"
    json = entry('{"title": "J", "date": "2024-01-15T10:00:00Z", "tags": ["a"], "draft": true}\nBody\n')
    assert (json.title, json.date, json.tags, json.draft) == ("J", "2024-01-15T10:00:00+00:00", ["a"], True)


# ---- description, draft, body --------------------------------------------------------------------------


def test_description_fallbacks() -> None:
    assert entry("---\nsummary: S\nexcerpt: E\n---\n").description == "S"
    assert entry("---\ndescription: [not, a, string]\n---\n").description == "not, a, string"


@pytest.mark.parametrize(
    ("value", "draft"), [("true", True), ('"false"', False), ("yes", True), ("0", False)]
)
def test_draft_flag(value: str, draft: bool) -> None:
    assert entry(f"---\ndraft: {value}\n---\n").draft is draft


def test_body_and_word_count() -> None:
    result = entry("---\ntitle: T\n---\nOne two\nthree.\n")
    assert result.body == "One two\nthree.\n"
    assert result.word_count == 3


def test_problems_from_the_document_are_kept() -> None:
    result = entry("---\ntitle: Python: a guide\n---\n# Heading\n")
    assert result.title == "Heading"
    assert [p.code for p in result.problems] == ["yaml-error"]


class Exploding:
    def __str__(self) -> str:
        raise RuntimeError("boom")

    __repr__ = __str__


def test_an_exception_inside_becomes_a_problem() -> None:
    doc = Document("x", "utf-8", "\n", "yaml", "", "Body words", {"title": Exploding()}, [])
    result = entry_from_document("entries/x.md", doc, MTIME)
    assert result.title == "x"
    assert result.body == "Body words" and result.word_count == 2
    assert [p.code for p in result.problems] == ["entry-error"]


# ---- load_entry ----------------------------------------------------------------------------------------


def test_load_entry_reads_the_file(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    path = tmp_path / "entries" / "2024-01-15-a.md"
    path.write_bytes(b"---\ntitle: A\n---\nBody\n")
    by_absolute = load_entry(tmp_path, path)
    by_relative = load_entry(tmp_path, "entries/2024-01-15-a.md")
    assert by_absolute == by_relative
    assert by_absolute.path == "entries/2024-01-15-a.md"
    assert by_absolute.title == "A" and by_absolute.date == "2024-01-15" and by_absolute.date_inferred


def test_load_entry_uses_given_bytes_and_mtime(tmp_path: Path) -> None:
    result = load_entry(tmp_path, tmp_path / "entries" / "gone.md", raw=b"# Given\n", mtime=MTIME)
    assert result.title == "Given"
    assert result.date_sort == MTIME


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    result = load_entry(tmp_path, tmp_path / "entries" / "missing.md")
    assert result.title == "missing"
    assert [p.code for p in result.problems] == ["read-error"]
    assert result.date is None


def test_five_megabyte_file(tmp_path: Path) -> None:
    body = ("word " * 200 + "\n\n") * 5000
    raw = ("---\ntitle: Big\n---\n" + body).encode()
    assert len(raw) > 5_000_000
    result = load_entry(tmp_path, tmp_path / "big.md", raw=raw, mtime=MTIME)
    assert result.title == "Big"
    assert result.word_count == 1_000_000
