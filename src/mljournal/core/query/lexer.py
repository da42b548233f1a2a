"""The search language's lexer: what the user typed, as tokens (words, phrases, `key:value` filters, operators).

Also how a value or a text is written so that the language or FTS5 reads it back as exactly that text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

FILTER_KEYS: tuple[str, ...] = ("tag", "topic", "title", "on", "date", "after", "before")
"""Every `key:` the language understands (matched case-insensitively)."""

_OPERATORS = frozenset({"OR", "NOT", "AND"})
_KEY_RE = re.compile(r"([A-Za-z]+):")
_QUOTED_RE = re.compile(r'"([^"]*(?:""[^"]*)*)("?)')
_BARE_RE = re.compile(r"\S*")
_WS_RE = re.compile(r"\s*")
_SAFE_VALUE_RE = re.compile(r"[\w.+/@:-]+")


def quote_value(value: str) -> str:
    """`value` written so that `tag:`, `topic:`, `on:` ... read it back exactly, e.g. ``"deep learning"``.

    Simple values stay bare (``ml``, ``2024-01``, ``ml.basics``); anything else is quoted with internal quotes
    doubled. NUL and lone surrogates cannot be represented and are dropped by the parser.
    """
    if _SAFE_VALUE_RE.fullmatch(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def fts_string(text: str) -> str:
    """`text` as an FTS5 string literal: whatever it contains, FTS5 reads it as words, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(slots=True)
class _Token:
    raw: str
    """The input this token came from, for hints."""
    negated: bool = False
    key: str | None = None
    """A known filter key (lower-case; `#` becomes ``tag``), or None for text."""
    value: str = ""
    quoted: bool = False
    prefix: bool = False
    operator: str | None = None
    stripped_paren: bool = False


def _lex(text: str) -> Iterator[_Token]:
    """The input's tokens, lazily: the parser stops reading pasted text once it has enough."""
    pos = _WS_RE.match(text, 0).end()  # type: ignore[union-attr]  # \s* always matches
    n = len(text)
    while pos < n:
        start = pos
        stripped_paren = False
        while pos < n and text[pos] == "(":
            pos += 1
            stripped_paren = True
        negated = False
        if pos + 1 < n and text[pos] == "-" and not text[pos + 1].isspace() and text[pos + 1] != "-":
            negated = True
            pos += 1
        key: str | None = None
        key_match = _KEY_RE.match(text, pos)
        if key_match and key_match.group(1).lower() in FILTER_KEYS:
            key = key_match.group(1).lower()
            key = "on" if key == "date" else key
            pos = key_match.end()
        elif pos + 1 < n and text[pos] == "#" and not text[pos + 1].isspace():
            key = "tag"
            pos += 1
        token = _Token(raw="", negated=negated, key=key)
        if pos < n and text[pos] == '"':
            quoted = _QUOTED_RE.match(text, pos)
            assert quoted is not None  # the pattern matches any string starting with a quote
            token.value = quoted.group(1).replace('""', '"')
            token.quoted = True
            pos = quoted.end()
            if pos < n and text[pos] == "*":
                token.prefix = True
                pos += 1
        else:
            bare = _BARE_RE.match(text, pos)
            assert bare is not None
            value = bare.group()
            pos = bare.end()
            # A trailing ")" closes a group unless the word opened it itself, as in f(x).
            closing = min(value.count(")") - value.count("("), len(value) - len(value.rstrip(")")))
            if closing > 0:
                value = value[:-closing]
                stripped_paren = True
            if key is None or key == "title":
                stripped = value.rstrip("*")
                token.prefix = stripped != value and stripped != ""
                value = stripped if token.prefix else value
            if key is None and not negated and not stripped_paren and value in _OPERATORS:
                token.operator = value
            token.value = value
        token.raw = text[start:pos]
        token.stripped_paren = stripped_paren
        yield token
        pos = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]
