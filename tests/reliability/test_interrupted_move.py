"""A `roadmap move` killed half-way is finished by the next roadmap command or by the app, index included.

The killed process rewrote some entries and never re-indexed them; whoever finishes the move must re-index
every entry the move touched (this run's and the killed run's), so `topic:NEW` and `check` are right at once,
without waiting for a full `mljournal index`.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_helpers import Child, entry_text, write_files
from textual.pilot import Pilot

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.core.services.move_topic import pending_move
from mljournal.tui.app import make_app
from mljournal.tui.screens.main import MainScreen

ENTRIES = 30
KILL_AFTER = 12
ROADMAP = "topics:\n  - id: python\n    title: Python\n  - id: other\n    title: Other\n"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def interrupted_move(tmp_path: Path, spawn: Callable[..., Child]) -> Journal:
    """A journal whose index was in sync before a `move python py3` was SIGKILLed half-way."""
    files: dict[str, str | bytes] = {
        f"entries/2024-01-{n % 28 + 1:02d}-note-{n}.md": entry_text(
            f"Note {n}", f"body {n}", tags="[py]"
        ).replace("tags: [py]", "tags: [py]\ntopics: [python]")
        for n in range(ENTRIES)
    }
    journal = write_files(tmp_path / "journal", files)
    journal.roadmap_path.write_text(ROADMAP, encoding="utf-8")
    with Index(journal) as index:
        index.sync()
        assert len(index.topic_links()["python"]) == ENTRIES
    child = spawn("move-die-after", str(journal.root), "python", "py3", str(KILL_AFTER))
    child.process.communicate(timeout=120)
    assert child.process.returncode == -signal.SIGKILL, "the move was not killed half-way"
    assert pending_move(journal.roadmap_path) == ("python", "py3")
    return journal


def assert_move_finished_and_indexed(journal: Journal) -> None:
    roadmap, _problems = load_roadmap(journal.roadmap_path)
    assert roadmap.find("py3") is not None and roadmap.find("python") is None
    assert pending_move(journal.roadmap_path) is None
    # The index as it stands, without a sync: the finishing step itself must have refreshed it.
    with Index(journal) as index:
        links = index.topic_links()
    assert "python" not in links
    assert len(links["py3"]) == ENTRIES


@pytest.mark.slow
def test_the_next_roadmap_command_finishes_the_move_and_the_index(
    tmp_path: Path, spawn: Callable[..., Child]
) -> None:
    journal = interrupted_move(tmp_path, spawn)
    # A command that doesn't read the index itself: finishing the move must refresh it on its own.
    command = ["-j", str(journal.root), "roadmap", "set", "other", "learning"]
    result = CliRunner().invoke(main, command, env={"MLJOURNAL_DIR": ""})
    assert result.exit_code == 0, result.output
    assert "Finished an interrupted move" in result.output
    assert_move_finished_and_indexed(journal)


@pytest.mark.slow
@pytest.mark.anyio
async def test_the_app_finishes_the_move_and_the_index(tmp_path: Path, spawn: Callable[..., Child]) -> None:
    journal = interrupted_move(tmp_path, spawn)
    app = make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        said = " ".join(str(n.message) for n in app._notifications)
        assert "Finished an interrupted move" in said, said
    assert_move_finished_and_indexed(journal)


async def settle(pilot: Pilot[None]) -> MainScreen:
    app = pilot.app
    for _ in range(80):
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        busy = any(w.is_running for w in app.workers if not w.group.startswith("watch"))
        if isinstance(screen, MainScreen) and screen.ready and not busy:
            return screen
    raise AssertionError("the main screen never became ready")
