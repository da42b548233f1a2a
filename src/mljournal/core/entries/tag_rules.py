"""When an entry's tags can be edited: the shapes a tag edit writes back exactly, and why others are refused."""

from __future__ import annotations

from datetime import date
from typing import Any

from mljournal.core.entries.fields import TAG_KEYS, short_repr
from mljournal.core.frontmatter import Document

__all__ = ["tags_refusal"]


def tags_refusal(doc: Document) -> str | None:
    """Why the tags of `doc` can't be edited without rewriting what they hold, or None when they can.

    Editable tags are absent, empty, one string of words, or a flat list of strings: those a tag edit writes
    back exactly. A mapping, a nested list, a number, an empty item or a value hidden behind a YAML tag such
    as `!!python/name:` would come back changed (or gone), so edits refuse them and `check` names them.
    """
    key = next((candidate for candidate in TAG_KEYS if candidate in doc.metadata), None)
    if key is None:
        return None
    value = doc.metadata[key]
    if isinstance(value, str):
        return None
    if value is None:
        return _hidden_by_yaml_tag(doc, key)
    if isinstance(value, dict):
        return f"a mapping ({short_repr(value)})"
    if not isinstance(value, list | tuple):
        return f"{_kind(value)} ({short_repr(value)}), not text"
    for item in value:
        if isinstance(item, str):
            continue
        if item is None:
            return "a list with an empty item (null, or an ignored YAML tag)"
        if isinstance(item, dict | list | tuple):
            return f"a list holding {'a mapping' if isinstance(item, dict) else 'a nested list'} ({short_repr(item)})"
        return f"a list holding {_kind(item)} ({short_repr(item)}, quoted it would be a word)"
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, date):
        return "a date"
    return f"a {type(value).__name__}"


def _hidden_by_yaml_tag(doc: Document, key: str) -> str | None:
    """A reason when a null tags value is really an ignored `!!python/...` (or other unknown) YAML tag."""
    if doc.front_matter_format != "yaml":
        return None
    import yaml

    from mljournal.core.yamledit.loader import SafeLoader

    try:
        root = yaml.compose(doc.front_matter_text, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return "unreadable YAML"
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            tag = str(value_node.tag)
            if tag != "tag:yaml.org,2002:null":
                written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag
                return f"a value behind the YAML tag {written}"
    return None
