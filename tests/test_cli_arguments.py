"""Query words and tag removals that start with `-` are words, never options (through click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from journal_factory import make_journal

from mljournal.cli import main


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    files = {
        "entries/keras.md": "---\ntitle: Keras layers\ntags: [scratch, draft, hh]\n---\nDense layers in keras.\n",
        "entries/numpy.md": "---\ntitle: Numpy arrays\ntags: [keep]\n---\nBroadcasting layers of arrays.\n",
    }
    return make_journal(tmp_path / "journal", files, template="blank").root


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-j", str(root), *args])


def found(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return sorted(item["path"] for item in json.loads(result.stdout))


def test_search_excludes_a_word_that_starts_with_a_dash(journal_dir: Path) -> None:
    # click read `-keras` as the short options -k -e -r -a -s: "No such option: -k".
    assert found(invoke(journal_dir, "search", "--json", "-keras")) == ["entries/numpy.md"]
    assert found(invoke(journal_dir, "search", "layers", "-keras", "--json")) == ["entries/numpy.md"]


def test_search_excludes_a_tag(journal_dir: Path) -> None:
    assert found(invoke(journal_dir, "search", "-tag:draft", "--json")) == ["entries/numpy.md"]
    # An `h` in the word is not `-h`, help.
    assert found(invoke(journal_dir, "search", "-tag:hh", "--json")) == ["entries/numpy.md"]
    assert found(invoke(journal_dir, "search", "-#scratch", "--json")) == ["entries/numpy.md"]


def test_search_options_still_work_anywhere(journal_dir: Path) -> None:
    result = invoke(journal_dir, "search", "-keras", "--limit", "1", "--json")
    assert found(result) == ["entries/numpy.md"]
    result = invoke(journal_dir, "search", "--limit=1", "layers", "--json")
    assert len(found(result)) == 1
    assert found(invoke(journal_dir, "search", "--json", "--", "-keras")) == ["entries/numpy.md"]
    help_result = invoke(journal_dir, "search", "-h")
    assert help_result.exit_code == 0 and "Usage:" in help_result.output
    missing = invoke(journal_dir, "search", "layers", "--limit")
    assert missing.exit_code == 2 and "Option '--limit' requires an argument." in missing.output
    typo = invoke(journal_dir, "search", "--jsn", "layers")
    assert typo.exit_code == 2 and "No such option '--jsn'" in typo.output


def test_tag_removes_a_tag_whose_name_holds_an_h(journal_dir: Path) -> None:
    # `-scratch` holds an `h`: click printed the usage text, exited 0 and changed nothing.
    result = invoke(journal_dir, "tag", "entries/keras.md", "+foo", "-scratch")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "entries/keras.md: draft, hh, foo"
    text = (journal_dir / "entries" / "keras.md").read_text(encoding="utf-8")
    assert "tags: [draft, hh, foo]" in text


def test_tag_removals_after_a_double_dash(journal_dir: Path) -> None:
    result = invoke(journal_dir, "tag", "entries/keras.md", "--", "-hh", "+bar")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "entries/keras.md: scratch, draft, bar"


def test_tag_help_and_missing_changes(journal_dir: Path) -> None:
    assert "Usage:" in invoke(journal_dir, "tag", "--help").output
    result = invoke(journal_dir, "tag", "entries/keras.md")
    assert result.exit_code == 2 and "Missing argument" in result.output
