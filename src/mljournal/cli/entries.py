"""One entry at a time: `new`, `tag`, `show`, and the trash (`trash`, `restore`)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mljournal.cli.arguments import WordsCommand
from mljournal.cli.context import AppContext
from mljournal.cli.errors import fail, friendly_errors
from mljournal.core.dates import local_now
from mljournal.core.journal import Journal
from mljournal.core.text.safe_text import json_safe, terminal_safe
from mljournal.core.text.tags import split_typed_labels

if TYPE_CHECKING:
    from mljournal.core.config import Config


@click.command()
@click.argument("title")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--topic", "topics", multiple=True, help="A roadmap topic id to link (repeat for several).")
@click.option("--date", "date_text", help="The entry's date (default: now). Any common format.")
@click.option("--description", default="", help="A one-line summary.")
@click.option("--no-edit", is_flag=True, help="Don't open $VISUAL/$EDITOR.")
@click.option(
    "--template",
    "template_name",
    metavar="NAME",
    help="Start from templates/NAME.md (a piped body follows it).",
)
@click.pass_obj
@friendly_errors
def new(
    obj: AppContext,
    title: str,
    tags: tuple[str, ...],
    topics: tuple[str, ...],
    date_text: str | None,
    description: str,
    no_edit: bool,
    template_name: str | None,
) -> None:
    """Write a new entry. The body comes from stdin when piped, else your editor opens."""
    from mljournal.core.config import load_config
    from mljournal.core.entries.new import create_entry, entry_template

    journal = obj.journal
    config, _problems = load_config(journal)
    if topics:
        _check_topics(journal, list(topics))
    when = _parse_date_option(date_text) if date_text else None
    piped = not _stdin_is_terminal()
    template_tags: tuple[str, ...] = ()
    if template_name is not None:
        from mljournal.core.entries.templates import load_template

        template = load_template(journal, template_name)
        template_tags = template.tags
        body = template.fill(title=title, when=when or local_now(), topics=_topic_titles(journal, topics))
        if piped:
            body = body.rstrip("\n") + "\n\n" + sys.stdin.read()
    else:
        body = sys.stdin.read() if piped else entry_template(title)
    editor = None if piped or no_edit else _choose_editor(journal, config)
    # The same rule as the new-entry form: `--tag "#ml, deep learning"` is the tags `ml` and `deep learning`.
    split_tags = [
        label for tag in (*config.default_tags, *template_tags, *tags) for label in split_typed_labels(tag)
    ]
    relpath = create_entry(
        journal,
        title=title,
        body=body,
        tags=split_tags,
        topics=list(topics),
        date=when,
        description=description,
    )
    if editor is not None:
        click.edit(filename=str(journal.root / relpath), editor=editor or None, require_save=False)
    obj.index(sync=False).refresh([relpath])
    click.echo(relpath)


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _choose_editor(journal: Journal, config: Config) -> str | None:
    """The editor `new` opens: the user's own ("" for $VISUAL/$EDITOR), or the command the journal's
    mljournal.toml names once the user agrees to it (asked here, remembered on "always"); None to skip."""
    from mljournal.core.config import is_editor_trusted, trust_editor

    proposed = config.journal_editor
    if not proposed.strip():
        return config.editor
    if is_editor_trusted(journal, proposed):
        return proposed
    shown = terminal_safe(proposed, single_line=True)
    click.echo(f"This journal's mljournal.toml asks to open entries with: {shown}", err=True)
    click.echo(
        "A journal from someone else can name any command there; run it only if you trust it.", err=True
    )
    answer = click.prompt(
        "Run it [o]nce, [a]lways for this journal, use [m]y editor, or [s]kip editing?",
        type=click.Choice(["o", "a", "m", "s"]),
        default="m",
        show_choices=False,
        err=True,
    )
    if answer == "a":
        try:
            trust_editor(journal, proposed)
        except OSError as error:
            click.echo(
                f"Running it this once: the answer could not be remembered ({error.strerror}).", err=True
            )
        return proposed
    if answer == "o":
        return proposed
    return config.editor if answer == "m" else None


def _check_topics(journal: Journal, topics: list[str]) -> None:
    """Refuse topic ids the roadmap doesn't have, naming the ones that were probably meant (as the app does)."""
    from mljournal.core.roadmap import load_roadmap, unknown_topics_message

    roadmap, problems = load_roadmap(journal.roadmap_path)
    message = unknown_topics_message(roadmap, topics)
    if message is None:
        return
    broken = next((p for p in problems if p.code.startswith("roadmap-parse")), None)
    if broken is not None:
        message += f" (roadmap.yaml could not be read: {broken.message})"
    elif not journal.roadmap_path.exists():
        message += " (the journal has no roadmap.yaml)"
    fail(terminal_safe(message, single_line=True))


def _topic_titles(journal: Journal, topic_ids: tuple[str, ...]) -> list[str]:
    """What a template's {{topic}} shows: each topic's title from the roadmap, or its id if it has none."""
    if not topic_ids:
        return []
    from mljournal.core.roadmap import load_roadmap

    roadmap, _problems = load_roadmap(journal.roadmap_path)
    return [getattr(roadmap.find(topic_id), "title", None) or topic_id for topic_id in topic_ids]


def _parse_date_option(text: str) -> Any:
    from datetime import date, datetime

    from mljournal.core.dates import normalise_date

    normalised = normalise_date(text)
    if normalised is None:
        fail(f"Not a date: {text!r}. Try 2024-01-15 or 2024-01-15T09:30.")
    if normalised.has_time:
        return datetime.fromisoformat(normalised.iso)
    return date.fromisoformat(normalised.iso)


@click.command(cls=WordsCommand)
@click.argument("path")
@click.argument("changes", nargs=-1, required=True)
@click.pass_obj
@friendly_errors
def tag(obj: AppContext, path: str, changes: tuple[str, ...]) -> None:
    """Add (+TAG) and remove (-TAG) tags of the entry at PATH, changing nothing else in the file."""
    from mljournal.core.entries.tagging import update_tags

    journal = obj.journal
    relpath = _entry_relpath(journal, path)
    add = [change[1:] for change in changes if change.startswith("+") and len(change) > 1]
    remove = [change[1:] for change in changes if change.startswith("-") and len(change) > 1]
    bad = [change for change in changes if change[:1] not in {"+", "-"} or len(change) < 2]
    if bad:
        fail(f"Say +TAG to add or -TAG to remove (not {bad[0]!r}).")
    tags = update_tags(journal, relpath, add=add, remove=remove)
    obj.index(sync=False).refresh([relpath])
    click.echo(terminal_safe(f"{relpath}: {', '.join(tags) if tags else '(no tags)'}", single_line=True))


def _entry_relpath(journal: Journal, path: str) -> str:
    """Accept a path relative to the journal, to the current folder, or absolute; it must be an entry file."""
    candidates = [Path(path)] if Path(path).is_absolute() else [Path.cwd() / path, journal.root / path]
    for candidate in candidates:
        if candidate.is_file():
            relpath = journal.relpath(candidate.resolve() if candidate.is_symlink() else candidate.absolute())
            if relpath.startswith(".."):
                fail(f"{path} is not inside the journal at {journal.root}.")
            return relpath
    fail(f"No entry at {path}.")


@click.command()
@click.argument("path")
@click.option("--json", "as_json", is_flag=True, help="A JSON object: the fields, body, links and backlinks.")
@click.pass_obj
@friendly_errors
def show(obj: AppContext, path: str, as_json: bool) -> None:
    """Print an entry: a header with its fields, what it links to and what links to it, then its body."""
    from mljournal.core.entries.read import load_entry

    journal = obj.journal
    relpath = _entry_relpath(journal, path)
    entry = load_entry(journal.root, journal.root / relpath)
    index = obj.index()
    links: list[str] = []
    backlinks: list[str] = []
    try:
        # This entry may have been edited in place since the last sync (its folder unchanged): read it again.
        index.refresh([relpath])
        links = index.links_from(relpath).targets
        backlinks = index.backlinks(relpath)
    except sqlite3.OperationalError:
        # The entry is still worth showing; only what the index knows is missing.
        click.echo("The index is busy (another mljournal is updating it): links are left out.", err=True)
    if as_json:
        fields = {
            "path": relpath,
            "title": entry.title,
            "date": entry.date,
            "date_inferred": entry.date_inferred,
            "updated": entry.updated,
            "tags": entry.tags,
            "topics": entry.topics,
            "description": entry.description,
            "draft": entry.draft,
            "word_count": entry.word_count,
            "problems": [{"code": p.code, "message": p.message, "line": p.line} for p in entry.problems],
            "links": links,
            "backlinks": backlinks,
            "body": entry.body,
        }
        click.echo(json_safe(json.dumps(fields, ensure_ascii=False, indent=2)))
        return
    lines = [entry.title, "=" * min(len(entry.title), 80)]
    if entry.date:
        lines.append(f"date:   {entry.date}{' (inferred)' if entry.date_inferred else ''}")
    if entry.tags:
        lines.append(f"tags:   {', '.join(entry.tags)}")
    if entry.topics:
        lines.append(f"topics: {', '.join(entry.topics)}")
    if entry.description:
        lines.append(f"        {entry.description}")
    if links:
        lines.append(f"Links to:    {', '.join(links)}")
    if backlinks:
        lines.append(f"Linked from: {', '.join(backlinks)}")
    for problem in entry.problems:
        lines.append(f"! {problem.message}")
    click.echo(terminal_safe("\n".join(lines)))
    click.echo()
    click.echo(terminal_safe(entry.body.lstrip("\r\n")))


@click.command(name="trash")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of lines.")
@click.pass_obj
@friendly_errors
def trash_(obj: AppContext, as_json: bool) -> None:
    """List deleted entries: when, where from, and the ID `restore` takes."""
    from mljournal.core.entries.trash import trashed_entries

    items = trashed_entries(obj.journal)
    if as_json:
        rows = [
            {
                "id": item.id,
                "deleted": item.deleted_at.isoformat(sep=" ") if item.deleted_at else None,
                "path": item.original_path,
                "trash_path": item.trash_path,
            }
            for item in items
        ]
        click.echo(json_safe(json.dumps(rows, ensure_ascii=False, indent=2)))
        return
    if not items:
        click.echo("The trash is empty.", err=True)
        return
    for item in items:
        when = item.deleted_at.strftime("%Y-%m-%d %H:%M:%S") if item.deleted_at else "(unknown time)"
        click.echo(terminal_safe(f"{when}  {item.original_path}  (id {item.id})", single_line=True))


@click.command()
@click.argument("reference", metavar="[ID|PATH]", required=False)
@click.pass_obj
@friendly_errors
def restore(obj: AppContext, reference: str | None) -> None:
    """Put a deleted entry back where it was.

    Give its ID (from `mljournal trash`) or its original PATH; with neither, the most recent deletion comes
    back. An existing file is never replaced: the entry is restored beside it with `-restored` in its name.
    """
    from mljournal.core.entries.trash import find_trashed, restore_entry

    journal = obj.journal
    found = find_trashed(journal, reference)
    if not found:
        if reference is None:
            fail("The trash is empty: there is nothing to restore.")
        fail(f"Nothing in the trash matches {reference!r}; `mljournal trash` lists what is there.")
    restored: list[str] = []
    for item in found:
        relpath = restore_entry(journal, item.trash_path)
        restored.append(relpath)
        if relpath == item.original_path:
            message = f"Restored {relpath}."
        else:
            message = f"{item.original_path} exists, so the entry was restored beside it as {relpath}."
        click.echo(terminal_safe(message, single_line=True))
    obj.index(sync=False).refresh(restored)
