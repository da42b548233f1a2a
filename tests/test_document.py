"""Splitting, parsing and byte-preserving editing of entry files (`mljournal.core.frontmatter`)."""

from __future__ import annotations

import codecs
import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mljournal.core.frontmatter.read as read_module
from mljournal.core.frontmatter import (
    FrontMatterEditError,
    parse_document,
    remove_field,
    render_new_entry,
    set_field,
)
from mljournal.core.yamledit import MAX_NESTING, yaml_double_quoted, yaml_too_deep_at


def codes(raw: bytes) -> list[str]:
    return [problem.code for problem in parse_document(raw).problems]


# ---- splitting and decoding ----------------------------------------------------------------------------


def test_plain_yaml_front_matter() -> None:
    doc = parse_document(b"---\ntitle: Hello\ntags: [a, b]\n---\n\nBody text.\n")
    assert doc.front_matter_format == "yaml"
    assert doc.metadata == {"title": "Hello", "tags": ["a", "b"]}
    assert doc.front_matter_text == "title: Hello\ntags: [a, b]\n"
    assert doc.body == "\nBody text.\n"
    assert doc.encoding == "utf-8"
    assert doc.newline == "\n"
    assert doc.problems == []


def test_bom_and_crlf_do_not_hide_front_matter() -> None:
    doc = parse_document(codecs.BOM_UTF8 + b"---\r\ntitle: Hi\r\n---\r\nBody\r\n")
    assert doc.encoding == "utf-8-sig"
    assert doc.newline == "\r\n"
    assert doc.metadata == {"title": "Hi"}
    assert doc.body == "Body\r\n"
    assert not doc.text.startswith("\ufeff")


def test_utf16_with_bom() -> None:
    raw = codecs.BOM_UTF16_LE + "---\ntitle: Wide\n---\nBody\n".encode("utf-16-le")
    doc = parse_document(raw)
    assert doc.encoding == "utf-16"
    assert doc.metadata == {"title": "Wide"}


def test_cp1252_fallback_names_the_offset() -> None:
    raw = b"---\ntitle: \x93Quoted\x94\n---\nBody\n"
    doc = parse_document(raw)
    assert doc.encoding == "cp1252"
    assert doc.metadata["title"] == "\u201cQuoted\u201d"
    [problem] = doc.problems
    assert problem.code == "non-utf8"
    assert "offset 11" in problem.message and "0x93" in problem.message


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    doc = parse_document(b"---\ntitle: caf\xe9\n---\nx\x81y\n")
    assert doc.encoding == "latin-1"
    assert doc.metadata["title"] == "caf\u00e9"
    assert doc.body == "x\x81y\n"


def test_toml_front_matter() -> None:
    raw = b'+++\ntitle = "T"\ndate = 2024-01-15\n[taxonomies]\ntags = ["x"]\n+++\nBody\n'
    doc = parse_document(raw)
    assert doc.front_matter_format == "toml"
    assert doc.metadata == {"title": "T", "date": date(2024, 1, 15), "taxonomies": {"tags": ["x"]}}
    assert doc.body == "Body\n"


def test_json_front_matter_three_ways() -> None:
    bare = parse_document(b'{\n  "title": "J"\n}\nBody\n')
    fenced = parse_document(b'---json\n{"title": "J"}\n---\nBody\n')
    semi = parse_document(b';;;\n{"title": "J"}\n;;;\nBody\n')
    for doc in (bare, fenced, semi):
        assert doc.front_matter_format == "json"
        assert doc.metadata == {"title": "J"}
        assert doc.body == "Body\n"


def test_body_starting_with_brace_is_not_front_matter() -> None:
    doc = parse_document(b"{not json} just text\n")
    assert doc.front_matter_format is None
    assert doc.body == "{not json} just text\n"


def test_missing_closing_delimiter_keeps_everything_as_body() -> None:
    raw = b"---\ntitle: Open\n\n# Heading\ntext\n"
    doc = parse_document(raw)
    assert doc.front_matter_format is None
    assert doc.body == raw.decode()
    assert [problem.code for problem in doc.problems] == ["unclosed-front-matter"]


def test_only_the_first_pair_of_delimiters_counts() -> None:
    doc = parse_document(b"---\na: 1\n---\nbody\n---\nb: 2\n---\n")
    assert doc.metadata == {"a": 1}
    assert doc.body == "body\n---\nb: 2\n---\n"


def test_text_before_the_delimiter_is_not_front_matter() -> None:
    doc = parse_document(b"Intro\n---\ntitle: x\n---\n")
    assert doc.front_matter_format is None and doc.metadata == {}


def test_cr_only_line_endings() -> None:
    doc = parse_document(b"---\rtitle: Mac\r---\rBody\r")
    assert doc.newline == "\r"
    assert doc.metadata == {"title": "Mac"}
    assert doc.body == "Body\r"


def test_yaml_document_end_marker_closes() -> None:
    doc = parse_document(b"---\ntitle: Dots\n...\nBody\n")
    assert doc.metadata == {"title": "Dots"} and doc.body == "Body\n"


def test_eleventy_js_is_reported_not_evaluated() -> None:
    doc = parse_document(b'---js\n{ title: "x", date: new Date() }\n---\nBody\n')
    assert doc.metadata == {}
    assert doc.body == "Body\n"
    assert codes(b'---js\n{ title: "x" }\n---\nBody\n') == ["unsupported-front-matter"]


# ---- hostile and broken YAML ---------------------------------------------------------------------------


def test_python_tags_are_never_executed() -> None:
    raw = b"---\ntitle: !!python/object/apply:builtins.eval ['6*7']\nname: ok\n---\n"
    doc = parse_document(raw)
    assert doc.metadata == {"title": None, "name": "ok"}
    assert [p.code for p in doc.problems] == ["yaml-unsafe-tag"]
    assert doc.problems[0].line == 2


def test_unknown_local_tags_are_a_problem() -> None:
    doc = parse_document(b"---\ninc: !include other.yml\ntitle: T\n---\n")
    assert doc.metadata == {"inc": None, "title": "T"}
    assert [p.code for p in doc.problems] == ["yaml-unknown-tag"]


def test_tags_are_named_the_way_they_were_written() -> None:
    raw = (
        b"---\n"
        b"a: !!python/object/apply:os.system ['true']\n"
        b"b: !include other.yml\n"
        b"c: !<tag:example.com,2000:thing> v\n"
        b"d: !!made-up x\n"
        b"---\n"
    )
    messages = [problem.message for problem in parse_document(raw).problems]
    assert messages == [
        "The YAML tag '!!python/object/apply:os.system' is not allowed; its value was ignored.",
        "The YAML tag '!include' is not allowed; its value was ignored.",
        "The YAML tag '!<tag:example.com,2000:thing>' is not allowed; its value was ignored.",
        "The YAML tag '!!made-up' is not allowed; its value was ignored.",
    ]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("!!bool maybe", "a yes/no value"),
        ("!!int abc", "a whole number"),
        ("0x_", "a whole number"),
        ("!!float x", "a number"),
    ],
)
def test_a_value_that_does_not_fit_its_type_is_kept_as_text(value: str, words: str) -> None:
    # These used to fail the whole file (KeyError, AttributeError), losing the title and every other field.
    doc = parse_document(f"---\ntitle: T\nodd: {value}\nn: !!int 0x1F\n---\nBody\n".encode())
    text = value.split()[-1]
    assert doc.metadata == {"title": "T", "odd": text, "n": 31}
    assert [(p.code, p.message, p.line) for p in doc.problems] == [
        ("bad-value", f"{text!r} can't be read as {words}; it was kept as text.", 3)
    ]


def test_a_tagged_timestamp_that_is_not_a_date_is_kept_as_text() -> None:
    doc = parse_document(b"---\ntitle: T\ndate: !!timestamp soon\n---\n")
    assert doc.metadata == {"title": "T", "date": "soon"}
    assert [p.code for p in doc.problems] == ["bad-date"]


def test_an_unexpected_fault_keeps_the_text_and_names_no_exception_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(raw: bytes) -> Any:
        raise KeyError("maybe")

    monkeypatch.setattr(read_module, "_parse", broken)
    doc = parse_document(b"---\ntitle: T\n---\nBody\n")
    [problem] = doc.problems
    assert problem.code == "read-error"
    assert problem.message == "The file could not be read because of an unexpected fault ('maybe')."
    assert doc.body == "---\ntitle: T\n---\nBody\n"


def test_alias_bomb_is_refused_but_plain_keys_survive() -> None:
    lines = ["---", "title: Bomb", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for name, prev in zip("bcdef", "abcde", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    lines += ["tags: *f", "---", "Body"]
    doc = parse_document("\n".join(lines).encode())
    assert "yaml-alias-bomb" in [p.code for p in doc.problems]
    assert doc.metadata.get("title") == "Bomb"
    assert "tags" not in doc.metadata


@pytest.mark.parametrize(
    "loop",
    ["a: &a [*a]", "a: &a {k: *a}", "a: &a\n  - x\n  - *a", "a: &a [&b [*a]]", "<<: &m {k: *m}"],
)
def test_an_anchor_used_inside_itself_is_refused(loop: str) -> None:
    # These used to make the alias check loop forever, holding up the whole index sync.
    doc = parse_document(f"---\ntitle: Loop\n{loop}\n---\nBody\n".encode())
    assert [problem.code for problem in doc.problems] == ["yaml-alias-loop"]
    assert "used inside itself" in doc.problems[0].message
    assert doc.metadata == {"title": "Loop"}


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_nesting_built_through_aliases_counts_too(extra: int) -> None:
    # Each line is shallow; only following the aliases shows how deep the data goes.
    levels = MAX_NESTING - 1 + extra  # the top-level mapping is one more level
    lines = ["a1: &a1 [0]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(2, levels + 1)]
    doc = parse_document(("---\n" + "\n".join(lines) + "\n---\n").encode())
    if extra <= 0:
        assert doc.problems == []
        assert nesting(doc.metadata) == levels + 1
    else:
        assert [problem.code for problem in doc.problems] == ["too-deep"]


def test_shared_anchors_are_not_a_loop() -> None:
    raw = b"---\nx: &x [1]\ny: [*x, *x, {k: *x}]\nz: &z {a: *x}\nw: [*z, *z]\n---\n"
    doc = parse_document(raw)
    assert doc.problems == []
    assert doc.metadata["w"] == [{"a": [1]}, {"a": [1]}]


def test_small_anchors_and_merge_keys_still_work() -> None:
    raw = b"---\nbase: &b {tags: [x]}\n<<: *b\ntitle: T\n---\n"
    assert parse_document(raw).metadata == {"base": {"tags": ["x"]}, "tags": ["x"], "title": "T"}


def test_deep_nesting_is_refused_cheaply() -> None:
    raw = b"---\ntitle: Deep\ndata: " + b"[" * 500 + b"]" * 500 + b"\n---\n"
    doc = parse_document(raw)
    assert "too-deep" in [p.code for p in doc.problems]
    assert doc.metadata.get("title") == "Deep"


def nested_yaml(kinds: list[str], *, compact: bool = False, anchors: bool = False, flow: int = 0) -> str:
    """``data:`` holding one collection per item of `kinds` ("seq"/"map"), each inside the last, then `flow`
    levels of brackets; laid out as tightly as YAML allows (a list under its key at the key's column, one
    more space per level), or with ``- -`` / ``- k:`` on one line when `compact`."""
    lines: list[str] = []
    line, column, parent = "data:", 0, "map"
    for level, kind in enumerate(kinds):
        anchor = f"&a{level} " if anchors else ""
        if compact and parent == "seq":
            line += " -" if kind == "seq" else f" {anchor}k{level}:"
            column += 2
        else:
            lines.append(line)
            column += 0 if (kind, parent) == ("seq", "map") else 1
            line = " " * column + ("-" if kind == "seq" else f"k{level}:")
        parent = kind
    lines.append(line + " " + ("[" * flow + "]" * flow if flow else "end"))
    return "\n".join(lines) + "\n"


def nesting(value: Any) -> int:
    children = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
    return 1 + max(map(nesting, children), default=0) if isinstance(value, dict | list) else 0


def test_nested_yaml_builds_what_it_says() -> None:
    text = nested_yaml(["seq", "map", "seq"], compact=True, anchors=True, flow=2)
    assert text == "data:\n- &a1 k1:\n  - [[]]\n"
    assert nesting(parse_document(f"---\n{text}---\n".encode()).metadata) == 6


def alternating(levels: int) -> list[str]:
    return ["seq" if level % 2 == 0 else "map" for level in range(levels)]


@pytest.mark.parametrize("flow", range(MAX_NESTING))
def test_the_nesting_limit_counts_block_and_flow_levels_alike(flow: int) -> None:
    # The tightest block layout (a column gained every other level) is where a cheap text check could miss.
    block = MAX_NESTING - 1 - flow  # with the top-level mapping: exactly MAX_NESTING levels
    at_limit = parse_document(f"---\n{nested_yaml(alternating(block), flow=flow)}---\n".encode())
    assert at_limit.problems == []
    assert nesting(at_limit.metadata) == MAX_NESTING
    over = parse_document(f"---\ntitle: T\n{nested_yaml(alternating(block + 1), flow=flow)}---\nB\n".encode())
    assert [problem.code for problem in over.problems] == ["too-deep"]
    assert over.metadata == {"title": "T"}


@settings(max_examples=150, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(["seq", "map"]), min_size=1, max_size=MAX_NESTING + 8),
    compact=st.booleans(),
    anchors=st.booleans(),
    flow=st.integers(min_value=0, max_value=MAX_NESTING // 2 + 4),
)
def test_yaml_nested_past_the_limit_is_refused_in_any_layout(
    kinds: list[str], compact: bool, anchors: bool, flow: int
) -> None:
    text = nested_yaml(kinds, compact=compact, anchors=anchors, flow=flow)
    depth = 1 + len(kinds) + flow
    doc = parse_document(f"---\ntitle: T\n{text}---\nBody\n".encode())
    assert ("too-deep" in [problem.code for problem in doc.problems]) == (depth > MAX_NESTING), text
    assert doc.body == "Body\n"
    if depth <= MAX_NESTING:
        assert nesting(doc.metadata) == depth
    else:
        assert doc.metadata == {"title": "T"}


@pytest.mark.parametrize(
    "deep",
    [
        "".join(" " * i + "- \n" for i in range(1, 3000)),
        "".join(" " * i + f"k{i}:\n" for i in range(1, 3000)),
        "- " * 100_000 + "x\n",  # composing this killed the process (libyaml recurses in C)
        "\u2028".join(" " * i + f"k{i}:" for i in range(1, 200)) + "\n",  # YAML 1.1 breaks lines here too
    ],
    ids=["block lists", "block maps", "compact lists", "line separators"],
)
def test_deep_block_nesting_is_refused_and_the_rest_kept(deep: str) -> None:
    raw = f"---\ntitle: Deep\ndata:\n{deep}---\nThe body.\n".encode()
    doc = parse_document(raw)
    [problem] = doc.problems
    assert problem.code == "too-deep"
    assert f"more than {MAX_NESTING} levels" in problem.message
    assert doc.metadata == {"title": "Deep"}
    assert doc.body == "The body.\n"
    repr(doc)  # 3,000 levels of data used to reach the document and break its repr


def test_deep_nesting_with_old_mac_line_ends_is_refused() -> None:
    deep = "\r".join(" " * i + f"k{i}:" for i in range(1, 200))
    doc = parse_document(f"---\rtitle: Deep\rdata:\r{deep}\r---\rThe body.\r".encode())
    assert [problem.code for problem in doc.problems] == ["too-deep"]
    assert doc.metadata == {"title": "Deep"}
    assert doc.body == "The body.\r"


def test_deep_nesting_problem_points_at_the_line_that_goes_too_deep() -> None:
    raw = f"---\ntitle: T\n{nested_yaml(alternating(MAX_NESTING + 5))}---\n".encode()
    [problem] = parse_document(raw).problems
    # Line 1 is "---", 2 the title, 3 "data:"; each level after the top-level mapping starts a line.
    assert problem.line == 3 + MAX_NESTING


def test_brackets_inside_text_are_not_nesting() -> None:
    value = "[" * 200 + "{" * 200
    doc = parse_document(f"---\ntitle: '{value}'\ncode: |\n  {value}\n---\n".encode())
    assert doc.problems == []
    assert doc.metadata == {"title": value, "code": value + "\n"}


def test_yaml_too_deep_at_with_a_tighter_limit() -> None:
    assert yaml_too_deep_at("a: [[1]]\n", limit=3) is None
    assert yaml_too_deep_at("a:\n  b: [[1]]\n", limit=3) == 1
    assert yaml_too_deep_at("a: 'x\nb: [[[\n", limit=1) is None  # broken first: the loader reports it


@pytest.mark.parametrize(
    ("front_matter", "words"),
    [
        ("---\njust a sentence\n---\n", "is plain text"),
        ("---\n42\n---\n", "is a number"),
        ("---\n3.5\n---\n", "is a number"),
        ("---\nyes\n---\n", "is a yes/no value"),
        ("---\n[a, b]\n---\n", "is a list"),
        ("---\n- a\n---\n", "is a list"),
        ("---\n2024-01-01\n---\n", "is a date"),
        ("---\n!!set {a, b}\n---\n", "is a set of values"),
        ("---\n!!binary aGVsbG8=\n---\n", "is binary data"),
        (';;;\n"text"\n;;;\n', "is plain text"),
        (";;;\n[1, 2]\n;;;\n", "is a list"),
        (";;;\nfalse\n;;;\n", "is a yes/no value"),
    ],
)
def test_front_matter_that_is_not_fields_is_described_in_plain_words(front_matter: str, words: str) -> None:
    doc = parse_document(f"{front_matter}Body\n".encode())
    [problem] = doc.problems
    assert problem.code == "front-matter-not-mapping"
    assert problem.message == f"The front-matter {words}, not a set of key: value fields; it was ignored."
    assert doc.metadata == {}
    assert doc.body == "Body\n"


def test_template_placeholder_is_a_problem_with_a_line() -> None:
    raw = b"---\ntitle: Template\ndate: {{date}}\n---\nBody\n"
    doc = parse_document(raw)
    [problem] = doc.problems
    assert problem.code == "yaml-error"
    assert problem.line == 3
    assert "template placeholder" in problem.message
    assert doc.metadata == {"title": "Template"}  # salvaged key by key
    assert doc.body == "Body\n"


def test_yaml_error_line_is_relative_to_the_file() -> None:
    raw = b"\n\n---\nok: 1\ntitle: Python: a guide\n---\n"
    [problem] = parse_document(raw).problems
    assert problem.code == "yaml-error"
    assert problem.line == 5


def test_impossible_date_keeps_the_text() -> None:
    doc = parse_document(b"---\ndate: 2024-02-30\ntitle: T\n---\n")
    assert doc.metadata == {"date": "2024-02-30", "title": "T"}
    assert [(p.code, p.line) for p in doc.problems] == [("bad-date", 2)]


def test_non_string_keys_and_content_key() -> None:
    doc = parse_document(b"---\n2: two\ntrue: yes\nnull: x\ncontent: body?\n---\n")
    assert doc.metadata == {"2": "two", "true": True, "null": "x", "content": "body?"}
    assert sorted(p.code for p in doc.problems) == ["content-key", "non-string-key"]


@pytest.mark.parametrize("fm", [b"- a\n- b\n", b"just a string\n"])
def test_front_matter_that_is_not_a_mapping(fm: bytes) -> None:
    assert codes(b"---\n" + fm + b"---\n") == ["front-matter-not-mapping"]


@pytest.mark.parametrize("fm", [b"", b"~\n", b"# only a comment\n"])
def test_empty_front_matter_is_fine(fm: bytes) -> None:
    doc = parse_document(b"---\n" + fm + b"---\nBody\n")
    assert doc.metadata == {} and doc.problems == [] and doc.body == "Body\n"


def test_invalid_toml_and_json_are_problems() -> None:
    assert codes(b'+++\ntitle = "x\n+++\n') == ["toml-error"]
    assert codes(b'---json\n{"a": }\n---\n') == ["json-error"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_parse_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    doc = parse_document(raw)
    assert isinstance(doc.metadata, dict)
    assert doc.text.endswith(doc.body)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["---", "+++", ";;;", "---json", "{", ""]),
    st.text(max_size=200),
    st.sampled_from(["---", "+++", ";;;", "...", "}", ""]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_parse_never_raises_on_front_matter_shaped_text(open_: str, inner: str, close: str, nl: str) -> None:
    text = open_ + nl + inner + nl + close + nl + "body"
    doc = parse_document(text.encode("utf-8", "surrogatepass"))
    assert doc.text.endswith(doc.body)
    assert isinstance(doc.metadata, dict)


# ---- set_field / remove_field: examples ----------------------------------------------------------------

SEED_LIKE = (
    b"---\n"
    b'title: "Diving into Machine Learning"\n'
    b"# why I write this\n"
    b"pubDatetime: 2023-08-11T12:30:00+2\n"
    b"tags:\n"
    b'  - "data-analysis"\n'
    b'  - "machine-learning"\n'
    b"\n"
    b"description: |\n"
    b"  Two lines\n"
    b"  of text.\n"
    b"---\n"
    b"\n"
    b"## Body\n"
)


def test_set_field_replaces_only_that_key() -> None:
    out = set_field(SEED_LIKE, "title", "Diving deeper")
    assert out == SEED_LIKE.replace(b'"Diving into Machine Learning"', b'"Diving deeper"')


def test_block_list_keeps_its_style() -> None:
    out = set_field(SEED_LIKE, "tags", ["numpy", "pandas", "yes"])
    assert b'tags:\n  - "numpy"\n  - "pandas"\n  - "yes"\n\ndescription' in out
    assert parse_document(out).metadata["tags"] == ["numpy", "pandas", "yes"]


def test_flow_list_stays_flow_and_comment_survives() -> None:
    raw = b"---\ntitle: T\ntags: [a, b]  # keep me\n---\n"
    out = set_field(raw, "tags", ["c", "d: e"])
    assert out == b'---\ntitle: T\ntags: [c, "d: e"]  # keep me\n---\n'


def test_comma_string_stays_a_comma_string() -> None:
    raw = b"---\ntags: ml, nlp\n---\n"
    out = set_field(raw, "tags", ["ml", "cv", "rl"])
    assert out == b"---\ntags: ml, cv, rl\n---\n"


def test_block_scalar_neighbours_survive() -> None:
    out = set_field(SEED_LIKE, "pubDatetime", datetime(2024, 1, 2, 3, 4, tzinfo=UTC))
    doc = parse_document(out)
    assert doc.metadata["description"] == "Two lines\nof text.\n"
    assert doc.metadata["pubDatetime"] == datetime(2024, 1, 2, 3, 4, tzinfo=UTC)
    assert (
        out.replace(b"pubDatetime: 2024-01-02T03:04:00+00:00", b"pubDatetime: 2023-08-11T12:30:00+2")
        == SEED_LIKE
    )


def test_replacing_a_block_scalar() -> None:
    out = set_field(SEED_LIKE, "description", "One line")
    assert out.endswith(b"\ndescription: One line\n---\n\n## Body\n")
    assert out.startswith(SEED_LIKE[: SEED_LIKE.index(b"description")])


def test_multiline_value_becomes_a_literal_block() -> None:
    out = set_field(b"---\na: 1\n---\n", "notes", "first\nsecond\n")
    assert out == b"---\na: 1\nnotes: |\n  first\n  second\n---\n"


def test_values_that_need_quoting() -> None:
    raw = b"---\ntitle: x\n---\n"
    for value in [
        "yes",
        "no",
        "null",
        "123",
        "2024-01-15",
        "a: b",
        "# hash",
        "- dash",
        "[x",
        "{y",
        "*star",
        "&amp",
        "!bang",
        "@at",
        "`tick",
        " padded ",
        "",
        "tab\there",
        "line\u2028sep",
        "nul\x00",
    ]:
        out = set_field(raw, "title", value)
        assert parse_document(out).metadata["title"] == value, out


@pytest.mark.parametrize("text", ["\x85", "a\x85b", "x\n\x85", "\u2028", "\u2029 "])
def test_nested_values_with_unusual_line_breaks_read_back(text: str) -> None:
    for value in ({"a": text}, [[text]], [{"k": [text]}]):
        out = set_field(b"---\na: 0\n---\n", "a", value)
        assert parse_document(out).metadata == {"a": value}, out


def test_new_key_is_appended_and_crlf_bom_kept() -> None:
    raw = codecs.BOM_UTF8 + b"---\r\ntitle: T\r\n---\r\nBody\r\n"
    out = set_field(raw, "topics", ["linear-algebra"])
    assert out == codecs.BOM_UTF8 + b"---\r\ntitle: T\r\ntopics:\r\n  - linear-algebra\r\n---\r\nBody\r\n"


def test_file_without_front_matter_gets_a_yaml_block() -> None:
    out = set_field(b"# Note\n\ntext\n", "title", "Note")
    assert out == b"---\ntitle: Note\n---\n# Note\n\ntext\n"


def test_duplicate_keys_edit_the_one_that_is_read() -> None:
    raw = b"---\ntitle: first\ntitle: second\n---\n"
    out = set_field(raw, "title", "third")
    assert out == b"---\ntitle: first\ntitle: third\n---\n"


def test_toml_edit_and_append_before_tables() -> None:
    raw = b'+++\ntitle = "T" # c\ndraft = false\n\n[extra]\nx = 1\n+++\nBody\n'
    out = set_field(raw, "title", "New")
    assert out == raw.replace(b'title = "T" # c', b'title = "New"')
    out = set_field(raw, "tags", ["a", "b"])
    assert out == raw.replace(b"draft = false\n", b'draft = false\ntags = ["a", "b"]\n')
    assert parse_document(remove_field(out, "draft")).metadata == {
        "title": "T",
        "tags": ["a", "b"],
        "extra": {"x": 1},
    }


def test_toml_multiline_array_is_replaced_whole() -> None:
    raw = b'+++\ntags = [\n  "a",\n  "b",\n]\ntitle = "T"\n+++\n'
    out = set_field(raw, "tags", ["z"])
    assert out == b'+++\ntags = ["z"]\ntitle = "T"\n+++\n'


def test_json_edit_keeps_order_and_indent() -> None:
    raw = b'{\n    "title": "J",\n    "draft": false\n}\nBody\n'
    out = set_field(raw, "title", "K")
    assert out == b'{\n    "title": "K",\n    "draft": false\n}\nBody\n'
    assert parse_document(set_field(raw, "tags", ["a"])).metadata == {
        "title": "J",
        "draft": False,
        "tags": ["a"],
    }


@pytest.mark.parametrize(
    "raw",
    [
        b"---\ntitle: Python: a guide\n---\n",
        b"---\ndate: {{date}}\n---\n",
        b'+++\ntitle = "x\n+++\n',
        b"---js\n{title: 1}\n---\n",
        b"---\n{title: inline, date: 2024-01-01}\n---\n",
    ],
)
def test_broken_or_unusual_front_matter_is_refused(raw: bytes) -> None:
    with pytest.raises(FrontMatterEditError):
        set_field(raw, "title", "x")


def test_values_that_cannot_be_stored_are_refused() -> None:
    with pytest.raises(FrontMatterEditError):
        set_field(b"---\na: 1\n---\n", "a", {1, 2})
    with pytest.raises(FrontMatterEditError):
        set_field(b"+++\na = 1\n+++\n", "a", None)
    with pytest.raises(FrontMatterEditError):
        set_field(b"---\na: 1\n---\n", "bad\nkey", 1)


def test_edit_that_would_break_an_anchor_is_refused() -> None:
    raw = b"---\nbase: &b {x: 1}\nother: *b\n---\n"
    with pytest.raises(FrontMatterEditError):
        set_field(raw, "base", "plain")


def test_cp1252_file_stays_cp1252() -> None:
    raw = b"---\ntitle: \x93Q\x94\n---\nIt\x92s\n"
    out = set_field(raw, "tags", ["caf\u00e9", "\u2603"])
    assert out.startswith(b"---\ntitle: \x93Q\x94\n")
    assert out.endswith(b"---\nIt\x92s\n")
    assert parse_document(out).metadata["tags"] == ["caf\u00e9", "\u2603"]


def test_remove_field() -> None:
    out = remove_field(SEED_LIKE, "tags")
    assert out == SEED_LIKE.replace(b'tags:\n  - "data-analysis"\n  - "machine-learning"\n', b"")
    assert remove_field(SEED_LIKE, "absent") == SEED_LIKE


def test_render_new_entry_round_trips() -> None:
    metadata = {
        "title": "Gradient descent: first try",
        "date": date(2024, 1, 15),
        "tags": ["optimisation", "yes"],
        "topics": [],
        "draft": False,
    }
    raw = render_new_entry(metadata, "# Gradient descent\n\nText.\n")
    doc = parse_document(raw)
    assert doc.metadata == metadata
    assert doc.problems == []
    assert doc.body == "\n# Gradient descent\n\nText.\n"
    assert raw.startswith(b"---\ntitle: 'Gradient descent: first try'\n") or raw.startswith(
        b'---\ntitle: "Gradient descent: first try"\n'
    )


# ---- set_field: properties -----------------------------------------------------------------------------

KEY = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda key: key not in {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "content"}
)
SAFE_TEXT = st.text(
    alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
)
WORD = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,7}", fullmatch=True).map(lambda word: "w" + word)


@dataclass
class Field:
    key: str
    lines: list[str]
    value: Any


@st.composite
def existing_field(draw: st.DrawFn, key: str) -> Field:
    kind = draw(
        st.sampled_from(["int", "bool", "dq", "sq", "plain", "date", "block", "flow", "literal", "map"])
    )
    if kind == "int":
        number = draw(st.integers(-(10**12), 10**12))
        return Field(key, [f"{key}: {number}"], number)
    if kind == "bool":
        flag = draw(st.booleans())
        return Field(key, [f"{key}: {'true' if flag else 'false'}"], flag)
    if kind == "dq":
        text = draw(SAFE_TEXT.filter(lambda s: "," not in s))
        return Field(key, [f"{key}: {json.dumps(text)}"], text)
    if kind == "sq":
        text = draw(SAFE_TEXT.filter(lambda s: "," not in s))
        return Field(key, [f"{key}: '" + text.replace("'", "''") + "'"], text)
    if kind == "plain":
        words = draw(st.lists(WORD, min_size=1, max_size=3))
        comment = draw(st.sampled_from(["", "  # note"]))
        return Field(key, [f"{key}: {' '.join(words)}{comment}"], " ".join(words))
    if kind == "date":
        day = draw(st.dates(min_value=date(1000, 1, 1)))
        return Field(key, [f"{key}: {day.isoformat()}"], day)
    if kind == "block":
        items = draw(st.lists(SAFE_TEXT, min_size=1, max_size=4))
        indent = draw(st.sampled_from(["", "  ", "    "]))
        return Field(key, [f"{key}:"] + [f"{indent}- {json.dumps(item)}" for item in items], items)
    if kind == "flow":
        items = draw(st.lists(WORD, max_size=4))
        return Field(key, [f"{key}: [{', '.join(items)}]"], items)
    if kind == "literal":
        lines = draw(st.lists(WORD, min_size=1, max_size=4))
        return Field(key, [f"{key}: |"] + [f"  {line}" for line in lines], "\n".join(lines) + "\n")
    inner = draw(st.dictionaries(KEY, st.integers(0, 99), min_size=1, max_size=3))
    return Field(key, [f"{key}:"] + [f"  {k}: {v}" for k, v in inner.items()], inner)


@st.composite
def front_matter_file(draw: st.DrawFn) -> tuple[bytes, list[Field], str, bool, list[tuple[int, int]]]:
    """A random file, its fields, its newline, whether it has a BOM and each field's character span."""
    keys = draw(st.lists(KEY, min_size=1, max_size=6, unique=True))
    fields = [draw(existing_field(key)) for key in keys]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.booleans())
    text = "---" + newline
    if draw(st.booleans()):
        text += "# leading comment" + newline
    spans: list[tuple[int, int]] = []
    for item in fields:
        start = len(text)
        text += "".join(line + newline for line in item.lines)
        spans.append((start, len(text)))
        text += draw(st.sampled_from(["", newline, "# between" + newline]))
    text += "---" + newline + draw(st.sampled_from(["", "Body", "\n---\nnot: fm\n"]))
    raw = text.encode("utf-8")
    return (codecs.BOM_UTF8 + raw if bom else raw), fields, newline, bom, spans


def new_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=30),
        st.dates(min_value=date(1000, 1, 1)),
        st.datetimes(
            min_value=datetime(1000, 1, 1),
            timezones=st.one_of(
                st.none(), st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
            ),
        ),
    )
    return st.one_of(
        scalars,
        st.lists(st.text(max_size=15), max_size=5),
        st.lists(scalars, max_size=4),
        st.dictionaries(KEY, scalars, max_size=3),
    )


def strictly_equal(left: Any, right: Any) -> bool:
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, list):
        return len(left) == len(right) and all(strictly_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        return list(left) == list(right) and all(strictly_equal(left[k], right[k]) for k in left)
    if isinstance(left, datetime):
        return left == right and left.utcoffset() == right.utcoffset()
    return bool(left == right)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_file(), st.data(), new_values())
def test_set_field_property(
    generated: tuple[bytes, list[Field], str, bool, list[tuple[int, int]]], data: st.DataObject, value: Any
) -> None:
    raw, fields, newline, bom, spans = generated
    before = parse_document(raw)
    expected = {item.key: item.value for item in fields}
    assert before.problems == []
    assert strictly_equal(before.metadata, expected)

    existing = [item.key for item in fields]
    key = data.draw(st.one_of(st.sampled_from(existing), KEY), label="key")
    out = set_field(raw, key, value)
    after = parse_document(out)

    assert strictly_equal(after.metadata[key], value)
    for other, old in expected.items():
        if other != key:
            assert strictly_equal(after.metadata[other], old)
    assert after.body == before.body
    assert out.startswith(codecs.BOM_UTF8) == bom

    text, new_text = raw.decode("utf-8-sig"), out.decode("utf-8-sig")
    if key in existing:
        start, end = spans[existing.index(key)]
        assert new_text.startswith(text[:start])
        assert new_text.endswith(text[end:])
    else:
        closing = text.index(newline + "---" + newline, 3) + len(newline)
        assert new_text.startswith(text[:closing])
        assert new_text.endswith(text[closing:])
    if newline == "\r\n":
        assert "\n" not in new_text.replace("\r\n", "") or "\n" in text.replace("\r\n", "")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_file(), st.data())
def test_remove_field_property(
    generated: tuple[bytes, list[Field], str, bool, list[tuple[int, int]]], data: st.DataObject
) -> None:
    raw, fields, _newline, _bom, spans = generated
    index = data.draw(st.integers(0, len(fields) - 1))
    out = remove_field(raw, fields[index].key)
    text = raw.decode("utf-8-sig")
    start, end = spans[index]
    assert out.decode("utf-8-sig") == text[:start] + text[end:]
    assert fields[index].key not in parse_document(out).metadata


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda k: k == k.strip()), new_values(), max_size=5
    )
)
def test_render_new_entry_property(metadata: dict[str, Any]) -> None:
    raw = render_new_entry(metadata, "Body\n")
    doc = parse_document(raw)
    assert strictly_equal(doc.metadata, metadata)
    assert doc.body == "\nBody\n"


# ---- yaml_double_quoted (shared with roadmap.yaml writing) ----------------------------------------------

YAML_LINE_BREAKS = "\n\r\x85\u2028\u2029"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Plain title", '"Plain title"'),
        ('say "hi" \\ ok', '"say \\"hi\\" \\\\ ok"'),
        ("tab\there\nnext", '"tab\\there\\nnext"'),
        ("caf\u00e9 \u6f22\u5b57 \U0001f600", '"caf\u00e9 \u6f22\u5b57 \U0001f600"'),
        ("\x00\x1b\x7f\x9b", '"\\x00\\x1b\\x7f\\x9b"'),
        ("\ufeffbom", '"\\ufeffbom"'),
        ("\r \x85 \u2028 \u2029", '"\\r \\x85 \\u2028 \\u2029"'),
        ("\ufffe\uffff", '"\\ufffe\\uffff"'),
    ],
)
def test_yaml_double_quoted_writes_these_bytes(text: str, quoted: str) -> None:
    # roadmap.yaml edits are compared byte for byte, so the exact spelling matters, not just the reading.
    assert yaml_double_quoted(text) == quoted


def test_yaml_double_quoted_ascii_only_escapes_past_tilde() -> None:
    assert yaml_double_quoted("caf\u00e9 \U0001f600~", ascii_only=True) == '"caf\\xe9 \\U0001f600~"'


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",))), ascii_only=st.booleans())
def test_yaml_double_quoted_reads_back_on_one_line(text: str, ascii_only: bool) -> None:
    quoted = yaml_double_quoted(text, ascii_only=ascii_only)
    assert not any(char in quoted for char in YAML_LINE_BREAKS)
    assert quoted.isascii() or not ascii_only
    for loader in (yaml.CSafeLoader, yaml.SafeLoader):
        assert yaml.load(f"k: {quoted}\n", Loader=loader) == {"k": text}
        assert yaml.load(f"- [{quoted}, x]\n", Loader=loader) == [[text, "x"]]


def test_a_refused_edit_is_an_error_the_cli_and_tui_show_as_one_line() -> None:
    from mljournal.core.errors import MLJournalError

    assert issubclass(FrontMatterEditError, MLJournalError)
    with pytest.raises(MLJournalError):
        set_field(b"---\ntitle: T\n---\n", "bad\nkey", 1)
