"""The one markdown-it parser every Markdown reader in the core uses, with wikilinks and math.

Math is recognised the way the viewer and the export both need:

- ``$…$`` inline and ``$$…$$`` (dollarmath). A ``$`` next to a digit doesn't open or close math and neither does
  one followed or preceded by a space, so prices (``$5 and $6``) stay text.
- ``\\(…\\)`` inline and ``\\[…\\]`` on their own lines (texmath's "brackets" rules).

Tokens are ``math_inline``, ``math_inline_double`` and ``math_block`` with the TeX source in `content` and the
opening delimiter in `markup`. Inline tokens carry no source position in markdown-it, so each math rule here also
records where in its paragraph's text the math started and ended (`meta["span"]`), as do links and wikilinks,
which lets `source_map` find exactly those bytes in the body and a rewrite change nothing else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as image_rule
from markdown_it.rules_inline.link import link as link_rule
from markdown_it.token import Token
from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar
from mdit_py_plugins.texmath.index import make_block_func, make_inline_func
from mdit_py_plugins.texmath.index import rules as texmath_rules

from mljournal.core.text.markdown.source_map import SourceSpan
from mljournal.core.text.markdown.wikilinks import WIKILINK, wikilink_rule, wikilinks_plugin

MATH_INLINE = "math_inline"
MATH_INLINE_DOUBLE = "math_inline_double"
MATH_BLOCK = "math_block"
MATH_TOKENS = frozenset({MATH_INLINE, MATH_INLINE_DOUBLE, MATH_BLOCK, "math_block_label", "math_block_eqno"})

InlineRule = Callable[[StateInline, bool], bool]
BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _recording(rule: InlineRule, types: frozenset[str], *, refuse_backticks: bool = False) -> InlineRule:
    """Wrap an inline rule so the first token of `types` it makes remembers its source (`meta["span"]`).

    With `refuse_backticks` it also refuses a match that would swallow a backtick: the dollar rule scans for its
    closing `$` without knowing about code spans, so `$6 and `$x$`` would otherwise run into the code.
    """

    def recorded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        count = len(state.tokens)
        found = rule(state, silent)
        if not found:
            return False
        made = [token for token in state.tokens[count:] if token.type in types]
        if refuse_backticks and "`" in state.src[start : state.pos]:
            state.pos = start
            # Only the math token goes: `push` may have flushed pending text into a token, which must stay.
            state.tokens[count:] = [token for token in state.tokens[count:] if token not in made]
            return False
        if made:
            made[0].meta = {**(made[0].meta or {}), "span": SourceSpan(state.src, start, state.pos)}
        return True

    return recorded


def _mapped(rule: BlockRule) -> BlockRule:
    """Wrap a block math rule that doesn't set `token.map` (texmath's) so its tokens know their lines."""

    def mapped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        count = len(state.tokens)
        found = rule(state, start_line, end_line, silent)
        if found and not silent:
            for token in state.tokens[count:]:
                token.map = [start_line, state.line]
        return found

    return mapped


def _math_plugin(md: MarkdownIt) -> None:
    # No spaces or digits next to the dollars: `$5 and $6` is money, not math.
    dollar_inline = math_inline_dollar(allow_space=False, allow_digits=False, allow_double=True)
    md.inline.ruler.before(
        "escape", "math_inline_dollar", _recording(dollar_inline, MATH_TOKENS, refuse_backticks=True)
    )
    brackets = texmath_rules["brackets"]
    # Before "escape", which would otherwise read `\(` as an escaped parenthesis.
    md.inline.ruler.before(
        "escape", "math_inline_brackets", _recording(make_inline_func(brackets["inline"][0]), MATH_TOKENS)
    )
    md.block.ruler.before(
        "fence",
        "math_block_dollar",
        math_block_dollar(allow_labels=True, label_normalizer=lambda label: label, allow_blank_lines=False),
    )
    md.block.ruler.before("fence", "math_block_brackets", _mapped(make_block_func(brackets["block"][1])))


@functools.cache
def markdown_parser() -> MarkdownIt:
    """The shared parser (see `build_parser`), built once; markdown-it keeps no state between `parse` calls,
    so threads may share it. Don't add render rules to it: build your own with `build_parser`."""
    return build_parser()


@functools.cache
def plain_parser() -> MarkdownIt:
    """CommonMark with tables and raw HTML **on**, no wikilinks or math, built once: the inline-tag reader's.

    HTML on matters: a `#word` inside an HTML block is then HTML, not text, so it is not a tag; the index stores
    what this parser sees, and changing it would change the tags of existing entries.
    """
    return MarkdownIt("commonmark").enable("table")


def build_parser() -> MarkdownIt:
    """A new parser: CommonMark with tables and strikethrough, raw HTML off (shown as text), wikilinks, math."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    md.use(wikilinks_plugin)
    md.use(_math_plugin)
    # Links, images and wikilinks remember their source too, so an export can rewrite them in place.
    md.inline.ruler.at("link", _recording(link_rule, frozenset({"link_open"})))
    md.inline.ruler.at(WIKILINK, _recording(wikilink_rule, frozenset({WIKILINK})))
    md.inline.ruler.at("image", _recording(image_rule, frozenset({"image"})))
    return md


def parse(text: str) -> list[Token]:
    """The block-level token stream of `text` (inline tokens hold their parts in `children`)."""
    return markdown_parser().parse(text)
