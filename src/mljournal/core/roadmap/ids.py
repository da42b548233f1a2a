"""Topic ids: the rule that makes one from a title, the `-2` suffix that makes it unique, and what is valid.

Frozen: `build` derives ids for bare-title topics with `slugify`, and entries link to those ids, so the rule
must not change under them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def slugify(title: str) -> str:
    """A lowercase ASCII id from a title: "Linear Algebra (basics)" → "linear-algebra-basics"."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] or slug[:60]
    return slug.strip("-") or "topic"


def unique_id(candidate: str, taken: Any) -> str:
    """`candidate`, or `candidate-2`, `candidate-3`... whichever is not in `taken`."""
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"


def is_valid_id(topic_id: str) -> bool:
    """Ids the app writes: ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit."""
    return _ID_PATTERN.fullmatch(topic_id) is not None
