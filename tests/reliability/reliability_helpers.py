"""Shared by the reliability tests: child processes, a hang guard, and small journals on disk."""

from __future__ import annotations

import selectors
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from journal_factory import make_journal

from mljournal.core.journal import Journal

WORKERS = Path(__file__).with_name("reliability_workers.py")
T = TypeVar("T")


class Child:
    """A worker process from `reliability_workers.py`, with line-by-line reading that cannot hang."""

    def __init__(self, *args: str, stdin: bool = False) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKERS), *args],
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def read_line(self, timeout: float = 60.0) -> str:
        """The next line the child prints; fails the test (with the child's stderr) rather than hang."""
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                self.kill()
                pytest.fail(f"child {self.process.args} printed nothing for {timeout} s")
        line = self.process.stdout.readline()
        if not line:
            stderr = self.process.stderr.read() if self.process.stderr else ""
            pytest.fail(f"child {self.process.args} exited early:\n{stderr}")
        return line.rstrip("\n")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def finish(self, timeout: float = 60.0) -> str:
        """Wait for a clean exit and return the rest of stdout; fail with stderr otherwise."""
        out, err = self.process.communicate(timeout=timeout)
        assert self.process.returncode == 0, err
        return out

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate(timeout=30)


def within(seconds: float, func: Callable[[], T]) -> T:
    """Run `func` in a thread and return its result; fail if it has not returned after `seconds`.

    A guard against hanging the whole suite on a hostile input, not a timing assertion: the limit is far
    above what the work should cost on a slow, busy machine.
    """
    result: list[Any] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(func())
        except BaseException as exc:  # handed to the test thread below
            error.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"still running after {seconds} s: the input is not refused cheaply")
    if error:
        raise error[0]
    return result[0]  # type: ignore[no-any-return]


def entry_text(title: str, body: str, *, day: str = "2024-03-01", tags: str = "[ml]") -> str:
    """A plain entry file's text; `title` is placed in double quotes as given (escape it yourself)."""
    return f'---\ntitle: "{title}"\ndate: {day}\ntags: {tags}\n---\n\n{body}\n'


def write_files(
    root: Path,
    files: dict[str, str | bytes],
    *,
    roadmap: str | None = None,
    config: str | None = None,
    index: bool = False,
) -> Journal:
    """A journal at `root` holding `files` (journal-relative paths); no index is built unless asked."""
    return make_journal(root, files, roadmap=roadmap, config=config, index=index)


def many_entries(count: int) -> dict[str, str | bytes]:
    """`count` distinct, searchable entries spread over a few folders."""
    files: dict[str, str | bytes] = {}
    words = ("gradient", "tensor", "bayes", "kernel", "dropout", "softmax", "entropy")
    for i in range(count):
        word = words[i % len(words)]
        folder = f"entries/{2020 + i % 4}"
        files[f"{folder}/2024-01-{1 + i % 28:02d}-note-{i}.md"] = entry_text(
            f"Note {i} about {word}",
            f"Studied {word} today; number {i}. marker{i}x",
            day=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            tags=f"[{word}, batch{i % 5}]",
        )
    return files
