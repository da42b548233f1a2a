"""What the viewer says around a body: the card above it (an entry's metadata, a topic, a read failure) and
the note under a long entry. Pure functions of the loaded view; every field is untrusted text, and `Content`
never interprets markup."""

from __future__ import annotations

from textual.content import Content

from mljournal.tui.data import MARKDOWN_LIMIT, EntryView, TopicView
from mljournal.tui.text import human_size, one_line, readable_date, strip_controls


def header_card(view: EntryView) -> Content:
    """The metadata card above the body. Every field is untrusted: `Content` never interprets markup."""
    entry = view.entry
    parts: list[str | tuple[str, str]] = [(one_line(entry.title or view.path), "bold $text-primary")]
    facts: list[str] = []
    if entry.date:
        facts.append(
            one_line(readable_date(entry.date), 40) + (" (from file)" if entry.date_inferred else "")
        )
    if entry.word_count:
        facts.append(f"{entry.word_count:,} words")
    if entry.draft:
        facts.append("draft")
    parts.append("\n")
    parts.append((" · ".join(facts) if facts else "no date", "$text-muted"))
    if entry.tags:
        parts.append("\n")
        inline = set(entry.inline_tags)
        declared = [tag for tag in entry.tags if tag not in inline]
        parts.append((" ".join("#" + one_line(tag, 40) for tag in declared), "$text-secondary"))
        if entry.inline_tags:
            # Marked apart: they live in the text, so tag edits can't remove them.
            parts.append((" · in the text: " if declared else "in the text: ", "$text-muted"))
            parts.append((" ".join("#" + one_line(tag, 40) for tag in entry.inline_tags), "$text-secondary"))
    if entry.topics:
        parts.append("\n")
        parts.append(("topics: " + ", ".join(one_line(topic, 60) for topic in entry.topics), "$text-accent"))
    if entry.description:
        parts.append("\n")
        parts.append((strip_controls(entry.description, keep_newlines=False)[:600], "italic"))
    if entry.problems:
        parts.append("\n")
        problem = entry.problems[0]
        more = f" (+{len(entry.problems) - 1} more)" if len(entry.problems) > 1 else ""
        parts.append(("⚠ " + one_line(problem.message, 200) + more, "$text-warning"))
    parts.append("\n")
    parts.append((one_line(view.path, 200), "$text-disabled"))
    return Content.assemble(*parts)


def topic_card(topic_id: str, view: TopicView | None, error: str | None) -> Content:
    """The card above a topic's page: what it is and the keys that act on it."""
    if view is None:
        problem = (
            one_line(error, 200) if error else f"There is no topic {one_line(topic_id, 80)} in roadmap.yaml."
        )
        return Content.assemble(("Roadmap topic", "bold $text-primary"), "\n", (problem, "$text-error"))
    keys = "tab to read it and follow its links"
    if view.resources:
        keys += " · m marks a resource done"
    return Content.assemble(
        (one_line(view.title or topic_id, 200), "bold $text-primary"),
        "\n",
        (f"roadmap topic · {keys}", "$text-muted"),
        "\n",
        (f"roadmap.yaml › {one_line(topic_id, 120)}", "$text-disabled"),
    )


def failure_card(path: str, error: str) -> Content:
    """The card shown instead of an entry that could not be read."""
    return Content.assemble(
        (one_line(path), "bold"),
        "\n",
        ("Can't read this entry: " + one_line(error), "$text-error"),
    )


def more_note(view: EntryView | None, *, loaded_lines: int | None = None) -> str:
    """The line under a long entry's body: how much of it is still loading, or shown; "" hides the line."""
    if view is not None and loaded_lines is not None:
        return (
            f"… loading: {loaded_lines:,} of {len(view.plain_tail):,} plain-text lines after the first "
            f"{human_size(MARKDOWN_LIMIT)}. Press escape to stop."
        )
    if view is None or not view.truncated:
        return ""
    return (
        f"… showing the first {human_size(view.shown_chars)} of {human_size(view.total_chars)}. "
        "Press L to load all, or e to open it in the editor."
    )
