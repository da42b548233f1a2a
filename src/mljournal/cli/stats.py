"""`mljournal stats`: the dashboard's figures for scripts and for a quick look. One core call.

Registered lazily by the main CLI, so `mljournal search` never imports it.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import click

from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.roadmap import load_roadmap
from mljournal.core.services.stats import JournalStats, collect_stats, readable_minutes
from mljournal.core.text.safe_text import terminal_safe


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-03-09.", param_hint=option) from None


def _bar(finished: int, total: int, width: int = 20) -> str:
    filled = round(width * finished / total) if total else 0
    return "█" * filled + "·" * (width - filled)


def _entries(n: int) -> str:
    return f"{n:,} {'entry' if n == 1 else 'entries'}"


def _words(n: int) -> str:
    return f"{n:,} {'word' if n == 1 else 'words'}"


def _print_human(stats: JournalStats) -> None:
    def line(text: str) -> None:
        click.echo(terminal_safe(text, single_line=True))

    spent = (
        f", {readable_minutes(stats.minutes)}" if stats.minutes else ""
    )  # only when entries record minutes
    line(f"{_entries(stats.entries)}, {_words(stats.words)}{spent}")
    current = stats.streak.current
    line(f"streak: {current} {'day' if current == 1 else 'days'} now, {stats.streak.longest} at most")
    week = stats.week
    touched = f", topics: {', '.join(week.topics_touched)}" if week.topics_touched else ""
    finished = f", finished: {', '.join(week.topics_finished)}" if week.topics_finished else ""
    line(
        f"this week (since {week.start.isoformat()}): {_entries(week.entries)}, {_words(week.words)}"
        f"{touched}{finished}"
    )
    if stats.months:
        line("")
        most = max(m.entries for m in stats.months)
        for month in stats.months[-12:]:
            bar = "█" * max(1, round(24 * month.entries / most))
            line(f"{month.month}  {bar} {_entries(month.entries)}, {_words(month.words)}")
    if stats.phases:
        line("")
        width = max(len(p.title) for p in stats.phases)
        for phase in stats.phases:
            line(
                f"{phase.title:<{width}}  {_bar(phase.finished, phase.total)} "
                f"{phase.finished}/{phase.total}  ·{phase.entries}"
                + (f"  {readable_minutes(phase.minutes)}" if phase.minutes else "")
            )
    if stats.started_without_entries:
        line("")
        line(f"started, no entry yet: {', '.join(stats.started_without_entries)}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--since", metavar="DATE", help="Count only entries dated on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Count only entries dated on or before DATE (YYYY-MM-DD).")
@click.pass_obj
@friendly_errors
def stats(obj: AppContext, as_json: bool, since: str | None, until: str | None) -> None:
    """Entries and words per day and month, streaks, and progress per roadmap phase."""
    start, end = _day(since, "--since"), _day(until, "--until")
    roadmap, _problems = load_roadmap(obj.journal.roadmap_path)  # `mljournal check` reports problems
    figures = collect_stats(obj.index().conn, roadmap, today=datetime.now().date(), since=start, until=end)
    if as_json:
        click.echo(json.dumps(figures.to_json(), ensure_ascii=False))
    else:
        _print_human(figures)
