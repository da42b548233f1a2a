"""THE label parser (`mljournal.core.text.tags`): one cleaning rule for tags from files, forms and searches."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mljournal.core.text.tags import TAG_KEYS, clean_labels, labels_from_value, split_typed_labels, tag_key

labels = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@given(st.lists(labels, max_size=8))
def test_cleaning_twice_changes_nothing(items: list[str]) -> None:
    once = clean_labels(items)
    assert clean_labels(once) == once
    assert clean_labels(clean_labels(items, keep_hash=True), keep_hash=True) == clean_labels(
        items, keep_hash=True
    )


@given(st.lists(labels, max_size=8))
def test_clean_labels_are_trimmed_unique_and_in_first_seen_order(items: list[str]) -> None:
    cleaned = clean_labels(items)
    assert all(label and label == label.strip() and not label.startswith("#") for label in cleaned)
    assert len({label.casefold() for label in cleaned}) == len(cleaned)
    firsts: dict[str, str] = {}
    for item in items:
        label = item.strip().lstrip("#").strip()
        if label:
            firsts.setdefault(label.casefold(), label)
    assert cleaned == list(firsts.values())


@given(st.lists(labels.filter(lambda label: "," not in label), max_size=8))
def test_typed_labels_round_trip_through_a_comma_list(items: list[str]) -> None:
    cleaned = clean_labels(items)
    assert split_typed_labels(", ".join(cleaned)) == cleaned
    assert split_typed_labels(", ".join(items)) == cleaned


@given(st.lists(labels, max_size=8))
def test_a_list_value_gives_its_cleaned_items(items: list[str]) -> None:
    assert labels_from_value(items) == clean_labels(items)
    assert labels_from_value(tuple(items)) == clean_labels(items)


@given(labels)
def test_a_string_value_splits_on_commas_when_it_has_any_else_on_spaces(text: str) -> None:
    expected = split_typed_labels(text) if "," in text else clean_labels(text.split())
    assert labels_from_value(text) == expected


@given(labels)
def test_tag_key_is_the_lower_cased_clean_label_and_stable(text: str) -> None:
    key = tag_key(text)
    assert tag_key(key) == key
    assert key == "".join(clean_labels([text])).lower()


def test_the_tag_editor_and_the_new_entry_form_use_the_one_label_parser() -> None:
    from mljournal.tui.notes import new_entry, tags

    assert tags.split_typed_labels is split_typed_labels
    assert new_entry.split_typed_labels is split_typed_labels


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("", []),
        ("ml, deep learning, #ML", ["ml", "deep learning"]),
        ("ml  #python\tnumpy", ["ml", "python", "numpy"]),
        (["deep learning", " #nlp ", "", "NLP"], ["deep learning", "nlp"]),
        ([1, 2.5, True, False, date(2024, 1, 2), None], ["1", "2.5", "true", "false", "2024-01-02"]),
        (["a", ["b", ["c", ["d", ["e"]]]]], ["a", "b", "c", "d"]),
        (["a", {"b": "c"}], ["a"]),
        ({"x": "one two", "y": ["skipped"], "z": {"n": 1}}, ["one two"]),
        (7, ["7"]),
        (False, ["false"]),
    ],
)
def test_labels_from_odd_values(value: Any, expected: list[str]) -> None:
    assert labels_from_value(value) == expected


def test_keep_hash_only_trims_and_dedupes() -> None:
    assert clean_labels([" #ml ", "#ML", "ml", ""], keep_hash=True) == ["#ml", "ml"]
    assert clean_labels([" #ml ", "#ML", "ml", ""]) == ["ml"]


def test_the_tag_keys_are_read_in_this_order() -> None:
    assert TAG_KEYS == ("tags", "tag", "Tags")
