"""Links between entries: read them from a body with markdown-it, and resolve them to entry paths.

Forms read: `[[Title]]`, `[[file-stem]]`, `[[Title|shown text]]`, `[[Title#Heading]]`, and relative Markdown
links, inline (`[text](../other.md)`) or reference-style (`[text][ref]` with `[ref]: other.md`; markdown-it
resolves the definitions). Code spans and fences are never read. Web links, anchors within the same page and
links to files that aren't entries (images, PDFs) are not entry links.

Everything here is a pure function of plain data, so the index can resolve links for thousands of entries
without touching the disk: pass the journal's (path, title) pairs once to `LinkResolver`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from markdown_it.token import Token

from mljournal.core.journal import ENTRY_SUFFIXES
from mljournal.core.text.markdown.parser import parse
from mljournal.core.text.markdown.source_map import SourceLines, SourceSpan
from mljournal.core.text.markdown.wikilinks import WIKILINK
from mljournal.core.text.splice import Edit, apply_edits

__all__ = [
    "Link",
    "LinkResolver",
    "ResolvedLinks",
    "entry_keys",
    "link_keys",
    "linked_path",
    "markdown_link",
    "read_links",
    "resolve_links",
    "wikilinks_as_markdown",
]

LinkKind = Literal["wiki", "markdown"]


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written in an entry."""

    kind: LinkKind
    target: str
    """A wikilink's title or file stem; a Markdown link's path (percent-decoded, without `#anchor`)."""
    text: str
    """What the reader sees: the link text, or the wikilink's label."""
    heading: str = ""
    """The part after `#` (a heading or anchor), or ""."""
    line: int = field(default=0, compare=False)
    """1-based line of the body the link starts on; 0 when unknown. Not part of what the link *is*."""


@dataclass(frozen=True, slots=True)
class ResolvedLinks:
    """An entry's links to other entries: those found (with the entry path each points to) and the broken."""

    resolved: list[tuple[Link, str]]
    unresolved: list[Link]

    @property
    def targets(self) -> list[str]:
        """The linked entries' paths, in order of first mention, without repeats."""
        return list(dict.fromkeys(path for _link, path in self.resolved))


_MAY_LINK = re.compile(r"\[\[|\]\s*[(\[:]")
"""Cheap first look: a body without `[[`, `](`, `][` or `]:` has no link, and skips the Markdown parser."""


def read_links(body: str) -> list[Link]:
    """Every wikilink and every relative Markdown link of `body` that may point to an entry, in order."""
    if "[" not in body or not _MAY_LINK.search(body):
        return []
    links: list[Link] = []
    for block in parse(body):
        if block.type == "inline" and block.children:
            first_line = block.map[0] + 1 if block.map else 0
            links.extend(_inline_links(block.children, first_line))
    return links


def _line_of(token: Token, first_line: int) -> int:
    """The body line `token` starts on: its block's first line plus the line breaks before it in the block."""
    span = (token.meta or {}).get("span")
    if not first_line or not isinstance(span, SourceSpan):
        return first_line
    return first_line + span.src.count("\n", 0, span.start)


def _inline_links(children: list[Token], first_line: int) -> list[Link]:
    links: list[Link] = []
    open_href: str | None = None
    open_line = 0
    text_parts: list[str] = []
    for token in children:
        if token.type == WIKILINK:
            meta = token.meta
            line = _line_of(token, first_line)
            links.append(Link("wiki", meta["target"], meta["label"], meta["heading"], line))
        elif token.type == "link_open":
            open_href = str(token.attrs.get("href", ""))
            open_line = _line_of(token, first_line)
            text_parts = []
        elif token.type == "link_close" and open_href is not None:
            link = markdown_link(open_href, " ".join("".join(text_parts).split()), open_line)
            if link is not None:
                links.append(link)
            open_href = None
        elif open_href is not None:
            text_parts.append(token.content if token.type != "softbreak" else " ")
    return links


def markdown_link(href: str, text: str, line: int = 0) -> Link | None:
    """A Markdown link's target as a `Link`, or None for web links and same-page anchors."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None  # https:, mailto:, //host, or `#anchor` on the same page
    return Link("markdown", unquote(parts.path), text or href, unquote(parts.fragment), line)


class LinkResolver:
    """Resolves links against a journal's entries, given as (path, title) pairs.

    A wikilink matches an entry by title (case-insensitive), else by file stem, else by a path from the
    journal's root or the linking entry's folder. A Markdown link is a path relative to the linking entry's
    folder (or to the journal root when it starts with `/`), with or without its `.md` suffix. When two
    entries share a title or stem, the first path in sorted order wins, so the answer doesn't depend on the
    order the caller listed them in.
    """

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._paths: dict[str, str] = {}
        self._by_title: dict[str, str] = {}
        self._by_stem: dict[str, str] = {}
        for path, title in sorted(entries):
            self._paths.setdefault(path.casefold(), path)
            self._by_title.setdefault(_fold(title), path)
            self._by_stem.setdefault(_fold(_stem(path)), path)

    def resolve(self, source: str, link: Link) -> str | None:
        """The path of the entry `link` (written in the entry at `source`) points to, or None."""
        if link.kind == "wiki":
            folded = _fold(link.target)
            found = self._by_title.get(folded) or self._by_stem.get(folded)
            if found is not None:
                return found
            return self._by_path(link.target, source, from_root=True)
        return self._by_path(link.target, source, from_root=False)

    def is_entry_link(self, link: Link) -> bool:
        """Whether an unresolved `link` was meant for an entry (a wikilink, or a path to a Markdown file).

        `[diagram](img/plot.png)` is a link to a file, not a broken entry link; nor are a blog's site paths
        without a suffix, `/tags/numpy/` or `/pkg/runtime` (an imported Hugo or Jekyll blog has hundreds).
        `[notes](other-entry)`, relative and bare, may be meant for an entry.
        """
        if link.kind == "wiki":
            return True
        suffix = posixpath.splitext(link.target)[1].lower()
        if suffix in ENTRY_SUFFIXES:
            return True
        return suffix == "" and not link.target.startswith("/") and not link.target.endswith("/")

    def _by_path(self, target: str, source: str, *, from_root: bool) -> str | None:
        """`target` as a path: from the linking entry's folder, or the root for `/…` (and wikilinks' paths)."""
        candidates = [linked_path(source, target)]
        if from_root and not target.startswith("/"):
            candidates.append(linked_path("", target))
        for candidate in candidates:
            if candidate is None:
                continue
            for spelled in (candidate, *(candidate + suffix for suffix in ENTRY_SUFFIXES)):
                found = self._paths.get(spelled.casefold())
                if found is not None:
                    return found
        return None


def resolve_links(source: str, body: str, resolver: LinkResolver) -> ResolvedLinks:
    """The links of the entry at `source` (whose text is `body`): resolved to entry paths, and the broken ones.

    Links to non-entry files (images, PDFs) and to the web are in neither list.
    """
    return sort_links(resolver, ((source, link) for link in read_links(body)))


def sort_links(resolver: LinkResolver, links: Iterable[tuple[str, Link]]) -> ResolvedLinks:
    """Each (source path, link) resolved: the links that reach an entry, and the entry links that reach none.

    Links to non-entry files (images, PDFs) and to the web are in neither list.
    """
    resolved: list[tuple[Link, str]] = []
    unresolved: list[Link] = []
    for source, link in links:
        target = resolver.resolve(source, link)
        if target is not None:
            resolved.append((link, target))
        elif resolver.is_entry_link(link):
            unresolved.append(link)
    return ResolvedLinks(resolved, unresolved)


_MARKUP = re.compile(r"([\\\[\]()<>|])")
"""Characters that would end a label or start a link (or break a table cell): escaped with a backslash."""


def wikilinks_as_markdown(body: str, resolve: Callable[[Link], str | None]) -> str:
    """`body` with every wikilink written as a Markdown link, for readers that know only Markdown links.

    A wikilink that `resolve` finds becomes `[label](/entries/x.md)` (a path from the journal root,
    percent-encoded); one it doesn't becomes its own text, escaped and marked `[[X]]?`. Every other byte of
    the body is kept, and code spans and fences are never touched.
    """
    if "[[" not in body:
        return body
    lines = SourceLines(body)
    edits: list[Edit] = []
    for block in parse(body):
        if block.type != "inline":
            continue
        for token, start, end in lines.inline_spans(block, {WIKILINK}):
            meta = token.meta
            target = resolve(Link("wiki", meta["target"], meta["label"], meta["heading"]))
            if target is None:
                edits.append((start, end, _escaped(body[start:end]) + "?"))
            else:
                edits.append((start, end, f"[{_escaped(meta['label'])}](/{quote(target)})"))
    return apply_edits(body, edits)


def _escaped(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


def linked_path(source: str, target: str) -> str | None:
    """The journal path a link's `target` (percent-decoded) names when written in the entry at `source`.

    Relative to the entry's folder, or to the journal root when it starts with `/`; None when it climbs out.
    """
    if target.startswith("/"):
        joined = posixpath.normpath(target.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    if joined.startswith("..") or joined in {".", ""}:
        return None
    return joined


def entry_keys(path: str, title: str) -> tuple[str, ...]:
    """The keys a link to the entry at `path` can be found under (see `link_keys`)."""
    return tuple(dict.fromkeys((_fold(title), _fold(_stem(path)), _bare(path))))


def link_keys(source: str, link: Link) -> tuple[str, ...]:
    """Keys that any entry `link` may resolve to shares with it (`entry_keys`), whatever entries exist.

    The index stores these beside each link, so "which entries may link to X" is an indexed lookup on X's
    keys; `LinkResolver` then gives the verdict. A key match is necessary, not sufficient (a title may equal
    another entry's stem); resolving never needs a key that isn't here.
    """
    keys: list[str] = []
    if link.kind == "wiki":
        keys.append(_fold(link.target))
    for candidate in (linked_path(source, link.target), linked_path("", link.target)):
        if candidate is not None:
            # `[a](x.md)` may also mean an entry named `x.md.md`: the resolver tries the suffixes after it.
            keys.extend((_bare(candidate), candidate.casefold()))
        if link.kind != "wiki" or link.target.startswith("/"):
            break  # only a wikilink's path may also be read from the root
    return tuple(dict.fromkeys(keys))


def _bare(path: str) -> str:
    """A path compared the way `LinkResolver` compares them: case-folded, without an entry suffix."""
    folded = path.casefold()
    for suffix in ENTRY_SUFFIXES:
        if folded.endswith(suffix):
            return folded[: -len(suffix)]
    return folded


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]
