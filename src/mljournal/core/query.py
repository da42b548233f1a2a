"""The search language: one parser for the CLI (`mljournal search QUERY`) and the TUI's search box.

`parse_query` turns what the user typed into a `ParsedQuery`, plain data that the index compiles into SQL with
bound parameters. It is total: any input gives a result, and anything it had to ignore is explained in `hint`.

The language::

    word other        both words must appear (full text over title, description, tags and body)
    "a phrase"        the words in this order
    learn*            any word starting with "learn"
    -word, NOT word   entries without this word (also -"a phrase", NOT tag:x, -title:x ...)
    a OR b            either word; OR binds tighter than the implicit AND, so `a b OR c` means a AND (b OR c)
    tag:x, #x         entries tagged x (several: all of them); -tag:x / -#x: not tagged x; case and a
                      leading # do not matter (tag:#ML is tag:ml), as in the index
    tag:"deep learning"
    topic:ID          entries under that roadmap topic or any topic below it; -topic:ID excludes
    title:word        the word in the title only; title:"a phrase", title:learn*
    on:2024, on:2024-01, on:2024-01-15, on:today, on:yesterday   (date: is a synonym of on:)
    after:X           on or after X; before:X strictly before X; X is a date as above or 7d, 4w, 3m, 1y ago

Decisions worth knowing:

* Keys (`tag:`, `TAG:`, `Title:`) are case-insensitive. Only upper-case `OR`, `NOT` and `AND` are operators, as
  in most search engines; `or`, `not` and `and` are ordinary words. `AND` is accepted and changes nothing.
* Parentheses do not group. A word's leading `(` and unmatched trailing `)` are dropped (with a hint), so
  `(a OR b) c` still means what it says; `(a b) OR c` does not, and the hint says why.
* OR only joins two words or phrases. An OR next to a filter or an excluded word is ignored with a hint, because
  filters and exclusions always apply.
* Unknown `key:value` forms (`http://x`, `foo:bar`, `c++`) are plain text.
* Several date filters intersect; `before:` is exclusive, every other bound inclusive. `3m`/`1y` clamp to the
  month's end (31 March minus a month is 29 February in a leap year).
* A prefix matches the stored (porter-stemmed) words that start with it. The index spells out prefixes the
  stemmer itself would change (`mis*`, `day*`), and reads a prefix typed past a stored stem (`somethin*`,
  while "something" is stored as "someth") as that stem; see `core/prefixes.py`.
* A Chinese, Japanese or Korean word is found inside a run of such characters: the index stores each run as
  overlapping bigrams and a query term's runs become a phrase of the same bigrams; a single CJK character is
  searched as a prefix (see `core/cjk.py`).
* Every user word reaches FTS5 as a quoted string (`"..."`, internal quotes doubled), so no input can inject FTS5
  operators or column filters. Words the FTS5 tokenizer reduces to nothing (`-`, `*`, many emoji) are dropped,
  because an empty phrase silently matches no row at all.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from mljournal.core.cjk import query_form
from mljournal.core.safe_text import terminal_safe

__all__ = [
    "FILTER_KEYS",
    "FTS_TOKENIZE",
    "MAX_CLAUSES",
    "MAX_TOKENS",
    "TAG_PREFIXES",
    "DateRange",
    "ParsedQuery",
    "complete_last_word",
    "fts_string",
    "has_tokens",
    "normalize_tag",
    "parse_query",
    "quote_value",
]

FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
"""The tokenizer the index's FTS5 table must use: the parser's notion of "a word with no letters" follows it."""

TAG_PREFIXES: tuple[str, ...] = ("tag:", "#")
"""What introduces a tag filter (for completion in the TUI)."""

FILTER_KEYS: tuple[str, ...] = ("tag", "topic", "title", "on", "date", "after", "before")
"""Every `key:` the language understands (matched case-insensitively)."""

MAX_CLAUSES = 64
"""Words and filters beyond this many are ignored: it keeps the SQL small and parsing fast on pasted text."""

MAX_TOKENS = 4 * MAX_CLAUSES
"""Pieces of input (words, operators, ignored punctuation) read at most: bounds the work on hostile input."""

_OPERATORS = frozenset({"OR", "NOT", "AND"})
_KEY_RE = re.compile(r"([A-Za-z]+):")
_QUOTED_RE = re.compile(r'"([^"]*(?:""[^"]*)*)("?)')
_BARE_RE = re.compile(r"\S*")
_WS_RE = re.compile(r"\s*")
# Lone surrogates (from undecodable command-line bytes) cannot be encoded for SQLite, and FTS5 ends a string
# at NUL ("unterminated string"): neither can be part of a search, so they are removed up front.
_UNUSABLE_RE = re.compile("[\x00\ud800-\udfff]")
_SAFE_VALUE_RE = re.compile(r"[\w.+/@:-]+")
_ABSOLUTE_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_RELATIVE_DATE_RE = re.compile(r"(\d{1,6})([dwmy])", re.IGNORECASE)
_TOO_LONG_HINT = f"Used the first {MAX_CLAUSES} words and filters; ignored the rest."
_EXAMPLES = {
    "tag": "tag:python",
    "topic": "topic:linear-algebra",
    "on": "on:2024-01",
    "after": "after:7d",
    "before": "before:2024",
}
_OR_HINT = 'Ignored "OR": it only joins two words (filters and excluded words always apply).'
_DATE_FORMS = "use 2024, 2024-01 or 2024-01-15"
_BOUND_FORMS = "use 2024-01-15, 2024-01, 2024, today, yesterday or 7d, 4w, 3m, 1y"


@dataclass(frozen=True, slots=True)
class DateRange:
    """Days from `start` (inclusive) to `end` (exclusive), both ``YYYY-MM-DD``; None leaves that side open."""

    start: str | None = None
    end: str | None = None

    @property
    def is_open(self) -> bool:
        """True when the range does not restrict anything."""
        return self.start is None and self.end is None


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A search, as data. The index compiles it into SQL with bound parameters only."""

    match: str | None = None
    """FTS5 MATCH expression of the positive text terms, with the excluded ones attached by NOT; None when the
    query has no positive text term."""
    exclude_match: str | None = None
    """FTS5 expression of the excluded terms when there is no positive term to attach them to: the index
    keeps rows ``NOT IN (... MATCH exclude_match)``. None otherwise."""
    tags_all: tuple[str, ...] = ()
    """Lower-cased tags an entry must all have."""
    tags_none: tuple[str, ...] = ()
    """Lower-cased tags an entry must not have."""
    topics_all: tuple[str, ...] = ()
    """Roadmap topic ids as typed; the index expands each to its subtree and requires all of them."""
    topics_none: tuple[str, ...] = ()
    dates: DateRange = DateRange()
    """The intersection of all date filters."""
    hint: str | None = None
    """One line for the user when part of the input was ignored or invalid."""
    terms: tuple[str, ...] = ()
    """The positive words and phrases as typed (without quotes or `*`), for highlighting."""

    @property
    def has_text(self) -> bool:
        """True when results can be ranked by relevance (bm25); otherwise they are shown newest first."""
        return self.match is not None

    @property
    def is_empty(self) -> bool:
        """True when the query filters nothing at all (an empty or fully ignored search box)."""
        return (
            self.match is None
            and self.exclude_match is None
            and not self.tags_all
            and not self.tags_none
            and not self.topics_all
            and not self.topics_none
            and self.dates.is_open
        )


def quote_value(value: str) -> str:
    """`value` written so that `tag:`, `topic:`, `on:` ... read it back exactly, e.g. ``"deep learning"``.

    Simple values stay bare (``ml``, ``2024-01``, ``ml.basics``); anything else is quoted with internal quotes
    doubled. NUL and lone surrogates cannot be represented and are dropped by the parser.
    """
    if _SAFE_VALUE_RE.fullmatch(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def normalize_tag(value: str) -> str:
    """A tag as the index stores it: lower-cased, without surrounding spaces or the leading `#` of ``#ml``."""
    return value.strip().lstrip("#").strip().lower()


def fts_string(text: str) -> str:
    """`text` as an FTS5 string literal: whatever it contains, FTS5 reads it as words, never as syntax."""
    return '"' + text.replace('"', '""') + '"'


# --- lexing ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    raw: str
    """The input this token came from, for hints."""
    negated: bool = False
    key: str | None = None
    """A known filter key (lower-case; `#` becomes ``tag``), or None for text."""
    value: str = ""
    quoted: bool = False
    prefix: bool = False
    operator: str | None = None
    stripped_paren: bool = False


def _lex(text: str) -> Iterator[_Token]:
    """The input's tokens, lazily: the parser stops reading pasted text once it has enough."""
    pos = _WS_RE.match(text, 0).end()  # type: ignore[union-attr]  # \s* always matches
    n = len(text)
    while pos < n:
        start = pos
        stripped_paren = False
        while pos < n and text[pos] == "(":
            pos += 1
            stripped_paren = True
        negated = False
        if pos + 1 < n and text[pos] == "-" and not text[pos + 1].isspace() and text[pos + 1] != "-":
            negated = True
            pos += 1
        key: str | None = None
        key_match = _KEY_RE.match(text, pos)
        if key_match and key_match.group(1).lower() in FILTER_KEYS:
            key = key_match.group(1).lower()
            key = "on" if key == "date" else key
            pos = key_match.end()
        elif pos + 1 < n and text[pos] == "#" and not text[pos + 1].isspace():
            key = "tag"
            pos += 1
        token = _Token(raw="", negated=negated, key=key)
        if pos < n and text[pos] == '"':
            quoted = _QUOTED_RE.match(text, pos)
            assert quoted is not None  # the pattern matches any string starting with a quote
            token.value = quoted.group(1).replace('""', '"')
            token.quoted = True
            pos = quoted.end()
            if pos < n and text[pos] == "*":
                token.prefix = True
                pos += 1
        else:
            bare = _BARE_RE.match(text, pos)
            assert bare is not None
            value = bare.group()
            pos = bare.end()
            # A trailing ")" closes a group unless the word opened it itself, as in f(x).
            closing = min(value.count(")") - value.count("("), len(value) - len(value.rstrip(")")))
            if closing > 0:
                value = value[:-closing]
                stripped_paren = True
            if key is None or key == "title":
                stripped = value.rstrip("*")
                token.prefix = stripped != value and stripped != ""
                value = stripped if token.prefix else value
            if key is None and not negated and not stripped_paren and value in _OPERATORS:
                token.operator = value
            token.value = value
        token.raw = text[start:pos]
        token.stripped_paren = stripped_paren
        yield token
        pos = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]


# --- what the FTS5 tokenizer keeps ------------------------------------------------------------------------------

_probe_lock = threading.Lock()
_probe_db: sqlite3.Connection | None = None
_probe_failed = False


def _probe_connection() -> sqlite3.Connection | None:
    global _probe_db, _probe_failed
    if _probe_db is None and not _probe_failed:
        try:
            db = sqlite3.connect(":memory:", check_same_thread=False)
            # Porter stemming never empties a token, so the plain unicode61 settings decide emptiness.
            db.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
            db.execute("CREATE VIRTUAL TABLE probe_vocab USING fts5vocab(probe, 'row')")
            _probe_db = db
        except sqlite3.Error:
            _probe_failed = True
    return _probe_db


@functools.lru_cache(maxsize=4096)
def _sqlite_has_tokens_cached(text: str) -> bool:
    return _sqlite_has_tokens(text)


def _sqlite_has_tokens(text: str) -> bool:
    with _probe_lock:
        db = _probe_connection()
        if db is None:
            return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" for c in text)
        try:
            db.execute("INSERT INTO probe(rowid, x) VALUES (1, ?)", (text,))
            found = db.execute("SELECT 1 FROM probe_vocab LIMIT 1").fetchone() is not None
        finally:
            db.execute("DELETE FROM probe WHERE rowid = 1")
        return found


def has_tokens(text: str) -> bool:
    """True when the FTS5 tokenizer finds at least one word in `text`.

    ASCII is decided here (letters and digits are word characters, everything else separates). Beyond ASCII,
    SQLite's Unicode tables are older than Python's and disagree with `unicodedata` (in SQLite 3.40 "😀" is a
    separator but "🧠" is a word), so SQLite itself is asked, once per distinct text.
    """
    if text.isascii():
        return any(c.isalnum() for c in text)
    if any(c.isascii() and c.isalnum() for c in text):
        return True
    # Only short texts are cached: what people type repeats, and pasted walls of text would pin memory.
    return _sqlite_has_tokens_cached(text) if len(text) <= 64 else _sqlite_has_tokens(text)


# --- dates ------------------------------------------------------------------------------------------------------


def _months_earlier(day: datetime.date, months: int) -> datetime.date:
    """`day` moved back `months` months (forward when negative), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    if year < datetime.MINYEAR:
        raise ValueError("before year 1")
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _next_day(day: datetime.date) -> str | None:
    """The exclusive end after `day`, or None (open) past the last representable date."""
    try:
        return (day + datetime.timedelta(days=1)).isoformat()
    except OverflowError:
        return None


def _absolute_range(value: str) -> tuple[str, str | None] | None:
    """``2024`` / ``2024-01`` / ``2024-01-15`` as (start, exclusive end), or None when it is not a real date."""
    found = _ABSOLUTE_DATE_RE.fullmatch(value)
    if not found:
        return None
    year, month, day = found.groups()
    try:
        if day is not None:
            start = datetime.date(int(year), int(month), int(day))
            return start.isoformat(), _next_day(start)
        if month is not None:
            start = datetime.date(int(year), int(month), 1)
            end = _months_earlier(start, -1) if start.year < datetime.MAXYEAR or start.month < 12 else None
            return start.isoformat(), end.isoformat() if end else None
        start = datetime.date(int(year), 1, 1)
        end_year = start.year + 1
        return start.isoformat(), (f"{end_year:04d}-01-01" if end_year <= datetime.MAXYEAR else None)
    except ValueError:
        return None


def _relative_day(value: str, today: datetime.date) -> datetime.date | None:
    lowered = value.lower()
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return today - datetime.timedelta(days=1)
    found = _RELATIVE_DATE_RE.fullmatch(value)
    if not found:
        return None
    amount, unit = int(found.group(1)), found.group(2).lower()
    try:
        if unit == "d":
            return today - datetime.timedelta(days=amount)
        if unit == "w":
            return today - datetime.timedelta(weeks=amount)
        return _months_earlier(today, amount * (12 if unit == "y" else 1))
    except (OverflowError, ValueError):
        return None


def _date_filter(key: str, value: str, today: datetime.date) -> DateRange | None:
    """The range one `on:`/`after:`/`before:` filter allows, or None when `value` is not understood."""
    value = value.strip()
    if key == "on":
        if value.lower() in ("today", "yesterday"):
            day = _relative_day(value, today)
            assert day is not None
            return DateRange(day.isoformat(), _next_day(day))
        span = _absolute_range(value)
        return DateRange(*span) if span else None
    span = _absolute_range(value)
    if span is not None:
        bound: str | None = span[0]
    else:
        day = _relative_day(value, today)
        if day is None:
            return None
        bound = day.isoformat()
    return DateRange(start=bound) if key == "after" else DateRange(end=bound)


def _intersect(a: DateRange, b: DateRange) -> DateRange:
    starts = [s for s in (a.start, b.start) if s is not None]
    ends = [e for e in (a.end, b.end) if e is not None]
    # ISO dates with four-digit years sort as strings.
    return DateRange(max(starts) if starts else None, min(ends) if ends else None)


# --- parsing ----------------------------------------------------------------------------------------------------


class _Hints:
    """Everything ignored, reported as one line: the most consequential message first."""

    def __init__(self) -> None:
        self.important: list[str] = []
        self.minor: list[str] = []

    def add(self, message: str, *, important: bool = False) -> None:
        """Record `message`; `important` ones change the results (dates, truncation), minor ones are noise."""
        target = self.important if important else self.minor
        if message not in target:
            target.append(message)

    def line(self) -> str | None:
        messages = self.important + self.minor
        if not messages:
            return None
        extra = len(messages) - 1
        return messages[0] + (f" (and {extra} more)" if extra else "")


def _shown(raw: str) -> str:
    """The user's input quoted in a hint: one short line, with escape sequences made harmless to print."""
    raw = " ".join(raw.split())
    return terminal_safe(raw if len(raw) <= 40 else raw[:37] + "...", single_line=True)


def _fts_term(token: _Token) -> str:
    # CJK runs are indexed as bigrams; the term is written in the same tokens (see `mljournal.core.cjk`).
    value, cjk_prefix = query_form(token.value)
    term = fts_string(value) + (" *" if token.prefix or cjk_prefix else "")
    return f"title : {term}" if token.key == "title" else term


def parse_query(text: str, *, today: datetime.date | None = None) -> ParsedQuery:
    """Parse a search box's text into a `ParsedQuery`. Never raises; see the module docstring for the language.

    `today` anchors relative dates (``today``, ``7d`` ...); it defaults to the local date.
    """
    if today is None:
        today = datetime.date.today()
    hints = _Hints()
    text = _UNUSABLE_RE.sub("", text)

    groups: list[list[str]] = []  # positive text terms: AND of ORs
    excluded: list[str] = []
    terms: list[str] = []
    tags_all: list[str] = []
    tags_none: list[str] = []
    topics_all: list[str] = []
    topics_none: list[str] = []
    dates = DateRange()
    saw_date = False

    pending_not: _Token | None = None
    pending_or: _Token | None = None
    last_was_positive_text = False
    clauses = 0

    for count, token in enumerate(_lex(text)):
        if count >= MAX_TOKENS:
            hints.add(_TOO_LONG_HINT, important=True)
            break
        if token.stripped_paren:
            hints.add("Parentheses are ignored: all words must match, and OR joins only its two neighbours.")
        if token.operator == "AND":
            continue
        if token.operator == "NOT":
            if pending_not is not None:
                hints.add('Ignored a repeated "NOT".')
            pending_not = token
            continue
        if token.operator == "OR":
            if pending_or is not None:
                continue
            if last_was_positive_text and pending_not is None:
                pending_or = token
            else:
                hints.add(_OR_HINT)
            continue

        negated = token.negated or pending_not is not None
        pending_not = None
        is_text = token.key in (None, "title")
        positive_text = is_text and not negated
        if pending_or is not None and not positive_text:
            hints.add(_OR_HINT)
            pending_or = None

        if clauses >= MAX_CLAUSES:
            hints.add(_TOO_LONG_HINT, important=True)
            break

        if is_text:
            if not has_tokens(token.value):
                last_was_positive_text = False
                if token.key == "title" and not token.value.strip():
                    hints.add(f'Ignored "{_shown(token.raw)}": put a value right after it, e.g. title:notes.')
                elif token.value or token.quoted or not token.stripped_paren:
                    hints.add(f'Ignored "{_shown(token.raw)}": no letters or digits to search for.')
                if pending_or is not None:
                    hints.add(_OR_HINT)
                    pending_or = None
                continue
            clauses += 1
            fts = _fts_term(token)
            if negated:
                excluded.append(fts)
                last_was_positive_text = False
                continue
            if pending_or is not None and groups:
                groups[-1].append(fts)
            else:
                groups.append([fts])
            pending_or = None
            last_was_positive_text = True
            if token.value not in terms:
                terms.append(token.value)
            continue

        last_was_positive_text = False
        value = token.value.strip()
        if not value:
            example = _EXAMPLES[token.key or "tag"]
            hints.add(f'Ignored "{_shown(token.raw)}": put a value right after it, e.g. {example}.')
            continue
        clauses += 1
        if token.key == "tag":
            target = tags_none if negated else tags_all
            tag = normalize_tag(value)
            if not tag:
                hints.add(f'Ignored "{_shown(token.raw)}": put a tag name after it, e.g. tag:python.')
            elif tag not in target:
                target.append(tag)
        elif token.key == "topic":
            target = topics_none if negated else topics_all
            if value not in target:
                target.append(value)
        else:
            assert token.key in ("on", "after", "before")
            if negated:
                hints.add(
                    f'Ignored "{_shown(token.raw)}": dates can\'t be excluded; use before: or after:.',
                    important=True,
                )
                continue
            allowed = _date_filter(token.key, value, today)
            if allowed is None:
                forms = _DATE_FORMS if token.key == "on" else _BOUND_FORMS
                hints.add(f'Ignored "{_shown(token.raw)}": not a date ({forms}).', important=True)
                continue
            dates = _intersect(dates, allowed)
            saw_date = True

    if pending_or is not None:
        hints.add('Ignored "OR" at the end: put a word after it.')
    if pending_not is not None:
        hints.add('Ignored "NOT" at the end: put a word or filter after it.')
    if saw_date and dates.start is not None and dates.end is not None and dates.start >= dates.end:
        hints.add("These date filters don't overlap, so nothing can match.", important=True)

    positive = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    negative = " OR ".join(excluded)
    match: str | None = None
    exclude_match: str | None = None
    if positive and negative:
        match = f"({positive}) NOT ({negative})"
    elif positive:
        match = positive
    elif negative:
        exclude_match = negative

    return ParsedQuery(
        match=match,
        exclude_match=exclude_match,
        tags_all=tuple(tags_all),
        tags_none=tuple(tags_none),
        topics_all=tuple(topics_all),
        topics_none=tuple(topics_none),
        dates=dates,
        hint=hints.line(),
        terms=tuple(terms),
    )


_LAST_WORD = re.compile(r"(?:^|\s)([^\s]+)$")


def complete_last_word(text: str, *, min_length: int = 3) -> str:
    """`text` with its last word made a prefix (`broad` becomes `broad*`) while it is still being typed.

    A search box shows results on every keystroke; without this, `broad` finds nothing until the word is
    finished as `broadcasting`. Only a plain word of at least `min_length` characters at the very end is
    completed (shorter prefixes match too much to help, and cost the most); a trailing space, an open
    phrase, an operator, a `key:value` filter, an exclusion or a `#tag` are left as typed.
    """
    if not text or text[-1].isspace() or text.count('"') % 2:
        return text
    match = _LAST_WORD.search(text)
    if match is None:
        return text
    word = match.group(1).lstrip("(")
    if (
        len(word) < min_length
        or word in {"OR", "NOT", "AND"}
        or word[0] in '-#"'
        or ":" in word
        or not word[-1].isalnum()
    ):
        return text
    return text + "*"
