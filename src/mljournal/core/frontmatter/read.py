"""Reading an entry file into a `Document`: decoded text, front-matter block, parsed fields and problems.

`parse_document` never raises: every oddity of a real file (another encoding, broken YAML, a template
placeholder, an alias bomb) becomes a `Problem` and the text stays available as the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from mljournal.core.frontmatter.decode import decode, detect_newline
from mljournal.core.frontmatter.load import load_json, load_toml, load_yaml, salvage_yaml
from mljournal.core.frontmatter.split import misplaced_front_matter, split_front_matter
from mljournal.core.model import FrontMatterFormat, Problem

BLOCKING_CODES = frozenset(
    {
        "yaml-error",
        "toml-error",
        "json-error",
        "yaml-alias-bomb",
        "yaml-alias-loop",
        "too-deep",
        "unsupported-front-matter",
    }
)
"""Problems that mean the front-matter was not fully understood, so editing it could mangle it."""


@dataclass
class Document:
    """An entry file split into front-matter and body, with what went wrong while reading it."""

    text: str
    """Decoded text (without BOM)."""
    encoding: str
    """``utf-8``, ``utf-8-sig``, ``utf-16`` (also ``utf-16-le``/``utf-16-be`` without BOM), or ``cp1252``/
    ``latin-1`` when the bytes were not UTF-8."""
    newline: str
    """``\\n`` or ``\\r\\n`` (``\\r`` for old Mac files): the first line ending of the file."""
    front_matter_format: FrontMatterFormat | None
    front_matter_text: str
    """The raw text between the delimiters; "" when there is none."""
    body: str
    """Everything after the closing delimiter's line (a byte-faithful slice of `text`)."""
    metadata: dict[str, Any] = field(default_factory=dict)
    """The parsed mapping; {} when there is none or it could not be parsed."""
    problems: list[Problem] = field(default_factory=list)
    front_matter_start: int = 0
    """Offset in `text` where `front_matter_text` starts (for editing)."""
    front_matter_line: int = 0
    """1-based file line of the first front-matter line; 0 when there is none."""


def _check_mapping(data: Any, problems: list[Problem], line: int) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        message = (
            f"The front-matter is {_kind_in_words(data)}, not a set of key: value fields; it was ignored."
        )
        problems.append(Problem("front-matter-not-mapping", message, line))
        return {}
    if all(type(key) is str for key in data):
        if "content" in data:
            message = (
                "The field name 'content' is kept, but tools built on python-frontmatter cannot read it."
            )
            problems.append(Problem("content-key", message, line))
        return data
    result: dict[str, Any] = {}
    odd: list[str] = []
    for key, value in data.items():
        if isinstance(key, str):
            result[key] = value
        else:
            name = _yaml_key_name(key)
            odd.append(name)
            result.setdefault(name, value)
    message = f"Field names that are not text were read as text: {', '.join(odd)}."
    problems.append(Problem("non-string-key", message, line))
    if "content" in result:
        message = "The field name 'content' is kept, but tools built on python-frontmatter cannot read it."
        problems.append(Problem("content-key", message, line))
    return result


def _kind_in_words(value: Any) -> str:
    """What a parsed value is, in a user's words rather than Python's type names."""
    if isinstance(value, str):
        return "plain text"
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, date):  # datetime too
        return "a date"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, set | frozenset):
        return "a set of values"
    if isinstance(value, bytes):
        return "binary data"
    return "a single value"


def _yaml_key_name(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def parse_document(raw: bytes) -> Document:
    """Split and parse an entry file. Never raises: whatever goes wrong is a `Problem` on the result."""
    try:
        return _parse(raw)
    except Exception as error:  # a last line of defence: one odd file must never stop an import
        text = raw.decode("utf-8", errors="replace")
        # No exception class name: this is for the user, who can't act on one; the detail still helps a report.
        problem = Problem(
            "read-error", f"The file could not be read because of an unexpected fault ({error})."
        )
        return Document(text, "utf-8", "\n", None, "", text, {}, [problem])


def _parse(raw: bytes) -> Document:
    text, encoding, _codec, problems = decode(raw)
    newline = detect_newline(text)
    # Old Mac files end lines with a lone CR; swapping CR for LF keeps every offset, so the split (which looks
    # for "\n") works on the copy and the slices come from the original.
    scan = text.replace("\r", "\n") if newline == "\r" else text
    split = split_front_matter(scan)
    if split is None:
        misplaced = misplaced_front_matter(scan)
        if misplaced is not None:
            problems.append(misplaced)
        return Document(text, encoding, newline, None, "", text, {}, problems)
    if split.problem is not None:
        problems.append(split.problem)
        return Document(text, encoding, newline, None, "", text, {}, problems)
    fm_text = text[split.fm_start : split.fm_end]
    body = text[split.body_start :]
    first_line = scan.count("\n", 0, split.fm_start) + 1
    document = Document(
        text, encoding, newline, split.fmt, fm_text, body, {}, problems, split.fm_start, first_line
    )
    if split.unsupported is not None:
        message = f"Front-matter written as '---{split.unsupported}' cannot be read; it was ignored."
        problems.append(Problem("unsupported-front-matter", message, first_line - 1))
        document.front_matter_format = None
        return document
    if split.fmt == "yaml":
        data = load_yaml(fm_text, first_line, problems)
        if data is None and any(problem.code in BLOCKING_CODES for problem in problems):
            document.metadata = salvage_yaml(fm_text, first_line)
            return document
    elif split.fmt == "toml":
        data = load_toml(fm_text, first_line, problems)
    else:
        data = load_json(fm_text, first_line, problems)
    document.metadata = _check_mapping(data, problems, first_line)
    return document
