"""Fixtures for the reliability suite (helpers live in reliability_helpers.py, importable by the tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from reliability_helpers import Child


@pytest.fixture
def spawn() -> Iterator[Callable[..., Child]]:
    """Start worker processes; any still running when the test ends are killed (only ours, by pid)."""
    children: list[Child] = []

    def start(*args: str, stdin: bool = False) -> Child:
        child = Child(*args, stdin=stdin)
        children.append(child)
        return child

    yield start
    for child in children:
        if child.process.poll() is None:
            child.kill()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No journal from the environment leaks into CLI runs."""
    monkeypatch.delenv("MLJOURNAL_DIR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MLJOURNAL_EXIT_WHEN_READY", raising=False)
