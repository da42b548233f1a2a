"""Where a link in the viewer goes: another entry of the journal, a heading of this one, a web page, or nowhere.

The decision is plain code (`where_link_goes`); only a wikilink needs the index (`find_wikilink`, run in a thread
worker), because only the index knows which entry its title names.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from mljournal.core.entries.links import Link, linked_path
from mljournal.core.journal import ENTRY_SUFFIXES, Journal
from mljournal.tui.data import using_index
from mljournal.tui.text import one_line

WEB_SCHEMES = ("http", "https", "mailto", "ftp")


@dataclass(frozen=True)
class LinkTarget:
    """What following a link means."""

    kind: Literal["wiki", "web", "anchor", "entry", "refused"]
    value: str
    """wiki: the text between the brackets; web: the href; anchor: the fragment ("" for none); entry: the
    entry's journal path; refused: what to tell the user."""
    fragment: str = ""
    """For an entry: the heading anchor to go to there."""


def where_link_goes(current: str, href: str) -> LinkTarget:
    """Where the link `href` in the entry at `current` goes: another entry opens in the viewer, a web link
    asks first, anything else is refused."""
    href = href.strip()
    if href.startswith("[[") and href.endswith("]]") and len(href) > 4:
        # A raw wikilink from the link picker (`markdown_links`): only the index knows which entry it names.
        return LinkTarget("wiki", href[2:-2])
    parts = urlsplit(href)
    if parts.scheme.lower() in WEB_SCHEMES:
        return LinkTarget("web", href)
    if parts.scheme:
        return LinkTarget("refused", f"Not opening {one_line(href, 80)}: unknown link type.")
    if not parts.path:
        return LinkTarget("anchor", parts.fragment)
    target = resolve_entry_link(current, unquote(parts.path))
    if target is None:
        return LinkTarget("refused", f"Not an entry in this journal: {one_line(href, 80)}")
    return LinkTarget("entry", target, parts.fragment)


def resolve_entry_link(current: str, target: str) -> str | None:
    """The journal path a relative link in the entry at `current` points to, if it names an entry file.

    Links are resolved against the entry's folder (`links.linked_path`); a link that climbs out of the
    journal, or names a file that is not an entry, resolves to None.
    """
    joined = linked_path(current, target)
    if joined is None or not joined.lower().endswith(ENTRY_SUFFIXES):
        return None
    return joined


def find_wikilink(journal: Journal, source: str, written: str) -> str | None:
    """The entry the wikilink `[[written]]` in the entry at `source` names, if the index knows one (blocking:
    call it from a thread worker)."""
    target, _hash, heading = written.partition("#")
    link = Link("wiki", target, target, heading)
    try:
        return using_index(journal, lambda index: index.link_resolver([(source, link)]).resolve(source, link))
    except (sqlite3.Error, OSError):
        return None
