"""A theme picked in the app is remembered in the user's settings file, keeping every other byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from mljournal.core.config import ConfigWriteError, load_config, remember_setting


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings" / "config.toml"
    monkeypatch.setenv("MLJOURNAL_CONFIG", str(path))
    return path


def test_a_missing_file_is_created_with_the_setting(settings_file: Path) -> None:
    assert remember_setting("theme", "nord") == settings_file
    assert settings_file.read_text(encoding="utf-8") == 'theme = "nord"\n'
    assert load_config()[0].theme == "nord"


def test_only_the_theme_line_changes(settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    original = (
        '# my settings\r\neditor = "vim"   # keep this comment\r\ntheme="dracula" # mine\r\n'
        '\r\ndefault_tags = [\r\n  "til",\r\n]\r\n'
    )
    settings_file.write_bytes(original.encode("utf-8"))
    remember_setting("theme", "nord")
    assert settings_file.read_bytes() == original.replace(
        'theme="dracula" # mine', 'theme= "nord" # mine'
    ).encode("utf-8")
    config, problems = load_config()
    assert (config.theme, config.editor, config.default_tags, problems) == ("nord", "vim", ("til",), [])


def test_a_new_line_goes_before_the_first_table(settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text('editor = "vim"\n\n[extra]\nx = 1\n', encoding="utf-8")
    remember_setting("theme", "nord")
    assert settings_file.read_text(encoding="utf-8") == 'editor = "vim"\ntheme = "nord"\n\n[extra]\nx = 1\n'


def test_a_broken_file_is_left_as_it_is(settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_bytes(b"theme = [unclosed\n")
    with pytest.raises(ConfigWriteError, match="not valid TOML"):
        remember_setting("theme", "nord")
    assert settings_file.read_bytes() == b"theme = [unclosed\n"
