"""Atomic file replacement: readers see the old bytes or the new ones, never a torn file."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from stat import S_ISREG

TEMP_PREFIX = ".mljournal-tmp-"
"""Temp files start with a dot and this prefix so that scans skip them and a crash leaves nothing that
looks like an entry; `cleanup_stale_temp_files` removes leftovers."""


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write `data` to `path` via a temp file in the same folder, fsync, then `os.replace`.

    Keeps the existing file's permission bits. On any error the temp file is removed and the original
    is untouched; the error propagates for the caller to report.
    """
    path = Path(path)
    folder = path.parent
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
    tmp_name = _write_temp(folder, data, mode)
    try:
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)


def atomic_create_bytes(path: Path, data: bytes) -> None:
    """Like `atomic_write_bytes`, but fails with `FileExistsError` instead of replacing a file.

    `os.link` refuses an existing target, so two writers racing for one name cannot overwrite each other.
    """
    path = Path(path)
    folder = path.parent
    tmp_name = _write_temp(folder, data, 0o644)
    try:
        os.link(tmp_name, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
    _fsync_folder(folder)


def _write_temp(folder: Path, data: bytes, mode: int) -> str:
    """A hidden temp file in `folder` holding `data`, flushed to disk; removed again if anything fails."""
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def _fsync_folder(folder: Path) -> None:
    # The rename itself lives in the directory: fsync it so the new name survives a power cut.
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


STALE_AFTER_SECONDS = 15 * 60
"""A temp file this old belongs to a write that died: no save takes minutes, and a younger one may still be
in the middle of another process's `atomic_write_bytes` (deleting it would make that save fail)."""


def cleanup_stale_temp_files(
    folder: Path, *, older_than: float = STALE_AFTER_SECONDS, now: float | None = None
) -> list[Path]:
    """Remove temp files an interrupted write left directly in `folder`; return what was removed.

    Only files last modified at least `older_than` seconds ago go, so a write in progress in another
    process is never disturbed. Never raises: a folder that can't be listed or written is left alone.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return remove_stale_temp_files(
        [Path(folder) / name for name in names if name.startswith(TEMP_PREFIX)],
        older_than=older_than,
        now=now,
    )


def remove_stale_temp_files(
    candidates: list[Path], *, older_than: float = STALE_AFTER_SECONDS, now: float | None = None
) -> list[Path]:
    """Remove those of `candidates` (temp files found by a scan) old enough to be abandoned. Never raises."""
    removed: list[Path] = []
    cutoff = (time.time() if now is None else now) - older_than
    for candidate in candidates:
        try:
            stat = candidate.lstat()
            if stat.st_mtime > cutoff or not S_ISREG(stat.st_mode):
                continue
            candidate.unlink()
        except OSError:
            continue
        removed.append(candidate)
    return sorted(removed)
