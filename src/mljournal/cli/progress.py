"""A progress line on stderr for the command line's long work: `mljournal index --rebuild`, `import`, ...

Rebuilding the index of 100,000 entries takes about half a minute; without a word in that time a command
looks hung. On a terminal, once the work has taken more than a second, one line shows how far it is::

    Indexing  ██████████░░░░░░░░░░  52,000/100,000  3,612/s  13 s left

and is erased when the work ends, so the command's own output starts on a clean line. When stderr is not a
terminal (a pipe, a file, CI) nothing is written: output stays as quiet and parseable as before.

Only the commands that do such work import this module; `mljournal search` loads it only if its own index
update turns out to be long.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

SHOW_AFTER = 1.0
"""Seconds of work before the line appears: quick commands never flash it."""

_BAR_WIDTH = 20


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def progress_text(label: str, done: int, total: int, elapsed: float, *, ascii_only: bool = False) -> str:
    """The progress line for `done` of `total` after `elapsed` seconds: count, rate and time left."""
    total = max(total, done)
    filled = _BAR_WIDTH if total == 0 else _BAR_WIDTH * done // total
    full, empty = ("#", "-") if ascii_only else ("█", "░")
    bar = full * filled + empty * (_BAR_WIDTH - filled)
    text = f"{label}  {bar}  {done:,}/{total:,}"
    if elapsed > 0 and done > 0:
        rate = done / elapsed
        text += f"  {rate:,.0f}/s  {_duration((total - done) / rate)} left"
    return text


class ProgressLine:
    """Shows `progress(done, total)` calls as one line on stderr, rewritten in place; see the module doc.

    Use it as a context manager so the line is erased however the work ends.
    """

    def __init__(
        self,
        label: str,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        started: float | None = None,
    ) -> None:
        """`started` is when the work began on `clock` (default: now), for a line made once work is under way."""
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._started = clock() if started is None else started
        self._shown_width = 0
        self.enabled = _is_terminal(self.stream)
        encoding = getattr(self.stream, "encoding", None) or ""
        self._ascii_only = "utf" not in encoding.lower()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        elapsed = self._clock() - self._started
        if elapsed < SHOW_AFTER:
            return
        width = shutil.get_terminal_size().columns - 1  # never the last column: some terminals wrap there
        text = progress_text(self.label, done, total, elapsed, ascii_only=self._ascii_only)[:width]
        # Spaces over what is left of a longer previous line, then back to the line's start.
        self.stream.write("\r" + text.ljust(self._shown_width))
        self.stream.flush()
        self._shown_width = len(text)

    def close(self) -> None:
        """Erase the line, if it was shown."""
        if self._shown_width:
            self.stream.write("\r" + " " * self._shown_width + "\r")
            self.stream.flush()
            self._shown_width = 0

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
