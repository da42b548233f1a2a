"""The fast front-matter reader gives exactly what PyYAML's safe loader gives, or steps aside."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mljournal.core.frontmatter.load import _Loader
from mljournal.core.yamledit.fast_reader import load_simple_mapping


def pyyaml(text: str) -> Any:
    loader = _Loader(text)
    loader.problems = []
    loader.line_offset = 0
    try:
        value = loader.get_single_data()
    finally:
        loader.dispose()
    assert not loader.problems
    return value


def same(left: Any, right: Any) -> bool:
    """Equal and of the same types all the way down (True == 1 and date == date need telling apart)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


def check(text: str) -> Any:
    """The fast reader's answer, after checking it against PyYAML whenever it gives one."""
    fast = load_simple_mapping(text)
    if fast is not None:
        try:
            slow = pyyaml(text)
        except yaml.YAMLError:
            pytest.fail(f"the fast reader accepted what PyYAML rejects: {text!r} -> {fast!r}")
        assert same(fast, slow), f"{text!r}: fast {fast!r}, PyYAML {slow!r}"
    return fast


def test_the_usual_front_matter_is_read_directly_with_yaml_types() -> None:
    text = (
        "title: My first model\ndate: 2024-01-15\ndraft: false\ntags:\n  - numpy\n  - 'it''s'\n"
        'description: "A day of: data"\ncount: 12\ntopics: [linear-algebra, numpy]\nempty:\n'
        "# a comment\n\nurl: http://example.com/a#b\n"
    )
    assert check(text) == {
        "title": "My first model",
        "date": datetime.date(2024, 1, 15),
        "draft": False,
        "tags": ["numpy", "it's"],
        "description": "A day of: data",
        "count": 12,
        "topics": ["linear-algebra", "numpy"],
        "empty": None,
        "url": "http://example.com/a#b",
    }


@pytest.mark.parametrize(
    "text",
    [
        "date: 2024-02-30\n",  # not a real date: PyYAML's path reports it
        "date: 2024-01-15 10:00:00\n",
        "n: 010\n",  # octal in YAML 1.1
        "n: 1.5\n",
        "n: 1_000\n",
        "t: 10:30\n",  # sexagesimal
        "a: &x 1\nb: *x\n",
        "a: !!python/name:os.system\n",
        "a: |\n  block\n",
        "a: b # comment\n",
        "a: b\n  continued\n",
        "a:\n  b: c\n",
        'a: "esc\\"aped"\n',
        "a: 'unclosed\n",
        "yes: 1\n",
        "Null: 1\n",
        "a: [b, [c]]\n",
        "a:\n  - b\n - c\n",
        "- a\n",
        "a:\tb\n",
        "a: b\r\nc: d\r\n",
        "# only a comment\n",
        "",
        "a: b\n---\nc: d\n",
        "a: \x07\n",
    ],
)
def test_anything_else_is_left_to_pyyaml(text: str) -> None:
    assert check(text) is None


KEYS = st.sampled_from(["title", "date", "tags", "Yes", "on", "null", "a-b", "_x", "y", "TRUE", "n"])
PLAIN = st.text(alphabet="abyYnNoOtTfFeEsSlLuU0123456789-:.#' \"[],_~+x", min_size=0, max_size=12)
SCALARS = st.one_of(
    PLAIN,
    PLAIN.map(lambda s: "'" + s + "'"),
    PLAIN.map(lambda s: '"' + s + '"'),
    st.sampled_from(["2024-01-15", "2024-13-01", "0", "12", "-3", "1e3", "yes", "Off", "NULL", "~", ""]),
)
LINES = st.one_of(
    st.tuples(KEYS, SCALARS).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(KEYS, st.lists(SCALARS, max_size=4)).map(lambda kv: f"{kv[0]}: [{', '.join(kv[1])}]"),
    KEYS.map(lambda k: f"{k}:"),
    st.tuples(st.sampled_from(["", " ", "  "]), SCALARS).map(lambda iv: f"{iv[0]}- {iv[1]}"),
    st.sampled_from(["", "# note", "  x", "---"]),
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=8))
def test_whatever_it_accepts_pyyaml_reads_the_same(lines: list[str]) -> None:
    check("\n".join(lines) + "\n")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_disagrees_or_raises(text: str) -> None:
    check(text)


def test_every_corpus_front_matter_agrees_with_pyyaml(corpus_dir: Path) -> None:
    from mljournal.core.frontmatter import parse_document

    read_fast = total = 0
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix not in {".md", ".markdown", ".mdx"}:
            continue
        document = parse_document(path.read_bytes())
        if document.front_matter_format != "yaml":
            continue
        total += 1
        if check(document.front_matter_text) is not None:
            read_fast += 1
    # Most real front-matter is simple: the fast path must actually be the common one.
    assert total > 1000 and read_fast > total // 2, (read_fast, total)
