"""Safe loading of a front-matter block's text: YAML (guarded against bombs, loops, depth and odd tags), TOML, JSON.

Loading never raises: whatever goes wrong becomes a `Problem`, and the value is None.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml

from mljournal.core.model import Problem
from mljournal.core.yamledit.depth import MAX_NESTING, yaml_too_deep_at
from mljournal.core.yamledit.fast_reader import load_simple_mapping
from mljournal.core.yamledit.loader import SafeLoader

MAX_ALIAS_EXPANSION = 10_000
"""Refuse YAML whose aliases would expand to more nodes than this (a "billion laughs" bomb)."""

_TOML_ERROR_LINE_RE = re.compile(r"at line (\d+)")


class _Loader(SafeLoader):  # type: ignore[misc,valid-type,unused-ignore]
    """A safe loader that turns unknown tags and impossible dates into problems instead of exceptions."""

    problems: list[Problem]
    line_offset: int


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
"""What YAML's ``!!`` shorthand stands for; the parser hands tags over with it spelled out."""


def _tag_as_written(tag: str) -> str:
    """A resolved tag the way a user writes it: ``!!python/name:os.system``, ``!include``, ``!<uri>``."""
    if tag.startswith(_YAML_TAG_PREFIX):
        return "!!" + tag[len(_YAML_TAG_PREFIX) :]
    if tag.startswith("!"):
        return tag  # a local tag is kept as written
    return f"!<{tag}>"  # a full URI, written out or through a %TAG handle; this spelling means the same


def _unknown_tag(loader: _Loader, suffix: str, node: yaml.Node) -> None:
    tag = node.tag
    code = "yaml-unsafe-tag" if "python/" in tag else "yaml-unknown-tag"
    line = node.start_mark.line + loader.line_offset if node.start_mark else None
    shown = _tag_as_written(tag)
    loader.problems.append(
        Problem(code, f"The YAML tag {shown!r} is not allowed; its value was ignored.", line)
    )
    return None


_CONSTRUCT_FAILURES = (ValueError, OverflowError, KeyError, AttributeError, TypeError)
"""What PyYAML's scalar constructors raise when the text doesn't fit the type: an explicit tag (``!!bool
maybe``) or a near miss that the resolver still took for a number (``0x_``)."""


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except _CONSTRUCT_FAILURES:
        value = str(node.value)
        line = node.start_mark.line + loader.line_offset if node.start_mark else None
        loader.problems.append(Problem("bad-date", f"{value!r} is not a real calendar date.", line))
        return value


def _tagged_scalar(tag: str, words: str) -> Any:
    """A constructor for `tag` that keeps the text, with a problem, when it isn't what the tag says."""
    construct = yaml.SafeLoader.yaml_constructors[_YAML_TAG_PREFIX + tag]

    def construct_or_keep_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except _CONSTRUCT_FAILURES:
            value = str(node.value)
            line = node.start_mark.line + loader.line_offset if node.start_mark else None
            message = f"{value!r} can't be read as {words}; it was kept as text."
            loader.problems.append(Problem("bad-value", message, line))
            return value

    return construct_or_keep_text


_Loader.add_multi_constructor("", _unknown_tag)
_Loader.add_constructor(_YAML_TAG_PREFIX + "timestamp", _timestamp)
for _tag, _words in (("bool", "a yes/no value"), ("int", "a whole number"), ("float", "a number")):
    _Loader.add_constructor(_YAML_TAG_PREFIX + _tag, _tagged_scalar(_tag, _words))


def _yaml_line(error: yaml.YAMLError, offset: int) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + offset if mark is not None else None


def _alias_trouble(root: yaml.Node) -> str | None:
    """What is wrong with the node graph that aliases make: "loop", "bomb", "deep", or None when it's fine.

    Aliases share nodes, so the data they build can be far bigger ("bomb": more than MAX_ALIAS_EXPANSION
    nodes once expanded), deeper ("deep": past MAX_NESTING, which the text alone doesn't show) or endless
    ("loop": an anchor used inside itself) than the text looks. One post-order walk without recursion; a node
    reached twice through aliases is counted twice (that is the expansion) but computed once.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            deepest = max((depths[id(child)] for child in children), default=0)
            depths[key] = deepest + 1 if isinstance(node, yaml.CollectionNode) else 0
            if sizes[key] > MAX_ALIAS_EXPANSION:
                return "bomb"
            if depths[key] > MAX_NESTING:
                return "deep"
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            # Everything above this node's "done" entry on the stack was pushed while walking inside it.
            return "loop"
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


_ALIAS_TROUBLE = {
    "bomb": (
        "yaml-alias-bomb",
        "The front-matter's YAML aliases expand to too much data (an alias bomb); not read.",
    ),
    "loop": (
        "yaml-alias-loop",
        "A YAML anchor in the front-matter is used inside itself, so its data never ends; not read.",
    ),
    "deep": (
        "too-deep",
        f"The front-matter's YAML aliases nest it more than {MAX_NESTING} levels deep; not read.",
    ),
}


def load_yaml(text: str, line_offset: int, problems: list[Problem]) -> Any:
    """The YAML block's value, or None with a problem when it can't be read safely (`line_offset`: its first line)."""
    # Most front-matter is a few plain lines, which the fast reader reads as PyYAML would, in about a third of
    # the time; it steps aside for anything else, problems included.
    simple = load_simple_mapping(text)
    if simple is not None:
        return simple
    # Cheap guards first: only texts that could hold a bomb or deep nesting pay for the careful path. Depth is
    # judged before composing, since composing a deep enough text crashes the process (see yamledit.depth).
    deep_line = yaml_too_deep_at(text)
    if deep_line is not None:
        message = f"The front-matter is nested more than {MAX_NESTING} levels deep and was not read."
        problems.append(Problem("too-deep", message, line_offset + deep_line))
        return None
    loader = _Loader(text)
    loader.problems = problems
    loader.line_offset = line_offset
    try:
        if "&" in text and "*" in text:
            node = loader.get_single_node()
            trouble = _alias_trouble(node) if node is not None else None
            if trouble is not None:
                code, message = _ALIAS_TROUBLE[trouble]
                problems.append(Problem(code, message, line_offset))
                return None
            return loader.construct_document(node) if node is not None else None
        return loader.get_single_data()
    except yaml.YAMLError as error:
        line = _yaml_line(error, line_offset)
        summary = _yaml_summary(error)
        problems.append(Problem("yaml-error", f"The front-matter is not valid YAML: {summary}.", line))
        return None
    except RecursionError:
        message = "The front-matter is nested too deeply to read."
        problems.append(Problem("too-deep", message, line_offset))
        return None
    except (TypeError, ValueError) as error:
        problems.append(Problem("yaml-error", f"The front-matter could not be read: {error}.", line_offset))
        return None
    finally:
        loader.dispose()


def _yaml_summary(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if "unhashable" in f"{problem} {context}":
        return "a key is itself a mapping or list (often a template placeholder like {{date}})"
    parts = [str(part) for part in (context, problem) if part]
    return ", ".join(parts) if parts else str(error).splitlines()[0]


def salvage_yaml(text: str, line_offset: int) -> dict[str, Any]:
    """Read what can be read from broken YAML, one top-level key at a time (for display only)."""
    result: dict[str, Any] = {}
    lines = text.splitlines(keepends=True)
    starts = [
        index
        for index, line in enumerate(lines)
        if line[:1] not in ("", " ", "\t", "#", "-", "\r", "\n") and ":" in line
    ]
    for position, begin in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        chunk = "".join(lines[begin:end])
        scratch: list[Problem] = []
        value = load_yaml(chunk, line_offset + begin, scratch)
        if isinstance(value, dict) and not scratch:
            for key, item in value.items():
                if isinstance(key, str):
                    result.setdefault(key, item)
    return result


def _check_json_depth(text: str, problems: list[Problem], line: int) -> bool:
    if text.count("[") + text.count("{") > MAX_NESTING and _bracket_depth(text) > MAX_NESTING:
        message = f"The front-matter is nested more than {MAX_NESTING} levels deep and was not read."
        problems.append(Problem("too-deep", message, line))
        return False
    return True


def load_toml(text: str, line_offset: int, problems: list[Problem]) -> Any:
    """The TOML block's value, or None with a problem when it is not valid TOML."""
    try:
        return tomllib.loads(text.replace("\r\n", "\n"))
    except tomllib.TOMLDecodeError as error:
        found = _TOML_ERROR_LINE_RE.search(str(error))
        line = int(found[1]) - 1 + line_offset if found else line_offset
        problems.append(Problem("toml-error", f"The TOML front-matter is not valid: {error}.", line))
        return None


def load_json(text: str, line_offset: int, problems: list[Problem]) -> Any:
    """The JSON block's value, or None with a problem when it is too deep or not valid JSON."""
    if not _check_json_depth(text, problems, line_offset):
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        line = getattr(error, "lineno", 1) - 1 + line_offset
        problems.append(Problem("json-error", f"The JSON front-matter is not valid: {error}.", line))
        return None
