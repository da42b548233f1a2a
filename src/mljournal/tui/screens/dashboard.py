"""`s`: the learner's dashboard: a year of activity as a heatmap, streaks, months, phases, this week.

The figures come from `mljournal.core.stats` (SQL over the index) in a thread worker; this screen only
draws them. Colours are blended from the current theme, so the heatmap follows the theme like the rest of
the app. Everything user-written (phase titles, topic ids) goes through `one_line`, which drops escape
sequences and markup stays literal because it is drawn as `Text`, never parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from mljournal.core.journal import Journal
from mljournal.core.roadmap import Roadmap, load_roadmap
from mljournal.core.services.stats import DayActivity, JournalStats, collect_stats, readable_minutes
from mljournal.tui.data import thread_index
from mljournal.tui.text import one_line


def _count(n: int, one: str, many: str) -> str:
    """`1 entry`, `2 entries`: a figure with its noun in the right number."""
    return f"{n:,} {one if n == 1 else many}"


WEEKS = 53
"""Columns of the heatmap: a year of weeks, like GitHub's contribution graph."""
SHADES = 4
"""Levels of colour for days with entries (a fifth, the background, marks days without)."""
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def heatmap_window(today: date, years_back: int) -> tuple[date, date]:
    """First and last day shown: the 53 weeks up to today, or a whole earlier calendar year.

    The first day is a Monday, so each column of the heatmap is one Monday-to-Sunday week.
    """
    end = today if years_back == 0 else date(today.year - years_back, 12, 31)
    start = end - timedelta(weeks=WEEKS - 1)
    start -= timedelta(days=start.weekday())
    if years_back:
        start = max(start, date(end.year, 1, 1) - timedelta(days=date(end.year, 1, 1).weekday()))
    return start, end


def shade_levels(values: list[int]) -> list[int]:
    """Upper bounds of the 4 shades: quartiles of the non-zero values, so one huge day doesn't wash out
    the rest of the year."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return [1, 1, 1, 1]
    return [
        positive[min(len(positive) - 1, (len(positive) * (i + 1)) // SHADES)] for i in range(SHADES - 1)
    ] + [positive[-1]]


def level_of(value: int, bounds: list[int]) -> int:
    """0 for no activity, else 1..SHADES."""
    if value <= 0:
        return 0
    for level, bound in enumerate(bounds, start=1):
        if value <= bound:
            return level
    return SHADES


class DashboardScreen(Screen[None]):
    """Activity, streaks and progress at a glance.

    | Key | Action |
    | :- | :- |
    | `w` | Shade by words instead of entries (and back) |
    | `←` / `→` | An earlier / later year |
    | `escape` / `s` | Back to the journal |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "close", "Back", id="dashboard.close", tooltip="Back to the journal"),
        Binding(
            "w",
            "toggle_measure",
            "Entries/words",
            id="dashboard.measure",
            tooltip="Shade by words or entries",
        ),
        Binding(
            "left,h",
            "earlier",
            "Earlier",
            key_display="←",
            id="dashboard.earlier",
            tooltip="Show an earlier year",
        ),
        Binding(
            "right,l", "later", "Later", key_display="→", id="dashboard.later", tooltip="Show a later year"
        ),
    ]

    DEFAULT_CSS = """
    DashboardScreen {
        background: $background;
        & > VerticalScroll { padding: 0 1; }
        #dash-summary { text-style: bold; color: $text; margin-bottom: 1; }
        #dash-heatmap { height: auto; margin-bottom: 1; }
        #dash-columns { height: auto; }
        #dash-months { width: 1fr; min-width: 30; height: auto; margin-right: 2; }
        #dash-phases { width: 2fr; height: auto; }
        #dash-week { margin-top: 1; height: auto; }
    }
    """

    by_words: reactive[bool] = reactive(False)
    """Shade the heatmap and size the month bars by words written instead of entries."""
    years_back: reactive[int] = reactive(0)
    """0: the last 53 weeks; 1: last calendar year; and so on."""

    def __init__(self, journal: Journal, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.journal = journal
        self.clock = clock
        self.stats: JournalStats | None = None
        self.roadmap: Roadmap | None = None
        self._palette_cache: list[str] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Reading the journal…", id="dash-summary")
            yield Static(id="dash-heatmap")
            with Horizontal(id="dash-columns"):
                yield Static(id="dash-months")
                yield Static(id="dash-phases")
            yield Static(id="dash-week")
        yield Footer()

    def on_mount(self) -> None:
        self.load_stats()

    @property
    def today(self) -> date:
        return self.clock().date()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load_stats(self) -> None:
        """Gather the figures off the event loop, then draw them."""
        roadmap, _problems = load_roadmap(self.journal.roadmap_path)
        stats = collect_stats(thread_index(self.journal).conn, roadmap, today=self.today)
        self.app.call_from_thread(self._show, stats, roadmap)

    def _show(self, stats: JournalStats, roadmap: Roadmap) -> None:
        self.stats, self.roadmap = stats, roadmap
        # A journal resumed after a break (or the bundled sample) would open on an empty year: start on
        # the year of the newest entry instead, and say so in the heatmap's title.
        start, _end = heatmap_window(self.today, 0)
        if stats.days and stats.days[-1].day < start:
            self.set_reactive(DashboardScreen.years_back, self.today.year - stats.days[-1].day.year)
        self.refresh_figures()

    # --- drawing ------------------------------------------------------------------------------------

    def _palette(self) -> list[str]:
        """Background-to-primary shades of the current theme (recomputed per drawing: themes can change)."""
        if self._palette_cache is not None:
            return self._palette_cache
        variables = self.app.get_css_variables()
        empty = Color.parse(variables.get("panel", "#333333"))
        full = Color.parse(variables.get("primary", "#4ea1ff"))
        shades = [empty.blend(full, 0.3 + 0.7 * level / SHADES).hex for level in range(1, SHADES + 1)]
        self._palette_cache = [empty.lighten(0.08).hex, *shades]
        return self._palette_cache

    def _value(self, activity: DayActivity | None) -> int:
        if activity is None:
            return 0
        return activity.words if self.by_words else activity.entries

    def refresh_figures(self) -> None:
        stats = self.stats
        if stats is None:
            return
        self._palette_cache = None
        measure = "words" if self.by_words else "entries"
        streak = stats.streak
        self.query_one("#dash-summary", Static).update(
            Text(
                f"{_count(stats.entries, 'entry', 'entries')} · {_count(stats.words, 'word', 'words')}"
                f" · streak {streak.current} "
                f"day{'s' if streak.current != 1 else ''} (longest {streak.longest})"
            )
        )
        start, end = heatmap_window(self.today, self.years_back)
        by_day = {d.day: d for d in stats.days}
        self.query_one("#dash-heatmap", Static).update(self._heatmap(start, end, by_day, measure))
        self.query_one("#dash-months", Static).update(self._months(start, end))
        self.query_one("#dash-phases", Static).update(self._phases())
        self.query_one("#dash-week", Static).update(self._week())

    def _heatmap(self, start: date, end: date, by_day: dict[date, DayActivity], measure: str) -> Text:
        palette = self._palette()
        values = [self._value(by_day.get(start + timedelta(days=i))) for i in range((end - start).days + 1)]
        bounds = shade_levels(values)
        weeks = (end - start).days // 7 + 1
        label = "the last 12 months" if self.years_back == 0 else str(end.year)
        text = Text()
        text.append(f"Activity in {label}, by {measure}", style="bold")
        text.append("   ←/→ year · w entries/words\n", style="dim")
        # Month names above the week where each month starts.
        header = [" "] * (weeks + 4)
        for week in range(weeks):
            monday = start + timedelta(weeks=week)
            first = monday if week == 0 else None
            for offset in range(7):
                day = monday + timedelta(days=offset)
                if day.day == 1 and day <= end:
                    first = day
            if first is not None and (week == 0 or first.day == 1):
                name = MONTH_NAMES[first.month - 1]
                if all(c == " " for c in header[4 + week : 4 + week + 4]):
                    header[4 + week : 4 + week + 3] = list(name)
        text.append("".join(header).rstrip() + "\n", style="dim")
        for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
            text.append(f"{name:<4}", style="dim")
            for week in range(weeks):
                day = start + timedelta(weeks=week, days=weekday)
                if day > end:
                    break
                level = level_of(self._value(by_day.get(day)), bounds)
                text.append("■", style=palette[level])
            text.append("\n")
        text.append("    less ", style="dim")
        for colour in palette:
            text.append("■", style=colour)
        text.append(" more", style="dim")
        return text

    def _months(self, start: date, end: date) -> Text:
        assert self.stats is not None
        first, last = start.isoformat()[:7], end.isoformat()[:7]
        months = [m for m in self.stats.months if first <= m.month <= last]
        text = Text("Per month\n", style="bold")
        if not months:
            text.append("no entries in this year", style="dim")
            return text
        largest = max((m.words if self.by_words else m.entries) for m in months) or 1
        for month in months:
            value = month.words if self.by_words else month.entries
            bar = "█" * max(1, round(14 * value / largest))
            name = f"{MONTH_NAMES[int(month.month[5:]) - 1]} {month.month[2:4]}"
            text.append(f"{name} ", style="dim")
            text.append(bar, style=self._palette()[-1])
            text.append(f" {value:,}\n")
        return text

    def _phases(self) -> Text:
        assert self.stats is not None
        text = Text("Roadmap phases (finished = done + skipped)\n", style="bold")
        if not self.stats.phases:
            text.append("no roadmap yet: roadmap.yaml holds the phases", style="dim")
            return text
        palette = self._palette()
        narrow = self.app.size.width < 110  # at 80 columns the phases get about 45: keep each on one line
        bar_width = 8 if narrow else 12
        width = min(20 if narrow else 28, max(len(one_line(p.title)) for p in self.stats.phases))
        for phase in self.stats.phases:
            title = one_line(phase.title)
            if len(title) > width:
                title = title[: width - 1] + "…"
            filled = round(bar_width * phase.finished / phase.total) if phase.total else 0
            text.append(f"{title:<{width}} ")
            text.append("█" * filled, style=palette[-1])
            text.append("░" * (bar_width - filled), style=palette[0])
            text.append(
                f" {phase.finished}/{phase.total}",
                style="bold" if phase.total and phase.finished == phase.total else "",
            )
            text.append(f" ·{phase.entries}", style="dim")
            if phase.minutes:  # only for learners who record `minutes:`
                text.append(f" {readable_minutes(phase.minutes, short=narrow)}", style="dim")
            text.append("\n")
        return text

    def _week(self) -> Text:
        assert self.stats is not None
        week = self.stats.week
        text = Text("This week ", style="bold")
        text.append(
            f"(since {week.start:%a %d %b}): {_count(week.entries, 'entry', 'entries')},"
            f" {_count(week.words, 'word', 'words')}"
        )
        if week.topics_touched:
            text.append("; topics: " + ", ".join(one_line(t, 40) for t in week.topics_touched[:12]))
        if week.topics_finished:
            text.append("; finished: " + ", ".join(one_line(t, 40) for t in week.topics_finished[:12]))
        if self.stats.started_without_entries:
            text.append("\nStarted, no entry yet: ", style="bold")
            text.append(", ".join(one_line(t, 40) for t in self.stats.started_without_entries[:12]))
        return text

    def watch_by_words(self) -> None:
        self.refresh_figures()

    def watch_years_back(self) -> None:
        self.refresh_figures()

    # --- actions ------------------------------------------------------------------------------------

    def action_close(self) -> None:
        """Back to the journal."""
        self.dismiss(None)

    def action_toggle_measure(self) -> None:
        """Shade by words instead of entries, or back."""
        self.by_words = not self.by_words

    def action_earlier(self) -> None:
        """Show an earlier year (as far back as the oldest entry)."""
        oldest = self.stats.days[0].day.year if self.stats and self.stats.days else self.today.year
        if self.today.year - self.years_back > oldest:
            self.years_back += 1
        else:
            self.notify("No entries before this year.", timeout=2)

    def action_later(self) -> None:
        """Show a later year, up to the last 12 months."""
        if self.years_back > 0:
            self.years_back -= 1
