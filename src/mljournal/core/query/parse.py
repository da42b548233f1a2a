"""The search language's parser: tokens into a `ParsedQuery` with one line of hints; and completing the last word."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from mljournal.core.query.date_filters import _BOUND_FORMS, _DATE_FORMS, DateRange, _date_filter, _intersect
from mljournal.core.query.lexer import _lex, _Token, fts_string
from mljournal.core.query.tokens import has_tokens
from mljournal.core.text.cjk import query_form
from mljournal.core.text.safe_text import terminal_safe
from mljournal.core.text.tags import tag_key

TAG_PREFIXES: tuple[str, ...] = ("tag:", "#")
"""What introduces a tag filter (for completion in the TUI)."""

MAX_CLAUSES = 64
"""Words and filters beyond this many are ignored: it keeps the SQL small and parsing fast on pasted text."""

MAX_TOKENS = 4 * MAX_CLAUSES
"""Pieces of input (words, operators, ignored punctuation) read at most: bounds the work on hostile input."""
# Lone surrogates (from undecodable command-line bytes) cannot be encoded for SQLite, and FTS5 ends a string
# at NUL ("unterminated string"): neither can be part of a search, so they are removed up front.
_UNUSABLE_RE = re.compile("[\x00\ud800-\udfff]")
_TOO_LONG_HINT = f"Used the first {MAX_CLAUSES} words and filters; ignored the rest."
_EXAMPLES = {
    "tag": "tag:python",
    "topic": "topic:linear-algebra",
    "on": "on:2024-01",
    "after": "after:7d",
    "before": "before:2024",
}
_OR_HINT = 'Ignored "OR": it only joins two words (filters and excluded words always apply).'


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
    dates: DateRange = DateRange()  # noqa: RUF009 - DateRange is frozen, so one shared default is safe
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
    # CJK runs are indexed as bigrams; the term is written in the same tokens (see `mljournal.core.text.cjk`).
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
            tag = tag_key(value)
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
