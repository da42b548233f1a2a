"""The static site: an index by date, a page per entry, tag pages and the roadmap, all relative links.

Every page links with relative URLs and the site loads nothing from the network (its CSS is a local file,
math is MathML), so the folder works opened straight from disk or from any static host.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

from mljournal.core.export.collect import ExportEntry, ExportSet, linked_file
from mljournal.core.export.html_render import EntryHtml, heading_anchor, highlight_css, url_path
from mljournal.core.journal import Journal
from mljournal.core.roadmap import Progress, Topic
from mljournal.core.text.slug import slugify, unique_name

STYLE = """\
:root { color-scheme: light dark; --accent: #3b6ea5; --muted: #6b7280; --line: #d1d5db; }
body { font: 16px/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
header.site { display: flex; gap: 1rem; align-items: baseline; border-bottom: 1px solid var(--line); }
header.site a { color: var(--accent); text-decoration: none; }
header.site .name { font-weight: bold; margin-right: auto; }
a { color: var(--accent); }
.meta, .date { color: var(--muted); font-size: 0.9em; }
.tag { display: inline-block; padding: 0 0.4em; border: 1px solid var(--line); border-radius: 0.3em; }
.unlinked { text-decoration: underline dotted; }
ul.entries { list-style: none; padding: 0; }
ul.entries li { margin: 0.6em 0; }
pre { overflow-x: auto; padding: 0.6em; border: 1px solid var(--line); border-radius: 0.3em; }
code { font-family: ui-monospace, monospace; font-size: 0.92em; }
.math { overflow-x: auto; overflow-y: hidden; margin: 1em 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 0.2em 0.5em; }
blockquote { margin-left: 0; padding-left: 1em; border-left: 3px solid var(--line); color: var(--muted); }
progress { width: 10rem; vertical-align: middle; }
.roadmap ul { list-style: none; padding-left: 1.2em; }
.status { font-size: 0.8em; color: var(--muted); text-transform: uppercase; }
.status-done, .status-skipped { color: #15803d; }
.status-learning { color: #b45309; }
"""

_STATUS_MARKS = {"done": "✓", "skipped": "–", "learning": "…", "todo": "○"}


def site_files(journal: Journal, export: ExportSet, *, title: str) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as (relative path, bytes)."""
    site = _Site(journal, export, title)
    yield "style.css", (STYLE + highlight_css()).encode()
    yield "index.html", site.index_page()
    for item in export.entries:
        yield f"entries/{item.slug}.html", site.entry_page(item)
    yield "tags/index.html", site.tags_index()
    for tag, slug in site.tag_slugs.items():
        yield f"tags/{slug}.html", site.tag_page(tag)
    if export.roadmap is not None:
        yield "roadmap.html", site.roadmap_page()
    yield from site.copied_files()


class _Site:
    def __init__(self, journal: Journal, export: ExportSet, title: str) -> None:
        self.journal = journal
        self.export = export
        self.title = title
        self.tag_slugs = _tag_slugs(export.entries)
        # Built once: a journal can have thousands of tags, and a scan of every entry per tag adds up.
        self._tagged: dict[str, list[ExportEntry]] = {}
        for item in export.entries:
            for tag in dict.fromkeys(tag.casefold() for tag in item.entry.tags):
                self._tagged.setdefault(tag, []).append(item)
        self._files: dict[str, Path] = {}
        self._backlinks: dict[str, list[ExportEntry]] = {}
        for item in export.entries:
            for target in item.links.targets:
                if target in export.by_path and target != item.path:
                    self._backlinks.setdefault(target, []).append(item)
        self._renderer = EntryHtml(
            export.resolver,
            page_href=self._sibling_page,
            exported=set(export.by_path),
            file_href=self._file_href,
        )

    # Links ------------------------------------------------------------------------------------------------

    def _sibling_page(self, path: str, heading: str) -> str:
        """From one entry page to another (they share the entries/ folder)."""
        anchor = heading_anchor(heading)
        return url_path(f"{self.export.by_path[path].slug}.html") + (f"#{anchor}" if anchor else "")

    def _file_href(self, path: str) -> str | None:
        """A file an entry links to (an image, a PDF): copied into files/, or None when it isn't there."""
        absolute = linked_file(self.journal, path)
        if absolute is None:
            return None
        self._files[path] = absolute
        return "../files/" + url_path(path)

    def copied_files(self) -> Iterator[tuple[str, bytes]]:
        for path, absolute in sorted(self._files.items()):
            try:
                yield f"files/{path}", absolute.read_bytes()
            except OSError:
                continue  # gone since the page was rendered: the link will say so, the rest still exports

    def _entry_link(self, item: ExportEntry, root: str) -> str:
        return f'<a href="{root}entries/{url_path(item.slug)}.html">{_e(item.entry.title)}</a>'

    def _tag_link(self, tag: str, root: str) -> str:
        slug = self.tag_slugs[tag.casefold()]
        return f'<a class="tag" href="{root}tags/{url_path(slug)}.html">#{_e(tag)}</a>'

    # Pages ------------------------------------------------------------------------------------------------

    def _page(self, heading: str, body: str, root: str) -> bytes:
        roadmap = f'<a href="{root}roadmap.html">Roadmap</a>' if self.export.roadmap is not None else ""
        page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(heading)} · {_e(self.title)}</title>
<link rel="stylesheet" href="{root}style.css">
</head>
<body>
<header class="site"><a class="name" href="{root}index.html">{_e(self.title)}</a>
<a href="{root}index.html">Entries</a> <a href="{root}tags/index.html">Tags</a> {roadmap}</header>
<main>
{body}
</main>
</body>
</html>
"""
        return page.encode("utf-8")

    def _entry_list(self, items: list[ExportEntry], root: str) -> str:
        rows = []
        for item in items:
            entry = item.entry
            date = f'<span class="date">{_e(entry.day or "")}</span> ' if entry.day else ""
            description = (
                f'<br><span class="meta">{_e(entry.description)}</span>' if entry.description else ""
            )
            rows.append(f"<li>{date}{self._entry_link(item, root)}{description}</li>")
        return '<ul class="entries">\n' + "\n".join(rows) + "\n</ul>"

    def index_page(self) -> bytes:
        parts = [f"<h1>{_e(self.title)}</h1>"]
        if self.export.roadmap is not None:
            overall = self.export.roadmap.overall_progress()
            parts.append(
                f'<p class="meta">Roadmap: {_progress(overall)} '
                f'<a href="roadmap.html">see the roadmap</a></p>'
            )
        by_year: dict[str, list[ExportEntry]] = {}
        for item in self.export.entries:
            by_year.setdefault((item.entry.day or "")[:4] or "Undated", []).append(item)
        for year, items in by_year.items():
            parts.append(f"<h2>{_e(year)}</h2>")
            parts.append(self._entry_list(items, ""))
        if not self.export.entries:
            parts.append("<p>No entries.</p>")
        return self._page("Entries", "\n".join(parts), "")

    def entry_page(self, item: ExportEntry) -> bytes:
        entry = item.entry
        root = "../"
        facts = []
        if entry.day:
            facts.append(f'<span class="date">{_e(entry.day)}</span>')
        facts.extend(self._tag_link(tag, root) for tag in entry.tags)
        roadmap = self.export.roadmap
        topics = [
            f'<a href="{root}roadmap.html#topic-{_e(topic.id)}">{_e(topic.title)}</a>'
            for topic_id in entry.topics
            if roadmap is not None and (topic := roadmap.find(topic_id)) is not None
        ]
        parts = [f"<article>\n<h1>{_e(entry.title)}</h1>", f'<p class="meta">{" ".join(facts)}</p>']
        if topics:
            parts.append(f'<p class="meta">Roadmap: {", ".join(topics)}</p>')
        if entry.description:
            parts.append(f'<p class="meta"><em>{_e(entry.description)}</em></p>')
        parts.append(self._renderer.render(entry.path, entry.body))
        parts.append("</article>")
        backlinks = self._backlinks.get(entry.path)
        if backlinks:
            parts.append("<h2>Linked from</h2>")
            parts.append(self._entry_list(backlinks, root))
        return self._page(entry.title, "\n".join(parts), root)

    def tags_index(self) -> bytes:
        counts: dict[str, tuple[str, int]] = {}
        for item in self.export.entries:
            for tag in item.entry.tags:
                spelling, count = counts.get(tag.casefold(), (tag, 0))
                counts[tag.casefold()] = (spelling, count + 1)
        rows = [
            f'<li>{self._tag_link(spelling, "../")} <span class="meta">{count}</span></li>'
            for spelling, count in sorted(counts.values(), key=lambda pair: pair[0].casefold())
        ]
        body = "<h1>Tags</h1>\n" + (
            '<ul class="entries">\n' + "\n".join(rows) + "\n</ul>" if rows else "<p>No tags.</p>"
        )
        return self._page("Tags", body, "../")

    def tag_page(self, folded_tag: str) -> bytes:
        items = self._tagged[folded_tag]
        spelling = next(t for t in items[0].entry.tags if t.casefold() == folded_tag)
        body = f"<h1>#{_e(spelling)}</h1>\n{self._entry_list(items, '../')}"
        return self._page(f"#{spelling}", body, "../")

    def roadmap_page(self) -> bytes:
        roadmap = self.export.roadmap
        assert roadmap is not None
        overall = roadmap.overall_progress()
        parts = [
            f"<h1>{_e(roadmap.title or 'Roadmap')}</h1>",
            f"<p>{_progress(overall)} of the topics done or skipped.</p>",
            '<div class="roadmap">',
            self._topics(roadmap.roots),
            "</div>",
        ]
        return self._page(roadmap.title or "Roadmap", "\n".join(parts), "")

    def _topics(self, topics: list[Topic]) -> str:
        roadmap = self.export.roadmap
        assert roadmap is not None
        items = []
        for topic in topics:
            progress = roadmap.progress_of(topic)
            mark = _STATUS_MARKS.get(topic.status, "")
            line = f'<li id="topic-{_e(topic.id)}"><strong>{_e(topic.title)}</strong> '
            # A leaf shows its own status; a branch, the progress of its leaves (its own status says little).
            if topic.is_leaf:
                line += f'<span class="status status-{_e(topic.status)}">{mark} {_e(topic.status)}</span>'
            else:
                line += _progress(progress)
            if topic.notes:
                line += f'<br><span class="meta">{_e(topic.notes)}</span>'
            linked = self.export.topic_entries(topic.id)
            if linked:
                line += "\n" + self._entry_list(linked, "")
            if topic.children:
                line += "\n<ul>\n" + self._topics(topic.children) + "\n</ul>"
            items.append(line + "</li>")
        return "<ul>\n" + "\n".join(items) + "\n</ul>" if items else ""


def _e(text: str) -> str:
    """Escape a journal string for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def _progress(progress: Progress) -> str:
    """A progress bar: finished (done or skipped) leaves out of all of them."""
    finished, total = progress.finished, progress.total
    return f'<progress max="{max(total, 1)}" value="{finished}"></progress> {finished}/{total} ({progress.percent}%)'


def _tag_slugs(entries: list[ExportEntry]) -> dict[str, str]:
    """Each tag (case-folded) → a unique file name for its page."""
    slugs: dict[str, str] = {}
    taken: set[str] = {"index"}
    for item in entries:
        for tag in item.entry.tags:
            folded = tag.casefold()
            if folded in slugs:
                continue
            slug = unique_name(slugify(tag), taken)
            taken.add(slug)
            slugs[folded] = slug
    return slugs
