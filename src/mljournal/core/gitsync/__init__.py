"""Sync a journal between machines through git: commit what changed, pull, keep both sides of a conflict, push.

The `git` command line is the engine: a user with a second machine already has it and its credentials, and
every step is one they can inspect or redo by hand. Each call is a fixed argv (never a shell) with a timeout,
stdin closed and prompts turned off, so a missing password makes a step fail with a message instead of hanging.

Only the journal's own files enter git: `entries/`, `roadmap.yaml`, `mljournal.toml`, `templates/` and the
root `.gitignore`, which keeps out `.mljournal/` (the index and the trash) and half-written temp files.

When both machines changed the same file, no words are lost: this machine's version stays in place and the
other machine's is written beside it as `<name>-conflict-<time><suffix>` (the editor's "keep both" naming,
`store.save_as_copy`); entries never get conflict markers. A merge that can't be finished that way is aborted,
so the repository is never left half-merged.
"""

from mljournal.core.gitsync.commit import ensure_gitignore, is_journal_path
from mljournal.core.gitsync.merge import KeptBoth
from mljournal.core.gitsync.runner import Git, SyncError
from mljournal.core.gitsync.sync import SyncResult, init_repository, open_repository, sync_journal

__all__ = [
    "Git",
    "KeptBoth",
    "SyncError",
    "SyncResult",
    "ensure_gitignore",
    "init_repository",
    "is_journal_path",
    "open_repository",
    "sync_journal",
]
