"""Mojibake detection and repair (`mljournal.core.mojibake`)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mljournal.core.text.mojibake import find_mojibake, repair_mojibake


def test_the_seed_quote() -> None:
    text = "> Der uns beschÃ¼tzt und der uns hilft, zu leben."
    assert find_mojibake(text) == [("beschÃ¼tzt", "beschützt")]
    assert repair_mojibake(text) == "> Der uns beschützt und der uns hilft, zu leben."


@pytest.mark.parametrize(
    ("bad", "good"),
    [
        ("cafÃ©", "café"),
        ("â€œquotedâ€\x9d", "\u201cquoted\u201d"),
        ("itâ€™s", "it\u2019s"),
        ("naÃ¯ve", "naïve"),
        ("æ—¥æœ¬", "日本"),
        ("ðŸ¤–", "🤖"),
        ("Ã\x83Â¼ber", "über"),  # read wrongly twice
    ],
)
def test_repairs(bad: str, good: str) -> None:
    assert repair_mojibake(bad) == good
    assert find_mojibake(f"x {bad} y") == [(bad, good)]


@pytest.mark.parametrize(
    "text",
    [
        "café Ärger naïve Straße",
        "Â£ is not a word on its own but Â alone is fine",
        "×÷ math © ® ½ ¼",
        "Öl, Ä. and a lone ¸ cedilla",
        "plain ASCII text",
        "日本語 emoji 🤖 and “smart quotes”",
    ],
)
def test_correct_text_is_left_alone(text: str) -> None:
    if "Â£" in text:
        # "Â£" *is* the classic mojibake of "£"; the rest of the sentence must stay untouched.
        assert repair_mojibake(text) == text.replace("Â£", "£")
    else:
        assert find_mojibake(text) == []
        assert repair_mojibake(text) == text


def test_duplicates_are_reported_once() -> None:
    assert find_mojibake("cafÃ© and cafÃ© again") == [("cafÃ©", "café")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_mojibake_of_any_text_is_repaired(text: str) -> None:
    try:
        broken = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        broken = text.encode("utf-8").decode("latin-1")
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cn", "Co", "Cs"} for char in text):
        return  # controls, format and unassigned characters are deliberately never produced by a repair
    assume(find_mojibake(text) == [])  # text that already looks mis-decoded ("Â\xa0") is ambiguous
    assert repair_mojibake(broken) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=60))
def test_repair_never_raises_and_is_stable(text: str) -> None:
    once = repair_mojibake(text)
    assert repair_mojibake(once) == once or once != text
