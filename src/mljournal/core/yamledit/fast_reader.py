"""A reader for the simple front-matter most entries have, giving exactly what PyYAML's safe loader gives.

Nearly every entry's front-matter is a handful of `key: value` lines and a list or two. PyYAML reads such a
block in about 60 microseconds, most of it in its Python-level constructor; at 100,000 entries that is
seconds of a cold index. `load_simple_mapping` reads the common shapes directly and answers None for
anything else (nesting, anchors, tags, block scalars, multi-line values, comments after values, numbers
other than plain integers, dates with times, any escape), so the caller falls back to PyYAML, which then
also reports any problem. "Exactly" is checked by property tests against PyYAML and by every front-matter
in the test corpus.

Accepted, one per line (LF only; no tabs; no non-printable characters):

    key: value           a plain scalar, typed the way YAML 1.1 types it (str, bool, null, int, date)
    key: 'it''s'         single-quoted; "double-quoted" without backslashes
    key: [a, b, 'c']     a one-line flow list of such scalars
    key:                 followed by `- item` lines at one indentation, or nothing (null)
    # comment            at the start of a line, and blank lines
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.reader import Reader
from yaml.resolver import Resolver

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_ITEM_LINE = re.compile(r"( *)- +(.*)")
_PLAIN_INT = re.compile(r"0|[1-9][0-9]*")
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Characters a plain scalar may not start with (YAML indicators), and which this reader leaves to PyYAML.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`<=~.+ ")
_FLOW_FORBIDDEN = frozenset("[]{}\"'#")
_TAG_PREFIX = "tag:yaml.org,2002:"
# CR, NEL and the Unicode line separators end lines in YAML too; tabs and a BOM have rules of their own.
_NOT_SIMPLE_CHARS = ("\r", "\x85", "\u2028", "\u2029", "\t", "\ufeff")


class _NotSimple(Exception):
    """Raised inside the reader when the text needs the real YAML parser."""


def _plain(value: str, *, flow: bool) -> Any:
    """A plain scalar's value as PyYAML's safe loader builds it, or _NotSimple."""
    if not value or value[0] in _NOT_PLAIN_START or value != value.rstrip():
        raise _NotSimple
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        raise _NotSimple
    if flow and (":" in value or any(char in _FLOW_FORBIDDEN for char in value)):
        raise _NotSimple
    for tag, pattern in Resolver.yaml_implicit_resolvers.get(value[0], ()):
        if not pattern.match(value):
            continue
        kind = tag[len(_TAG_PREFIX) :]
        if kind == "bool":
            return SafeConstructor.bool_values[value.lower()]
        if kind == "null":
            return None
        if kind == "int" and _PLAIN_INT.fullmatch(value):
            return int(value)
        if kind == "timestamp":
            date = _PLAIN_DATE.fullmatch(value)
            if date is not None:
                try:
                    return datetime.date(int(date[1]), int(date[2]), int(date[3]))
                except ValueError:
                    pass  # not a real calendar date: PyYAML's path reports it
        raise _NotSimple  # floats, octal, sexagesimal, datetimes, ...: PyYAML's business
    return value


def _scalar(value: str, *, flow: bool = False) -> Any:
    if value[:1] == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotSimple
        return inner.replace("''", "'")
    if value[:1] == '"':
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != '"' or '"' in inner or "\\" in inner:
            raise _NotSimple
        return inner
    return _plain(value, flow=flow)


def _value(value: str) -> Any:
    if value[:1] == "[":
        if value[-1] != "]":
            raise _NotSimple
        inner = value[1:-1]
        if not inner.strip():
            return []
        items = [item.strip(" ") for item in inner.split(",")]
        if items[-1] == "":
            items.pop()  # YAML allows one trailing comma
        if any(not item or item[0] in "'\"" for item in items):
            raise _NotSimple
        return [_scalar(item, flow=True) for item in items]
    return _scalar(value)


def load_simple_mapping(text: str) -> dict[str, Any] | None:
    """`text` read as PyYAML's safe loader would read it, when it is simple (see the module docstring).

    None means "not simple": read it with PyYAML instead. Never raises.
    """
    if not text.strip() or any(char in text for char in _NOT_SIMPLE_CHARS):
        return None
    if Reader.NON_PRINTABLE.search(text):
        return None
    result: dict[str, Any] = {}
    open_key: str | None = None  # a `key:` with no value yet, which `- item` lines may fill
    items: list[Any] | None = None
    item_indent = -1
    try:
        for line in text.split("\n"):
            if not line or line[0] == "#":
                continue
            item = _ITEM_LINE.fullmatch(line)
            if item is not None:
                if open_key is None or (items and len(item[1]) != item_indent):
                    return None
                if items is None:
                    items, item_indent = [], len(item[1])
                    result[open_key] = items
                items.append(_scalar(item[2]))
                continue
            key = _KEY_LINE.fullmatch(line)
            if key is None or key[1].lower() in SafeConstructor.bool_values or key[1].lower() == "null":
                return None  # no line of ours, or a key YAML would read as true/false/null
            open_key, items = None, None
            if key[2] is None or key[2] == "":
                result[key[1]] = None
                open_key = key[1]
            else:
                result[key[1]] = _value(key[2])
    except _NotSimple:
        return None
    return result or None  # only comments: PyYAML reads no document at all
