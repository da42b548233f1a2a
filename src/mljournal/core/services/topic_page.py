"""A roadmap topic's page: where it sits, its status and progress, notes, resources, dates and entries.

The app's viewer shows it when a topic is selected in the navigator and `mljournal roadmap show ID`
prints it. Built from the roadmap and the index (linked entries come from SQL); headless. The Markdown
form escapes every user-written string, so a title like `*[x](y)*` reads as written.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from mljournal.core.roadmap.model import Progress, Roadmap, Topic
from mljournal.core.roadmap.review import LinkedEntry, due_date, linked_entries
from mljournal.core.services.stats import linked_minutes, readable_minutes

__all__ = ["TopicPage", "topic_page", "topic_page_markdown"]

PAGE_ENTRIES = 50
"""Linked entries listed on a page, newest first."""

GLYPHS = {"todo": "○", "learning": "◐", "done": "●", "skipped": "⊘"}
"""The navigator's marks, so the page reads like the tree beside it."""

# Titles are always placed after other text (a list marker, "# "), so only the characters that act inside a
# line need escaping: emphasis, code, links and images, HTML, tables, strikethrough.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!])")


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    trail: list[Topic]
    """The topic's ancestors, outermost first."""
    progress: Progress
    entries: list[LinkedEntry]
    """Entries linked to the topic or anything under it, newest first."""
    next_review: date | None
    minutes: float = 0
    """The `minutes:` of the linked entries (all of them, not only those listed), summed."""


def topic_page(conn: sqlite3.Connection, roadmap: Roadmap, topic_id: str) -> TopicPage | None:
    """The page of `topic_id`, or None when the roadmap has no such topic."""
    topic = roadmap.find(topic_id)
    if topic is None:
        return None
    return TopicPage(
        topic=topic,
        trail=roadmap.ancestors(topic_id),
        progress=roadmap.progress_of(topic),
        entries=linked_entries(conn, roadmap.subtree_ids(topic_id), limit=PAGE_ENTRIES),
        next_review=due_date(topic),
        minutes=linked_minutes(conn, roadmap.subtree_ids(topic_id)),
    )


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown inline text (one line)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _link_target(path: str) -> str:
    # Angle brackets let a path hold spaces and parentheses; a leading slash makes it journal-relative.
    return "</" + path.replace("<", "%3C").replace(">", "%3E") + ">"


def topic_page_markdown(page: TopicPage) -> str:
    """The page as Markdown for the viewer. Entry links are journal-relative (`/entries/…`), web links kept."""
    topic = page.topic
    lines: list[str] = []
    if page.trail:
        lines.append(" › ".join(escape_markdown(t.title) for t in page.trail))
        lines.append("")
    lines.append(f"# {escape_markdown(topic.title)}")
    lines.append("")
    facts = [f"{GLYPHS.get(topic.status, '')} **{topic.status}**".strip(), f"id `{topic.id}`"]
    if not topic.is_leaf:
        p = page.progress
        facts.append(f"{p.finished}/{p.total} finished ({p.percent}%)")
    if page.minutes:
        facts.append(f"{readable_minutes(page.minutes)} spent")
    if topic.done:
        facts.append(f"done {topic.done}")
    if topic.reviewed:
        facts.append(f"reviewed {topic.reviewed} ({topic.reviews}×)")
    if page.next_review:
        facts.append(f"next review {page.next_review.isoformat()}")
    lines.append(" · ".join(facts))
    lines.append("")
    if topic.notes:
        lines.append("## Notes")
        lines.append("")
        # Notes are the learner's own Markdown: shown as Markdown, not escaped.
        lines.append(topic.notes.strip())
        lines.append("")
    if topic.resources:
        lines.append("## Resources")
        lines.append("")
        for number, resource in enumerate(topic.resources, start=1):
            mark = GLYPHS.get(resource.status, "")
            title = escape_markdown(resource.title)
            if resource.url:
                lines.append(
                    f"{number}. {mark} [{title}](<{resource.url.replace('>', '%3E')}>) ({resource.status})"
                )
            else:
                lines.append(f"{number}. {mark} {title} ({resource.status})")
        lines.append("")
    if topic.children:
        lines.append("## Subtopics")
        lines.append("")
        for child in topic.children:
            lines.append(f"- {GLYPHS.get(child.status, '')} {escape_markdown(child.title)} ({child.status})")
        lines.append("")
    lines.append(f"## Entries ({len(page.entries)}{'+' if len(page.entries) >= PAGE_ENTRIES else ''})")
    lines.append("")
    if not page.entries:
        lines.append(
            "No entry links this topic yet: press `n` to write one (it starts linked to this topic)."
        )
    for entry in page.entries:
        lines.append(f"- {entry.day or ''} [{escape_markdown(entry.title)}]({_link_target(entry.path)})")
    lines.append("")
    return "\n".join(lines)


def topic_page_text(page: TopicPage) -> list[str]:
    """The page as plain lines for the command line."""
    topic = page.topic
    lines = []
    if page.trail:
        lines.append(" › ".join(t.title for t in page.trail))
    lines.append(f"{topic.title}  [{topic.id}]")
    status = f"status: {topic.status}"
    if not topic.is_leaf:
        status += f"   progress: {page.progress.finished}/{page.progress.total} ({page.progress.percent}%)"
    if page.minutes:
        status += f"   time spent: {readable_minutes(page.minutes)}"
    lines.append(status)
    dates = []
    if topic.done:
        dates.append(f"done {topic.done}")
    if topic.reviewed:
        dates.append(f"reviewed {topic.reviewed} ({topic.reviews}x)")
    if page.next_review:
        dates.append(f"next review {page.next_review.isoformat()}")
    if dates:
        lines.append(", ".join(dates))
    if topic.notes:
        lines.append("")
        lines.extend(topic.notes.strip().splitlines())
    if topic.resources:
        lines.append("")
        lines.append("Resources:")
        for number, resource in enumerate(topic.resources, start=1):
            where = f"  {resource.url}" if resource.url else ""
            lines.append(f"  {number}. [{resource.status}] {resource.title}{where}")
    lines.append("")
    lines.append(f"Entries ({len(page.entries)}):" if page.entries else "No entries link this topic yet.")
    for entry in page.entries:
        lines.append(f"  {entry.day or '':10}  {entry.title}  ({entry.path})")
    return lines
