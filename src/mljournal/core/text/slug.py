"""File names for new entries: ``entries/YYYY-MM-DD-some-title.md``, safe on every platform and shell."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

__all__ = ["FALLBACK_SLUG", "entry_filename", "slugify"]

FALLBACK_SLUG = "entry"
"""Used when a title has no ASCII letters or digits at all (an emoji, a Japanese title)."""

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


def slugify(title: str, max_length: int = 60) -> str:
    """A lowercase, ``-``-separated ASCII slug of `title`, at most `max_length` characters, never empty.

    Accents are folded (``Café`` → ``cafe``); everything that is not a letter or digit becomes one ``-``, so
    no ``/``, ``..``, control or shell characters survive. Reserved device names get a suffix.
    """
    max_length = max(max_length, len(FALLBACK_SLUG))
    folded = unicodedata.normalize("NFKD", str(title).translate(_SPELLED_OUT))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG_RE.sub("-", ascii_text).strip("-")
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
