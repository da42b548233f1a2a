"""Quick capture (`mljournal add "text"`): one timestamped line appended to today's daily note.

Today's note is `entries/YYYY-MM-DD-daily.md`, created from the journal's `daily` template (or the bundled
one) on the first capture of the day. Each capture is one Markdown list item, `- HH:MM text #tag`, appended at
the end of the file (the daily template ends with its Log section); a multi-line text continues indented
under its item. `--tag` also adds the tag to the note's front-matter so `tag:` searches find it.

The append keeps every byte already in the file (its line endings included) and is one atomic write, made
under the journal's write lock, that refuses if another program changed the file between read and write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mljournal.core.dates import local_now
from mljournal.core.entries.store import StoreError
from mljournal.core.journal import ENTRIES_DIR, Journal, JournalError
from mljournal.core.locking import journal_lock
from mljournal.core.text.tags import split_typed_labels

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidi overrides: never written into an entry from a one-line capture."""


@dataclass(frozen=True, slots=True)
class Captured:
    """Where the line went and whether the daily note was made for it."""

    path: str
    created: bool
    line: str


def daily_note_path(day: str) -> str:
    """The journal-relative path of the daily note for `day` (YYYY-MM-DD)."""
    return f"{ENTRIES_DIR}/{day}-daily.md"


def capture_line(text: str, tags: Sequence[str], moment: datetime) -> str:
    """The Markdown list item for a capture (no final newline); StoreError for text that can't be written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise StoreError("Nothing to add: give the text to capture, or pipe it in.")
    if _CONTROL.search(text):
        raise StoreError("The text has control characters or hidden direction marks; nothing was added.")
    clean_tags = clean_capture_tags(tags)
    first, *rest = text.split("\n")
    lines = [f"- {moment.strftime('%H:%M')} {first}".rstrip()]
    lines += [f"  {line}".rstrip() for line in rest]
    if clean_tags:
        lines[-1] += " " + " ".join(f"#{tag}" for tag in clean_tags)
    return "\n".join(lines)


def clean_capture_tags(tags: Sequence[str]) -> list[str]:
    """Tags as given (`#` optional, commas split), deduplicated; StoreError for one with spaces in it."""
    # Checked before cleaning, which would trim the space out of `# ml`: a capture tag is one word as typed.
    for given in tags:
        for part in given.split(","):
            tag = part.strip().lstrip("#")
            if any(character.isspace() for character in tag) or _CONTROL.search(tag):
                raise StoreError(f"A tag can't hold spaces or control characters: {tag!r}.")
    return split_typed_labels(",".join(tags))


def add_to_daily(
    journal: Journal, text: str, *, tags: Sequence[str] = (), clock: Callable[[], datetime] = local_now
) -> Captured:
    """Append `text` as a timestamped line to today's daily note, making the note first if needed."""
    moment = clock()
    line = capture_line(text, tags, moment)
    clean_tags = clean_capture_tags(tags)
    day = moment.date().isoformat()
    relpath = daily_note_path(day)
    # Under the journal's write lock, twenty captures at once are twenty lines, not one and nineteen errors.
    with journal_lock(journal.root):
        if not (journal.root / relpath).exists() and _create_daily(journal, relpath, day, line, clean_tags):
            return Captured(relpath, True, line)
        _append(journal, relpath, line, clean_tags)
    return Captured(relpath, False, line)


def _create_daily(journal: Journal, relpath: str, day: str, line: str, tags: list[str]) -> bool:
    """Write today's note from the daily template with `line` at its end; False if it appeared meanwhile."""
    from datetime import date

    from mljournal.core.atomic import atomic_create_bytes
    from mljournal.core.entries.new import render_entry
    from mljournal.core.entries.templates import (
        DAILY_TEMPLATE,
        TemplateError,
        bundled_template_text,
        load_template,
        parse_template,
    )
    from mljournal.core.errors import describe_os_error

    try:
        template = load_template(journal, DAILY_TEMPLATE)
    except TemplateError:
        template = parse_template(DAILY_TEMPLATE, bundled_template_text(DAILY_TEMPLATE).encode("utf-8"))
    title = f"Daily log {day}"
    when = date.fromisoformat(day)
    body = template.fill(title=title, when=when).rstrip("\n") + "\n\n" + line + "\n"
    raw, _day = render_entry(title=title, body=body, tags=[*template.tags, *tags], date=when)
    try:
        path = journal.abspath(relpath)  # refuses an entries/ that links out of the journal
    except JournalError as error:
        raise StoreError(str(error)) from error
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_create_bytes(path, raw)
    except FileExistsError:
        return False
    except OSError as error:
        raise StoreError(describe_os_error("create", relpath, error)) from error
    return True


def _append(journal: Journal, relpath: str, line: str, tags: list[str]) -> None:
    from mljournal.core.entries.fields import TAG_KEYS
    from mljournal.core.entries.store import read_entry, save_entry
    from mljournal.core.entries.tagging import current_tags
    from mljournal.core.frontmatter import FrontMatterEditError, parse_document, set_field

    raw, version = read_entry(journal, relpath)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{relpath} is not UTF-8 text, so nothing was added to it.") from None
    before = current_tags(raw)
    known = {tag.casefold() for tag in before}
    missing = [tag for tag in tags if tag.casefold() not in known]
    if missing:
        key = next((key for key in TAG_KEYS if key in parse_document(raw).metadata), "tags")
        try:
            raw = set_field(raw, key, [*before, *missing])
        except FrontMatterEditError as error:
            raise StoreError(f"Could not add the tags to {relpath}: {error}") from error
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    if raw and not raw.endswith(b"\n"):
        raw += newline
    raw += line.replace("\n", newline.decode()).encode("utf-8") + newline
    save_entry(journal, relpath, raw, expected=version)
