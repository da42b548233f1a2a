"""Splicing by offsets (`mljournal.core.text.splice`): the primitive under every byte-keeping edit."""

from __future__ import annotations

from mljournal.core.text.splice import apply_edits, line_end, line_newline, newline_of


def test_apply_edits_replaces_spans_in_order_and_drops_overlaps() -> None:
    assert apply_edits("abcdef", [(4, 5, "E"), (0, 1, "A"), (0, 2, "x")]) == "AbcdEf"
    assert apply_edits("a<b>c", [(1, 4, "[b]")], untouched=str.upper) == "A[b]C"
    assert apply_edits("same", []) == "same"


def test_line_end() -> None:
    assert line_end("ab\ncd", 0) == 3
    assert line_end("ab\ncd", 2) == 3
    assert line_end("ab\ncd", 3) == 5
    assert line_end("ab\r\ncd\n", 4) == 7


def test_newlines() -> None:
    assert newline_of("a\r\nb\n") == "\r\n"
    assert newline_of("a\nb") == "\n"
    assert line_newline("x\r\n", "\n") == "\r\n"
    assert line_newline("x\r", "\n") == "\r"
    assert line_newline("x", "\r\n") == "\r\n"
