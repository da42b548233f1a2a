"""Read an entry file into front-matter and body, and edit one front-matter field without touching the rest.

Reading (`parse_document`) never raises: every oddity of a real file (another encoding, broken YAML, a
template placeholder, an alias bomb) becomes a `Problem` and the text stays available as the body.

Editing (`set_field`, `remove_field`) works on the raw bytes and replaces only the lines of one top-level key,
so comments, key order, quoting, BOM and line endings the user chose survive. An edit that could not be
read back exactly, or that would change another key, is refused with `FrontMatterEditError`.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from mljournal.core.errors import MLJournalError
from mljournal.core.model import FrontMatterFormat, Problem
from mljournal.core.text.splice import line_end, line_newline
from mljournal.core.yamledit.depth import MAX_NESTING, yaml_too_deep_at
from mljournal.core.yamledit.fast_reader import load_simple_mapping
from mljournal.core.yamledit.loader import SafeLoader as _BaseLoader
from mljournal.core.yamledit.scalar import render_key as _yaml_key
from mljournal.core.yamledit.scalar import same_value as _same
from mljournal.core.yamledit.scalar import yaml_double_quoted
from mljournal.core.yamledit.values import SUPPORTED_SCALARS as _SUPPORTED_SCALARS
from mljournal.core.yamledit.values import Style as _Style
from mljournal.core.yamledit.values import render_value

__all__ = [
    "Document",
    "FrontMatterEditError",
    "FrontMatterFormat",
    "parse_document",
    "remove_field",
    "render_new_entry",
    "set_field",
    "yaml_double_quoted",
    "yaml_too_deep_at",
]


YAML_DELIMITER = YAMLHandler.START_DELIMITER  # "---"
TOML_DELIMITER = "+++"
JSON_DELIMITER = ";;;"
JSON_OPEN = "{"  # Hugo: a bare JSON object at the top (python-frontmatter's JSONHandler matches "{" too)

MAX_ALIAS_EXPANSION = 10_000
"""Refuse YAML whose aliases would expand to more nodes than this (a "billion laughs" bomb)."""

# A closing delimiter: a line of three or more dashes (python-frontmatter accepts four and trailing blanks)
# or YAML's document-end marker "...". Searched from the end of the opening line only.
_YAML_CLOSE_RE = re.compile(r"^(?:-{3,}|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_CLOSE_RE = re.compile(r"^\+{3}[ \t]*\r?$", re.MULTILINE)
_JSON_SEMI_CLOSE_RE = re.compile(r"^;;;[ \t]*\r?$", re.MULTILINE)
_TOML_ERROR_LINE_RE = re.compile(r"at line (\d+)")

_BLOCKING_CODES = frozenset(
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


class FrontMatterEditError(MLJournalError):
    """A front-matter field could not be changed safely; the message is for the user."""


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


# ---------------------------------------------------------------------------------------------------------
# Decoding


def _decode(raw: bytes) -> tuple[str, str, str, list[Problem]]:
    """Return (text, encoding reported, exact codec for writing back, problems)."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig", "utf-8-sig", []
        except UnicodeDecodeError as error:
            text, codec, problem = _fallback(raw[3:], error, offset_base=3)
            return text, codec, "bom+" + codec, [problem]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if raw.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        try:
            return raw[2:].decode(codec), "utf-16", "bom+" + codec, []
        except UnicodeDecodeError as error:
            text = raw[2:].decode(codec, errors="replace")
            message = f"The UTF-16 text has a broken character at byte offset {error.start + 2}."
            return text, "utf-16", "bom+" + codec, [Problem("non-utf8", message)]
    if b"\x00" in raw[:200]:
        # NUL bytes are valid UTF-8, so UTF-16 without a BOM would otherwise decode as NUL-riddled text.
        sniffed = _sniff_utf16(raw)
        if sniffed is not None:
            try:
                return raw.decode(sniffed), sniffed, sniffed, []
            except UnicodeDecodeError:
                pass
    try:
        return raw.decode("utf-8"), "utf-8", "utf-8", []
    except UnicodeDecodeError as error:
        text, codec, problem = _fallback(raw, error, offset_base=0)
        return text, codec, codec, [problem]


def _sniff_utf16(raw: bytes) -> str | None:
    # UTF-16 without a BOM shows up as ASCII interleaved with NULs; only guess when that pattern is clear.
    sample = raw[:200]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if even_nul >= half * 0.8 and odd_nul == 0:
        return "utf-16-be"
    if odd_nul >= half * 0.8 and even_nul == 0:
        return "utf-16-le"
    return None


def _fallback(raw: bytes, error: UnicodeDecodeError, offset_base: int) -> tuple[str, str, Problem]:
    bad = raw[error.start : error.end]
    where = f"byte 0x{bad[0]:02x} at offset {error.start + offset_base}" if bad else "the end"
    try:
        text, codec = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so this cannot fail.
        text, codec = raw.decode("latin-1"), "latin-1"
    message = f"The file is not valid UTF-8 ({where}); it was read as {codec}."
    return text, codec, Problem("non-utf8", message)


def _encode(text: str, codec: str) -> bytes:
    if codec.startswith("bom+"):
        inner = codec[4:]
        bom = {
            "utf-16-le": codecs.BOM_UTF16_LE,
            "utf-16-be": codecs.BOM_UTF16_BE,
        }.get(inner, codecs.BOM_UTF8)
        return bom + text.encode(inner)
    return text.encode(codec)


# ---------------------------------------------------------------------------------------------------------
# Splitting


@dataclass
class _Split:
    fmt: FrontMatterFormat | None
    fm_start: int
    fm_end: int
    body_start: int
    unsupported: str | None = None
    problem: Problem | None = None


def _split(text: str) -> _Split | None:
    """Find the front-matter block; None when the file has none."""
    start = 0
    # python-frontmatter (and Hugo) accept blank lines before the opening delimiter; so do we.
    if text[:1] in ("\n", "\r", " ", "\t"):
        stripped = text.lstrip(" \t\r\n")
        skipped = text[: len(text) - len(stripped)]
        if not skipped.endswith(("\n", "\r")):
            return None  # an indented first line: a code block or a stray space, not front-matter
        start = len(skipped)
    head = text[start : start + 3]
    if head == YAML_DELIMITER:
        return _split_delimited(text, start, "yaml")
    if head == TOML_DELIMITER:
        return _split_delimited(text, start, "toml")
    if head == JSON_DELIMITER:
        return _split_delimited(text, start, "json")
    if text[start : start + 1] == JSON_OPEN:
        return _split_json_object(text, start)
    return None


def _split_delimited(text: str, start: int, fmt: FrontMatterFormat) -> _Split | None:
    open_end = line_end(text, start)
    opener = text[start:open_end].rstrip()
    unsupported: str | None = None
    if fmt == "yaml":
        marker = opener.lstrip("-")
        if marker.lower() == "json":
            fmt = "json"
        elif marker:
            if not marker.isalpha():
                return None  # "--- title" or "---->": a thematic break, not a delimiter
            unsupported = marker  # "---js": front-matter in a language we cannot evaluate
        close_re = _YAML_CLOSE_RE
    elif fmt == "toml":
        if opener != TOML_DELIMITER:
            return None
        close_re = _TOML_CLOSE_RE
    else:
        if opener != JSON_DELIMITER:
            return None
        close_re = _JSON_SEMI_CLOSE_RE
    match = close_re.search(text, open_end)
    if match is None:
        line = text.count("\n", 0, start) + 1
        message = f"The front-matter opened on line {line} is never closed; the whole file is read as body."
        return _Split(None, 0, 0, 0, problem=Problem("unclosed-front-matter", message, line))
    close_line_end = line_end(text, match.start())
    return _Split(fmt, open_end, match.start(), close_line_end, unsupported=unsupported)


# An opening fence ending a line (on its own, or with the stray text typed in front of it: "oops---"), then
# (after blank lines) a line that sets one of the fields an entry is found by: the shape of a front-matter
# block, not of a thematic break between two paragraphs.
_MISPLACED_RE = re.compile(
    r"^[^\n]*?(?P<fence>---|\+\+\+)[ \t]*\r?\n(?:[ \t]*\r?\n)*(?:title|date|tags|topics)[ \t]*[:=]",
    re.MULTILINE,
)


def _misplaced_front_matter(text: str) -> Problem | None:
    """A problem when a file without front-matter at the top holds what looks like a front-matter block further down.

    That is what typing above the opening `---` does: the fields become body text and the entry loses its
    title, tags and topics without any parse error.
    """
    for match in _MISPLACED_RE.finditer(text):
        fence = match["fence"]
        close = re.compile(rf"^{re.escape(fence)}[ \t]*\r?$", re.MULTILINE)
        if close.search(text, match.end()) is None:
            continue
        line = text.count("\n", 0, match.start()) + 1
        message = (
            f"Text comes before the front-matter (its opening {fence} is on line {line}), so its fields "
            f"(title, tags, topics) are not read; move that text below the closing {fence}."
        )
        return Problem("misplaced-front-matter", message, line)
    return None


def _split_json_object(text: str, start: int) -> _Split | None:
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return None  # a body that happens to start with "{": not front-matter
    return _Split("json", start, end, line_end(text, end) if text[end : end + 1] in "\r\n" else end)


# ---------------------------------------------------------------------------------------------------------
# Parsing


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type,unused-ignore]
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


def _load_yaml(text: str, line_offset: int, problems: list[Problem]) -> Any:
    # Most front-matter is a few plain lines, which the fast reader reads as PyYAML would, in about a third of
    # the time; it steps aside for anything else, problems included.
    simple = load_simple_mapping(text)
    if simple is not None:
        return simple
    # Cheap guards first: only texts that could hold a bomb or deep nesting pay for the careful path. Depth is
    # judged before composing, since composing a deep enough text crashes the process (see _too_deep_at).
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


def _salvage_yaml(text: str, line_offset: int) -> dict[str, Any]:
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
        value = _load_yaml(chunk, line_offset + begin, scratch)
        if isinstance(value, dict) and not scratch:
            for key, item in value.items():
                if isinstance(key, str):
                    result.setdefault(key, item)
    return result


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


def _check_json_depth(text: str, problems: list[Problem], line: int) -> bool:
    if text.count("[") + text.count("{") > MAX_NESTING and _bracket_depth(text) > MAX_NESTING:
        message = f"The front-matter is nested more than {MAX_NESTING} levels deep and was not read."
        problems.append(Problem("too-deep", message, line))
        return False
    return True


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
    text, encoding, _codec, problems = _decode(raw)
    newline = _detect_newline(text)
    # Old Mac files end lines with a lone CR; swapping CR for LF keeps every offset, so the split (which looks
    # for "\n") works on the copy and the slices come from the original.
    scan = text.replace("\r", "\n") if newline == "\r" else text
    split = _split(scan)
    if split is None:
        misplaced = _misplaced_front_matter(scan)
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
        data = _load_yaml(fm_text, first_line, problems)
        if data is None and any(problem.code in _BLOCKING_CODES for problem in problems):
            document.metadata = _salvage_yaml(fm_text, first_line)
            return document
    elif split.fmt == "toml":
        try:
            data = tomllib.loads(fm_text.replace("\r\n", "\n"))
        except tomllib.TOMLDecodeError as error:
            found = _TOML_ERROR_LINE_RE.search(str(error))
            line = int(found[1]) - 1 + first_line if found else first_line
            problems.append(Problem("toml-error", f"The TOML front-matter is not valid: {error}.", line))
            return document
    else:
        if not _check_json_depth(fm_text, problems, first_line):
            return document
        try:
            data = json.loads(fm_text)
        except (ValueError, RecursionError) as error:
            line = getattr(error, "lineno", 1) - 1 + first_line
            problems.append(Problem("json-error", f"The JSON front-matter is not valid: {error}.", line))
            return document
    document.metadata = _check_mapping(data, problems, first_line)
    return document


def _detect_newline(text: str) -> str:
    index = text.find("\n")
    if index < 0:
        return "\r" if "\r" in text else "\n"
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    cr = text.find("\r", 0, index)
    return "\r" if cr >= 0 else "\n"


# ---------------------------------------------------------------------------------------------------------
# Rendering values as YAML / TOML


def _check_value(value: Any, depth: int = 0) -> None:
    if depth > MAX_NESTING:
        raise FrontMatterEditError("The value is nested too deeply to store in front-matter.")
    if isinstance(value, _SUPPORTED_SCALARS):
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


def _toml_key(key: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return _toml_string(key)


def _toml_string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if value is None:
        raise FrontMatterEditError("TOML front-matter has no empty value; remove the field instead.")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise FrontMatterEditError(f"A {type(value).__name__} value cannot be stored in TOML front-matter.")


# ---------------------------------------------------------------------------------------------------------
# Editing


def _editable(raw: bytes) -> tuple[Document, str]:
    document = parse_document(raw)
    _, _, codec, _ = _decode(raw)
    blocking = [problem for problem in document.problems if problem.code in _BLOCKING_CODES]
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
        new_text = _new_yaml_block(document, key, value, codec)
    elif document.front_matter_format == "yaml":
        new_text = _set_yaml(document, key, value, codec)
    elif document.front_matter_format == "toml":
        new_text = _set_toml(document, key, value)
    else:
        new_text = _set_json(document, key, value)
    result = _encode_edit(new_text, codec)
    _verify(document, result, key, value, removed=False)
    return result


def remove_field(raw: bytes, key: str) -> bytes:
    """Return `raw` without front-matter field `key` (unchanged when the key is absent)."""
    document, codec = _editable(raw)
    if key not in document.metadata or document.front_matter_format is None:
        return raw
    if document.front_matter_format == "yaml":
        new_text = _remove_yaml(document, key)
    elif document.front_matter_format == "toml":
        new_text = _remove_toml(document, key)
    else:
        new_text = _set_json(document, key, None, remove=True)
    result = _encode_edit(new_text, codec)
    _verify(document, result, key, None, removed=True)
    return result


def _encode_edit(text: str, codec: str) -> bytes:
    try:
        return _encode(text, codec)
    except UnicodeEncodeError as error:
        raise FrontMatterEditError(
            f"The new value has characters the file's encoding ({codec}) cannot hold."
        ) from error


def _verify(before: Document, result: bytes, key: str, value: Any, *, removed: bool) -> None:
    """Refuse an edit that doesn't read back as intended or disturbs another field."""
    after = parse_document(result)
    if any(problem.code in _BLOCKING_CODES for problem in after.problems):
        raise FrontMatterEditError("The change would break the front-matter, so it was not made.")
    if removed:
        if key in after.metadata:
            raise FrontMatterEditError(f"The field {key!r} could not be removed cleanly.")
    else:
        expected = _expected_value(after.front_matter_format, value)
        stored = after.metadata.get(key, _MISSING)
        if not _same(stored, expected) and not _joined_equivalent(stored, value):
            raise FrontMatterEditError(f"The value for {key!r} can't be written so that it reads back.")
    others_before = {k: v for k, v in before.metadata.items() if k != key}
    others_after = {k: v for k, v in after.metadata.items() if k != key}
    if not _same(others_before, others_after):
        raise FrontMatterEditError(f"Changing {key!r} would disturb other fields, so it was not made.")
    if after.body != before.body:
        raise FrontMatterEditError("The change would alter the body, so it was not made.")


_MISSING = object()


def _expected_value(fmt: FrontMatterFormat | None, value: Any) -> Any:
    if fmt == "json":
        return json.loads(json.dumps(value, default=_json_default))
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


def _new_yaml_block(document: Document, key: str, value: Any, codec: str) -> str:
    newline = document.newline
    ascii_only = not codec.replace("bom+", "").startswith("utf")
    prefix = _yaml_key(key, ascii_only) + ":"
    lines = render_value(prefix, value, _Style(), ascii_only)
    block = YAML_DELIMITER + newline + "".join(line + newline for line in lines) + YAML_DELIMITER + newline
    return block + document.text


@dataclass
class _Span:
    key: Any
    first: int  # first line index (in front-matter lines)
    last: int  # last line index, inclusive
    key_node: yaml.Node
    value_node: yaml.Node


def _yaml_spans(fm_text: str) -> tuple[list[str], list[_Span]]:
    """The front-matter's lines and, for each top-level key, which lines hold it."""
    lines = fm_text.splitlines(keepends=True)
    # Compose (no construction): marks give each key's line; values are never evaluated.
    root = yaml.compose(fm_text, Loader=_BaseLoader) if fm_text.strip() else None
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


def _style_of(span: _Span, lines: list[str]) -> _Style:
    node = span.value_node
    if node.start_mark.line < span.first or node.start_mark.line > span.last:
        return _Style()  # an alias: the node lives elsewhere, so its look says nothing about this key
    if isinstance(node, yaml.SequenceNode):
        quote = _item_quote(node.value)
        if node.flow_style:
            return _Style("flow-seq", quote=quote)
        if node.value:
            item = node.value[0]
            line = lines[item.start_mark.line]
            dash = line.find("-")
            gap = max(1, item.start_mark.column - dash - 1) if dash >= 0 else 1
            return _Style("block-seq", quote=quote, dash_indent=max(dash, 0), dash_gap=gap)
        return _Style("block-seq", quote=quote)
    if isinstance(node, yaml.MappingNode):
        return _Style("flow-map" if node.flow_style else "block-map")
    if isinstance(node, yaml.ScalarNode):
        quote = node.style if node.style in ('"', "'") else None
        separator: str | None = None
        text = str(node.value)
        if node.tag == "tag:yaml.org,2002:str" and text.strip():
            if ", " in text:
                separator = ", "
            elif "," in text:
                separator = ","
        return _Style("scalar", quote=quote, separator=separator)
    return _Style()


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


def _set_yaml(document: Document, key: str, value: Any, codec: str) -> str:
    fm_text = document.front_matter_text
    try:
        lines, spans = _yaml_spans(fm_text)
    except yaml.YAMLError as error:
        raise FrontMatterEditError("The front-matter is not valid YAML, so it can't be edited.") from error
    ascii_only = not codec.replace("bom+", "").startswith("utf")
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
        new_fm = "".join(lines[: span.first] + new_lines + lines[span.last + 1 :])
    else:
        prefix = _yaml_key(key, ascii_only) + ":"
        rendered = render_value(prefix, value, _Style(), ascii_only)
        head = fm_text
        if head and not head.endswith(("\n", "\r")):
            head += newline
        new_fm = head + "".join(line + newline for line in rendered)
    start = document.front_matter_start
    end = start + len(fm_text)
    return document.text[:start] + new_fm + document.text[end:]


def _trailing_comment(span: _Span, lines: list[str], style: _Style) -> str:
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


def _remove_yaml(document: Document, key: str) -> str:
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
    new_fm = "".join(line for index, line in enumerate(lines) if index not in drop)
    start = document.front_matter_start
    return document.text[:start] + new_fm + document.text[start + len(fm_text) :]


_TOML_TABLE_RE = re.compile(r"^\s*\[")


def _toml_spans(fm_text: str) -> tuple[list[str], dict[str, tuple[int, int]], int]:
    """Top-level key -> (first, last) line indexes, and the index of the first table header."""
    lines = fm_text.splitlines(keepends=True)
    spans: dict[str, tuple[int, int]] = {}
    index = 0
    table_at = len(lines)
    while index < len(lines):
        line = lines[index]
        if _TOML_TABLE_RE.match(line):
            table_at = index
            break
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        # The smallest run of lines that parses on its own is this key's value (multi-line arrays/strings).
        for last in range(index, len(lines)):
            try:
                parsed = tomllib.loads("".join(lines[index : last + 1]).replace("\r\n", "\n"))
            except tomllib.TOMLDecodeError:
                continue
            if len(parsed) == 1:
                name = next(iter(parsed))
                if not isinstance(parsed[name], dict) or "." not in stripped.split("=", 1)[0]:
                    spans[name] = (index, last)
            index = last + 1
            break
        else:
            raise FrontMatterEditError("The TOML front-matter could not be split into fields.")
    return lines, spans, table_at


def _set_toml(document: Document, key: str, value: Any) -> str:
    fm_text = document.front_matter_text
    lines, spans, table_at = _toml_spans(fm_text)
    newline = document.newline
    rendered = f"{_toml_key(key)} = {_toml_value(value)}"
    if key in spans:
        first, last = spans[key]
        old = lines[first]
        prefix = old[: old.index("=") + 1]
        rendered = prefix + " " + _toml_value(value)
        ending = line_newline(lines[last], newline)
        new_lines = [*lines[:first], rendered + ending, *lines[last + 1 :]]
    else:
        if key in document.metadata:
            raise FrontMatterEditError(
                f"The TOML field {key!r} is a table; it can't be replaced by one line."
            )
        insert_at = table_at
        while insert_at > 0 and not lines[insert_at - 1].strip():
            insert_at -= 1
        before = lines[:insert_at]
        if before and not before[-1].endswith(("\n", "\r")):
            before[-1] += newline
        new_lines = [*before, rendered + newline, *lines[insert_at:]]
    new_fm = "".join(new_lines)
    start = document.front_matter_start
    return document.text[:start] + new_fm + document.text[start + len(fm_text) :]


def _remove_toml(document: Document, key: str) -> str:
    fm_text = document.front_matter_text
    lines, spans, _ = _toml_spans(fm_text)
    if key not in spans:
        raise FrontMatterEditError(f"The TOML field {key!r} is a table; remove it by hand.")
    first, last = spans[key]
    new_fm = "".join(lines[:first] + lines[last + 1 :])
    start = document.front_matter_start
    return document.text[:start] + new_fm + document.text[start + len(fm_text) :]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _set_json(document: Document, key: str, value: Any, *, remove: bool = False) -> str:
    """Re-serialise JSON front-matter; JSON can't keep other keys' exact spacing, only order and values."""
    fm_text = document.front_matter_text
    data = json.loads(fm_text)
    if remove:
        data.pop(key, None)
    else:
        data[key] = value
    indent = _json_indent(fm_text)
    dumped = json.dumps(data, indent=indent, ensure_ascii=False, default=_json_default, allow_nan=False)
    if indent is not None and document.newline != "\n":
        dumped = dumped.replace("\n", document.newline)
    leading = fm_text[: len(fm_text) - len(fm_text.lstrip())]
    trailing = fm_text[len(fm_text.rstrip()) :]
    start = document.front_matter_start
    return document.text[:start] + leading + dumped + trailing + document.text[start + len(fm_text) :]


def _json_indent(fm_text: str) -> int | str | None:
    for line in fm_text.strip().splitlines()[1:]:
        stripped = line.lstrip()
        if stripped:
            pad = line[: len(line) - len(stripped)]
            return "\t" if pad.startswith("\t") else len(pad) or None
    return None


# ---------------------------------------------------------------------------------------------------------
# New files


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
        prefix = _yaml_key(key) + ":"
        lines.extend(render_value(prefix, value, _Style(), False))
    lines.append(YAML_DELIMITER)
    text = "\n".join(lines) + "\n"
    if body and not body.startswith("\n"):
        text += "\n"
    raw = (text + body).encode("utf-8")
    document = parse_document(raw)
    if any(problem.code != "content-key" for problem in document.problems) or not _same(
        document.metadata, {k: _expected_value("yaml", v) for k, v in metadata.items()}
    ):
        raise FrontMatterEditError("These fields can't be written so that they read back unchanged.")
    return raw
