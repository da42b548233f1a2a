"""`mljournal import`: bring Markdown files from a blog or a notes tool into `entries/`, byte for byte."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mljournal.core.atomic import atomic_create_bytes
from mljournal.core.journal import (
    ENTRY_SUFFIXES,
    Journal,
    read_regular_file,
    undecodable_name,
    write_target,
)
from mljournal.core.progress import ProgressCallback, Throttled


@dataclass(slots=True)
class ImportReport:
    copied: list[str] = field(default_factory=list)
    """Journal-relative paths of the new files."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(source path, the reason it was not copied)."""


def import_sources(
    journal: Journal,
    sources: list[Path],
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Copy each Markdown file, or every Markdown file under each folder, into `entries/`.

    A folder keeps its structure under `entries/<folder name>/`. Nothing is ever overwritten: a file that is
    already there with the same bytes is skipped as imported, a different one is skipped and named. Symbolic
    links and hidden files are not followed or copied. Modification times are kept, since entries without a
    date fall back to them. `progress(done, total)` counts the files looked at, a few times a second.
    """
    report = ImportReport()
    # The folders are walked first, so that progress can say how many files there are in all.
    files: list[tuple[Path, Path]] = []
    entries_dir = journal.entries_dir
    write_target(journal.root, entries_dir)  # a symlinked entries/ leading out of the journal is refused
    entries_real = entries_dir.resolve()
    for source in sources:
        source = Path(source)
        if source.is_symlink():
            report.skipped.append((str(source), "a symbolic link (not followed)"))
        elif source.is_dir():
            real = source.resolve()
            if real == entries_real or entries_real in real.parents:
                report.skipped.append((str(source), "already inside this journal's entries/"))
                continue
            base = entries_dir / (real.name or "imported")
            for folder, dirnames, filenames in os.walk(source, followlinks=False):
                folder_path = Path(folder)
                for name in sorted(dirnames):
                    if name.startswith("."):
                        report.skipped.append((str(folder_path / name), "a hidden folder"))
                dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
                for name in sorted(filenames):
                    item = folder_path / name
                    files.append((item, base / item.relative_to(source)))
        elif source.is_file():
            files.append((source, entries_dir / source.name))
        else:
            report.skipped.append((str(source), "not a file or a folder"))
    report_progress = Throttled(progress)
    for done, (item, target) in enumerate(files, start=1):
        _import_file(journal, item, target, report, dry_run)
        report_progress(done, len(files))
    return report


def _import_file(journal: Journal, source: Path, target: Path, report: ImportReport, dry_run: bool) -> None:
    name = source.name
    if name.startswith("."):
        report.skipped.append((str(source), "a hidden file"))
        return
    if source.is_symlink():
        report.skipped.append((str(source), "a symbolic link (not followed)"))
        return
    if not name.lower().endswith(ENTRY_SUFFIXES):
        report.skipped.append((str(source), "not a Markdown file (.md, .markdown or .mdx)"))
        return
    relpath = journal.relpath(target)
    if undecodable_name(relpath):
        # The index could not hold it (see `walk_entry_files`): a copy would be an entry nobody can find.
        report.skipped.append((str(source), "its name is not valid UTF-8 (rename it, then import it)"))
        return
    try:
        # A pipe or device named like an entry would block a plain read forever.
        data = read_regular_file(source)
    except OSError as error:
        report.skipped.append((str(source), f"could not be read: {error.strerror or error}"))
        return
    if target.exists():
        try:
            same = read_regular_file(target) == data
        except OSError:
            same = False
        reason = (
            "already imported" if same else f"{relpath} already exists with other content (not overwritten)"
        )
        report.skipped.append((str(source), reason))
        return
    if dry_run:
        report.copied.append(relpath)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_create_bytes(target, data)
        stat = source.stat()
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    except FileExistsError:
        report.skipped.append((str(source), f"{relpath} appeared while importing (not overwritten)"))
        return
    except OSError as error:
        report.skipped.append((str(source), f"could not be written: {error.strerror or error}"))
        return
    report.copied.append(relpath)
