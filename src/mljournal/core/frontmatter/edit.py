"""Editing one front-matter field of an entry file's bytes, and writing a new entry file.

`set_field` and `remove_field` work on the raw bytes and replace only the lines of one top-level key, so
comments, key order, quoting, BOM and line endings the user chose survive. Every edit is parsed again before
it is returned; one that would not read back exactly, or that would change another key or the body, is
refused with `FrontMatterEditError`. The format modules (`edit_yaml`, `edit_toml`, `edit_json`) render the new
block; this module checks the value, splices the block in and verifies.
"""

from __future__ import annotations

import json
from typing import Any

from mljournal.core.frontmatter.decode import decode, encode
from mljournal.core.frontmatter.edit_json import json_default, set_json
from mljournal.core.frontmatter.edit_toml import remove_toml, set_toml
from mljournal.core.frontmatter.edit_yaml import new_yaml_block, remove_yaml, set_yaml
from mljournal.core.frontmatter.errors import FrontMatterEditError
from mljournal.core.frontmatter.read import BLOCKING_CODES, Document, parse_document
from mljournal.core.frontmatter.split import YAML_DELIMITER
from mljournal.core.model import FrontMatterFormat
from mljournal.core.text.splice import apply_edits
from mljournal.core.yamledit.depth import MAX_NESTING
from mljournal.core.yamledit.scalar import render_key, same_value
from mljournal.core.yamledit.values import SUPPORTED_SCALARS, Style, render_value


def _check_value(value: Any, depth: int = 0) -> None:
    """Refuse a value front-matter can't hold: an unknown type, a non-text key, or nesting past MAX_NESTING."""
    if depth > MAX_NESTING:
        raise FrontMatterEditError("The value is nested too deeply to store in front-matter.")
    if isinstance(value, SUPPORTED_SCALARS):
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_value(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FrontMatterEditError("Front-matter mappings need text keys.")
            _check_value(item, depth + 1)
        return
    raise FrontMatterEditError(f"A {type(value).__name__} value cannot be stored in front-matter.")


def _editable(raw: bytes) -> tuple[Document, str]:
    document = parse_document(raw)
    _, _, codec, _ = decode(raw)
    blocking = [problem for problem in document.problems if problem.code in BLOCKING_CODES]
    if blocking:
        raise FrontMatterEditError(
            f"The front-matter can't be changed safely until it is fixed: {blocking[0].message}"
        )
    if document.front_matter_text and document.front_matter_format is None:
        raise FrontMatterEditError("This kind of front-matter can't be edited.")
    return document, codec


def set_field(raw: bytes, key: str, value: Any) -> bytes:
    """Return `raw` with front-matter field `key` set to `value`, every other byte left as it was.

    YAML: only the lines of that top-level key change (an absent key is appended at the end of the block; a
    file without front-matter gets a YAML block at the top). A block list stays a block list, a flow list
    stays flow, a comma-separated string stays a comma-separated string. TOML: the ``key = value`` line(s)
    before the first table. JSON: the object is re-serialised with the detected indent and key order, so
    other keys keep their values and order but not necessarily their exact spacing.

    Raises `FrontMatterEditError` when the front-matter is broken or the value can't be stored exactly.
    """
    _check_value(value)
    if not isinstance(key, str) or not key or key != key.strip() or "\n" in key or "\r" in key:
        raise FrontMatterEditError(f"{key!r} is not a usable field name.")
    document, codec = _editable(raw)
    if document.front_matter_format is None:
        new_text = new_yaml_block(document, key, value, codec)
    elif document.front_matter_format == "yaml":
        new_text = _replace_block(document, set_yaml(document, key, value, codec))
    elif document.front_matter_format == "toml":
        new_text = _replace_block(document, set_toml(document, key, value))
    else:
        new_text = _replace_block(document, set_json(document, key, value))
    result = _encode_edit(new_text, codec)
    _verify(document, result, key, value, removed=False)
    return result


def remove_field(raw: bytes, key: str) -> bytes:
    """Return `raw` without front-matter field `key` (unchanged when the key is absent)."""
    document, codec = _editable(raw)
    if key not in document.metadata or document.front_matter_format is None:
        return raw
    if document.front_matter_format == "yaml":
        new_fm = remove_yaml(document, key)
    elif document.front_matter_format == "toml":
        new_fm = remove_toml(document, key)
    else:
        new_fm = set_json(document, key, None, remove=True)
    result = _encode_edit(_replace_block(document, new_fm), codec)
    _verify(document, result, key, None, removed=True)
    return result


def _replace_block(document: Document, new_front_matter: str) -> str:
    """The document's text with its front-matter block (between the delimiters) replaced, every other byte kept."""
    start = document.front_matter_start
    return apply_edits(document.text, [(start, start + len(document.front_matter_text), new_front_matter)])


def _encode_edit(text: str, codec: str) -> bytes:
    try:
        return encode(text, codec)
    except UnicodeEncodeError as error:
        raise FrontMatterEditError(
            f"The new value has characters the file's encoding ({codec}) cannot hold."
        ) from error


def _verify(before: Document, result: bytes, key: str, value: Any, *, removed: bool) -> None:
    """Refuse an edit that doesn't read back as intended or disturbs another field."""
    after = parse_document(result)
    if any(problem.code in BLOCKING_CODES for problem in after.problems):
        raise FrontMatterEditError("The change would break the front-matter, so it was not made.")
    if removed:
        if key in after.metadata:
            raise FrontMatterEditError(f"The field {key!r} could not be removed cleanly.")
    else:
        expected = _expected_value(after.front_matter_format, value)
        stored = after.metadata.get(key, _MISSING)
        if not same_value(stored, expected) and not _joined_equivalent(stored, value):
            raise FrontMatterEditError(f"The value for {key!r} can't be written so that it reads back.")
    others_before = {k: v for k, v in before.metadata.items() if k != key}
    others_after = {k: v for k, v in after.metadata.items() if k != key}
    if not same_value(others_before, others_after):
        raise FrontMatterEditError(f"Changing {key!r} would disturb other fields, so it was not made.")
    if after.body != before.body:
        raise FrontMatterEditError("The change would alter the body, so it was not made.")


_MISSING = object()


def _expected_value(fmt: FrontMatterFormat | None, value: Any) -> Any:
    if fmt == "json":
        return json.loads(json.dumps(value, default=json_default))
    if isinstance(value, tuple):
        return list(value)
    return value


def _joined_equivalent(stored: Any, value: Any) -> bool:
    # A list written into a field the user keeps as "a, b" comes back as that string.
    if not isinstance(stored, str) or not isinstance(value, list | tuple) or "," not in stored:
        return False
    if not all(isinstance(item, str) for item in value):
        return False
    return [part.strip() for part in stored.split(",")] == [item.strip() for item in value]


def render_new_entry(metadata: dict[str, Any], body: str) -> bytes:
    """A new entry file: UTF-8, ``\\n`` line ends, YAML front-matter in the given key order, then `body`.

    A blank line separates the front-matter from a non-empty body (so the parsed body starts with ``\\n``).
    Raises `FrontMatterEditError` when a value can't be written so that it reads back unchanged.
    """
    lines: list[str] = [YAML_DELIMITER]
    for key, value in metadata.items():
        if not isinstance(key, str) or not key:
            raise FrontMatterEditError(f"{key!r} is not a usable field name.")
        _check_value(value)
        prefix = render_key(key) + ":"
        lines.extend(render_value(prefix, value, Style(), False))
    lines.append(YAML_DELIMITER)
    text = "\n".join(lines) + "\n"
    if body and not body.startswith("\n"):
        text += "\n"
    raw = (text + body).encode("utf-8")
    document = parse_document(raw)
    if any(problem.code != "content-key" for problem in document.problems) or not same_value(
        document.metadata, {k: _expected_value("yaml", v) for k, v in metadata.items()}
    ):
        raise FrontMatterEditError("These fields can't be written so that they read back unchanged.")
    return raw
