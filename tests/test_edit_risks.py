"""Edits that would lose the front-matter: what the editor asks about, and what `mljournal check` reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.entries.edit_risks import front_matter_losses
from mljournal.core.frontmatter.read import parse_document

ENTRY = b"""---
title: Attention
date: 2024-05-01
tags: [transformers, til]
topics: [deep-learning]
---

Queries, keys and values.
"""


def test_an_ordinary_edit_loses_nothing() -> None:
    assert front_matter_losses(ENTRY, ENTRY + b"More words.\n") == []
    assert front_matter_losses(ENTRY, ENTRY.replace(b"Attention", b"Self-attention")) == []
    # Changing the tags or topics is an edit, not a loss.
    assert front_matter_losses(ENTRY, ENTRY.replace(b"transformers, ", b"")) == []
    assert front_matter_losses(ENTRY, ENTRY.replace(b"deep-learning", b"nlp")) == []


def test_text_typed_above_the_front_matter_is_a_loss() -> None:
    losses = front_matter_losses(ENTRY, b"oops" + ENTRY)
    assert len(losses) == 2
    assert "Text comes before the front-matter" in losses[0]
    assert "title (Attention)" in losses[1]
    assert "tags (transformers, til)" in losses[1]
    assert "topics (deep-learning)" in losses[1]


def test_broken_or_unclosed_yaml_is_a_loss() -> None:
    broken = front_matter_losses(ENTRY, ENTRY.replace(b"date: 2024-05-01", b"date: [2024-05-01"))
    assert broken and broken[0].startswith("The front-matter would not be read")
    unclosed = front_matter_losses(ENTRY, ENTRY.replace(b"---\n\nQueries", b"\nQueries"))
    assert unclosed and "never closed" in unclosed[0]


def test_deleting_one_field_is_a_loss() -> None:
    assert front_matter_losses(ENTRY, ENTRY.replace(b"title: Attention\n", b"")) == [
        "The entry would lose its title (Attention)."
    ]
    assert front_matter_losses(ENTRY, ENTRY.replace(b"tags: [transformers, til]\n", b"tags: []\n")) == [
        "The entry would lose its tags (transformers, til)."
    ]


def test_a_file_that_was_already_broken_is_not_blamed_on_the_edit() -> None:
    broken = ENTRY.replace(b"date: 2024-05-01", b"date: [2024-05-01")
    assert front_matter_losses(broken, broken + b"more\n") == []
    plain = b"# Just Markdown\n\nNo front-matter at all.\n"
    assert front_matter_losses(plain, plain + b"more\n") == []


def test_toml_and_json_front_matter() -> None:
    toml = b'+++\ntitle = "Gradients"\ntags = ["maths"]\n+++\nBody\n'
    assert front_matter_losses(toml, toml + b"more\n") == []
    assert front_matter_losses(toml, toml.replace(b'tags = ["maths"]\n', b""))
    assert front_matter_losses(toml, toml.replace(b'"Gradients"', b'"Gradients'))
    json_entry = b'{\n  "title": "Schedules",\n  "tags": ["optim"]\n}\nBody\n'
    assert front_matter_losses(json_entry, json_entry + b"more\n") == []
    assert front_matter_losses(json_entry, b"x" + json_entry)


@pytest.mark.parametrize(
    "text",
    [
        "oops\n---\ntitle: Lost\ntags: [a]\n---\nbody\n",
        "oops\r\n---\r\ntitle: Lost\r\n---\r\nbody\r\n",
        "Some words\n\n+++\ntitle = 'Lost'\n+++\nbody\n",
        "oops---\ntitle: Lost\n---\nbody\n",
    ],
)
def test_the_reader_reports_front_matter_below_other_text(text: str) -> None:
    document = parse_document(text.encode())
    assert document.front_matter_format is None
    [problem] = document.problems
    assert problem.code == "misplaced-front-matter"
    assert problem.line in (1, 2, 3)


@pytest.mark.parametrize(
    "text",
    [
        "A paragraph.\n\n---\n\nAnother paragraph after a thematic break.\n\n---\n",
        "---\ntitle: Fine\n---\nbody\n\n---\ntitle: a table-like line in the body\n---\n",
        "Text\n---\ntitle: never closed\n",
    ],
)
def test_thematic_breaks_and_real_front_matter_are_not_misplaced(text: str) -> None:
    codes = [problem.code for problem in parse_document(text.encode()).problems]
    assert "misplaced-front-matter" not in codes


def test_check_reports_text_before_the_front_matter(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "journal"
    assert runner.invoke(main, ["init", str(root), "--template", "blank"]).exit_code == 0
    (root / "entries" / "2024-05-01-attention.md").write_bytes(b"oops" + ENTRY)
    result = runner.invoke(main, ["-j", str(root), "check"])
    assert result.exit_code == 1
    assert "entries/2024-05-01-attention.md:1: Text comes before the front-matter" in result.output
