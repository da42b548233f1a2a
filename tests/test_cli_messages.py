"""The command line says what it did: unknown topic ids with the ids meant, and which journal it used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from journal_factory import make_journal

from mljournal.cli import main
from mljournal.core.roadmap import parse_roadmap, unknown_topics_message


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    return make_journal(tmp_path / "journal", template="ml").root


def test_new_refuses_a_topic_the_roadmap_does_not_have(journal_dir: Path) -> None:
    result = CliRunner().invoke(
        main, ["-j", str(journal_dir), "new", "Eigen things", "--topic", "linear-algbra", "--no-edit"]
    )
    assert result.exit_code == 1
    assert "Not in the roadmap: linear-algbra (did you mean linear-algebra?)." in result.output
    assert "Traceback" not in result.output
    assert list((journal_dir / "entries").iterdir()) == []


def test_new_accepts_a_known_topic(journal_dir: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["-j", str(journal_dir), "new", "Eigen things", "--topic", "linear-algebra"],
        input="Body.\n",
    )
    assert result.exit_code == 0, result.output
    assert "  - linear-algebra" in (journal_dir / result.stdout.strip()).read_text(encoding="utf-8")


def test_new_with_a_topic_but_no_roadmap_says_so(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    (root / "entries").mkdir(parents=True)
    result = CliRunner().invoke(main, ["-j", str(root), "new", "X", "--topic", "numpy", "--no-edit"])
    assert result.exit_code == 1
    assert "Not in the roadmap: numpy. (the journal has no roadmap.yaml)" in result.output


def test_unknown_topics_message() -> None:
    roadmap, _ = parse_roadmap(
        "topics:\n  - id: bias-variance\n    title: Bias\n  - id: linear-algebra\n    title: LA\n"
    )
    assert unknown_topics_message(roadmap, ["bias-variance", "linear-algebra"]) is None
    assert unknown_topics_message(roadmap, ["Bias-Varaince", "zzz", "zzz"]) == (
        "Not in the roadmap: Bias-Varaince (did you mean bias-variance?), zzz."
    )


def test_the_user_data_journal_is_named_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No --journal, no $MLJOURNAL_DIR, no entries/ above the current folder: the per-user journal is used.
    monkeypatch.delenv("MLJOURNAL_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    expected = tmp_path / "data" / "mljournal" / "journal"
    result = CliRunner().invoke(main, ["search", "--json", "welcome"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Created a journal in your user data folder: {expected}\n"
    assert [item["title"] for item in json.loads(result.stdout)] == ["Welcome to mljournal"]
    result = CliRunner().invoke(main, ["search", "--json", "welcome"])
    assert result.stderr == f"Using the journal in your user data folder: {expected}\n"
    assert len(json.loads(result.stdout)) == 1


def test_an_explicit_journal_is_not_announced(journal_dir: Path) -> None:
    result = CliRunner().invoke(main, ["-j", str(journal_dir), "search", "--json", "x"])
    assert result.exit_code == 0 and result.stderr == "" and json.loads(result.stdout) == []
