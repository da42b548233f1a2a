"""`R`: the review queue: finished topics due for another look, and topics in progress that went quiet.

Each topic is a row with its linked entries under it. `enter` on an entry opens it in the journal (the
screen returns its path); `d` records a review of the topic under the cursor, `p` puts it off for three
days. The queue comes from `mljournal.core.review` in a thread worker; the roadmap writes go through the
core's locked, in-place edits, also in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mljournal.core.config import load_config
from mljournal.core.journal import Journal
from mljournal.core.roadmap import RoadmapError, load_roadmap, mark_reviewed, postpone_review
from mljournal.core.roadmap.review import LinkedEntry, ReviewQueue, review_queue
from mljournal.tui.data import thread_index
from mljournal.tui.text import one_line
from mljournal.tui.widgets.navigator import STATUS_MARKS

POSTPONE_DAYS = 3


@dataclass(frozen=True)
class QueueRow:
    """What an option of the list stands for: a topic, or one of its entries (`path`)."""

    topic_id: str
    due: bool
    """A finished topic due for review (else a stale one, which can't be marked reviewed)."""
    path: str | None = None


class ReviewScreen(Screen[str | None]):
    """The review queue. Dismisses with the path of an entry to open, or None.

    | Key | Action |
    | :- | :- |
    | `j` / `k` | Move |
    | `enter` | Open the entry under the cursor |
    | `d` | Mark the topic reviewed today |
    | `p` | Put its review off for three days |
    | `escape` | Back to the journal |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,R", "close", "Back", id="review.close", tooltip="Back to the journal"),
        Binding("d", "reviewed", "Reviewed", id="review.done", tooltip="Mark the topic reviewed today"),
        Binding("p", "postpone", "Later", id="review.later", tooltip="Put the review off for three days"),
        Binding("j", "cursor_down", "Down", show=False, id="review.down"),
        Binding("k", "cursor_up", "Up", show=False, id="review.up"),
    ]

    DEFAULT_CSS = """
    ReviewScreen {
        background: $background;
        #review-summary { padding: 0 1; margin-bottom: 1; text-style: bold; }
        #review-list { height: 1fr; border: round $primary; }
    }
    """

    def __init__(self, journal: Journal, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock
        self.rows: list[QueueRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Reading the roadmap…", id="review-summary")
        yield OptionList(id="review-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load_queue()

    @property
    def today(self) -> date:
        return self.clock().date()

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load_queue(self, keep: str | None = None) -> None:
        """Read the queue off the event loop."""
        config, _problems = load_config(self.journal)
        roadmap, _roadmap_problems = load_roadmap(self.journal.roadmap_path)
        queue = review_queue(
            thread_index(self.journal).conn, roadmap, today=self.today, stale_days=config.stale_days
        )
        self.app.call_from_thread(self._show, queue, config.stale_days, keep)

    def _show(self, queue: ReviewQueue, stale_days: int, keep: str | None) -> None:
        options: list[Option] = []
        self.rows = []

        def add(prompt: Text, row: QueueRow) -> None:
            options.append(Option(prompt))
            self.rows.append(row)

        def entries(topic_id: str, due: bool, linked: list[LinkedEntry]) -> None:
            if not linked:
                add(Text("      no entry links this topic yet", style="dim italic"), QueueRow(topic_id, due))
            for entry in linked:
                line = Text(f"      {entry.day or '':10}  ", style="dim")
                line.append(one_line(entry.title, 120))
                add(line, QueueRow(topic_id, due, entry.path))

        for item in queue.due:
            late = (self.today - item.due).days
            when = "due today" if late == 0 else f"{late} day{'s' if late != 1 else ''} overdue"
            line = Text("● ", style="bold")
            line.append(one_line(item.title, 120), style="bold")
            line.append(f"  {when} · done {item.done.isoformat()}", style="dim")
            if item.reviews:
                line.append(f" · reviewed {item.reviews}×", style="dim")
            add(line, QueueRow(item.id, True))
            entries(item.id, True, item.entries)
        for topic in queue.stale:
            quiet = (self.today - topic.last_entry).days
            line = Text(STATUS_MARKS["learning"] + " ", style="bold")  # the navigator's mark for `learning`
            line.append(one_line(topic.title, 120), style="bold")
            line.append(f"  in progress, quiet for {quiet} days", style="dim")
            add(line, QueueRow(topic.id, False))
            entries(topic.id, False, topic.entries)
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        summary = self.query_one("#review-summary", Static)
        if not self.rows:
            summary.update(
                Text(
                    "Nothing to review today, and nothing in progress has gone quiet.\n"
                    "Topics you mark done come back after 3, 7, 21, 60, 180, then every 365 days.",
                )
            )
            return
        summary.update(
            Text(
                f"{len(queue.due)} due for review · {len(queue.stale)} quiet for over {stale_days} days"
                "   enter open · d reviewed · p later"
            )
        )
        target = next((i for i, row in enumerate(self.rows) if row.topic_id == keep and row.path is None), 0)
        option_list.highlighted = min(target, len(self.rows) - 1)

    def _current(self) -> QueueRow | None:
        index = self.query_one(OptionList).highlighted
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        row = self.rows[event.option_index] if 0 <= event.option_index < len(self.rows) else None
        if row is not None and row.path is not None:
            self.dismiss(row.path)
        elif row is not None:
            self.notify("Pick one of the entries under the topic to open it; d marks the topic reviewed.")

    def action_close(self) -> None:
        """Back to the journal."""
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_reviewed(self) -> None:
        """Record a review of the topic under the cursor."""
        row = self._current()
        if row is None:
            return
        if not row.due:
            self.notify(
                "Only finished topics are reviewed; this one is still in progress.", severity="warning"
            )
            return
        self._edit(row.topic_id, postpone=False)

    def action_postpone(self) -> None:
        """Put the review of the topic under the cursor off for a few days."""
        row = self._current()
        if row is None:
            return
        if not row.due:
            self.notify("Only reviews can be put off; this topic is still in progress.", severity="warning")
            return
        self._edit(row.topic_id, postpone=True)

    @work(thread=True, exclusive=True, group="review-edit", exit_on_error=False)
    def _edit(self, topic_id: str, *, postpone: bool) -> None:
        try:
            if postpone:
                until = self.today + timedelta(days=POSTPONE_DAYS)
                postpone_review(self.journal.roadmap_path, topic_id, until)
                note = f"{topic_id} comes back on {until.isoformat()}."
            else:
                topic = mark_reviewed(self.journal.roadmap_path, topic_id, today=self.today)
                note = f"Reviewed {topic_id} ({topic.reviews}× so far)."
        except RoadmapError as error:
            self.app.call_from_thread(self.notify, one_line(str(error)), severity="error")
            return
        self.app.call_from_thread(self.notify, one_line(note))
        self.load_queue(keep=None)
