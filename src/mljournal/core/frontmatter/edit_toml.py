"""TOML front-matter edits: the ``key = value`` line(s) of one top-level key before the first table.

Also TOML value rendering. The span and string helpers are used by `core.config` to remember a setting in the
user's settings file the same byte-keeping way.
"""

from __future__ import annotations

import math
import re
import tomllib
from datetime import date, datetime
from typing import Any

from mljournal.core.frontmatter.errors import FrontMatterEditError
from mljournal.core.frontmatter.read import Document
from mljournal.core.text.splice import line_newline


def toml_key(key: str) -> str:
    """`key` bare when TOML allows it, else as a quoted key."""
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return toml_string(key)


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (one line, controls escaped as \\uXXXX)."""
    # Not merged with yamledit's yaml_double_quoted: YAML escapes C1, NEL, LS, PS and the BOM; TOML doesn't.
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    """`value` as TOML (floats as nan/inf, YAML writes .nan/.inf); None has no TOML form and is refused."""
    if value is None:
        raise FrontMatterEditError("TOML front-matter has no empty value; remove the field instead.")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise FrontMatterEditError(f"A {type(value).__name__} value cannot be stored in TOML front-matter.")


_TOML_TABLE_RE = re.compile(r"^\s*\[")


def toml_spans(fm_text: str) -> tuple[list[str], dict[str, tuple[int, int]], int]:
    """Top-level key -> (first, last) line indexes, and the index of the first table header."""
    lines = fm_text.splitlines(keepends=True)
    spans: dict[str, tuple[int, int]] = {}
    index = 0
    table_at = len(lines)
    while index < len(lines):
        line = lines[index]
        if _TOML_TABLE_RE.match(line):
            table_at = index
            break
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        # The smallest run of lines that parses on its own is this key's value (multi-line arrays/strings).
        for last in range(index, len(lines)):
            try:
                parsed = tomllib.loads("".join(lines[index : last + 1]).replace("\r\n", "\n"))
            except tomllib.TOMLDecodeError:
                continue
            if len(parsed) == 1:
                name = next(iter(parsed))
                if not isinstance(parsed[name], dict) or "." not in stripped.split("=", 1)[0]:
                    spans[name] = (index, last)
            index = last + 1
            break
        else:
            raise FrontMatterEditError("The TOML front-matter could not be split into fields.")
    return lines, spans, table_at


def set_toml(document: Document, key: str, value: Any) -> str:
    """The new front-matter text with `key` set: its line(s) replaced, or a line added before the first table."""
    fm_text = document.front_matter_text
    lines, spans, table_at = toml_spans(fm_text)
    newline = document.newline
    rendered = f"{toml_key(key)} = {_toml_value(value)}"
    if key in spans:
        first, last = spans[key]
        old = lines[first]
        prefix = old[: old.index("=") + 1]
        rendered = prefix + " " + _toml_value(value)
        ending = line_newline(lines[last], newline)
        new_lines = [*lines[:first], rendered + ending, *lines[last + 1 :]]
    else:
        if key in document.metadata:
            raise FrontMatterEditError(
                f"The TOML field {key!r} is a table; it can't be replaced by one line."
            )
        insert_at = table_at
        while insert_at > 0 and not lines[insert_at - 1].strip():
            insert_at -= 1
        before = lines[:insert_at]
        if before and not before[-1].endswith(("\n", "\r")):
            before[-1] += newline
        new_lines = [*before, rendered + newline, *lines[insert_at:]]
    return "".join(new_lines)


def remove_toml(document: Document, key: str) -> str:
    """The new front-matter text without the line(s) of `key`."""
    fm_text = document.front_matter_text
    lines, spans, _ = toml_spans(fm_text)
    if key not in spans:
        raise FrontMatterEditError(f"The TOML field {key!r} is a table; remove it by hand.")
    first, last = spans[key]
    return "".join(lines[:first] + lines[last + 1 :])
