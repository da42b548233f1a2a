"""Re-reading the files a dialog or a note-taking screen just wrote into the index (blocking, for thread workers)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from mljournal.core.journal import Journal
from mljournal.tui.data import using_index

log = logging.getLogger(__name__)


def refresh_index(journal: Journal, relpaths: Iterable[str]) -> bool:
    """Re-read `relpaths` into the index (blocking: call it from a thread worker); False if that failed.

    The file on disk is already right when this runs; a failure here only delays the list, and the
    index's next sync repairs it, so it is logged rather than shown as an error.
    """
    paths = list(dict.fromkeys(relpaths))
    try:
        # The calling thread's index (`using_index`), like every other TUI read: one connection per worker
        # thread, and an index damaged meanwhile is rebuilt instead of failing the save's refresh.
        using_index(journal, lambda index: index.refresh(paths))
    except Exception:
        log.exception("could not refresh the index")
        return False
    return True
