"""Blog-ready Markdown for Hugo, Jekyll or Astro: each engine's folder, file names, front-matter and links.

- Hugo: `content/posts/<slug>.md`, `date`, links as `{{< ref "posts/<slug>.md" >}}`.
- Jekyll: `_posts/YYYY-MM-DD-<slug>.md` (drafts in `_drafts/<slug>.md`), `layout: post`, links as
  `{% post_url YYYY-MM-DD-<slug> %}`.
- Astro (the blog starter's content collection): `src/content/blog/<slug>.md`, `pubDatetime`, links as
  `/blog/<slug>/`.

Front-matter is written fresh with python-frontmatter from the entry's normalised fields: re-serialising is
right here, the journal's own files are never written. The body is the entry's Markdown byte for byte, except
each wikilink and each relative link to another entry, which become the engine's links (or plain text when
the other entry isn't exported).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import frontmatter
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline

from mljournal.core.entries.links import Link, linked_path, markdown_link
from mljournal.core.export.collect import ExportEntry, ExportSet, linked_file
from mljournal.core.export.html_render import heading_anchor
from mljournal.core.journal import Journal
from mljournal.core.text.markdown.parser import markdown_parser, parse
from mljournal.core.text.markdown.source_map import SourceLines
from mljournal.core.text.markdown.wikilinks import WIKILINK
from mljournal.core.text.splice import Edit, apply_edits

BLOG_FORMATS = ("hugo", "jekyll", "astro")
FILES_FOLDER = "mljournal-files"
"""The folder (under the engine's static folder) for the images and files posts link to."""
_MARKUP_RE = re.compile(r"([\\`*_\[\]<>])")
_HUGO_SHORTCODE_RE = re.compile(r"\{\{([<%])(.*?)([>%])\}\}", re.DOTALL)


@dataclass(frozen=True)
class _Engine:
    name: str
    post_path: Callable[[ExportEntry], str]
    link: Callable[[ExportEntry, str], str | None]
    """(linked entry, anchor) → the link target, or None when the engine can't link to it (a Jekyll draft)."""
    front_matter: Callable[[ExportEntry], dict[str, Any]]
    escape: Callable[[str], str]
    """Keeps the entry's own text from being read as the engine's template syntax."""
    static_dir: str
    """Where the site serves files from as they are (`static/` for Hugo): linked images and files go there."""
    file_url: Callable[[str], str]
    """The URL of a copied file, from its path under `FILES_FOLDER`."""


class _Posts:
    """Writes one engine's posts, noting the files (images, PDFs) they link to so they can be copied too."""

    def __init__(self, journal: Journal, export: ExportSet, engine: _Engine) -> None:
        self.journal = journal
        self.export = export
        self.engine = engine
        self.files: dict[str, Path] = {}

    def link_file(self, source: str, target: str) -> str | None:
        """The URL in the blog of a file linked from the entry at `source`, or None when there is no such file."""
        path = linked_path(source, target)
        absolute = linked_file(self.journal, path) if path is not None else None
        if path is None or absolute is None:
            return None
        self.files[path] = absolute
        return self.engine.file_url(quote(path))


def blog_files(
    journal: Journal, export: ExportSet, engine_name: str, *, today: date
) -> Iterator[tuple[str, bytes]]:
    """Every post of the export, and every file the posts link to, as (path in the blog, bytes) for
    `engine_name` (hugo, jekyll or astro)."""
    engine = _engines(today)[engine_name]
    posts = _Posts(journal, export, engine)
    for item in export.entries:
        body = _rewrite_links(item, posts)
        post = frontmatter.Post(body, **engine.front_matter(item))
        text = frontmatter.dumps(post, sort_keys=False) + "\n"
        yield engine.post_path(item), text.encode("utf-8")
    folder = f"{engine.static_dir}/{FILES_FOLDER}" if engine.static_dir else FILES_FOLDER
    for path, absolute in sorted(posts.files.items()):
        try:
            yield f"{folder}/{path}", absolute.read_bytes()
        except OSError:
            continue  # gone since the post was written: its link breaks, the rest of the blog is whole


def _engines(today: date) -> dict[str, _Engine]:
    def day(item: ExportEntry) -> str:
        return item.entry.day or today.isoformat()

    def jekyll_path(item: ExportEntry) -> str:
        return f"_drafts/{item.slug}.md" if item.entry.draft else f"_posts/{day(item)}-{item.slug}.md"

    def with_anchor(target: str, anchor: str) -> str:
        return f"{target}#{anchor}" if anchor else target

    return {
        "hugo": _Engine(
            "hugo",
            lambda item: f"content/posts/{item.slug}.md",
            lambda item, anchor: '{{< ref "' + with_anchor(f"posts/{item.slug}.md", anchor) + '" >}}',
            lambda item: _common(
                item, {"date": _when(item.entry.date), "lastmod": _when(item.entry.updated)}
            ),
            _hugo_escape,
            "static",
            lambda path: f"/{FILES_FOLDER}/{path}",
        ),
        "jekyll": _Engine(
            "jekyll",
            jekyll_path,
            lambda item, anchor: (
                None if item.entry.draft else with_anchor(f"{{% post_url {day(item)}-{item.slug} %}}", anchor)
            ),
            lambda item: _common(
                item,
                {
                    "layout": "post",
                    "date": _when(item.entry.date),
                    "last_modified_at": _when(item.entry.updated),
                },
            ),
            _liquid_escape,
            "",
            # relative_url adds the site's baseurl, so the link works on a project site too.
            lambda path: "{{ '/" + FILES_FOLDER + "/" + path + "' | relative_url }}",
        ),
        "astro": _Engine(
            "astro",
            lambda item: f"src/content/blog/{item.slug}.md",
            lambda item, anchor: with_anchor(f"/blog/{item.slug}/", anchor),
            lambda item: _common(
                item,
                {
                    "pubDatetime": _when(item.entry.date) or today,
                    "modDatetime": _when(item.entry.updated),
                    # The starter's schema requires a description.
                    "description": item.entry.description or item.entry.title,
                },
            ),
            lambda text: text,  # Astro reads .md content as Markdown only
            "public",
            lambda path: f"/{FILES_FOLDER}/{path}",
        ),
    }


def _common(item: ExportEntry, engine_fields: dict[str, Any]) -> dict[str, Any]:
    entry = item.entry
    fields: dict[str, Any] = {"title": entry.title, **engine_fields}
    fields.setdefault("description", entry.description or None)
    fields["tags"] = list(entry.tags) or None
    fields["categories"] = list(entry.categories) or None
    fields["topics"] = list(entry.topics) or None
    fields["draft"] = True if entry.draft else None
    return {key: value for key, value in fields.items() if value is not None}


def _when(iso: str | None) -> date | datetime | None:
    """An ISO date from the index as a YAML timestamp (unquoted in the front-matter), keeping its zone."""
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso) if "T" in iso else date.fromisoformat(iso)
    except ValueError:
        return None


def _hugo_escape(text: str) -> str:
    """`{{< x >}}` written in a note shows as itself in Hugo (its comment form) instead of calling a shortcode."""
    return _HUGO_SHORTCODE_RE.sub(r"{{\1/*\2*/\3}}", text) if "{{" in text else text


def _liquid_escape(text: str) -> str:
    """Jekyll runs Liquid over posts: `{{ x }}` in a Python f-string or a Jinja snippet would vanish or fail."""
    return "{% raw %}" + text + "{% endraw %}" if "{{" in text or "{%" in text else text


def _rewrite_links(item: ExportEntry, posts: _Posts) -> str:
    # The blank line(s) after the journal's front-matter would double the one python-frontmatter writes.
    body = item.entry.body.lstrip("\r\n")
    if "[" not in body:
        return posts.engine.escape(body)
    source = SourceLines(body)
    edits: list[Edit] = []
    for token in parse(body):
        if token.type != "inline":
            continue
        for child, start, end in source.inline_spans(token, {WIKILINK, "link_open", "image"}):
            edit = _link_edit(item, posts, child.type, child.meta, child.attrs, body[start:end])
            if edit is not None:
                edits.append((start, end, edit))
    return apply_edits(body, edits, untouched=posts.engine.escape)


def _link_edit(
    item: ExportEntry, posts: _Posts, kind: str, meta: dict[str, Any], attrs: dict[str, Any], written: str
) -> str | None:
    """What replaces a link's source (`written`), or None to keep it as written (a web link, say)."""
    export, engine = posts.export, posts.engine
    if kind == WIKILINK:
        link = Link("wiki", meta["target"], meta["label"], meta["heading"])
        label = _MARKUP_RE.sub(r"\\\1", link.text)
    else:
        found = markdown_link(str(attrs.get("src" if kind == "image" else "href", "")), "")
        if found is None:
            return None
        link = found
        opening = 2 if kind == "image" else 1  # `![` or `[`
        label_end = parseLinkLabel(StateInline(written, markdown_parser(), {}, []), opening - 1, False)
        if label_end < 0:
            return None
        label = written[opening:label_end]
    target = export.resolver.resolve(item.path, link) if kind != "image" else None
    if target is None:
        if kind == WIKILINK:
            return label
        url = posts.link_file(item.path, link.target)
        if url is None:
            return None
        anchor = f"#{quote(link.heading)}" if link.heading else ""
        return f"{'!' if kind == 'image' else ''}[{label}]({url}{anchor})"
    linked = export.by_path.get(target)
    href = engine.link(linked, heading_anchor(link.heading)) if linked is not None else None
    return f"[{label}]({href})" if href else label
