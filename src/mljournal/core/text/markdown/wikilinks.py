"""An inline rule for wikilinks: `[[Title]]`, `[[file-stem]]`, `[[Title|shown text]]`, `[[Title#Heading]]`.

Each becomes one ``wikilink`` token whose `meta` holds ``target``, ``heading`` and ``label`` (the text to show:
the part after ``|``, else the target as written). Being an inline rule, it never fires inside code spans or
fenced code, which markdown-it has already claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

WIKILINK = "wikilink"
_MAX_LENGTH = 500
"""A wikilink is a title, not a paragraph: longer candidates are plain text (and the scan stays short)."""


def wikilinks_plugin(md: MarkdownIt) -> None:
    """Teach `md` wikilinks; they render as their label (escaped) unless the caller adds a render rule."""
    # Before "link": `[[x]]` would otherwise be tried as a link label `[x]`.
    md.inline.ruler.before("link", WIKILINK, wikilink_rule)
    md.add_render_rule(WIKILINK, _render_as_text)


def parse_wikilink(inner: str) -> tuple[str, str, str] | None:
    """Split the text between `[[` and `]]` into (target, heading, label); None when it isn't a wikilink."""
    if not inner or "\n" in inner or "[" in inner or "]" in inner:
        return None
    target_part, bar, label = inner.partition("|")
    target, _hash, heading = target_part.partition("#")
    target = " ".join(target.split())
    heading = " ".join(heading.split())
    label = " ".join(label.split()) if bar else ""
    if not target:
        return None
    return target, heading, label or (f"{target}#{heading}" if heading else target)


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    src = state.src
    if not src.startswith("[[", start):
        return False
    end = src.find("]]", start + 2, min(state.posMax, start + 2 + _MAX_LENGTH + 2))
    if end < 0:
        return False
    parsed = parse_wikilink(src[start + 2 : end])
    if parsed is None:
        return False
    if not silent:
        target, heading, label = parsed
        token = state.push(WIKILINK, "", 0)
        token.meta = {"target": target, "heading": heading, "label": label}
        token.markup = src[start : end + 2]
        token.content = label
    state.pos = end + 2
    return True


def _render_as_text(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    from markdown_it.common.utils import escapeHtml

    return escapeHtml(str(tokens[idx].meta["label"]))
