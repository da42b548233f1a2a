"""What an export contains: the chosen entries (read from their files), their links, and the roadmap."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mljournal.core.entries.links import LinkResolver, ResolvedLinks, resolve_links
from mljournal.core.entries.read import entry_from_document
from mljournal.core.frontmatter import parse_document
from mljournal.core.index import Index
from mljournal.core.journal import ENTRY_SUFFIXES, STATE_DIR, Journal, JournalError
from mljournal.core.model import Entry
from mljournal.core.roadmap import Roadmap, load_roadmap
from mljournal.core.text.slug import slugify, unique_name

Progress = Callable[[int, int], None]
"""Called with (done, total) as entries are read."""

_DAY_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]?")


@dataclass(slots=True)
class ExportEntry:
    """One entry as exported: the normalised fields, the raw front-matter, a URL slug and its links."""

    entry: Entry
    metadata: dict[str, Any]
    slug: str
    links: ResolvedLinks

    @property
    def path(self) -> str:
        return self.entry.path


@dataclass(slots=True)
class ExportSet:
    """Everything an exporter needs, newest entry first."""

    entries: list[ExportEntry]
    roadmap: Roadmap | None
    resolver: LinkResolver
    """Resolves links against the whole journal, exported or not."""
    roadmap_problems: list[str] = field(default_factory=list)
    hint: str | None = None
    """The search language's remark about the query, if it had one."""
    by_path: dict[str, ExportEntry] = field(init=False)

    _by_topic: dict[str, list[ExportEntry]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_path = {item.path: item for item in self.entries}
        self._by_topic = {}
        for item in self.entries:
            for topic_id in dict.fromkeys(item.entry.topics):
                self._by_topic.setdefault(topic_id, []).append(item)

    def topic_entries(self, topic_id: str) -> list[ExportEntry]:
        """The exported entries linked to exactly this topic."""
        return self._by_topic.get(topic_id, [])


def collect(
    journal: Journal, index: Index, *, query: str = "", drafts: bool = False, progress: Progress | None = None
) -> ExportSet:
    """Read the entries `query` (the search language; "" for all) selects, without drafts unless `drafts`.

    Links are resolved against the whole journal, so a link to an entry left out of the export is known for
    what it is (and shown as text rather than as a broken link).
    """
    everything = index.prepare("")
    all_rows = index.page(everything, 0, index.count(everything))
    resolver = LinkResolver((row.path, row.title) for row in all_rows)
    prepared = index.prepare(query) if query.strip() else everything
    rows = all_rows if prepared is everything else index.page(prepared, 0, index.count(prepared))
    if not drafts:
        rows = [row for row in rows if not row.draft]
    rows.sort(key=lambda row: (row.date or "", row.path), reverse=True)
    entries: list[ExportEntry] = []
    taken: set[str] = set()
    for number, row in enumerate(rows, start=1):
        entry, metadata = _read(journal, row.path)
        if entry.draft and not drafts:
            continue  # the file says draft even if the index hadn't caught up
        links = resolve_links(entry.path, entry.body, resolver)
        entries.append(ExportEntry(entry, metadata, _unique_slug(entry.path, taken), links))
        if progress is not None:
            progress(number, len(rows))
    roadmap: Roadmap | None = None
    problems: list[str] = []
    if journal.roadmap_path.is_file():
        roadmap, found = load_roadmap(journal.roadmap_path)
        problems = [problem.message for problem in found]
    return ExportSet(entries, roadmap, resolver, problems, prepared.hint)


def linked_file(journal: Journal, relpath: str) -> Path | None:
    """The file at journal path `relpath` that an entry links to (an image, a PDF), if an export may copy it.

    Not entries (they are exported as pages or posts), nothing in the index folder, nothing outside the journal.
    """
    if relpath.split("/", 1)[0] == STATE_DIR or relpath.lower().endswith(ENTRY_SUFFIXES):
        return None
    try:
        absolute = journal.abspath(relpath)
    except JournalError:
        return None
    return absolute if absolute.is_file() else None


def _read(journal: Journal, relpath: str) -> tuple[Entry, dict[str, Any]]:
    path = journal.abspath(relpath)
    try:
        raw = path.read_bytes()
        mtime = path.stat().st_mtime
    except OSError as error:
        raise JournalError(f"Could not read {relpath}: {error.strerror or error}") from None
    document = parse_document(raw)
    return entry_from_document(relpath, document, mtime), dict(document.metadata)


def _unique_slug(relpath: str, taken: set[str]) -> str:
    """A URL-safe name for the entry from its file name (without a leading date), unique in this export."""
    stem = relpath.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    slug = unique_name(slugify(_DAY_PREFIX_RE.sub("", stem) or stem), taken)
    taken.add(slug)
    return slug
