"""The one base class for failures the user is told about, and the one way to word an OS error.

Every error the core raises on purpose (a refused edit, a busy journal, a broken roadmap) derives from
`MLJournalError`, and its `str()` is one sentence for the user. The CLI and the TUI show that sentence and
nothing else, so they catch this class instead of listing the domain errors by name.
"""

from __future__ import annotations

import errno


class MLJournalError(Exception):
    """An expected failure; ``str(error)`` is one sentence the user can act on."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "it is on a read-only file system",
    errno.ENOENT: "the file or its folder no longer exists",
    errno.EISDIR: "that path is a folder, not a file",
    errno.ENOTDIR: "a part of that path is a file, not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


def describe_os_error(action: str, what: str, error: OSError) -> str:
    """One sentence for the user about a failed write: ``Could not save roadmap.yaml: the disk is full.``

    Says what was being done to which file and why in plain words, never an errno or an exception name.
    """
    fallback = (error.strerror or str(error) or "the operating system refused").rstrip(".")
    reason = _REASONS.get(error.errno or 0) or fallback
    return f"Could not {action} {what}: {reason}. Nothing was changed."
