"""Slugs: file names for new entries (``entries/YYYY-MM-DD-some-title.md``), topic ids, and free names.

Two slug rules live here on purpose. `slugify` names files and may improve; `topic_slug` gives roadmap topics
their ids and is frozen, because ids already written (and the entries that link to them) derive from it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Container
from pathlib import Path

__all__ = ["FALLBACK_SLUG", "TOPIC_FALLBACK_SLUG", "entry_filename", "slugify", "topic_slug", "unique_name"]

FALLBACK_SLUG = "entry"
"""Used when a title has no ASCII letters or digits at all (an emoji, a Japanese title)."""
TOPIC_FALLBACK_SLUG = "topic"
"""`topic_slug`'s answer for a title with no ASCII letters or digits."""
_TOPIC_MAX_LENGTH = 60

# Letters that Unicode decomposition does not reduce to ASCII but readers expect spelled out.
_SPELLED_OUT = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)

_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Device names Windows refuses as file names, with or without an extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)


def _ascii_fold(text: str, *, spell_out: bool) -> str:
    """`text` lower-cased in ASCII: accents folded (``é`` → ``e``), other letters dropped unless spelled out."""
    if spell_out:
        text = text.translate(_SPELLED_OUT)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def slugify(title: str, max_length: int = 60) -> str:
    """A lowercase, ``-``-separated ASCII slug of `title`, at most `max_length` characters, never empty.

    Accents are folded (``Café`` → ``cafe``); everything that is not a letter or digit becomes one ``-``, so
    no ``/``, ``..``, control or shell characters survive. Reserved device names get a suffix.
    """
    max_length = max(max_length, len(FALLBACK_SLUG))
    slug = _NOT_SLUG_RE.sub("-", _ascii_fold(str(title), spell_out=True)).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        # Prefer cutting at a word boundary, unless that would throw most of the slug away.
        boundary = cut.rfind("-")
        slug = cut[:boundary] if boundary > max_length // 2 else slug[:max_length]
        slug = slug.strip("-")
    if not slug:
        return FALLBACK_SLUG
    if slug in _RESERVED:
        slug = f"{slug}-{FALLBACK_SLUG}"
    return slug


def topic_slug(title: str) -> str:
    """A roadmap topic id from a title: "Linear Algebra (basics)" → "linear-algebra-basics". FROZEN.

    Topics written as a bare title get their id from this rule every time the roadmap is read, and entries link
    to those ids, so any change would unlink them. Hence its quirks stay: letters without an ASCII decomposition
    are dropped (``Straße`` → ``strae``), a long slug always loses its last, partial word, and device names are
    not avoided (an id is not a file name).
    """
    slug = _NOT_SLUG_RE.sub("-", _ascii_fold(title, spell_out=False)).strip("-")
    if len(slug) > _TOPIC_MAX_LENGTH:
        slug = slug[:_TOPIC_MAX_LENGTH].rsplit("-", 1)[0] or slug[:_TOPIC_MAX_LENGTH]
    return slug.strip("-") or TOPIC_FALLBACK_SLUG


def unique_name(candidate: str, taken: Container[str]) -> str:
    """`candidate`, or `candidate-2`, `candidate-3`... whichever is not in `taken` (which is not changed)."""
    if candidate not in taken:
        return candidate
    number = 2
    while f"{candidate}-{number}" in taken:
        number += 1
    return f"{candidate}-{number}"


def entry_filename(entries_dir: Path, day: str, title: str) -> Path:
    """A free path ``entries_dir/<day>-<slug>.md``, adding ``-2``, ``-3``... when the name is taken.

    Names are compared case-insensitively so two entries can't collide on macOS or Windows. Another process
    can still take the name after this returns: write with `atomic_create_bytes`, which refuses to replace.
    """
    if not _DAY_RE.fullmatch(day):
        raise ValueError(f"{day!r} is not a YYYY-MM-DD day")
    stem = f"{day}-{slugify(title)}"
    try:
        taken = {name.lower() for name in os.listdir(entries_dir)}
    except OSError:
        taken = set()
    candidate = f"{stem}.md"
    counter = 2
    while candidate.lower() in taken or os.path.lexists(entries_dir / candidate):
        candidate = f"{stem}-{counter}.md"
        counter += 1
    return Path(entries_dir) / candidate
