"""Reading roadmap.yaml: decode, refuse what could hurt (deep nesting, aliases), compose, build.

Reading never raises: a missing file is an empty roadmap, and everything wrong in the file becomes a
`Problem` with its line number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml

from mljournal.core.journal import read_regular_file
from mljournal.core.model import Problem
from mljournal.core.roadmap.build import _Builder, _Parsed
from mljournal.core.roadmap.model import MAX_DEPTH, Roadmap
from mljournal.core.yamledit.depth import yaml_too_deep_at
from mljournal.core.yamledit.loader import SafeLoader

UNREADABLE_PREFIX: Final = "roadmap-parse"
"""Problem codes starting with this mean the file could not be read as a roadmap at all (the roadmap is
empty because of it): `roadmap-parse` (YAML error, with its line), `roadmap-parse-encoding`,
`roadmap-parse-unreadable`, `roadmap-parse-shape`, `roadmap-parse-alias` (a YAML alias, refused with its line). Other codes (`roadmap-duplicate-id`,
`roadmap-unknown-status`, `roadmap-missing-id`, `roadmap-bad-topic`, `roadmap-duplicate-key`) leave a usable
roadmap."""
MAX_ROADMAP_NESTING: Final = 2 * MAX_DEPTH + 8
"""YAML collection depth refused before parsing: each topic level is a mapping and a `children` list."""


def load_roadmap(path: Path) -> tuple[Roadmap, list[Problem]]:
    """Read roadmap.yaml. Never raises: a missing file is an empty roadmap; problems come back as a list."""
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        return Roadmap(), []
    except OSError as error:
        return Roadmap(), [
            Problem("roadmap-parse-unreadable", f"roadmap.yaml could not be read: {error.strerror or error}")
        ]
    return parse_roadmap(raw)


def parse_roadmap(raw: bytes | str) -> tuple[Roadmap, list[Problem]]:
    """Parse roadmap.yaml's content (bytes or text). Never raises."""
    parsed = _parse(raw)
    return parsed.roadmap, parsed.problems


def _decode(raw: bytes | str) -> tuple[str, str, Problem | None]:
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            return (
                "",
                "",
                Problem("roadmap-parse-encoding", f"roadmap.yaml is not valid UTF-8 (line {line}).", line),
            )
    bom = ""
    if text.startswith("\ufeff"):
        bom, text = "\ufeff", text[1:]
    return text, bom, None


def _parse(raw: bytes | str) -> _Parsed:
    text, bom, problem = _decode(raw)
    if problem is not None:
        return _Parsed(text, bom, None, Roadmap(), [problem])
    # Before composing: libyaml itself crashes the process on collections nested tens of thousands deep.
    too_deep = yaml_too_deep_at(text, MAX_ROADMAP_NESTING)
    if too_deep is not None:
        message = f"roadmap.yaml nests deeper than {MAX_ROADMAP_NESTING} levels on line {too_deep + 1}."
        return _Parsed(text, bom, None, Roadmap(), [Problem("roadmap-parse-too-deep", message, too_deep + 1)])
    alias = _first_alias(text)
    if alias is not None:
        alias_name, alias_line = alias
        message = (
            f"roadmap.yaml uses the YAML alias *{alias_name} on line {alias_line}, which the roadmap does not "
            "allow (an alias can make a topic its own child)."
        )
        return _Parsed(text, bom, None, Roadmap(), [Problem("roadmap-parse-alias", message, alias_line)])
    try:
        root = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or "it is not valid YAML"
        where = f" on line {line}" if line is not None else ""
        message = f"roadmap.yaml does not parse{where}: {what}."
        return _Parsed(text, bom, None, Roadmap(), [Problem("roadmap-parse", message, line)])
    except (yaml.YAMLError, RecursionError, ValueError, MemoryError) as error:
        # libyaml reports a few errors (such as a second document marker) without a mark.
        message = f"roadmap.yaml does not parse: {error}."
        return _Parsed(
            text, bom, None, Roadmap(), [Problem("roadmap-parse", message.replace("\n", " "), None)]
        )
    builder = _Builder()
    try:
        parsed = builder.build(text, bom, root)
    except RecursionError:
        problem = Problem("roadmap-parse-shape", "roadmap.yaml is nested too deeply to read.", None)
        return _Parsed(text, bom, None, Roadmap(), [problem])
    return parsed


def _first_alias(text: str) -> tuple[str, int] | None:
    """The name and line of the first YAML alias (`*name`) in `text`, or None.

    Read from the parser's events, before anything is composed: an alias can make a topic contain itself,
    which every recursive walk of the tree (the editor's among them) would follow forever. A file that does
    not parse is left for `yaml.compose` to report with its line.
    """
    if "*" not in text:
        return None
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark is not None else 0
                return str(event.anchor), line
    except (yaml.YAMLError, RecursionError, ValueError, MemoryError):
        return None
    return None
