"""A whole ``key: value`` as YAML lines: scalars, lists in the style the old value had, nested data, text blocks.

The front-matter editor hands in the key as the user wrote it (``prefix``) and the `Style` of the value it
replaces; this module decides the lines. Scalars go through `scalar.render_scalar`; nested mappings and lists
of mappings go through PyYAML's safe dumper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from mljournal.core.yamledit.scalar import SAFE_CHAR_RE, render_scalar

SUPPORTED_SCALARS = (str, bool, int, float, date, type(None))
"""The scalar types a front-matter value may hold (datetime is a date)."""


@dataclass
class Style:
    """How the value being replaced was written, so the new one can look the same."""

    kind: str = "new"  # "new", "scalar", "flow-seq", "block-seq", "flow-map", "block-map"
    quote: str | None = None  # '"' or "'" when the old string (or list items) were quoted
    dash_indent: int = 2  # spaces before "-" in a block list
    dash_gap: int = 1  # spaces between "-" and the item
    separator: str | None = None  # ", " / "," / " " when an old string held a list of words


def render_value(prefix: str, value: Any, style: Style, ascii_only: bool) -> list[str]:
    """The lines (without newlines) for `prefix` (``key:``) followed by `value`."""
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list) and style.separator and all(isinstance(item, str) for item in value):
        # The user writes this list as one string ("a, b"); keep it that way.
        joined = style.separator.join(value)
        return [f"{prefix} {render_scalar(joined, quote=style.quote, ascii_only=ascii_only)}"]
    if isinstance(value, list):
        if not value:
            return [f"{prefix} []"]
        scalars = all(isinstance(item, SUPPORTED_SCALARS) for item in value)
        if scalars and style.kind in ("flow-seq", "scalar"):
            items = ", ".join(
                render_scalar(item, flow=True, quote=style.quote, ascii_only=ascii_only) for item in value
            )
            return [f"{prefix} [{items}]"]
        if scalars:
            pad = " " * style.dash_indent + "-" + " " * style.dash_gap
            return [prefix] + [
                pad + render_scalar(item, quote=style.quote, ascii_only=ascii_only) for item in value
            ]
        return _dumped(prefix, value, ascii_only)
    if isinstance(value, dict):
        if not value:
            return [f"{prefix} {{}}"]
        return _dumped(prefix, value, ascii_only)
    if isinstance(value, str) and "\n" in value:
        block = block_literal(value, ascii_only)
        if block is not None:
            return [f"{prefix} {block[0]}", *block[1:]]
    return [f"{prefix} {render_scalar(value, quote=style.quote, ascii_only=ascii_only)}"]


def block_literal(text: str, ascii_only: bool) -> list[str] | None:
    """``|`` / ``|-`` block lines for a multi-line string, or None when a literal block can't hold it."""
    if ascii_only and not text.isascii():
        return None
    if not SAFE_CHAR_RE.fullmatch(text) or "\r" in text or "\t" in text:
        return None
    if text.endswith("\n\n") or text.startswith((" ", "\n")):
        return None  # keep-chomping or an indentation indicator would be needed; quoting is clearer
    header = "|" if text.endswith("\n") else "|-"
    body = text[:-1] if text.endswith("\n") else text
    lines = ["  " + line if line else "" for line in body.split("\n")]
    if any(line.endswith(" ") for line in lines):
        return None
    return [header, *lines]


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, but strings holding NEL (U+0085) are double-quoted.

    Left alone it writes NEL raw inside single quotes, where YAML reads it as a line break and folds it,
    so a nested value holding one could never be written back.
    """


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if "\x85" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_str)


def _dumped(prefix: str, value: Any, ascii_only: bool) -> list[str]:
    """`prefix` and `value` (nested data) dumped as an indented block."""
    dumped = yaml.dump(
        value,
        Dumper=_Dumper,
        default_flow_style=False,
        allow_unicode=not ascii_only,
        sort_keys=False,
        width=2**31 - 1,
        indent=2,
    )
    return [prefix] + ["  " + line if line else "" for line in dumped.rstrip("\n").split("\n")]
