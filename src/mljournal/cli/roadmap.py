"""`mljournal roadmap`: the learning roadmap on the command line. Each command calls one core function.

The main CLI registers the `roadmap` group; `ctx.obj` gives the journal (`get_journal()` or `.journal`) and,
when it has one, the index's `topic_links()`. Without an index the links are read from the entry files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ParamSpec, TypeVar

import click

from mljournal.cli.errors import friendly_errors
from mljournal.core.journal import Journal
from mljournal.core.progress import ProgressCallback
from mljournal.core.roadmap import (
    STATUS_MARKS,
    STATUSES,
    UNREADABLE_PREFIX,
    Roadmap,
    RoadmapError,
    Topic,
    add_topic,
    display_status,
    load_roadmap,
    progress_dict,
    rename_topic,
    resource_dict,
    set_status,
    subtree_entry_counts,
)
from mljournal.core.services.move_topic import move_topic, resume_pending_move, scan_topic_links
from mljournal.core.text.safe_text import terminal_safe

P = ParamSpec("P")
R = TypeVar("R")


def _journal(ctx: click.Context) -> Journal:
    obj = ctx.obj
    if isinstance(obj, Journal):
        return obj
    getter = getattr(obj, "get_journal", None)
    journal = getter() if callable(getter) else getattr(obj, "journal", None)
    if not isinstance(journal, Journal):
        raise click.ClickException("No journal was chosen; pass --journal.")
    return journal


def _topic_links(ctx: click.Context, journal: Journal) -> Mapping[str, set[str]]:
    links = getattr(ctx.obj, "topic_links", None)
    if callable(links):
        try:
            found = links()
        except Exception:  # the index is a cache: if it can't answer, the files can
            found = None
        if isinstance(found, Mapping):
            return found
    return scan_topic_links(journal.root)


def _safe(text: str) -> str:
    return terminal_safe(text, single_line=True)


def _load(journal: Journal) -> Roadmap:
    """The roadmap, with its problems on stderr; a file that can't be read at all is an error."""
    roadmap, problems = load_roadmap(journal.roadmap_path)
    for problem in problems:
        if problem.code.startswith(UNREADABLE_PREFIX):
            raise click.ClickException(f"{journal.roadmap_path}: {problem.message}")
        where = f":{problem.line}" if problem.line else ""
        click.echo(_safe(f"warning: roadmap.yaml{where}: {problem.message}"), err=True)
    return roadmap


def _finish_pending_move(ctx: click.Context, journal: Journal) -> None:
    try:
        result = resume_pending_move(journal.roadmap_path, entries_dir=journal.entries_dir)
    except RoadmapError as error:
        raise click.ClickException(f"An interrupted move could not be finished: {error}") from None
    if result is not None:
        # The interrupted run rewrote entries it never re-indexed: refresh those too, not just this run's.
        _refresh_index(ctx, result.changed_entries)
        click.echo(
            _safe(
                f"Finished an interrupted move of {result.old_id!r} to {result.new_id!r} "
                f"({_plural(len(result.rewritten), 'entry', 'entries')} rewritten)."
            ),
            err=True,
        )


def _refresh_index(ctx: click.Context, paths: list[str], progress: ProgressCallback | None = None) -> None:
    """Re-index the entries a move rewrote, so `topic:NEW_ID` finds them at once."""
    index_of = getattr(ctx.obj, "index", None)
    if index_of is None or not paths:
        return
    index_of(sync=False).refresh(paths, progress=progress)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the tree as JSON.")
@click.pass_context
@friendly_errors
def roadmap(ctx: click.Context, as_json: bool) -> None:
    """The learning roadmap: each topic's status, progress and linked entries.

    Marks: [ ] todo, [~] learning, [x] done, [-] skipped, [*] started (todo, but has entries).
    Progress counts the topics at the bottom of each branch that are done or skipped.
    """
    journal = _journal(ctx)
    _finish_pending_move(ctx, journal)
    if ctx.invoked_subcommand is not None:
        return
    if not journal.roadmap_path.exists():
        click.echo(f"{journal.root} has no roadmap.yaml; `mljournal init` writes one.", err=True)
        if as_json:
            click.echo("[]")
        return
    tree = _load(journal)
    counts = subtree_entry_counts(tree, _topic_links(ctx, journal))
    if as_json:
        click.echo(json.dumps(roadmap_json(tree, counts), indent=2, ensure_ascii=True))
    else:
        for line in render_tree(tree, counts):
            click.echo(line)


@roadmap.command(name="show")
@click.argument("topic_id", metavar="ID")
@click.pass_context
@friendly_errors
def show_topic(ctx: click.Context, topic_id: str) -> None:
    """A topic's page: status, progress, notes, resources, done and review dates, and its entries."""
    from mljournal.core.services.topic_page import topic_page, topic_page_text

    journal = _journal(ctx)
    tree = _load(journal)
    index_of = getattr(ctx.obj, "index", None)
    if not callable(index_of):
        raise click.ClickException("No index is available for this journal.")
    page = topic_page(index_of().conn, tree, topic_id)
    if page is None:
        raise click.ClickException(f"There is no topic {topic_id!r} in roadmap.yaml.")
    for line in topic_page_text(page):
        click.echo(_safe(line))


@roadmap.command(name="resource")
@click.argument("topic_id", metavar="ID")
@click.argument("number", type=click.IntRange(min=1))
@click.argument("status", type=click.Choice(STATUSES))
@click.pass_context
@friendly_errors
def resource_status(ctx: click.Context, topic_id: str, number: int, status: str) -> None:
    """Mark resource NUMBER of topic ID (as `roadmap show ID` numbers them) todo, learning, done or skipped."""
    from mljournal.core.roadmap import set_resource_status

    topic = set_resource_status(_journal(ctx).roadmap_path, topic_id, number, status)
    click.echo(_safe(f"{topic.resources[number - 1].title}: {status}"))


def roadmap_json(tree: Roadmap, counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """The roadmap as plain data for `--json`: nested topic objects with status, entries and progress."""

    def topic_json(topic: Topic) -> dict[str, Any]:
        p = tree.progress_of(topic)
        entries = counts.get(topic.id, 0)
        return {
            "id": topic.id,
            "title": topic.title,
            "status": topic.status,
            "display_status": display_status(topic, entries, p),
            "entries": entries,
            "progress": progress_dict(p),
            "notes": topic.notes,
            "resources": [resource_dict(resource) for resource in topic.resources],
            "done": topic.done,
            "reviewed": topic.reviewed,
            "reviews": topic.reviews,
            "children": [topic_json(child) for child in topic.children],
        }

    return [topic_json(root) for root in tree.roots]


def render_tree(tree: Roadmap, counts: Mapping[str, int]) -> list[str]:
    """The roadmap as aligned text lines: mark, title, id, progress (for branches) and entry count."""
    overall = tree.overall_progress()
    rows: list[tuple[str, str, str, str]] = []

    def visit(topic: Topic, depth: int) -> None:
        entries = counts.get(topic.id, 0)
        p = tree.progress_of(topic)
        mark = STATUS_MARKS.get(display_status(topic, entries, p), "[?]")
        left = f"{'  ' * depth}{mark} {_safe(topic.title)}"
        progress = ""
        if not topic.is_leaf:
            progress = f"{p.fraction} {p.percent}%"
        rows.append(
            (left, _safe(topic.id), progress, _plural(entries, "entry", "entries") if entries else "")
        )
        for child in topic.children:
            visit(child, depth + 1)

    for root in tree.roots:
        visit(root, 0)
    title = _safe(tree.title or "Roadmap")
    lines = [
        f"{title}: {overall.fraction} {overall.percent}% "
        f"({overall.done} done, {overall.skipped} skipped, {overall.learning} learning)"
    ]
    if not rows:
        lines.append("No topics yet; add one with: mljournal roadmap add - TITLE")
        return lines
    width_left = min(max(len(r[0]) for r in rows), 64)
    width_id = min(max(len(r[1]) for r in rows), 28)
    width_progress = max(len(r[2]) for r in rows)
    for left, topic_id, progress, entries in rows:
        line = f"{left:<{width_left}}  {topic_id:<{width_id}}  {progress:>{width_progress}}  {entries}"
        lines.append(line.rstrip())
    return lines


def _ancestry(tree: Roadmap, topic_id: str) -> str:
    return " › ".join(_safe(t.title) for t in tree.ancestors(topic_id))


@roadmap.command("set")
@click.argument("topic_id", metavar="ID")
@click.argument("status", metavar="STATUS", type=click.Choice(STATUSES))
@click.pass_context
@friendly_errors
def set_command(ctx: click.Context, topic_id: str, status: str) -> None:
    """Set the STATUS of topic ID (todo, learning, done or skipped)."""
    journal = _journal(ctx)
    before, _ = load_roadmap(journal.roadmap_path)
    old = before.find(topic_id)
    set_status(journal.roadmap_path, topic_id, status)
    after, _ = load_roadmap(journal.roadmap_path)
    topic = after.find(topic_id)
    assert topic is not None  # set_status checked it
    was = f"{old.status} → " if old is not None and old.status != status else ""
    click.echo(_safe(f"{topic.id}: {was}{status}"))
    # The figures up the tree, so the effect of a change is visible at once.
    for ancestor in [*after.ancestors(topic.id), *([] if topic.is_leaf else [topic])]:
        p = after.progress_of(ancestor)
        click.echo(_safe(f"  {ancestor.title}: {p.fraction} {p.percent}%"))
    overall = after.overall_progress()
    click.echo(f"  overall: {overall.fraction} {overall.percent}%")
    if not topic.is_leaf:
        click.echo(
            "  (progress counts the topics at the bottom of a branch; set those to move these figures)",
        )


@roadmap.command("add")
@click.argument("parent_id", metavar="PARENT_ID")
@click.argument("title")
@click.option("--id", "new_id", help="The new topic's id (default: made from the title).")
@click.pass_context
@friendly_errors
def add_command(ctx: click.Context, parent_id: str, title: str, new_id: str | None) -> None:
    """Add a topic TITLE under PARENT_ID (`-` for a new top-level phase); prints its id."""
    journal = _journal(ctx)
    parent = None if parent_id == "-" else parent_id
    topic = add_topic(journal.roadmap_path, parent, title, id=new_id)
    where = f"under {parent}" if parent else "at the top level"
    click.echo(_safe(f"Added {topic.id} ({topic.title}) {where}."))


@roadmap.command("next")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1), help="How many topics.")
@click.pass_context
@friendly_errors
def next_command(ctx: click.Context, limit: int) -> None:
    """What to work on: the topics being learned, else the first todo topics in order."""
    journal = _journal(ctx)
    tree = _load(journal)
    upcoming = tree.next_up(limit)
    if not upcoming:
        click.echo("Nothing left to do: every topic is done or skipped." if len(tree) else "No topics yet.")
        return
    counts = subtree_entry_counts(tree, _topic_links(ctx, journal))
    for topic in upcoming:
        entries = counts.get(topic.id, 0)
        mark = STATUS_MARKS.get(display_status(topic, entries, tree.progress_of(topic)), "[?]")
        path = _ancestry(tree, topic.id)
        suffix = f"  ({path})" if path else ""
        click.echo(_safe(f"{mark} {topic.title} [{topic.id}]{suffix}"))


@roadmap.command("rename")
@click.argument("topic_id", metavar="ID")
@click.argument("new_title")
@click.pass_context
@friendly_errors
def rename_command(ctx: click.Context, topic_id: str, new_title: str) -> None:
    """Give topic ID a new title; its id, which entries link to, stays."""
    journal = _journal(ctx)
    before, _ = load_roadmap(journal.roadmap_path)
    old = before.find(topic_id)
    topic = rename_topic(journal.roadmap_path, topic_id, new_title)
    was = f"{old.title!r} → " if old is not None else ""
    click.echo(_safe(f"{topic.id}: {was}{topic.title!r}"))


@roadmap.command("move")
@click.argument("topic_id", metavar="ID")
@click.argument("new_id", metavar="NEW_ID")
@click.pass_context
@friendly_errors
def move_command(ctx: click.Context, topic_id: str, new_id: str) -> None:
    """Change the id of topic ID to NEW_ID, rewriting `topics:` in every entry linked to it.

    Safe to interrupt: the next `mljournal roadmap` command finishes the move.
    """
    from mljournal.cli.progress import ProgressLine

    journal = _journal(ctx)
    # The move reads every entry twice: tens of seconds at 100,000 entries.
    with ProgressLine(_safe(f"Moving {topic_id} → {new_id}")) as progress:
        result = move_topic(
            journal.roadmap_path, topic_id, new_id, entries_dir=journal.entries_dir, progress=progress
        )
    for path, reason in result.skipped:
        click.echo(_safe(f"skipped {path}: {reason}"), err=True)
    with ProgressLine("Indexing the rewritten entries") as progress:
        _refresh_index(ctx, result.changed_entries, progress)
    click.echo(
        _safe(
            f"Moved {result.old_id} → {result.new_id}; "
            f"rewrote {_plural(len(result.rewritten), 'entry', 'entries')}."
        )
    )
