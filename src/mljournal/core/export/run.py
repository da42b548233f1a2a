"""`export_journal`: the use case behind `mljournal export FORMAT DEST`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mljournal.core.atomic import atomic_write_bytes
from mljournal.core.export.blog import BLOG_FORMATS, blog_files
from mljournal.core.export.collect import collect
from mljournal.core.export.destination import ExportError, check_destination, write_export
from mljournal.core.export.html_site import site_files
from mljournal.core.export.json_file import GENERATOR, json_document
from mljournal.core.frontmatter.read import BLOCKING_CODES
from mljournal.core.index import Index
from mljournal.core.journal import Journal

FORMATS = ("html", *BLOG_FORMATS, "json")
JSON_FILE = "journal.json"

Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all): reading each entry, then writing each entry's file."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote, for the command's closing line."""

    export_format: str
    dest: Path
    entries: int
    files: int
    hint: str | None = None
    unread_front_matter: int = 0
    """Entries whose front-matter could not be fully read: exported with what could be, said after the export."""


def export_journal(
    journal: Journal,
    index: Index,
    export_format: str,
    dest: Path,
    *,
    drafts: bool = False,
    query: str = "",
    force: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> ExportReport:
    """Export the journal's entries (those `query` picks, drafts only with `drafts`) to `dest` as `export_format`.

    Refuses (`ExportError`) to overwrite a folder or file that an export didn't make, unless `force`.
    """
    if export_format not in FORMATS:
        raise ExportError(f"Unknown format {export_format!r}: use one of {', '.join(FORMATS)}.")
    dest = dest.expanduser().absolute()
    json_to_file = export_format == "json" and dest.suffix.lower() == ".json"
    if json_to_file:
        _check_json_file(journal, dest, force=force)
    else:
        replace_whole = check_destination(journal, dest, force=force)
    export = collect(journal, index, query=query, drafts=drafts, progress=_first_half(progress))
    if query.strip() and not export.entries:
        # Refused rather than writing an empty site over the last one because of a typo in the query.
        because = f" ({export.hint})" if export.hint else ""
        raise ExportError(f"The query {query!r} picks no entries{because}; nothing was exported.")
    total = len(export.entries)
    # Broken YAML is salvaged as far as it goes (title, date...), but what was lost must be said, not dropped.
    unread = sum(
        1 for item in export.entries if any(problem.code in BLOCKING_CODES for problem in item.entry.problems)
    )

    if export_format == "json":
        document = json_document(export)
        if json_to_file:
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(dest, document)
            files = 1
        else:
            files = write_export(
                dest, [(JSON_FILE, document)], replace_whole=replace_whole, export_format="json"
            )
        if progress is not None:
            progress(2 * total, 2 * total)
        return ExportReport(export_format, dest, total, files, export.hint, unread)

    if export_format == "html":
        title = export.roadmap.title if export.roadmap is not None and export.roadmap.title else journal.name
        generated: Iterable[tuple[str, bytes]] = site_files(journal, export, title=f"{title}")
    else:
        generated = blog_files(journal, export, export_format, today=today or date.today())
    files = write_export(
        dest, _counting(generated, total, progress), replace_whole=replace_whole, export_format=export_format
    )
    return ExportReport(export_format, dest, total, files, export.hint, unread)


def _first_half(progress: Progress | None) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total: progress(done, 2 * total)


def _counting(
    files: Iterable[tuple[str, bytes]], total: int, progress: Progress | None
) -> Iterator[tuple[str, bytes]]:
    """`files`, reporting progress as each entry's file (a page or a post) goes out."""
    written = 0
    for relpath, data in files:
        yield relpath, data
        if progress is not None and written < total and relpath.endswith((".html", ".md")):
            written += 1
            progress(total + written, 2 * total)
    if progress is not None:
        progress(2 * total, 2 * total)


def _check_json_file(journal: Journal, dest: Path, *, force: bool) -> None:
    resolved = dest.resolve()
    for inside in (journal.entries_dir.resolve(), journal.state_dir.resolve()):
        if inside in resolved.parents:
            raise ExportError(f"{dest} is inside the journal's {inside.name}/ folder; export somewhere else.")
    if not dest.exists() or force:
        if dest.is_dir():
            raise ExportError(f"{dest} is a folder; name a .json file, or a folder without the .json suffix.")
        return
    try:
        previous = json.loads(dest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    if not (isinstance(previous, dict) and previous.get("generator") == GENERATOR):
        raise ExportError(f"{dest} exists and wasn't made by mljournal export; use --force to replace it.")
