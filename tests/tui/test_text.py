"""Unit tests of the TUI's pure text helpers: control stripping, HTML blocks, body cutting, entry links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mljournal.tui.text import cut_body, human_size, one_line, readable_date, readable_html, strip_controls
from mljournal.tui.widgets.viewer_links import resolve_entry_link


def test_escape_sequences_and_controls_are_shown_not_obeyed() -> None:
    hostile = "ti\x1b]0;pwned\x07tle \x1b[31mred\x1b[0m\x00\x9b2J end\r\nnext"
    assert strip_controls(hostile) == "ti␛]0;pwned␇tle ␛[31mred␛[0m␀\\x9b2J end\nnext"
    assert one_line(hostile) == "ti␛]0;pwned␇tle ␛[31mred␛[0m␀\\x9b2J end next"


@settings(max_examples=300)
@given(st.text())
def test_one_line_never_lets_a_control_through(text: str) -> None:
    line = one_line(text)
    assert "\n" not in line
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in line)
    assert len(line) <= 300


def test_one_line_shortens_with_an_ellipsis() -> None:
    assert one_line("word " * 100, 20) == "word word word word…"


def test_summary_becomes_a_bold_line_and_tags_go() -> None:
    body = "Intro\n\n<details>\n<summary>Show <b>the</b> proof</summary>\n\nIt follows.\n</details>\n"
    out = readable_html(body)
    assert "**Show the proof**" in out
    assert "<" not in out
    assert "It follows." in out


def test_html_inside_code_blocks_is_left_alone() -> None:
    body = "```html\n<details><summary>x</summary></details>\n```\n<div>shown</div>\n"
    out = readable_html(body)
    assert "<details><summary>x</summary></details>" in out
    assert "<div>" not in out and "shown" in out


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("ab <>/\n`*"), max_size=300))
def test_readable_html_keeps_every_line_outside_tags(body: str) -> None:
    # Never crashes, and text without any tag comes back unchanged.
    out = readable_html(body)
    if "<" not in body:
        assert out == body


def test_cut_body_cuts_on_a_paragraph_boundary_outside_code() -> None:
    body = "para one\n\n```\ncode\n\nmore code\n```\n\npara two is long\n"
    head, cut = cut_body(body, 30)
    assert cut
    assert head == "para one\n"
    assert cut_body(body, 1000) == (body, False)


@settings(max_examples=200)
@given(st.text(max_size=2000), st.integers(min_value=1, max_value=500))
def test_cut_body_is_a_prefix_no_longer_than_the_limit(body: str, limit: int) -> None:
    head, cut = cut_body(body, limit)
    assert len(head) <= max(limit, len(head) if not cut else limit) + 1  # +1: the added final newline
    assert cut == (len(body) > limit)
    if not cut:
        assert head == body
    else:
        assert body.startswith(head.rstrip("\n")[: max(0, len(head) - 1)])


def test_human_size() -> None:
    assert human_size(512) == "512 B"
    assert human_size(30 * 1024) == "30 KB"
    assert human_size(3 * 1024 * 1024 + 400_000) == "3.4 MB"


def test_entry_links_resolve_relative_to_the_entry_and_never_leave_the_journal() -> None:
    current = "entries/2024/notes.md"
    assert resolve_entry_link(current, "other.md") == "entries/2024/other.md"
    assert resolve_entry_link(current, "../2023/old.md") == "entries/2023/old.md"
    assert resolve_entry_link(current, "/entries/x.markdown") == "entries/x.markdown"
    assert resolve_entry_link(current, "../../../etc/passwd.md") is None
    assert resolve_entry_link(current, "image.png") is None


def test_markdown_links_in_order_without_code_or_images() -> None:
    from mljournal.tui.text import markdown_links

    body = (
        "See [one](a.md) and <https://example.com/x>.\n\n![img](pic.png)\n\n"
        '```\n[not](code.md)\n```\n[two](b.md "title") and [one again](a.md)\n'
    )
    assert markdown_links(body) == [
        ("one", "a.md"),
        ("https://example.com/x", "https://example.com/x"),
        ("two", "b.md"),
    ]


@pytest.mark.parametrize(
    ("iso", "shown"),
    [
        ("2024-02-03", "2024-02-03"),
        ("2023-08-11T12:30:00+02:00", "2023-08-11 12:30 +02:00"),
        ("2026-11-21T22:43:31+00:00", "2026-11-21 22:43 UTC"),
        ("2024-01-15T10:00:00", "2024-01-15 10:00"),
        ("2023-01-30T15:57:52.737000+00:00", "2023-01-30 15:57 UTC"),
    ],
)
def test_dates_are_shown_for_people(iso: str, shown: str) -> None:
    assert readable_date(iso) == shown


def test_markdown_links_are_read_by_markdown_it() -> None:
    """Issue 10 (D13): the link picker reads links with the core's parser, not a regex.

    Reference links and raw wikilinks now join the list; a link in a code span or an indented code block, or
    with a scheme markdown-it refuses (`javascript:`), no longer does. Web, `mailto:` and same-page links stay.
    """
    from mljournal.tui.text import markdown_links

    body = (
        "A [ref link][r], [[Backprop by hand|the notes]], [[Other#Setup]], `[in code](c.md)`, "
        "[mail](mailto:me@example.com), [top](#intro), [bad](javascript:alert(1)) and [**bold** one](d.md).\n\n"
        "    [indented](e.md)\n\n"
        "[r]: https://ref.example/\n"
    )
    assert markdown_links(body) == [
        ("ref link", "https://ref.example/"),
        ("the notes", "[[Backprop by hand]]"),
        ("Other#Setup", "[[Other#Setup]]"),
        ("mail", "mailto:me@example.com"),
        ("top", "#intro"),
        ("bold one", "d.md"),
    ]
    assert markdown_links("no links here") == []
