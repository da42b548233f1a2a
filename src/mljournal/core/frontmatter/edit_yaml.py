"""YAML front-matter edits by line span: the lines of one top-level key are replaced, every other line kept.

The block is composed (never constructed) to find where each top-level key starts and ends; the new value is
rendered in the style of the old one (`yamledit.values`). Returns the new front-matter text; `edit` splices it
into the file and verifies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from mljournal.core.frontmatter.errors import FrontMatterEditError
from mljournal.core.frontmatter.read import Document
from mljournal.core.frontmatter.split import YAML_DELIMITER
from mljournal.core.text.splice import line_newline
from mljournal.core.yamledit.loader import SafeLoader
from mljournal.core.yamledit.scalar import render_key
from mljournal.core.yamledit.values import Style, render_value


def new_yaml_block(document: Document, key: str, value: Any, codec: str) -> str:
    """The whole text of a file without front-matter, with a new YAML block holding only `key` on top."""
    newline = document.newline
    ascii_only = _ascii_only(codec)
    prefix = render_key(key, ascii_only) + ":"
    lines = render_value(prefix, value, Style(), ascii_only)
    block = YAML_DELIMITER + newline + "".join(line + newline for line in lines) + YAML_DELIMITER + newline
    return block + document.text


@dataclass
class _Span:
    """The lines one top-level key takes in the front-matter, and its composed nodes."""

    key: Any
    first: int  # first line index (in front-matter lines)
    last: int  # last line index, inclusive
    key_node: yaml.Node
    value_node: yaml.Node


def _yaml_spans(fm_text: str) -> tuple[list[str], list[_Span]]:
    """The front-matter's lines and, for each top-level key, which lines hold it."""
    lines = fm_text.splitlines(keepends=True)
    # Compose (no construction): marks give each key's line; values are never evaluated.
    root = yaml.compose(fm_text, Loader=SafeLoader) if fm_text.strip() else None
    if root is None:
        return lines, []
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise FrontMatterEditError(
            "This front-matter is not a block of 'key: value' lines, so it can't be edited."
        )
    starts: list[tuple[yaml.Node, yaml.Node]] = list(root.value)
    spans: list[_Span] = []
    for index, (key_node, value_node) in enumerate(starts):
        first = key_node.start_mark.line
        limit = starts[index + 1][0].start_mark.line - 1 if index + 1 < len(starts) else len(lines) - 1
        last = limit
        # Blank lines and column-0 comments after a value belong to the layout, not to the key.
        while last > first and (not lines[last].strip() or lines[last].startswith("#")):
            last -= 1
        key_value = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        spans.append(_Span(key_value, first, last, key_node, value_node))
    return lines, spans


def _style_of(span: _Span, lines: list[str]) -> Style:
    node = span.value_node
    if node.start_mark.line < span.first or node.start_mark.line > span.last:
        return Style()  # an alias: the node lives elsewhere, so its look says nothing about this key
    if isinstance(node, yaml.SequenceNode):
        quote = _item_quote(node.value)
        if node.flow_style:
            return Style("flow-seq", quote=quote)
        if node.value:
            item = node.value[0]
            line = lines[item.start_mark.line]
            dash = line.find("-")
            gap = max(1, item.start_mark.column - dash - 1) if dash >= 0 else 1
            return Style("block-seq", quote=quote, dash_indent=max(dash, 0), dash_gap=gap)
        return Style("block-seq", quote=quote)
    if isinstance(node, yaml.MappingNode):
        return Style("flow-map" if node.flow_style else "block-map")
    if isinstance(node, yaml.ScalarNode):
        quote = node.style if node.style in ('"', "'") else None
        separator: str | None = None
        text = str(node.value)
        if node.tag == "tag:yaml.org,2002:str" and text.strip():
            if ", " in text:
                separator = ", "
            elif "," in text:
                separator = ","
        return Style("scalar", quote=quote, separator=separator)
    return Style()


def _item_quote(items: list[yaml.Node]) -> str | None:
    styles = {item.style for item in items if isinstance(item, yaml.ScalarNode)}
    if len(styles) == 1:
        style = styles.pop()
        return style if style in ('"', "'") else None
    return None


def _key_prefix(span: _Span, lines: list[str]) -> str:
    """The key as the user wrote it, up to and including the colon (``"title":``)."""
    line = lines[span.first]
    end_line = span.key_node.end_mark.line
    if end_line != span.first or span.key_node.start_mark.column != 0:
        raise FrontMatterEditError("This field's name is written in a way that can't be edited safely.")
    colon = line.find(":", span.key_node.end_mark.column)
    if colon < 0:
        raise FrontMatterEditError("This field's name is written in a way that can't be edited safely.")
    return line[: colon + 1]


def set_yaml(document: Document, key: str, value: Any, codec: str) -> str:
    """The new front-matter text with `key` set: its lines replaced in the old value's style, or appended."""
    fm_text = document.front_matter_text
    try:
        lines, spans = _yaml_spans(fm_text)
    except yaml.YAMLError as error:
        raise FrontMatterEditError("The front-matter is not valid YAML, so it can't be edited.") from error
    ascii_only = _ascii_only(codec)
    matches = [span for span in spans if span.key == key and isinstance(span.key_node, yaml.ScalarNode)]
    newline = document.newline
    if matches:
        # PyYAML keeps the last of duplicate keys, so that is the one the reader sees and we change.
        span = matches[-1]
        prefix = _key_prefix(span, lines)
        style = _style_of(span, lines)
        ending = line_newline(lines[span.last], newline)
        trailer = _trailing_comment(span, lines, style)
        rendered = render_value(prefix, value, style, ascii_only)
        if trailer and len(rendered) == 1:
            rendered[0] += trailer
        new_lines = [line + newline for line in rendered[:-1]] + [rendered[-1] + ending]
        return "".join(lines[: span.first] + new_lines + lines[span.last + 1 :])
    # An absent key goes at the end of the block.
    prefix = render_key(key, ascii_only) + ":"
    rendered = render_value(prefix, value, Style(), ascii_only)
    head = fm_text
    if head and not head.endswith(("\n", "\r")):
        head += newline
    return head + "".join(line + newline for line in rendered)


def _trailing_comment(span: _Span, lines: list[str], style: Style) -> str:
    """A ``  # comment`` after a one-line value, kept when the new value is also one line."""
    if span.first != span.last or style.kind not in ("scalar", "flow-seq", "flow-map"):
        return ""
    node = span.value_node
    if node.end_mark.line != span.first:
        return ""
    rest = lines[span.first][node.end_mark.column :].rstrip("\r\n")
    stripped = rest.lstrip()
    if stripped.startswith("#") and rest != stripped:
        return rest
    return ""


def remove_yaml(document: Document, key: str) -> str:
    """The new front-matter text without the lines of `key` (all of them, when the key is written twice)."""
    fm_text = document.front_matter_text
    try:
        lines, spans = _yaml_spans(fm_text)
    except yaml.YAMLError as error:
        raise FrontMatterEditError("The front-matter is not valid YAML, so it can't be edited.") from error
    matches = [span for span in spans if span.key == key]
    if not matches:
        raise FrontMatterEditError(
            f"The field {key!r} comes from elsewhere (a merge), so it can't be removed."
        )
    drop: set[int] = set()
    for span in matches:
        drop.update(range(span.first, span.last + 1))
    return "".join(line for index, line in enumerate(lines) if index not in drop)


def _ascii_only(codec: str) -> bool:
    """True for a single-byte file encoding (cp1252, latin-1): new text must then be written as ASCII."""
    return not codec.replace("bom+", "").startswith("utf")
