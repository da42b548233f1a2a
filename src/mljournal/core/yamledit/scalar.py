"""THE YAML scalar renderer: one value (or one mapping key) as YAML text that reads back as exactly that value.

Front-matter edits, new entries and roadmap edits all render scalars here. Two rules for when a string may be
written plain (unquoted) exist, and `PlainRule` picks one:

- `READ_BACK` (front-matter): plain whenever PyYAML reads the plain text back as the same string.
- `LETTER_FIRST` (the roadmap's older, stricter rule, kept so roadmap edits write the same bytes as before):
  plain only when the text starts with a letter, is not one of y/n/yes/no/on/off/true/false/null, and holds no
  ``": "``, ``" #"``, trailing ``":"`` or tab. Its single quotes accept any printable text, tab and NEL
  included, where `READ_BACK` refuses line breaks and tabs inside single quotes.

Everything else (no quote asked for, or one that can't hold the text) comes out double-quoted, which can
hold any string.
"""

from __future__ import annotations

import enum
import math
import re
from datetime import date, datetime
from typing import Any

import yaml

from mljournal.core.yamledit.loader import SafeLoader

__all__ = [
    "PlainRule",
    "reads_back",
    "render_key",
    "render_scalar",
    "same_value",
    "single_quoted",
    "yaml_double_quoted",
]


class PlainRule(enum.Enum):
    """When a string may be written as a plain (unquoted) YAML scalar."""

    READ_BACK = "read-back"
    """Whenever the plain text reads back as the same string (the front-matter rule)."""
    LETTER_FIRST = "letter-first"
    """Only text that starts with a letter and avoids YAML's look-alikes (the roadmap's rule)."""


def yaml_double_quoted(text: str, *, ascii_only: bool = False) -> str:
    """`text` as a YAML double-quoted scalar that reads back exactly, whatever it holds.

    Printable characters are kept as they are; quotes, backslashes, controls (C0, DEL, C1), lone surrogates,
    the byte-order mark, non-characters and the characters YAML treats as line breaks (NEL, U+2028, U+2029)
    are escaped, so the result is always one line. `ascii_only` also escapes everything past ``~``, for files
    kept in a legacy single-byte encoding.
    """
    # Not merged with frontmatter.edit_toml's TOML string writer: TOML escapes with \uXXXX and allows raw C1,
    # YAML uses \x.. and must escape C1, NEL, LS, PS and the BOM.
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
        elif (
            code < 0x20
            or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF
            or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
            or (ascii_only and code > 0x7E)
        ):
            if code <= 0xFF:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def same_value(left: Any, right: Any) -> bool:
    """Equality that tells 1, 1.0 and True apart and treats NaN as equal to itself (for read-back checks)."""
    if isinstance(left, tuple):
        left = list(left)
    if isinstance(right, tuple):
        right = list(right)
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, list):
        return len(left) == len(right) and all(same_value(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        return list(left) == list(right) and all(same_value(left[key], right[key]) for key in left)
    if isinstance(left, datetime):
        return left == right and left.utcoffset() == right.utcoffset()
    return bool(left == right)


SAFE_CHAR_RE = re.compile("[\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
"""Text YAML can hold outside double quotes (printable, minus the BOM and the non-characters)."""


def single_quoted(text: str) -> str | None:
    """`text` in single quotes, or None when single quotes can't hold it (line breaks, tabs, controls)."""
    if not SAFE_CHAR_RE.fullmatch(text) or any(char in text for char in "\n\r\t"):
        return None
    return "'" + text.replace("'", "''") + "'"


def reads_back(snippet: str, expected: Any) -> bool:
    """True when `snippet`, a one-key mapping, reads back with `expected` as its only value."""
    try:
        loaded = yaml.load(snippet, Loader=SafeLoader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return False
    return isinstance(loaded, dict) and len(loaded) == 1 and same_value(next(iter(loaded.values())), expected)


def render_scalar(
    value: Any,
    *,
    quote: str | None = None,
    flow: bool = False,
    ascii_only: bool = False,
    plain: PlainRule = PlainRule.READ_BACK,
) -> str:
    """`value` as a YAML scalar that reads back as the same value.

    `quote` ("'" or '"') is the style to keep when it can hold the text; None asks for plain when `plain`
    allows it. `flow` says the scalar goes inside ``[...]``/``{...}``, where commas and brackets need quotes.
    `ascii_only` keeps the result ASCII (escaped in double quotes), for files in a single-byte encoding.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e", 1)  # PyYAML (YAML 1.1) needs a dot to see a float
        return text
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if plain is PlainRule.LETTER_FIRST:
        return _letter_first(text, quote=quote, flow=flow, ascii_only=ascii_only)
    if quote == '"':
        return yaml_double_quoted(text, ascii_only=ascii_only)
    if quote == "'" and not (ascii_only and not text.isascii()):
        single = single_quoted(text)
        if single is not None and reads_back(
            f"k: [{single}]" if flow else f"k: {single}", [text] if flow else text
        ):
            return single
    if (
        text
        and text == text.strip()
        and "\n" not in text
        and SAFE_CHAR_RE.fullmatch(text)
        and not (ascii_only and not text.isascii())
    ):
        snippet = f"k: [{text}]" if flow else f"k: {text}"
        if reads_back(snippet, [text] if flow else text):
            return text
    return yaml_double_quoted(text, ascii_only=ascii_only)


def render_key(key: str, ascii_only: bool = False) -> str:
    """A mapping key that reads back as exactly `key` (``<<``, ``yes`` or ``1`` get quoted)."""
    plain_possible = key == key.strip() and "\n" not in key and "\r" not in key
    if plain_possible and SAFE_CHAR_RE.fullmatch(key) and not (ascii_only and not key.isascii()):
        try:
            loaded = yaml.load(f"{key}: 0", Loader=SafeLoader)
        except (yaml.YAMLError, ValueError, TypeError):
            loaded = None
        if isinstance(loaded, dict) and list(loaded) == [key] and type(next(iter(loaded))) is str:
            return key
    return yaml_double_quoted(key, ascii_only=ascii_only)


# ---------------------------------------------------------------------------------------------------------
# The roadmap's rule (PlainRule.LETTER_FIRST)


def _is_printable(value: str) -> bool:
    """YAML's printable set, tab and NEL included (what the roadmap's single quotes accept)."""
    return all(
        ch in "\t\n"
        or (" " <= ch <= "~")
        or ch == "\x85"
        or ("\xa0" <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch >= "\U00010000"
        for ch in value
    )


_LETTER_FIRST_RE = re.compile(r"[^\W\d_][^\n]*", re.UNICODE)
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _letter_first_plain(value: str, *, flow: bool) -> bool:
    if not _LETTER_FIRST_RE.fullmatch(value) or value != value.strip() or not _is_printable(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    # Flow indicators are fine in block context but end the value inside `{...}` or `[...]`.
    if flow and any(char in value for char in ",[]{}"):
        return False
    if value.lower() in _YAML_WORDS:
        return False
    try:
        return bool(yaml.load(f"k: {value}\n", Loader=SafeLoader) == {"k": value})
    except yaml.YAMLError:
        return False


def _letter_first(text: str, *, quote: str | None, flow: bool, ascii_only: bool) -> str:
    """The roadmap's choice: keep single quotes for any printable one-line text, plain by the letter rule."""
    # The roadmap never writes ASCII-only files; the guard only keeps `ascii_only` honest for other callers.
    fits = not (ascii_only and not text.isascii())
    if quote == "'" and fits and _is_printable(text) and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if quote is None and fits and _letter_first_plain(text, flow=flow):
        return text
    return yaml_double_quoted(text, ascii_only=ascii_only)
