"""How the navigator's nodes read: what each node stands for (`NavNode`), the roadmap marks and their
legend, and the labels of topics, sections and dates. Labels name `navigator--*` component classes instead of
holding resolved styles, so `Navigator.render_label` styles them from the current theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text

from mljournal.core.roadmap import display_status
from mljournal.tui.data import NavigatorData
from mljournal.tui.text import one_line

NodeKind = Literal["all", "section", "topic", "tag", "year", "month"]

STATUS_MARKS = {"todo": "○", "started": "◔", "learning": "◐", "done": "●", "skipped": "⊘"}
"""`started` is shown for a todo topic that already has entries (`display_status`)."""
STATUS_MEANINGS = {
    "todo": "todo",
    "started": "started: todo, with entries",
    "learning": "learning",
    "done": "done",
    "skipped": "skipped",
}
"""What each mark means, for the legend under the navigator, its tooltip and the help screen."""
MARKS_LEGEND = "  ".join(f"{STATUS_MARKS[status]} {STATUS_MEANINGS[status]}" for status in STATUS_MARKS)
PROGRESS_LEGEND = "3/7 after a branch: its topics at the bottom that are done or skipped; ·2: entries linked"
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class NavNode:
    """What a navigator node stands for, and the search-language filter it applies."""

    kind: NodeKind
    key: str
    """Stable across rebuilds: keeps expansion and the cursor in place when the tree is refreshed."""
    filter: str
    label: str
    topic_id: str | None = None
    mark_note: str = ""
    """For a topic: its mark and what it means (`◐ learning · 1/2 done or skipped`), shown under the tree."""


def topic_label(topic: Any, data: NavigatorData) -> tuple[Text, str]:
    """A topic's label (mark, title, progress, entry count) and the note shown under the tree for it."""
    # A branch with entries anywhere under it counts as started, not only one linked directly; one whose
    # leaves are all done or skipped reads as done. Figures are the CLI's: skipped leaves count as finished.
    progress = data.roadmap.progress_of(topic) if data.roadmap is not None else None
    status = display_status(topic, data.topic_counts.get(topic.id, 0), progress)
    text = Text(no_wrap=True, end="")
    text.append(STATUS_MARKS.get(status, "?") + " ", f"navigator--{status}")
    text.append(one_line(topic.title, 80))
    count_style = "navigator--count"
    note = f"{STATUS_MARKS.get(status, '?')} {STATUS_MEANINGS.get(status, status)}"
    if progress is not None and getattr(topic, "children", None):
        text.append(f"  {progress.fraction}", count_style)
        note += f" · {progress.fraction} done or skipped"
    entries = data.topic_counts.get(topic.id, 0)
    if entries:
        text.append(f"  ·{entries}", count_style)
        note += f" · {entries} {'entry' if entries == 1 else 'entries'}"
    return text, note


def plain_label(label: str, *, count: int | None = None, section: bool = False) -> Text:
    """A section's, tag's or date's label, with its entry count styled as a figure."""
    text = Text(no_wrap=True, end="")
    text.append(label, "navigator--section" if section else "")
    if count is not None:
        text.append(f"  {count}", "navigator--count")
    return text


def fit_label(label: Text, figures_at: int, room: int) -> Text:
    """`label` in `room` cells: the figures right-aligned and kept whole, the name cut with `…` if needed.

    A narrow navigator must still show `4/6`: the name gives way, never the figures.
    """
    if room <= 0:
        return label
    name, figures = label[:figures_at], label[figures_at:]
    if not figures.plain:
        name.truncate(room, overflow="ellipsis")
        return name
    if name.cell_len + figures.cell_len > room:
        # Tight: single spaces, and if the name still has no room, only the first figure (progress).
        style = figures.spans[0].style if figures.spans else ""
        words = figures.plain.split()
        if room - len(" ".join(words)) - 1 < 8:
            words = words[:1]
        figures = Text(" " + " ".join(words), style=style, end="")
    name_room = max(2, room - figures.cell_len)
    name.truncate(name_room, overflow="ellipsis", pad=True)
    name.append_text(figures)
    return name


def month_label(month: str) -> str:
    """`2024-03` → `Mar`."""
    try:
        return MONTH_NAMES[int(month[5:7]) - 1]
    except (ValueError, IndexError):
        return month
