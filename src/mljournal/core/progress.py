"""Progress reports from long work (index syncs, imports), thinned out for whoever shows them.

The core is headless: it only calls a `ProgressCallback` now and then. A display (the CLI's progress line, the
TUI's status line) has nothing to gain from more than a few updates a second, and a callback per file would
cost a sync of 100,000 entries measurable time, so `Throttled` passes on at most one report per interval,
plus the last one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

ProgressCallback = Callable[[int, int], None]
"""`progress(done, total)`: how many items (files) are done, of how many."""

PROGRESS_INTERVAL = 0.25
"""Seconds between two reports passed on by `Throttled` (the last report always goes through)."""


class Throttled:
    """Wraps a progress callback so that it is called at most every `PROGRESS_INTERVAL` seconds."""

    def __init__(self, report: ProgressCallback | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.report = report
        self._clock = clock
        self._last: float | None = None

    def __call__(self, done: int, total: int) -> None:
        """Pass `(done, total)` on if enough time has passed since the last report, or when done == total."""
        if self.report is None:
            return
        now = self._clock()
        if done >= total or self._last is None or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.report(done, total)
