"""Ten `mljournal add` at once: ten lines in today's daily note, every one of them exiting 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mljournal.core.services.setup import init_journal

WRITERS = 10


@pytest.mark.slow
def test_parallel_captures_all_land(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    init_journal(root)
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MLJOURNAL_DIR", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "mljournal", "-j", str(root), "add", f"capture number {n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for n in range(WRITERS)
    ]
    outputs = [(process.communicate(timeout=120)[0], process.returncode) for process in processes]
    assert [code for _output, code in outputs] == [0] * WRITERS, outputs
    (note,) = (root / "entries").glob("*-daily.md")
    text = note.read_text(encoding="utf-8")
    assert sorted(n for n in range(WRITERS) if f" capture number {n}\n" in text) == list(range(WRITERS))
    assert text.count("title:") == 1
