"""Blocking loops and filters behind the main screen's file watcher; no widgets, so they test on their own."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from mljournal.core.journal import Journal, is_entry_relpath


def changed_entries(journal: Journal, changed: Iterable[Path]) -> tuple[set[str], bool]:
    """Split changed absolute paths into entry paths (relative to the journal) and whether roadmap.yaml changed.

    Hidden files and folders (editor swap files, our own temp files, `.mljournal/`) and anything outside the
    journal are ignored.
    """
    entries: set[str] = set()
    roadmap = False
    for path in changed:
        if path == journal.roadmap_path:
            roadmap = True
            continue
        try:
            relative = path.relative_to(journal.root)
        except ValueError:
            continue
        # The same rule as the index's walker: a change it would not index is not worth a refresh.
        if is_entry_relpath(relative.as_posix()):
            entries.add(relative.as_posix())
    return entries, roadmap


def watch_folder(
    folder: Path, *, recursive: bool, debounce_ms: int, stop: threading.Event
) -> Iterator[set[Path]]:
    """Yield batches of changed paths under `folder` until `stop` is set (blocking: run it in a thread).

    `watchfiles` groups the events of `debounce_ms` into one batch, so an editor's save (temp file, rename)
    or a `git pull` of many files costs one index refresh.
    """
    from watchfiles import watch

    if not folder.is_dir():
        return
    for changes in watch(
        folder,
        recursive=recursive,
        debounce=debounce_ms,
        step=50,
        stop_event=stop,
        raise_interrupt=False,
    ):
        yield {Path(raw) for _change, raw in changes}
