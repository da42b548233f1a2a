"""Editing roadmap.yaml's text at the offsets the YAML parser reports: set a value, add a topic.

Every byte an edit does not touch (hand comments, ordering, quoting, indentation, blank lines) stays as the
user wrote it. These functions only produce the new text; `write` checks it by parsing before writing.
"""

from __future__ import annotations

import yaml

from mljournal.core.roadmap.build import _NULL_TAG, _line, _Parsed
from mljournal.core.roadmap.model import RoadmapError
from mljournal.core.text.splice import line_end, newline_of
from mljournal.core.yamledit.scalar import PlainRule, render_scalar


def _content_end(node: yaml.Node) -> int:
    """Where the last token written for `node` ends (block collections' own end marks include comments)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1])
    return int(node.end_mark.index)


def _insertion_point(text: str, node: yaml.Node) -> int:
    """The start of the line after everything written for `node`."""
    end = _content_end(node)
    last = node
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and not last.flow_style and last.value:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    if isinstance(last, yaml.ScalarNode) and last.style in ("|", ">") and end > 0 and text[end - 1] == "\n":
        return end
    return line_end(text, end)


def _insert_line(text: str, index: int, line: str) -> str:
    nl = newline_of(text)
    if index >= len(text) and text and not text.endswith("\n"):
        return text + nl + line + nl
    return text[:index] + line + nl + text[index:]


def roadmap_scalar(value: str, quote: str | None = None, *, flow: bool = False) -> str:
    """`value` as a YAML scalar by the roadmap's rule (`PlainRule.LETTER_FIRST`), keeping `quote` ("'" or '"')
    when it can hold the text. `flow`: the scalar goes inside `{...}`/`[...]`, where `,` and brackets need
    quotes. The roadmap keeps its stricter rule so its edits write the same bytes they always did."""
    return render_scalar(value, quote=quote, flow=flow, plain=PlainRule.LETTER_FIRST)


def _insert_in_flow_mapping(text: str, mapping: yaml.MappingNode, key: str, rendered: str) -> str:
    """`key: rendered` added as the last pair of the flow mapping `{...}`, just before its `}`."""
    close = int(mapping.end_mark.index) - 1
    if text[close] != "}":
        raise RoadmapError(f"The topic on line {_line(mapping)} has an unusual layout; edit it by hand.")
    separator = ", " if mapping.value else ""
    return text[:close] + f"{separator}{key}: {rendered}" + text[close:]


def _replace_value(
    text: str, mapping: yaml.MappingNode, key: str, value: str, after: tuple[str, ...], *, plain: bool = False
) -> str:
    """Set `key: value` in the topic `mapping`, replacing just the old value's characters or adding a line.

    `plain`: `value` is written as it is (a date or a count, which YAML reads back as the same text)."""
    pairs = [(k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    if len(pairs) > 1:
        raise RoadmapError(f"The topic on line {_line(mapping)} has `{key}:` twice; fix it by hand first.")
    if pairs:
        key_node, node = pairs[0]
        if not isinstance(node, yaml.ScalarNode):
            raise RoadmapError(f"`{key}:` on line {_line(node)} is not a single value; fix it by hand first.")
        style = node.style if node.style in ("'", '"') else None
        rendered = (
            value if plain and style is None else roadmap_scalar(value, style, flow=bool(mapping.flow_style))
        )
        start, end = int(node.start_mark.index), int(node.end_mark.index)
        if node.style in ("|", ">"):
            return text[:start] + rendered + newline_of(text) + text[end:]
        if start == end:
            # An empty value (`status:`): the new one goes after the colon.
            colon = text.index(":", int(key_node.end_mark.index))
            return text[: colon + 1] + " " + rendered + text[colon + 1 :]
        return text[:start] + rendered + text[end:]
    rendered = value if plain else roadmap_scalar(value, flow=bool(mapping.flow_style))
    if mapping.flow_style:
        return _insert_in_flow_mapping(text, mapping, key, rendered)
    names = {k.value: v for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}
    anchor_value = next((names[name] for name in after if name in names), mapping.value[-1][1])
    column = int(mapping.value[0][0].start_mark.column)
    index = _insertion_point(text, anchor_value)
    return _insert_line(text, index, " " * column + f"{key}: {rendered}")


def _child_offset(parsed: _Parsed) -> int:
    """How far this file indents a list's dash under its key (0 or 2, usually), learnt from the file itself."""
    for nodes in parsed.nodes.values():
        for node in nodes:
            for key, value in node.value:
                if (
                    isinstance(key, yaml.ScalarNode)
                    and key.value == "children"
                    and isinstance(value, yaml.SequenceNode)
                    and not value.flow_style
                    and value.value
                ):
                    return _dash_column(parsed.text, value.value[0]) - int(key.start_mark.column)
    if isinstance(parsed.root, yaml.MappingNode):
        for key, value in parsed.root.value:
            if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                return _dash_column(parsed.text, value.value[0]) - int(key.start_mark.column)
    return 2


def _dash_column(text: str, item: yaml.Node) -> int:
    start = int(item.start_mark.index)
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip(" ")
    if before.endswith("-"):
        return len(before) - 1
    return max(int(item.start_mark.column) - 2, 0)


def _block_item(fields: list[tuple[str, str]], dash_column: int, key_column: int) -> list[str]:
    lines = []
    for n, (key, value) in enumerate(fields):
        if n == 0:
            gap = max(key_column - dash_column - 1, 1)
            lines.append(" " * dash_column + "-" + " " * gap + f"{key}: {value}")
        else:
            lines.append(" " * max(key_column, dash_column + 2) + f"{key}: {value}")
    return lines


def _flow_item(fields: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


def _append_to_sequence(text: str, seq: yaml.SequenceNode, fields: list[tuple[str, str]]) -> str:
    nl = newline_of(text)
    if seq.flow_style:
        close = int(seq.end_mark.index) - 1
        if text[close] != "]":
            raise RoadmapError(f"The list on line {_line(seq)} has an unusual layout; edit it by hand.")
        inner = text[int(seq.start_mark.index) + 1 : close]
        separator = ", " if inner.strip() else ""
        return text[:close] + separator + _flow_item(fields) + text[close:]
    last = seq.value[-1]
    dash = _dash_column(text, last)
    key_column = int(last.start_mark.column) if isinstance(last, yaml.MappingNode) else dash + 2
    index = _insertion_point(text, last)
    block = nl.join(_block_item(fields, dash, key_column))
    return _insert_line(text, index, block)


def _add_child(text: str, parent: yaml.MappingNode, fields: list[tuple[str, str]], offset: int) -> str:
    pairs = [(k, v) for k, v in parent.value if isinstance(k, yaml.ScalarNode) and k.value == "children"]
    if len(pairs) > 1:
        raise RoadmapError(f"The topic on line {_line(parent)} has `children:` twice; fix it by hand first.")
    nl = newline_of(text)
    if pairs:
        key, children = pairs[0]
        if isinstance(children, yaml.SequenceNode) and (children.value or not children.flow_style):
            return _append_to_sequence(text, children, fields)
        if isinstance(children, yaml.SequenceNode) or (
            isinstance(children, yaml.ScalarNode) and children.tag == _NULL_TAG
        ):
            return _replace_empty_list(text, key, children, fields, offset)
        raise RoadmapError(f"`children:` on line {_line(children)} is not a list; fix it by hand first.")
    if parent.flow_style:
        return _insert_in_flow_mapping(text, parent, "children", f"[{_flow_item(fields)}]")
    column = int(parent.value[0][0].start_mark.column)
    dash = column + offset
    lines = [" " * column + "children:", *_block_item(fields, dash, dash + 2)]
    return _insert_line(text, _insertion_point(text, parent), nl.join(lines))


def _replace_empty_list(
    text: str, key: yaml.Node, value: yaml.Node, fields: list[tuple[str, str]], offset: int
) -> str:
    """`key: []` or `key:` (null) becomes `key:` followed by a block list with one item."""
    nl = newline_of(text)
    column = int(key.start_mark.column)
    dash = column + offset
    block = nl.join(_block_item(fields, dash, dash + 2))
    start, end = int(value.start_mark.index), int(value.end_mark.index)
    if start == end:
        colon = text.index(":", int(key.end_mark.index))
        start = end = colon + 1
    else:
        # Drop the space between the colon and `[]`/`~` so the key line has no trailing blank.
        while start > 0 and text[start - 1] == " ":
            start -= 1
    rest_of_line_end = text.find("\n", end)
    rest = text[end : len(text) if rest_of_line_end < 0 else rest_of_line_end].rstrip("\r")
    if rest.strip():
        # A comment after `[]` stays on the key's line.
        return text[:start] + " " + rest.strip() + nl + block + text[end + len(rest) :]
    return text[:start] + nl + block + text[end:]


def _add_to_root(parsed: _Parsed, fields: list[tuple[str, str]]) -> str:
    text = parsed.text
    nl = newline_of(text)
    root = parsed.root
    if isinstance(root, yaml.SequenceNode):
        return _append_to_sequence(text, root, fields)
    if isinstance(root, yaml.MappingNode):
        pairs = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "topics"]
        if pairs:
            key, topics = pairs[0]
            if isinstance(topics, yaml.SequenceNode) and (topics.value or not topics.flow_style):
                return _append_to_sequence(text, topics, fields)
            return _replace_empty_list(text, key, topics, fields, 2)
        block = nl.join(["topics:", *_block_item(fields, 2, 4)])
        return _insert_line(text, len(text), block)
    # An empty file or one with only comments.
    block = nl.join(["topics:", *_block_item(fields, 2, 4)])
    return _insert_line(text, len(text), block)
