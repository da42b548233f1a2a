"""Pilot tests of the palette's "Sync with git" and the new-entry form's template choice."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Select

from mljournal.core.frontmatter.read import parse_document
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.tui.app import make_app
from mljournal.tui.notes.editor import EditorScreen
from mljournal.tui.notes.new_entry import NewEntryScreen
from mljournal.tui.screens.main import MainScreen

pytestmark = pytest.mark.anyio

PAPER_TEMPLATE = """\
---
tags: [paper]
---
Paper: {{title}}, read {{date}}, topic: {{topic}}.
"""


class ScreenApp(App[None]):
    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


async def settle(pilot: Any) -> None:
    for _ in range(5):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_the_form_offers_the_journals_templates_and_fills_the_chosen_one(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    (journal.root / "templates").mkdir()
    (journal.root / "templates" / "paper-notes.md").write_text(PAPER_TEMPLATE, encoding="utf-8")
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(
        lambda: NewEntryScreen(
            journal, existing_tags=[], roadmap=roadmap, topic="linear-algebra", clock=clock, highlight=False
        )
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewEntryScreen)
        # Setting a value the Select doesn't offer raises: this checks the template was offered.
        form.query_one("#new-template", Select).value = "paper-notes"
        form.query_one("#new-title", Input).focus()
        await pilot.press(*"Attention", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        document = parse_document(editor.text_area.text.encode("utf-8"))
        assert document.metadata["tags"] == ["paper"]
        assert document.body.strip() == "Paper: Attention, read 2024-05-01, topic: Linear algebra."


async def test_enter_on_the_template_after_picking_one_creates_the_entry(
    journal: Journal, clock: Callable[[], datetime]
) -> None:
    # The form's hint says "enter: create"; the template is the last field, so a learner picks one there and
    # presses enter. The Select used to open its list again instead, over and over.
    (journal.root / "templates").mkdir()
    (journal.root / "templates" / "paper-notes.md").write_text(PAPER_TEMPLATE, encoding="utf-8")
    roadmap, _ = load_roadmap(journal.roadmap_path)
    app = ScreenApp(
        lambda: NewEntryScreen(journal, existing_tags=[], roadmap=roadmap, clock=clock, highlight=False)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewEntryScreen)
        await pilot.press(*"Attention", "tab", "tab", "tab", "tab")
        select = form.query_one("#new-template", Select)
        assert select.has_focus
        await pilot.press("down")  # opens the list, as Textual's Select does
        await settle(pilot)
        assert select.expanded
        await pilot.press("down", "enter")  # picks paper-notes and closes the list
        await settle(pilot)
        assert select.value == "paper-notes" and not select.expanded
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert "Paper: Attention" in editor.text_area.text


def git(cwd: Any, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
async def test_the_palette_action_syncs_and_says_how_it_went(
    journal: Journal, clock: Callable[[], datetime], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(journal.root, "init", "--quiet", "--initial-branch=main")
    git(journal.root, "config", "user.name", "T")
    git(journal.root, "config", "user.email", "t@example.com")
    git(journal.root, "remote", "add", "origin", str(remote))
    async with make_app(journal, clock=clock, watch=False).run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        assert "Sync with git" in [command.title for command in screen.palette_commands()]
        messages: list[str] = []
        monkeypatch.setattr(screen, "notify", lambda message, **_options: messages.append(message))
        screen.action_sync_with_git()
        await settle(pilot)
        assert any("pushed to origin" in message for message in messages), messages
    log = subprocess.run(
        ["git", "log", "--format=%s", "main"], cwd=remote, check=True, capture_output=True, text=True
    )
    assert log.stdout.startswith("mljournal sync:")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
async def test_the_palette_sync_outside_a_repository_says_how_to_start(
    journal: Journal, clock: Callable[[], datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with make_app(journal, clock=clock, watch=False).run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        messages: list[str] = []
        monkeypatch.setattr(screen, "notify", lambda message, **_options: messages.append(message))
        screen.action_sync_with_git()
        await settle(pilot)
        assert any("sync --init" in message for message in messages), messages
