"""The export's output folder: never overwrite what an export didn't make, and swap a finished export in whole.

- DEST absent, empty, or made by an earlier export (it holds `MARKER`): the export is written to a hidden
  folder beside DEST and then renamed into place, so DEST is never half old and half new, and entries that
  left the export leave the folder too.
- DEST holds anything else: refused, unless `force`; then the export's files are written into it one by one
  (each atomically) and nothing else in it is touched, so exporting into an existing Hugo site is safe.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mljournal.core.atomic import atomic_write_bytes
from mljournal.core.journal import Journal, JournalError

MARKER = ".mljournal-export"
"""The file that says "an mljournal export made this folder": its presence lets the next export replace it."""


class ExportError(JournalError):
    """An export refused or failed; the message is one sentence for the user."""


def check_destination(journal: Journal, dest: Path, *, force: bool) -> bool:
    """Whether `dest` may be replaced whole (True) or only written into (False, with `force`); else refuse."""
    dest = dest.expanduser().absolute()
    resolved, root = dest.resolve(), journal.root.resolve()
    if resolved == root or resolved in root.parents:
        raise ExportError(f"{dest} holds the journal itself; export to a folder of its own.")
    for inside in (journal.entries_dir.resolve(), journal.state_dir.resolve()):
        if resolved == inside or inside in resolved.parents:
            raise ExportError(f"{dest} is inside the journal's {inside.name}/ folder; export somewhere else.")
    if dest.exists() and not dest.is_dir():
        raise ExportError(f"{dest} is a file, not a folder.")
    if not dest.exists() or (dest / MARKER).is_file() or not any(dest.iterdir()):
        return True
    if force:
        return False
    raise ExportError(
        f"{dest} is not empty and wasn't made by mljournal export. "
        "Pick an empty folder, or use --force to write into it (nothing else in it is removed)."
    )


def write_export(
    dest: Path, files: Iterable[tuple[str, bytes]], *, replace_whole: bool, export_format: str
) -> int:
    """Write `files` ((relative path, bytes) pairs) under `dest`; return how many were written."""
    dest = dest.expanduser().absolute()
    if not replace_whole:
        count = 0
        for relpath, data in files:
            target = _inside(dest, relpath)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
            count += 1
        return count
    dest.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{dest.name}.mljournal-tmp-", dir=dest.parent))
    try:
        count = 0
        for relpath, data in files:
            target = _inside(building, relpath)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            count += 1
        marker = {"made_by": "mljournal export", "format": export_format}
        (building / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
        os.chmod(building, 0o755)  # mkdtemp's 0700 would hide the site from a web server
        _swap_in(building, dest)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return count


def _swap_in(building: Path, dest: Path) -> None:
    if not dest.exists():
        os.rename(building, dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.mljournal-old-", dir=dest.parent))
    old.rmdir()
    os.rename(dest, old)
    try:
        os.rename(building, dest)
    except BaseException:
        os.rename(old, dest)  # put the previous export back
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)


def _inside(folder: Path, relpath: str) -> Path:
    """`folder / relpath`, refusing a path that would climb out (exporters build paths from slugs, but still)."""
    target = (folder / relpath).resolve()
    if folder.resolve() not in target.parents:
        raise ExportError(f"Refusing to write {relpath!r} outside {folder}.")
    return folder / relpath
