"""How deep a YAML text nests, judged without building it (the guard run before composing untrusted YAML).

Shared by the front-matter reader and the roadmap, and kept apart from both so that reading roadmap.yaml at
start-up does not load the whole front-matter editor.
"""

from __future__ import annotations

import re

import yaml

from mljournal.core.yamledit.loader import SafeLoader

MAX_NESTING = 64
"""Refuse YAML/JSON nested deeper than this: recursive code downstream would hit Python's recursion limit.
For YAML the top-level mapping counts as the first level."""

# A block collection d levels deep starts at column (d - 1) // 2 or further right: each level is indented
# past its parent, except a list written under its key at the key's own column. Only spaces and the
# "- ", "? ", ": " indicators can come before it on its line. So YAML nested more than MAX_NESTING levels
# holds more than MAX_NESTING // 2 brackets (flow levels), or a line that starts with a run of MAX_NESTING // 4
# of those characters (block levels). Texts with neither, nearly every real front-matter, skip the parser scan.
_FLOW_GATE = MAX_NESTING // 2
_INDICATOR_RUN = f"[ \\t?:-]{{{MAX_NESTING // 4}}}"
_RUN_AT_START_RE = re.compile(_INDICATOR_RUN)
_RUN_AFTER_BREAK_RE = re.compile("\n" + _INDICATOR_RUN)
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _may_nest_deeply(text: str) -> bool:
    """False when `text` can't be YAML nested more than MAX_NESTING levels (a few string scans, no parsing)."""
    if text.count("[") + text.count("{") > _FLOW_GATE:
        return True
    if _RUN_AT_START_RE.match(text) or _RUN_AFTER_BREAK_RE.search(text):
        return True
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        # YAML also breaks lines at CR, NEL and the Unicode line/paragraph separators.
        lines = text.replace("\r", "\n").replace("\x85", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        return _RUN_AFTER_BREAK_RE.search(lines) is not None
    return False


def yaml_too_deep_at(text: str, limit: int = MAX_NESTING) -> int | None:
    """The 0-based line of `text` where YAML collections nest more than `limit` levels; None when they don't.

    Call it before composing or loading untrusted YAML: it never builds nodes, so no depth can crash it, and
    ordinary YAML (few brackets, shallow indentation) costs only a few string scans. Broken YAML gives None:
    the loader reports the error, and it stops there before any deep part.
    """
    # The cheap gate holds for any limit from MAX_NESTING up; a tighter limit always needs the parser scan.
    if limit >= MAX_NESTING and not _may_nest_deeply(text):
        return None
    return _too_deep_at(text, limit)


def _too_deep_at(text: str, limit: int) -> int | None:
    """The 0-based line where the YAML's collections nest more than `limit` levels; None when they don't.

    Judged from parser events alone: the parser keeps its own stack, so this is safe at any depth, and
    composing is not (libyaml's composer recurses in C and kills the process around 100,000 levels of
    ``- - - ...``). Stops at the first level too many, so a huge hostile text costs no more than a small one.
    """
    loader = SafeLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _OPEN_EVENTS):
                depth += 1
                if depth > limit:
                    return int(event.start_mark.line) if event.start_mark else 0
            elif isinstance(event, _CLOSE_EVENTS):
                depth -= 1
    except yaml.YAMLError:
        return None  # loading stops at the same place, still shallow, and reports the error in words
    finally:
        loader.dispose()
    return None
