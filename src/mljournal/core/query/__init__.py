"""The search language (package): one parser for the CLI (`mljournal search QUERY`) and the TUI's search box.

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
  while "something" is stored as "someth") as that stem; see `core/index/prefixes.py`.
* A Chinese, Japanese or Korean word is found inside a run of such characters: the index stores each run as
  overlapping bigrams and a query term's runs become a phrase of the same bigrams; a single CJK character is
  searched as a prefix (see `core/text/cjk.py`).
* Every user word reaches FTS5 as a quoted string (`"..."`, internal quotes doubled), so no input can inject FTS5
  operators or column filters. Words the FTS5 tokenizer reduces to nothing (`-`, `*`, many emoji) are dropped,
  because an empty phrase silently matches no row at all.
"""

from __future__ import annotations

from mljournal.core.query.date_filters import DateRange as DateRange
from mljournal.core.query.lexer import FILTER_KEYS as FILTER_KEYS
from mljournal.core.query.lexer import fts_string as fts_string
from mljournal.core.query.lexer import quote_value as quote_value
from mljournal.core.query.parse import MAX_CLAUSES as MAX_CLAUSES
from mljournal.core.query.parse import MAX_TOKENS as MAX_TOKENS
from mljournal.core.query.parse import TAG_PREFIXES as TAG_PREFIXES
from mljournal.core.query.parse import ParsedQuery as ParsedQuery
from mljournal.core.query.parse import complete_last_word as complete_last_word
from mljournal.core.query.parse import parse_query as parse_query
from mljournal.core.query.tokens import FTS_TOKENIZE as FTS_TOKENIZE
from mljournal.core.query.tokens import has_tokens as has_tokens

# THE tag key (core.text.tags), under the name the query package has always exported.

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
    "parse_query",
    "quote_value",
]
