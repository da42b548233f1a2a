"""Writers racing each other: every change lands, or its command says it didn't; never exit 0 with it missing.

Real processes: twenty `mljournal tag` on one entry at once, and two `mljournal roadmap set` on the same roadmap
(round after round). Each write holds the journal's lock across read, check and replace, so none of them
reads bytes that another is about to replace.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import journal_factory
import pytest
from click.testing import CliRunner
from reliability_helpers import Child, entry_text

from mljournal.cli import main
from mljournal.core import locking
from mljournal.core.entries.store import StoreError
from mljournal.core.entries.tagging import current_tags, update_tags
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap, set_status

ENTRY = "entries/2024-03-01-race.md"
WRITERS = 20
ROUNDS = 10

ROADMAP = """\
# Two processes set two different topics at once; both changes must stay.
topics:
  - id: alpha
    title: Alpha
    status: todo
  - id: beta
    title: Beta
    status: todo
"""


def cli(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MLJOURNAL_DIR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "mljournal", "-j", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def make_journal(root: Path) -> Journal:
    files = {ENTRY: entry_text("Race", "Racing writers.", tags="[start]")}
    return journal_factory.make_journal(root, files, roadmap=ROADMAP, index=True)


@pytest.mark.slow
def test_twenty_parallel_tag_commands_keep_all_twenty_tags(tmp_path: Path) -> None:
    journal = make_journal(tmp_path / "journal")
    processes = [cli(journal.root, "tag", ENTRY, f"+p{n}") for n in range(WRITERS)]
    results = [finish(process) for process in processes]
    tags = current_tags((journal.root / ENTRY).read_bytes())
    for n, (code, output) in enumerate(results):
        # Honest exit codes: success means the tag is in the file, and a failure says why in one line.
        if code == 0:
            assert f"p{n}" in tags, f"`tag +p{n}` exited 0 but its tag is missing: {output}"
        else:
            assert "busy" in output and "Traceback" not in output, output
    assert [code for code, _ in results] == [0] * WRITERS, [output for code, output in results if code]
    assert sorted(tags) == sorted(["start", *(f"p{n}" for n in range(WRITERS))])
    # Nothing but the tags line changed.
    assert (journal.root / ENTRY).read_text(encoding="utf-8").endswith("\n\nRacing writers.\n")


@pytest.mark.slow
def test_two_parallel_roadmap_set_commands_keep_both_changes(tmp_path: Path) -> None:
    journal = make_journal(tmp_path / "journal")
    for round_number in range(ROUNDS):
        status = ("done", "learning")[round_number % 2]
        first = cli(journal.root, "roadmap", "set", "alpha", status)
        second = cli(journal.root, "roadmap", "set", "beta", status)
        results = [finish(first), finish(second)]
        assert [code for code, _ in results] == [0, 0], results
        roadmap, problems = load_roadmap(journal.roadmap_path)
        assert problems == []
        statuses = {topic.id: topic.status for topic in roadmap.walk()}
        assert statuses == {"alpha": status, "beta": status}, f"round {round_number}: a change was lost"
    assert journal.roadmap_path.read_text(encoding="utf-8").startswith("# Two processes")


def test_a_writer_that_waits_too_long_says_busy_and_changes_nothing(
    tmp_path: Path, spawn: Callable[..., Child], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = make_journal(tmp_path / "journal")
    before_entry = (journal.root / ENTRY).read_bytes()
    before_roadmap = journal.roadmap_path.read_bytes()
    holder = spawn("hold-journal-lock", str(journal.root), "60")
    assert holder.read_line() == "locked"
    monkeypatch.setattr(locking, "LOCK_WAIT_SECONDS", 0.2)
    for args in (["tag", ENTRY, "+late"], ["roadmap", "set", "alpha", "done"]):
        result = CliRunner().invoke(main, ["-j", str(journal.root), *args], env={"MLJOURNAL_DIR": ""})
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "busy" in lines[0] and "Nothing was changed" in lines[0], result.output
    with pytest.raises(StoreError, match="busy"):
        update_tags(journal, ENTRY, add=["late"], remove=[])
    assert (journal.root / ENTRY).read_bytes() == before_entry
    assert journal.roadmap_path.read_bytes() == before_roadmap
    holder.kill()
    # Once the other writer is gone, the same change goes through.
    assert "late" in update_tags(journal, ENTRY, add=["late"], remove=[])
    set_status(journal.roadmap_path, "alpha", "done")


def test_a_tag_edit_raced_by_an_editor_is_applied_to_the_editors_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An editor doesn't take our lock: it saves between the tag command's read and its write.
    journal = make_journal(tmp_path / "journal")
    path = journal.root / ENTRY
    from mljournal.core.entries import store

    real_read = store.read_entry
    reads = 0

    def read_then_editor_saves(journal_: Journal, relpath: str) -> tuple[bytes, store.FileVersion]:
        nonlocal reads
        result = real_read(journal_, relpath)
        reads += 1
        if reads == 1:
            path.write_text(path.read_text(encoding="utf-8") + "A line the editor added.\n", encoding="utf-8")
        return result

    monkeypatch.setattr(store, "read_entry", read_then_editor_saves)
    assert update_tags(journal, ENTRY, add=["mine"], remove=[]) == ["start", "mine"]
    text = path.read_text(encoding="utf-8")
    assert text.endswith("A line the editor added.\n") and "mine" in current_tags(text.encode())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_quick_status_presses_in_the_app_each_advance_the_topic(tmp_path: Path) -> None:
    """`space` three times before any write lands: todo → learning → done → skipped, not learning three times."""
    from datetime import UTC, datetime

    from mljournal.tui.app import make_app
    from mljournal.tui.screens.main import MainScreen
    from mljournal.tui.widgets.navigator import Navigator

    journal = make_journal(tmp_path / "journal")
    app = make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False)

    async def settle() -> MainScreen:
        for _ in range(80):
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, MainScreen) and screen.ready and not any(w.is_running for w in app.workers):
                return screen
        raise AssertionError("the main screen never settled")

    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle()
        navigator = screen.query_one(Navigator)
        assert navigator.select_key("topic:alpha")
        await settle()
        navigator.focus()
        # Three presses handled before the first write has landed (a fast typist, a slow disk).
        for _ in range(3):
            navigator.action_cycle_status()
        await settle()
    roadmap, _problems = load_roadmap(journal.roadmap_path)
    alpha = roadmap.find("alpha")
    assert alpha is not None and alpha.status == "skipped"
