"""Fixtures shared by the whole suite."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the checkout; tests that need it skip cleanly when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present beside this checkout")
    return SHARED_DIR


@pytest.fixture
def seeds_dir(shared_dir: Path) -> Path:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not present")
    return seeds


@pytest.fixture
def corpus_dir(shared_dir: Path) -> Path:
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    return corpus


# CI explores the same examples every run, so a red build always reproduces; locally hypothesis keeps
# searching new ground.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _user_settings_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user settings (the app remembers a theme picked in the palette)."""
    if "MLJOURNAL_CONFIG" not in os.environ:
        monkeypatch.setenv("MLJOURNAL_CONFIG", str(tmp_path_factory.mktemp("user-settings") / "config.toml"))


@pytest.fixture(autouse=True)
def _cancelled_workers_count_as_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    """`app.workers.wait_for_complete()` in a test waits for every worker, and raises if one was cancelled.

    The app cancels workers on purpose (a newer search replaces an older one; a screen that closes takes its
    workers with it), so whether one is cancelled before the test looks depends on timing, and a loaded
    machine made such tests fail now and then. Cancelled counts as finished here; a worker that failed with
    an error still fails the test.
    """
    from textual.worker import Worker, WorkerCancelled
    from textual.worker_manager import WorkerManager

    async def wait_for_complete(self: WorkerManager, workers: Iterable[Worker[Any]] | None = None) -> None:
        for worker in list(workers or self):
            with contextlib.suppress(WorkerCancelled, asyncio.CancelledError):
                await worker.wait()

    monkeypatch.setattr(WorkerManager, "wait_for_complete", wait_for_complete)
