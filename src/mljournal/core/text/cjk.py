"""Chinese, Japanese and Korean text made searchable word by word, in an index whose tokenizer splits on spaces.

FTS5's unicode61 tokenizer keeps a run of CJK characters as one token, because these scripts don't put spaces
between words: "我们用线程池" is one token, and searching "线程" finds nothing inside it. So the index's copy of
the text (never the file) has each CJK run rewritten as its overlapping bigrams plus its last character, one
token each, and a query term's CJK runs become a phrase of the same bigrams. A run of n characters gives n
tokens, the i-th starting with the run's i-th character::

    我们用线程池  ->  \\x1f我们\\x1f们用\\x1f用线\\x1f线程\\x1f程池\\x1f池\\x1f

Any word of two or more characters inside a run is then a phrase of consecutive tokens, and a single character
is the first character of a token (a prefix query). The separator is U+001F, which unicode61 treats as a
separator and text never contains (the index copy replaces any it had with a space), so the rewrite can be
undone exactly: `readable` turns the index copy, or an FTS5 snippet of it, back into the original text.

Text without CJK characters is left untouched, after a check that costs microseconds: Latin-script indexing
and search are unchanged.
"""

from __future__ import annotations

import re

__all__ = ["has_cjk", "index_form", "only_single_characters", "query_form", "readable"]

_CJK_CHARS = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3005-\u3007"  # 々 〆 〇
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana (with ー)
    "\u3130-\u318f"  # Hangul Compatibility Jamo
    "\u31f0-\u31ff"  # Katakana Phonetic Extensions
    "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\ua960-\ua97f"  # Hangul Jamo Extended-A
    "\uac00-\ud7af"  # Hangul Syllables
    "\ud7b0-\ud7ff"  # Hangul Jamo Extended-B
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\uff66-\uff9f"  # Halfwidth Katakana
    "\U00020000-\U0003134f"  # CJK Unified Ideographs Extensions B to G
)
_CJK_RE = re.compile(f"[{_CJK_CHARS}]")
_CJK_RUN_RE = re.compile(f"[{_CJK_CHARS}]+")
SEPARATOR = "\x1f"
"""Between the tokens of a rewritten run: a separator to unicode61, and never part of the indexed text."""
# One token of a rewritten run (a bigram or a run's last character), and the snippet's close mark after it.
_TOKEN_RE = re.compile(f"([{_CJK_CHARS}])([{_CJK_CHARS}])?(\\])?")


def has_cjk(text: str) -> bool:
    """Whether `text` holds a Chinese, Japanese or Korean character (fast for ASCII text)."""
    return not text.isascii() and _CJK_RE.search(text) is not None


def _run_tokens(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run))]


def _index_run(match: re.Match[str]) -> str:
    return SEPARATOR + SEPARATOR.join(_run_tokens(match.group())) + SEPARATOR


def index_form(text: str) -> str:
    """`text` as the index stores it: each CJK run as its bigrams and last character (see the module doc)."""
    if not has_cjk(text):
        return text
    return _CJK_RUN_RE.sub(_index_run, text.replace(SEPARATOR, " "))


def query_form(term: str) -> tuple[str, bool]:
    """A query word or phrase as the index's tokens, and whether its last token must be read as a prefix.

    A CJK run becomes its bigrams: they are consecutive tokens wherever the run occurs in the index. When the
    term goes on after the run, the run ends there in the indexed text too, so its last character (its own
    token there) follows. A term ending with a single CJK character needs a prefix: in the index that
    character begins a token (`线` is found in `线程`). Terms without CJK come back unchanged.
    """
    if not has_cjk(term):
        return term, False
    parts: list[str] = []
    last = 0
    prefix = False
    for match in _CJK_RUN_RE.finditer(term):
        parts.append(term[last : match.start()])
        run = match.group()
        followed = match.end() < len(term)
        tokens = [run[i : i + 2] for i in range(len(run) - 1)]
        if followed or len(run) == 1:
            tokens.append(run[-1])
        prefix = len(run) == 1 and not followed
        parts.append(" " + " ".join(tokens) + " ")
        last = match.end()
    parts.append(term[last:])
    return "".join(parts).strip(), prefix


def only_single_characters(terms: tuple[str, ...] | list[str]) -> bool:
    """Whether the CJK in these search terms is all single characters (see `readable`'s `marks_cover_pairs`)."""
    runs = [run for term in terms for run in _CJK_RUN_RE.findall(term)]
    return bool(runs) and all(len(run) == 1 for run in runs)


def readable(text: str, *, marks_cover_pairs: bool = True) -> str:
    """The original text of an index copy made by `index_form`, or of an FTS5 snippet of one.

    A snippet marks a match with `[` and `]` around whole tokens. A bigram matched by a word of two or more
    characters covers both of its characters, so the `]` after it moves past the second one; with
    `marks_cover_pairs=False` (a search for single characters, which match bigrams as a prefix) only the
    first is marked. (A `]` right after a bigram is always a mark: in the index copy every token is followed
    by the separator.)
    """
    if SEPARATOR not in text:
        return text
    out: list[str] = []
    position = 0
    skip_first = False
    for token in _TOKEN_RE.finditer(text):
        between = text[position : token.start()]
        out.append(between)
        if between.replace(SEPARATOR, "").replace("[", ""):
            skip_first = False  # another run: tokens of one run have only separators and marks between
        first, second, close = token.groups()
        if not skip_first:
            out.append(first)
        skip_first = False
        if second is not None and close is not None and marks_cover_pairs:
            out.append(second + "]")
            skip_first = True
        elif close is not None:
            out.append("]")
        position = token.end()
    out.append(text[position:])
    return "".join(out).replace(SEPARATOR, "")
