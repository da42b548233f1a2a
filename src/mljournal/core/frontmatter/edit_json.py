"""JSON front-matter edits: the object is re-serialised with the detected indent and key order.

JSON can't keep other keys' exact spacing, only their order and values.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from mljournal.core.frontmatter.read import Document


def json_default(value: Any) -> Any:
    """`json.dumps` help for dates, which JSON front-matter holds as ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def set_json(document: Document, key: str, value: Any, *, remove: bool = False) -> str:
    """The new front-matter text: the object re-serialised with `key` set (or removed), keeping indent and order."""
    fm_text = document.front_matter_text
    data = json.loads(fm_text)
    if remove:
        data.pop(key, None)
    else:
        data[key] = value
    indent = _json_indent(fm_text)
    dumped = json.dumps(data, indent=indent, ensure_ascii=False, default=json_default, allow_nan=False)
    if indent is not None and document.newline != "\n":
        dumped = dumped.replace("\n", document.newline)
    leading = fm_text[: len(fm_text) - len(fm_text.lstrip())]
    trailing = fm_text[len(fm_text.rstrip()) :]
    return leading + dumped + trailing


def _json_indent(fm_text: str) -> int | str | None:
    for line in fm_text.strip().splitlines()[1:]:
        stripped = line.lstrip()
        if stripped:
            pad = line[: len(line) - len(stripped)]
            return "\t" if pad.startswith("\t") else len(pad) or None
    return None
