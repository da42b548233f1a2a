"""An entry's Markdown as safe HTML for the static site: links rewritten, code highlighted, math as MathML.

Raw HTML in entries is shown as text, not passed through: an entry may come from anywhere (an import, a
clipboard), and a page that runs a stranger's `<script>` or `onerror=` is worse than one that shows a
`<details>` tag as text. Link targets go through markdown-it's own check (no `javascript:`), and every string
that comes from the journal is escaped.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from mljournal.core.entries.links import Link, LinkResolver, linked_path
from mljournal.core.text.markdown.parser import build_parser
from mljournal.core.text.markdown.wikilinks import WIKILINK

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_MATHML_ELEMENTS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msub",
        "msup",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "merror",
        "semantics",
        "annotation",
        "mlabeledtr",
    ]
)
_MATHML_ATTRIBUTES = frozenset(
    [
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "columnalign",
        "rowspacing",
        "columnspacing",
        "accent",
        "accentunder",
        "movablelimits",
        "form",
        "width",
        "height",
        "depth",
        "linethickness",
        "displaystyle",
        "scriptlevel",
        "minsize",
        "maxsize",
        "symmetric",
        "largeop",
        "align",
        "columnlines",
        "rowlines",
        "frame",
        "framespacing",
        "notation",
        "encoding",
        "linebreak",
    ]
)

_ANCHOR_DROP_RE = re.compile(r"[^\w\- ]")

PageHref = Callable[[str, str], str]
"""(entry path, heading) → the href of that entry's page from the page being rendered."""
FileHref = Callable[[str], str | None]
"""Journal path of a linked file (an image, a PDF) → its href in the site, or None when it can't be copied."""


def mathml(tex: str, *, display: bool) -> str:
    """TeX as MathML (browsers draw it with no script and no network), or the TeX as escaped code."""
    import latex2mathml.converter

    try:
        converted = latex2mathml.converter.convert(tex, display="block" if display else "inline")
        return _checked_mathml(converted)
    except Exception:  # latex2mathml raises many kinds of errors on TeX it doesn't know
        # Shown as written, in a code span (valid inside a paragraph; a display block wraps it in a <div>).
        return f'<code class="math-source">{html.escape(tex)}</code>'


def _checked_mathml(markup: str) -> str:
    """`markup` re-serialised from its parse tree, if it holds only MathML elements and attributes.

    latex2mathml copies `\\text{…}` into the output unescaped, so its output is never trusted as is.
    """
    root = ElementTree.fromstring(markup)
    for element in root.iter():
        namespace, _brace, local = element.tag[1:].partition("}")
        if namespace != MATHML_NS or local not in _MATHML_ELEMENTS:
            raise ValueError(f"unexpected element {element.tag}")
        if any(name not in _MATHML_ATTRIBUTES for name in element.attrib):
            raise ValueError("unexpected attribute")
    ElementTree.register_namespace("", MATHML_NS)
    return ElementTree.tostring(root, encoding="unicode")


def _highlight(code: str, language: str, _attrs: Any) -> str:
    """Code highlighted by Pygments (which escapes it), or "" to let markdown-it escape it plainly."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    if not language:
        return ""
    try:
        lexer = get_lexer_by_name(language.split()[0])
    except ClassNotFound:
        return ""
    return str(highlight(code, lexer, HtmlFormatter(nowrap=True)))


def highlight_css() -> str:
    """The Pygments style for highlighted code, scoped to `pre`."""
    from pygments.formatters import HtmlFormatter

    return str(HtmlFormatter(style="default").get_style_defs("pre"))


class EntryHtml:
    """Renders entry bodies for the site; one per export (it holds a parser with the site's render rules)."""

    def __init__(
        self, resolver: LinkResolver, page_href: PageHref, exported: set[str], file_href: FileHref
    ) -> None:
        self._resolver = resolver
        self._page_href = page_href
        self._exported = exported
        self._file_href = file_href
        self._md = _site_parser()

    def render(self, source: str, body: str) -> str:
        """The HTML of the entry at journal path `source` whose Markdown is `body`."""
        tokens = self._md.parse(body)
        anchors: set[str] = set()
        for position, token in enumerate(tokens):
            if token.type == "inline" and token.children:
                self._rewrite_inline(source, token.children)
            elif token.type == "heading_open" and position + 1 < len(tokens):
                # Ids on headings, so `[[Title#Heading]]` and the reader's own bookmarks land on them.
                anchor = heading_anchor(tokens[position + 1].content) or "section"
                unique, counter = anchor, 2
                while unique in anchors:
                    unique, counter = f"{anchor}-{counter}", counter + 1
                anchors.add(unique)
                token.attrs["id"] = unique
        return str(self._md.renderer.render(tokens, self._md.options, {}))

    def _entry_href(self, source: str, link: Link) -> str | None:
        target = self._resolver.resolve(source, link)
        if target is None or target not in self._exported:
            return None
        return self._page_href(target, link.heading)

    def _rewrite_inline(self, source: str, children: list[Token]) -> None:
        open_link: Token | None = None
        for token in children:
            if token.type == WIKILINK:
                meta = token.meta
                token.meta = {
                    **meta,
                    "href": self._entry_href(source, Link("wiki", meta["target"], "", meta["heading"])),
                }
            elif token.type == "link_open":
                open_link = token
                href = self._local_href(source, str(token.attrs.get("href", "")))
                if href is None:
                    token.tag, token.attrs = "span", {"class": "unlinked"}
                elif href:
                    token.attrs["href"] = href
            elif token.type == "link_close" and open_link is not None:
                token.tag = open_link.tag
                open_link = None
            elif token.type == "image":
                href = self._local_href(source, str(token.attrs.get("src", "")))
                if href is None:
                    token.type, token.tag, token.content = "text", "", token.content or "image"
                elif href:
                    token.attrs["src"] = href

    def _local_href(self, source: str, href: str) -> str | None:
        """A link target in the site: "" to keep `href` as is (web, anchor), None when it leads nowhere."""
        try:
            parts = urlsplit(href)
        except ValueError:
            return None
        if parts.scheme or parts.netloc or not parts.path:
            return ""
        link = Link("markdown", unquote(parts.path), "", unquote(parts.fragment))
        if self._resolver.resolve(source, link) is not None:
            return self._entry_href(source, link)
        joined = linked_path(source, link.target)
        return None if joined is None else self._file_href(joined)


def _site_parser() -> MarkdownIt:
    md = build_parser()
    md.options["highlight"] = _highlight
    md.add_render_rule(WIKILINK, _render_wikilink)
    md.add_render_rule("math_inline", _render_math(display=False, block=False))
    # `$$x$$` inside a paragraph: displayed, but no <div> inside the <p> (MathML's display="block" suffices).
    md.add_render_rule("math_inline_double", _render_math(display=True, block=False))
    for name in ("math_block", "math_block_label", "math_block_eqno"):
        md.add_render_rule(name, _render_math(display=True, block=True))
    return md


def _render_wikilink(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    label = html.escape(str(meta["label"]))
    href = meta.get("href")
    if not href:
        return f'<span class="unlinked">{label}</span>'
    return f'<a href="{html.escape(href)}">{label}</a>'


def _render_math(*, display: bool, block: bool) -> Callable[[Any, Sequence[Token], int, Any, Any], str]:
    def render(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        markup = mathml(tokens[idx].content.strip(), display=display)
        return f'<div class="math">{markup}</div>\n' if block else markup

    return render


def heading_anchor(heading: str) -> str:
    """The id the site gives a heading (and a `[[Title#Heading]]` link points to), the way GitHub and Hugo
    make them: lower case, letters of any script and digits kept, spaces to `-`, other punctuation dropped.
    So `[see](#größe-und-form)` written for GitHub lands on the heading here too."""
    folded = _ANCHOR_DROP_RE.sub("", " ".join(heading.split()).lower())
    return folded.replace(" ", "-")


def url_path(path: str) -> str:
    """A relative URL for a site path, percent-encoded but keeping `/`."""
    return quote(path, safe="/#")
