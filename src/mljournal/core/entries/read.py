"""Turn a parsed file into an `Entry`: pick the title, date, tags and the rest out of whatever keys it uses.

Choices worth knowing:

- Tags keep the spelling of their first occurrence but are de-duplicated case-insensitively (``ML`` and
  ``ml`` are one tag; the index should compare them case-insensitively too). A ``#`` prefix is dropped.
- A string of tags is split on commas when it has any, else on whitespace (the label rules live in `text.tags`).
- ``published: false`` (Jekyll) counts as a draft, like ``draft: true``; the strings "true"/"false"/"yes"/
  "no" are read as the booleans they spell.
- Reading never raises: a failure anywhere becomes a `Problem` on the entry.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mljournal.core.dates import NormalisedDate, normalise_date
from mljournal.core.entries.fields import (
    CATEGORY_KEYS,
    DATE_KEYS,
    DESCRIPTION_KEYS,
    TAG_KEYS,
    UPDATED_KEYS,
    short_repr,
)
from mljournal.core.entries.tag_rules import tags_refusal
from mljournal.core.frontmatter import Document, parse_document
from mljournal.core.journal import read_regular_file
from mljournal.core.model import Entry, Problem
from mljournal.core.text.markdown.inline_tags import inline_tags
from mljournal.core.text.tags import labels_from_value

__all__ = ["entry_from_document", "load_entry", "word_count"]

_FILENAME_DAY_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\D|$)")
_H1_RE = re.compile(r"#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_H1_SCAN_LINES = 400
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_TRUE_WORDS = frozenset({"true", "yes", "on", "1", "y"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0", "n", ""})


def load_entry(
    journal_root: Path, path: Path | str, *, raw: bytes | None = None, mtime: float | None = None
) -> Entry:
    """Read the entry file at `path` (absolute, or relative to `journal_root`) into an `Entry`.

    Pass `raw` and `mtime` when the caller already has them (the indexer) to avoid reading twice. Never
    raises: an unreadable file gives an entry with a ``read-error`` problem.
    """
    root = Path(journal_root)
    absolute = Path(path) if Path(path).is_absolute() else root / path
    try:
        relpath = Path(os.path.relpath(absolute, root)).as_posix()
    except ValueError:  # a different drive on Windows
        relpath = absolute.as_posix()
    problems: list[Problem] = []
    if raw is None:
        try:
            raw = read_regular_file(absolute)
        except OSError as error:
            problems.append(Problem("read-error", f"The file could not be read: {error.strerror or error}."))
            raw = b""
    if mtime is None:
        try:
            mtime = absolute.stat().st_mtime
        except OSError:
            mtime = None
    entry = entry_from_document(relpath, parse_document(raw), mtime)
    entry.problems[:0] = problems
    return entry


def entry_from_document(relpath: str, doc: Document, mtime: float | None) -> Entry:
    """Build an `Entry` from a parsed `Document` (pure: no file access). Never raises."""
    stem = Path(relpath).stem
    try:
        return _build(relpath, stem, doc, mtime)
    except Exception as error:  # one odd value must not stop an import; report it instead
        problem = Problem("entry-error", f"Some fields could not be read ({error}); the text is still here.")
        body = doc.body
        return Entry(
            path=relpath,
            title=stem,
            date=None,
            body=body,
            body_line=_body_line(doc),
            word_count=len(body.split()),
            front_matter_format=doc.front_matter_format,
            problems=[*doc.problems, problem],
        )


def _build(relpath: str, stem: str, doc: Document, mtime: float | None) -> Entry:
    meta = doc.metadata
    problems = list(doc.problems)
    taxonomies = meta.get("taxonomies") if isinstance(meta.get("taxonomies"), dict) else {}
    body = doc.body

    title = _title(meta, body, stem)
    found, nested_updated = _front_matter_date(meta, problems)
    inferred = False
    if found is None:
        found = _filename_date(stem)
        if found is None and mtime is not None:
            found = normalise_date(datetime.fromtimestamp(mtime, UTC))
        inferred = found is not None
    updated = _updated(meta, nested_updated, problems)

    tags = labels_from_value(_first(meta, TAG_KEYS))
    refusal = tags_refusal(doc)
    if refusal is not None:
        problems.append(Problem("tags-not-editable", f"The tags are {refusal}; tag edits leave them alone."))
    if not tags and isinstance(taxonomies, dict):
        tags = labels_from_value(taxonomies.get("tags"))
    categories = labels_from_value(_first(meta, CATEGORY_KEYS))
    if not categories and isinstance(taxonomies, dict):
        categories = labels_from_value(taxonomies.get("categories"))
    keywords = labels_from_value(meta.get("keywords"))
    declared = {tag.casefold() for tag in tags}
    inline = [tag for tag in inline_tags(body) if tag.casefold() not in declared]
    topics = labels_from_value(meta.get("topics"))

    return Entry(
        path=relpath,
        title=title,
        date=found.iso if found else None,
        date_sort=found.sort_key if found else None,
        day=found.day if found else None,
        date_inferred=inferred,
        updated=updated.iso if updated else None,
        description=_description(meta),
        tags=tags + inline,
        inline_tags=inline,
        topics=topics,
        categories=categories,
        keywords=keywords,
        draft=_draft(meta),
        body=body,
        body_line=_body_line(doc),
        word_count=word_count(body),
        front_matter_format=doc.front_matter_format,
        problems=problems,
        minutes=_minutes(meta, problems),
    )


def _body_line(doc: Document) -> int:
    # The body is the text's tail (see `Document.body`): count the line breaks before it.
    return doc.text.count("\n", 0, len(doc.text) - len(doc.body)) + 1


_WORD_COUNT_PIECE = 1 << 20
"""Characters split at a time when counting words: see `word_count`."""


def word_count(body: str) -> int:
    """How many whitespace-separated words `body` has.

    A long body is counted a megabyte at a time (cut at whitespace, so no word is counted twice): one
    `split()` of a 30 MB body holds the GIL for over a second, and the app reads entries in thread workers,
    so its event loop (and every key press) would wait that long.
    """
    if len(body) <= _WORD_COUNT_PIECE:
        return len(body.split())
    count = 0
    start = 0
    while start < len(body):
        end = start + _WORD_COUNT_PIECE
        while end < len(body) and not body[end].isspace():
            end += 1
        count += len(body[start:end].split())
        start = end
    return count


def _get(meta: dict[str, Any], key: str) -> Any:
    """`meta[key]`, falling back to a differently-capitalised spelling (``Date``, ``TITLE``)."""
    if key in meta:
        return meta[key]
    lowered = key.lower()
    for name, value in meta.items():
        if name.lower() == lowered:
            return value
    return None


def _first(meta: dict[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        if key in meta and meta[key] is not None:
            return meta[key]
    return None


# ---- title ---------------------------------------------------------------------------------------------


def _title(meta: dict[str, Any], body: str, stem: str) -> str:
    text = _as_text(_get(meta, "title"))
    if text:
        return text
    heading = _first_heading(body)
    return heading or stem


def _as_text(value: Any) -> str:
    """A one-line display string for any YAML value ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(_CONTROL_RE.sub(" ", value).split())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(part for part in (_as_text(item) for item in value) if part)
    if isinstance(value, dict):
        # An i18n mapping ({en: ..., fr: ...}): English if present, else the first text.
        for key in ("en", "default"):
            if key in value and _as_text(value[key]):
                return _as_text(value[key])
        for item in value.values():
            text = _as_text(item)
            if text:
                return text
        return ""
    return " ".join(str(value).split())


def _first_heading(body: str) -> str:
    fence: str | None = None
    for count, line in enumerate(body.splitlines()):
        if count >= _H1_SCAN_LINES:
            break
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            marker = fence_match[1]
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None and line.startswith("#"):
            match = _H1_RE.fullmatch(line)
            if match and match[1].strip():
                return " ".join(match[1].split())
    return ""


# ---- dates ---------------------------------------------------------------------------------------------


def _front_matter_date(meta: dict[str, Any], problems: list[Problem]) -> tuple[NormalisedDate | None, Any]:
    """The entry's date from the first date key that holds one; also a nested ``updated`` (mkdocs style)."""
    nested_updated: Any = None
    for key in DATE_KEYS:
        value = _get(meta, key)
        if value is None or value == "":
            continue
        if key == "published" and (isinstance(value, bool) or normalise_date(value) is None):
            continue  # `published` is often a flag (true/false/"no"); only a real date counts
        if isinstance(value, dict):
            nested_updated = value.get("updated")
            value = value.get("created", value.get("date"))
        if isinstance(value, list | tuple):
            value = next((item for item in value if normalise_date(item) is not None), value)
        found = normalise_date(value)
        if found is not None:
            return found, nested_updated
        _report_bad_date(problems, key, value)
    return None, nested_updated


def _updated(meta: dict[str, Any], nested: Any, problems: list[Problem]) -> NormalisedDate | None:
    for key in UPDATED_KEYS:
        value = _get(meta, key)
        if value is None or value == "":
            continue
        found = normalise_date(value)
        if found is not None:
            return found
        _report_bad_date(problems, key, value)
    return normalise_date(nested) if nested is not None else None


def _report_bad_date(problems: list[Problem], key: str, value: Any) -> None:
    # The YAML reader already reported impossible calendar dates (Feb 30) with a line number.
    if isinstance(value, str) and any(p.code == "bad-date" and repr(value) in p.message for p in problems):
        return
    problems.append(Problem("bad-date", f"The {key!r} value {short_repr(value)} is not a date I can read."))


def _filename_date(stem: str) -> NormalisedDate | None:
    match = _FILENAME_DAY_RE.match(stem)
    return normalise_date(match[1]) if match else None


# ---- description and draft -----------------------------------------------------------------------------


def _description(meta: dict[str, Any]) -> str:
    for key in DESCRIPTION_KEYS:
        value = meta.get(key)
        if isinstance(value, str):
            if value.strip():
                return value.strip()
        elif value is not None:
            text = _as_text(value)
            if text:
                return text
    return ""


def _minutes(meta: dict[str, Any], problems: list[Problem]) -> float | None:
    """`minutes:` as a number of minutes spent; anything else is reported and counts as not given."""
    value = meta.get("minutes")
    if value is None:
        return None
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        # A quoted number (`minutes: "45"`) means the same; `45 min` is not read as anything.
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or number < 0:
        problems.append(
            Problem(
                "bad-minutes",
                f"The 'minutes' value {short_repr(value)} is not a number of minutes; it is left out.",
            )
        )
        return None
    return number


def _draft(meta: dict[str, Any]) -> bool:
    draft = _flag(meta.get("draft"))
    if draft is not None:
        return draft
    published = _flag(meta.get("published"))
    return published is False


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None
