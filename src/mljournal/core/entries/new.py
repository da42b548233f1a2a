"""Creating entries: the starter template, rendering a new entry's bytes, and writing it under a free name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date as date_type
from datetime import datetime
from typing import Any

from mljournal.core.atomic import atomic_create_bytes
from mljournal.core.dates import local_now
from mljournal.core.entries.store import _MAX_NAME_ATTEMPTS, StoreError, _locked, _store_errors, _write_path
from mljournal.core.frontmatter import parse_document, render_new_entry
from mljournal.core.journal import Journal
from mljournal.core.text import slug
from mljournal.core.text.tags import clean_labels

_TEMPLATE = """\
## What I worked on


## What I learned


## Still unclear


## Next

"""


def entry_template(title: str) -> str:
    """A starter body for a new entry: a few prompts that make a learning note useful a month later."""
    del title  # The title already lives in the front-matter; repeating it as a heading would duplicate it.
    return _TEMPLATE


_TEMPLATE_HEADINGS = frozenset(line for line in _TEMPLATE.splitlines() if line.startswith("#"))


def drop_empty_template_headings(text: str) -> str:
    """A new entry's text without the template's headings whose section the writer left empty.

    Only the body changes, and only the template's own headings (`## What I learned`...) with nothing but
    blank lines under them; a heading the writer typed, or any section with words in it, stays. When something
    was dropped, the body's trailing blank lines shrink to one line end.
    """
    document = parse_document(text.encode("utf-8"))
    head = text[: len(text) - len(document.body)]
    lines = document.body.splitlines(keepends=True)
    kept: list[str] = []
    dropped = False
    position = 0
    while position < len(lines):
        line = lines[position]
        if line.rstrip("\r\n") in _TEMPLATE_HEADINGS:
            following = position + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following == len(lines) or _heading_level(lines[following]) in (1, 2):
                dropped = True
                position = following
                continue
        kept.append(line)
        position += 1
    if not dropped:
        return text
    body = "".join(kept).rstrip()
    return head + (body + "\n" if body else "")


def _heading_level(line: str) -> int:
    """1 for `# x`, 2 for `## x`...; 0 for a line that is not an ATX heading."""
    level = len(line) - len(line.lstrip("#"))
    return level if 0 < level <= 6 and line[level : level + 1] in (" ", "\t", "\n", "\r", "") else 0


def render_entry(
    *,
    title: str,
    body: str = "",
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
    date: datetime | date_type | None = None,
    description: str = "",
    clock: Callable[[], datetime] = local_now,
) -> tuple[bytes, str]:
    """The bytes of a new entry (front-matter + body) and its day `YYYY-MM-DD`, without writing anything.

    The date defaults to `clock()` (local time with its offset, to the second). The editor shows these bytes
    for a new entry and writes them with `create_entry_file` on the first save.
    """
    title = title.strip()
    if not title:
        raise StoreError("A new entry needs a title.")
    when: datetime | date_type = clock() if date is None else date
    if isinstance(when, datetime):
        when = when.replace(microsecond=0)
    metadata: dict[str, Any] = {"title": title, "date": when}
    if description.strip():
        metadata["description"] = description.strip()
    clean_tags = clean_labels(tags, keep_hash=True)
    if clean_tags:
        metadata["tags"] = clean_tags
    clean_topics = clean_labels(topics, keep_hash=True)
    if clean_topics:
        metadata["topics"] = clean_topics
    return render_new_entry(metadata, body), when.isoformat()[:10]


def create_entry_file(journal: Journal, raw: bytes, *, day: str, title: str) -> str:
    """Write `raw` as a new file `entries/<day>-<slug of title>.md` and return its relpath; never replaces.

    A name that is taken, even by a file that appears between choosing the name and writing it, moves on to
    the next suffix.
    """
    entries_dir = _write_path(journal, journal.entries_dir)
    with _locked(journal), _store_errors("create", f"a new entry in {journal.entries_dir.name}/"):
        entries_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(_MAX_NAME_ATTEMPTS):
            path = slug.entry_filename(entries_dir, day, title)
            try:
                atomic_create_bytes(path, raw)
            except FileExistsError:
                # Someone took the name after entry_filename looked; it will see the file and move on.
                continue
            return journal.relpath(journal.entries_dir / path.relative_to(entries_dir))
    raise StoreError(f"Could not find a free file name for {title!r}.")


def create_entry(
    journal: Journal,
    *,
    title: str,
    body: str = "",
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
    date: datetime | date_type | None = None,
    description: str = "",
    clock: Callable[[], datetime] = local_now,
) -> str:
    """Write a new entry `entries/YYYY-MM-DD-slug.md` and return its relpath; never replaces a file."""
    raw, day = render_entry(
        title=title, body=body, tags=tags, topics=topics, date=date, description=description, clock=clock
    )
    return create_entry_file(journal, raw, day=day, title=title.strip())
