"""A journal's own mljournal.toml can't make `E` (or `mljournal new`) run a command without the user's yes.

Commands come from the user's config, $VISUAL or $EDITOR. An `editor = ...` that only the journal names is a
proposal: the app asks (showing the command with its control characters made visible), and runs it once,
always for that journal (remembered in the user's config folder, like `direnv allow`), runs the user's own
editor instead, or nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from reliability_helpers import entry_text, write_files
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from mljournal.cli import entries as cli_entries
from mljournal.cli import main
from mljournal.core.config import Config, is_editor_trusted, load_config, trusted_editors_path
from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
from mljournal.tui.dialogs.choice import TrustEditorDialog
from mljournal.tui.notes import external_editor as editor_module
from mljournal.tui.screens.main import MainScreen

pytestmark = pytest.mark.anyio

ENTRY = "entries/2024-03-01-note.md"
# What a hostile clone might carry: a command, with an OSC title sequence to retitle the terminal.
JOURNAL_EDITOR = "sh -c 'touch /tmp/mljournal-pwned' \x1b]0;pwned\x07"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Journal:
    monkeypatch.setenv("MLJOURNAL_CONFIG", str(tmp_path / "user" / "config.toml"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    toml_value = JOURNAL_EDITOR.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\u001b")
    toml_value = toml_value.replace("\x07", "\\u0007")
    config = f'editor = "{toml_value}"\ntheme = "nord"\n'
    return write_files(tmp_path / "journal", {ENTRY: entry_text("Note", "words")}, config=config)


def test_the_journals_editor_is_only_a_proposal(journal: Journal, tmp_path: Path) -> None:
    config, problems = load_config(journal)
    assert problems == []
    assert config.editor == "" and config.journal_editor == JOURNAL_EDITOR
    assert config.theme == "nord"  # other settings still come from the journal
    # The user's own editor stays the user's; the journal's is kept apart.
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / "config.toml").write_text('editor = "nano"\n', encoding="utf-8")
    config, _problems = load_config(journal)
    assert config.editor == "nano" and config.journal_editor == JOURNAL_EDITOR
    # Naming the user's own command is no proposal at all; and the field can't be set from a file.
    journal.config_path.write_text('editor = "nano"\njournal_editor = "evil"\n', encoding="utf-8")
    config, problems = load_config(journal)
    assert config == Config(editor="nano")
    assert [problem.code for _path, problem in problems] == ["config-unknown"]


class Recorder:
    """Stands in for the terminal hand-over (the headless driver cannot suspend); records each command."""

    def __init__(self) -> None:
        self.commands: list[str | None] = []

    def __call__(self, _app: App[Any], path: Path, editor: str | None = None) -> str | None:
        self.commands.append(editor)
        return None


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(40):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        if not isinstance(screen, MainScreen) or screen.ready:
            return


async def press_e(pilot: Pilot[None]) -> TrustEditorDialog | None:
    await pilot.press("E")
    for _ in range(20):
        await pilot.pause()
        if isinstance(pilot.app.screen, TrustEditorDialog):
            return pilot.app.screen
    await settle(pilot)
    return None


async def test_e_asks_before_running_the_journals_editor(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(editor_module, "edit_externally", recorder)
    config, _problems = load_config(journal)
    app = make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False, config=config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        # Cancel: nothing runs.
        dialog = await press_e(pilot)
        assert dialog is not None, "E ran the journal's editor without asking"
        shown = " ".join(str(widget.render()) for widget in dialog.query(Static))
        assert "touch /tmp/mljournal-pwned" in shown and "\x1b" not in shown and "\x07" not in shown
        await pilot.press("c")
        await settle(pilot)
        assert recorder.commands == []
        # Enter picks the focused answer, which is the user's own editor, not the stranger's command.
        assert await press_e(pilot) is not None
        await pilot.press("enter")
        await settle(pilot)
        assert recorder.commands == [""]
        # Once: runs it, remembers nothing.
        assert await press_e(pilot) is not None
        await pilot.press("o")
        await settle(pilot)
        assert recorder.commands == ["", JOURNAL_EDITOR]
        assert not is_editor_trusted(journal, JOURNAL_EDITOR)
        # Always: runs it and remembers it for this journal; the next E doesn't ask.
        assert await press_e(pilot) is not None
        await pilot.press("a")
        await settle(pilot)
        assert is_editor_trusted(journal, JOURNAL_EDITOR)
        assert await press_e(pilot) is None
        assert recorder.commands == ["", JOURNAL_EDITOR, JOURNAL_EDITOR, JOURNAL_EDITOR]
    stored = json.loads(trusted_editors_path().read_text(encoding="utf-8"))
    assert stored["journals"] == {str(journal.root.resolve()): [JOURNAL_EDITOR]}


def test_a_changed_command_is_asked_about_again(journal: Journal) -> None:
    from mljournal.core.config import trust_editor

    trust_editor(journal, JOURNAL_EDITOR)
    assert is_editor_trusted(journal, JOURNAL_EDITOR)
    assert not is_editor_trusted(journal, JOURNAL_EDITOR + " --more")
    assert not is_editor_trusted(Journal(journal.root.parent / "another"), JOURNAL_EDITOR)


@pytest.mark.parametrize(
    ("answer", "opened", "remembered"),
    [
        ("s\n", [], False),
        ("m\n", [None], False),
        ("o\n", [JOURNAL_EDITOR], False),
        ("a\n", [JOURNAL_EDITOR], True),
    ],
)
def test_new_asks_before_running_the_journals_editor(
    journal: Journal, monkeypatch: pytest.MonkeyPatch, answer: str, opened: list[str | None], remembered: bool
) -> None:
    edits: list[str | None] = []
    monkeypatch.setattr(cli_entries, "_stdin_is_terminal", lambda: True)
    monkeypatch.setattr(click, "edit", lambda *args, editor=None, **kwargs: edits.append(editor))
    result = CliRunner().invoke(
        main, ["-j", str(journal.root), "new", "Hello"], input=answer, env={"MLJOURNAL_DIR": ""}
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "touch /tmp/mljournal-pwned" in result.output
    assert edits == opened
    assert is_editor_trusted(journal, JOURNAL_EDITOR) is remembered
    if remembered:
        again = CliRunner().invoke(
            main, ["-j", str(journal.root), "new", "Again"], input="", env={"MLJOURNAL_DIR": ""}
        )
        assert again.exit_code == 0 and "asks to open" not in again.output
        assert edits == [JOURNAL_EDITOR, JOURNAL_EDITOR]
