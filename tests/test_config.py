"""Settings from the user's config file and the journal's mljournal.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from journal_factory import make_journal

from mljournal.core.config import Config, load_config
from mljournal.core.journal import Journal


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Journal:
    monkeypatch.setenv("MLJOURNAL_CONFIG", str(tmp_path / "user.toml"))
    return make_journal(tmp_path / "j")


def test_defaults_without_any_file(journal: Journal) -> None:
    assert load_config(journal) == (Config(), [])


def test_the_journal_file_overrides_the_user_file(journal: Journal, tmp_path: Path) -> None:
    (tmp_path / "user.toml").write_text('theme = "nord"\neditor = "nano"\n', encoding="utf-8")
    journal.config_path.write_text('theme = "gruvbox"\ndefault_tags = ["ml"]\n', encoding="utf-8")
    config, problems = load_config(journal)
    assert problems == []
    assert config == Config(theme="gruvbox", editor="nano", default_tags=("ml",))


def test_bad_settings_are_reported_and_ignored(journal: Journal) -> None:
    journal.config_path.write_text('watch = "yes"\ncolour = 1\ntheme = "nord"\n', encoding="utf-8")
    config, problems = load_config(journal)
    assert config == Config(theme="nord")
    assert [p.code for _, p in problems] == ["config-type", "config-unknown"]
    assert "true or false" in problems[0][1].message


def test_a_broken_file_is_a_problem_not_a_crash(journal: Journal) -> None:
    journal.config_path.write_text("theme = \n", encoding="utf-8")
    config, problems = load_config(journal)
    assert config == Config()
    assert problems[0][0] == str(journal.config_path)
    assert problems[0][1].code == "config-parse"


def test_new_entries_start_with_the_default_tags(journal: Journal) -> None:
    from click.testing import CliRunner

    from mljournal.cli import main

    journal.config_path.write_text('default_tags = ["journal"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["-j", str(journal.root), "new", "Hello", "--tag", "x"], input="body\n")
    assert result.exit_code == 0, result.output
    text = (journal.root / result.output.strip()).read_text(encoding="utf-8")
    assert "journal" in text and "x" in text
    check = CliRunner().invoke(main, ["-j", str(journal.root), "check"])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize(("value", "ok"), [("30", True), ("true", False), ("0", False), ('"14"', False)])
def test_stale_days_is_a_positive_whole_number(journal: Journal, value: str, ok: bool) -> None:
    journal.config_path.write_text(f"stale_days = {value}\n", encoding="utf-8")
    config, problems = load_config(journal)
    if ok:
        assert (config.stale_days, problems) == (30, [])
    else:
        assert config.stale_days == 14
        assert [p.code for _, p in problems] == ["config-type"]
        assert "whole number" in problems[0][1].message
