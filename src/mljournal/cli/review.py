"""`mljournal review`: finished topics due for another look, and topics that went quiet. One core call each.

Registered lazily by the main CLI, so `mljournal search` never imports it.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import click

from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.config import load_config
from mljournal.core.roadmap import RoadmapError, Topic, load_roadmap, mark_reviewed, postpone_review
from mljournal.core.roadmap.review import ReviewQueue, review_queue
from mljournal.core.text.safe_text import terminal_safe


def _today() -> date:
    return datetime.now().date()


def _line(text: str) -> None:
    click.echo(terminal_safe(text, single_line=True))


def _print_queue(queue: ReviewQueue, today: date) -> None:
    if not queue.due and not queue.stale:
        click.echo("Nothing to review today, and nothing in progress has gone quiet.", err=True)
        return
    if queue.due:
        _line(f"Due for review ({len(queue.due)}):")
        for item in queue.due:
            late = (today - item.due).days
            when = "today" if late == 0 else f"{late} day{'s' if late != 1 else ''} overdue"
            reviews = f", reviewed {item.reviews}x" if item.reviews else ""
            _line(f"  {item.id}  {item.title}  ({when}; done {item.done.isoformat()}{reviews})")
            for entry in item.entries[:5]:
                _line(f"      {entry.day or '':10}  {entry.path}")
        _line("Mark one reviewed with: mljournal review done ID")
    if queue.stale:
        if queue.due:
            click.echo()
        _line(f"In progress, but quiet ({len(queue.stale)}):")
        for topic in queue.stale:
            quiet = (today - topic.last_entry).days
            _line(
                f"  {topic.id}  {topic.title}  (last entry {topic.last_entry.isoformat()}, {quiet} days ago)"
            )


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the queue as one JSON object.")
@click.pass_context
@friendly_errors
def review(ctx: click.Context, as_json: bool) -> None:
    """Finished topics due for review (after 3, 7, 21, 60, 180, then every 365 days) and stale topics."""
    if ctx.invoked_subcommand is not None:
        return
    obj: AppContext = ctx.obj
    journal = obj.journal
    config, _problems = load_config(journal)  # `mljournal check` reports them
    roadmap, _roadmap_problems = load_roadmap(journal.roadmap_path)
    today = _today()
    queue = review_queue(obj.index().conn, roadmap, today=today, stale_days=config.stale_days)
    if as_json:
        click.echo(json.dumps(queue.to_json(), ensure_ascii=False))
    else:
        _print_queue(queue, today)


def _done_topic(obj: AppContext, topic_id: str) -> Topic:
    roadmap, _problems = load_roadmap(obj.journal.roadmap_path)
    topic = roadmap.find(topic_id)
    if topic is None:
        raise click.ClickException(f"There is no topic {topic_id!r} in roadmap.yaml.")
    if topic.status != "done":
        raise click.ClickException(
            f"{topic_id!r} is {topic.status}, not done: only finished topics are reviewed."
        )
    return topic


@review.command(name="done")
@click.argument("topic_id", metavar="ID")
@click.pass_obj
@friendly_errors
def review_done(obj: AppContext, topic_id: str) -> None:
    """Record that you reviewed topic ID today."""
    _done_topic(obj, topic_id)
    try:
        topic = mark_reviewed(obj.journal.roadmap_path, topic_id, today=_today())
    except RoadmapError as error:
        raise click.ClickException(str(error)) from None
    _line(f"Reviewed {topic.id} ({topic.reviews} review{'s' if topic.reviews != 1 else ''} so far).")


@review.command(name="later")
@click.argument("topic_id", metavar="ID")
@click.option(
    "--days", default=3, show_default=True, type=click.IntRange(1, 3650), help="Put it off this long."
)
@click.pass_obj
@friendly_errors
def review_later(obj: AppContext, topic_id: str, days: int) -> None:
    """Put off topic ID's review for a few days."""
    _done_topic(obj, topic_id)
    until = _today() + timedelta(days=days)
    try:
        postpone_review(obj.journal.roadmap_path, topic_id, until)
    except RoadmapError as error:
        raise click.ClickException(str(error)) from None
    _line(f"{topic_id} comes back for review on {until.isoformat()}.")
