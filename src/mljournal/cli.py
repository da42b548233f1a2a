"""The `mljournal` command line: a thin layer over the core, one core call per command.

Imports are lazy on purpose: `mljournal search` must start in well under 0.2 s, so it never loads Textual, the
YAML libraries or sqlite-utils unless the command needs them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from mljournal import __version__
from mljournal.core.dates import local_now
from mljournal.core.errors import MLJournalError
from mljournal.core.journal import Journal, printable_name, resolve_journal
from mljournal.core.safe_text import json_safe, terminal_safe

if TYPE_CHECKING:
    from mljournal.core.config import Config
    from mljournal.core.index import Index

P = ParamSpec("P")
R = TypeVar("R")


class AppContext:
    """What every command gets as `ctx.obj`: the chosen journal, resolved on first use."""

    def __init__(self, explicit: Path | None) -> None:
        self.explicit = explicit
        self._journal: Journal | None = None
        self._index: Index | None = None

    @property
    def journal(self) -> Journal:
        return self.get_journal()

    def get_journal(self, *, must_exist: bool = True) -> Journal:
        if self._journal is None:
            journal, is_user_default = resolve_journal(self.explicit)
            if is_user_default:
                # No --journal, $MLJOURNAL_DIR or entries/ above the current folder: say which journal this
                # is, on stderr so `--json` output stays parseable.
                created = not journal.entries_dir.is_dir()
                if created:
                    # First run with no journal anywhere: make the per-user one, with a welcome entry.
                    from mljournal.core.setup import init_journal

                    init_journal(journal.root, welcome=True)
                said = "Created a journal" if created else "Using the journal"
                where = f"{said} in your user data folder: {journal.root}"
                click.echo(terminal_safe(where, single_line=True), err=True)
            elif must_exist and not journal.entries_dir.is_dir():
                raise click.ClickException(
                    f"No journal at {journal.root} (it has no entries/ folder). "
                    f"Create one with: mljournal init {journal.root}"
                )
            self._journal = journal
        return self._journal

    def index(self, *, sync: bool = True) -> Index:
        """The journal's index, brought up to date cheaply (a full sync only when folders changed)."""
        if self._index is None:
            from mljournal.core.index import Index

            self._index = Index(self.journal)
            if self._index.in_memory_reason:
                click.echo(terminal_safe(self._index.in_memory_reason, single_line=True), err=True)
            if sync:
                import sqlite3

                from mljournal.core.index import is_disk_full

                try:
                    # Usually nothing or a few files; a new or outdated index is read whole, which can
                    # take a while: then the line shows how far it is.
                    with _LazyProgress("Updating the index") as progress:
                        self._index.quick_sync(progress=progress)
                except sqlite3.OperationalError as error:
                    # Answer from what is there, and say why it may be stale.
                    why = (
                        "The disk is full, so the index could not be updated"
                        if is_disk_full(error)
                        else "The index is busy (another mljournal is updating it)"
                    )
                    click.echo(f"{why}; results may be out of date.", err=True)
        return self._index

    def topic_links(self) -> dict[str, set[str]]:
        return self.index().topic_links()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()


class _LazyProgress:
    """A progress line (`mljournal.cli_progress`) that imports its module only once there is progress to show.

    `mljournal search` updates the index before searching; that is almost always instant, and its start-up
    must not pay for the progress code.
    """

    def __init__(self, label: str) -> None:
        import time

        self.label = label
        self._started = time.monotonic()
        self._line: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._line is None:
            from mljournal.cli_progress import ProgressLine

            self._line = ProgressLine(self.label, started=self._started)
        self._line(done, total)

    def __enter__(self) -> _LazyProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._line is not None:
            self._line.close()


def fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected core errors into one clear line and a non-zero exit, never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except MLJournalError as error:
            fail(str(error))
        except BrokenPipeError:
            raise  # `mljournal search | head`: handled quietly in `run`
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                fail("The index is busy: another mljournal is updating it. Try again in a moment.")
            from mljournal.core.index import is_disk_full

            if is_disk_full(error):
                fail("The disk is full: the index could not be updated. Free some space and try again.")
            raise
        except PermissionError as error:
            fail(f"Permission denied: {error.filename or error}")
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            fail(f"{error.strerror or error}{where}")

    return wrapper


class LazyGroup(click.Group):
    """A group whose heavier subcommand modules are imported only when that command runs.

    `mljournal search` must not pay for the roadmap code (and its YAML parser) it never uses.
    """

    lazy_commands: dict[str, str] = {
        "add": "mljournal.cli_capture:add",
        "roadmap": "mljournal.cli_roadmap:roadmap",
        "stats": "mljournal.cli_stats:stats",
        "review": "mljournal.cli_review:review",
        "sync": "mljournal.cli_sync:sync",
        "export": "mljournal.cli_export:export",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy_commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        import importlib

        module_name, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command


class WordsCommand(click.Command):
    """A command whose last, variadic argument takes words that start with `-` as words, not options.

    `mljournal search -keras` excludes a word and `mljournal tag PATH -scratch` removes a tag; click would read
    them as clusters of short options (`-k -e -r ...`, and the `h` in `-scratch` as `-h`, help). Here only the
    command's own option names are options (`--json`, `--limit 5`, `--limit=5`, `-h`); any other word
    starting with one `-` is an argument, in its place. An unknown `--long` option is still an error, and
    everything after `--` is an argument, as usual.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options: dict[str, click.Option] = {
            name: param
            for param in self.get_params(ctx)
            if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)
        }
        leading: list[str] = []
        words: list[str] = []
        position = 0
        while position < len(args):
            arg = args[position]
            position += 1
            if arg == "--":
                words.extend(args[position:])
                break
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            option = options.get(name)
            if option is None and not (arg.startswith("--") and len(arg) > 2):
                words.append(arg)
                continue
            leading.append(arg)
            takes_value = option is not None and not option.is_flag and not option.count
            if takes_value and "=" not in arg:
                if position == len(args):
                    raise click.BadOptionUsage(name, f"Option '{name}' requires an argument.", ctx=ctx)
                leading.append(args[position])
                position += 1
        return super().parse_args(ctx, [*leading, "--", *words])


@click.group(
    cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--journal",
    "-j",
    type=click.Path(file_okay=False, path_type=Path),
    help="The journal folder (default: $MLJOURNAL_DIR, the nearest folder with entries/, or your user folder).",
)
@click.version_option(__version__, prog_name="mljournal")
@click.pass_context
def main(ctx: click.Context, journal: Path | None) -> None:
    """A terminal journal for learning machine learning.

    With no command, opens the full-screen app on the journal.
    """
    app_context = AppContext(journal)
    ctx.obj = app_context
    ctx.call_on_close(app_context.close)
    if ctx.invoked_subcommand is None:
        open_tui(app_context)


def open_tui(app_context: AppContext) -> None:
    journal = app_context.get_journal()
    try:
        from mljournal.tui.app import run_tui
    except ImportError as error:  # pragma: no cover - only when the install is broken
        fail(f"The full-screen app could not start: {error}")
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        fail("The full-screen app needs a terminal. Try `mljournal --help` for the commands.")
    run_tui(journal)


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--template",
    type=click.Choice(["ml", "blank"]),
    default="ml",
    show_default=True,
    help="The roadmap to start with: the machine-learning roadmap, or an empty one.",
)
@friendly_errors
def init(directory: Path | None, template: str) -> None:
    """Create a journal in DIRECTORY (default: the current folder)."""
    from mljournal.core.setup import init_journal

    root = (directory or Path.cwd()).expanduser()
    created = init_journal(root, template=template)
    if created:
        click.echo(f"Created a journal in {root}: {', '.join(created)}")
    else:
        click.echo(f"{root} is already a journal; nothing changed.")


@main.command()
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
    from mljournal.core.store import create_entry, entry_template

    journal = obj.journal
    config, _problems = load_config(journal)
    if topics:
        _check_topics(journal, list(topics))
    when = _parse_date_option(date_text) if date_text else None
    piped = not _stdin_is_terminal()
    template_tags: tuple[str, ...] = ()
    if template_name is not None:
        from mljournal.core.entry_templates import load_template

        template = load_template(journal, template_name)
        template_tags = template.tags
        body = template.fill(title=title, when=when or local_now(), topics=_topic_titles(journal, topics))
        if piped:
            body = body.rstrip("\n") + "\n\n" + sys.stdin.read()
    else:
        body = sys.stdin.read() if piped else entry_template(title)
    editor = None if piped or no_edit else _choose_editor(journal, config)
    split_tags = [
        part.strip()
        for tag in (*config.default_tags, *template_tags, *tags)
        for part in tag.split(",")
        if part.strip()
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


@main.command(cls=WordsCommand)
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of lines.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1), help="At most this many.")
@click.pass_obj
@friendly_errors
def search(obj: AppContext, query: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Search the journal. QUERY uses the search language:

    \b
      words "a phrase" prefix*  -word  a OR b
      tag:x  #x  -tag:x  topic:ID  title:word
      on:2024-01  after:2024-01-15  before:7d  (today, yesterday, 7d, 4w, 3m, 1y)
    """
    text = " ".join(query)
    result = obj.index().search(text, limit=limit)
    if result.hint:
        click.echo(terminal_safe(result.hint, single_line=True), err=True)
    if not result.hits and not as_json:
        # Said on stderr, so a pipe reads no lines; `--json` answers with a plain `[]` and nothing else.
        said = f"No entries match “{text.strip()}”." if text.strip() else "The journal has no entries yet."
        click.echo(terminal_safe(said, single_line=True), err=True)
    if as_json:
        items = [
            {
                "path": hit.row.path,
                "title": hit.row.title,
                "date": hit.row.date,
                "tags": list(hit.row.tags),
                "topics": list(hit.row.topics),
                "description": hit.row.description,
                "snippet": hit.snippet,
            }
            for hit in result.hits
        ]
        click.echo(json_safe(json.dumps(items, ensure_ascii=False, indent=2)))
        return
    for hit in result.hits:
        row = hit.row
        tags = f"  [{', '.join(row.tags)}]" if row.tags else ""
        line = f"{(row.day or '----------'):10}  {row.title}{tags}  {row.path}"
        click.echo(terminal_safe(line, single_line=True))
    if result.total > len(result.hits):
        click.echo(f"({len(result.hits)} of {result.total}; use --limit for more)", err=True)


@main.command(cls=WordsCommand)
@click.argument("path")
@click.argument("changes", nargs=-1, required=True)
@click.pass_obj
@friendly_errors
def tag(obj: AppContext, path: str, changes: tuple[str, ...]) -> None:
    """Add (+TAG) and remove (-TAG) tags of the entry at PATH, changing nothing else in the file."""
    from mljournal.core.store import update_tags

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


@main.command()
@click.argument("path")
@click.option("--json", "as_json", is_flag=True, help="A JSON object: the fields, body, links and backlinks.")
@click.pass_obj
@friendly_errors
def show(obj: AppContext, path: str, as_json: bool) -> None:
    """Print an entry: a header with its fields, what it links to and what links to it, then its body."""
    from mljournal.core.entry import load_entry

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


@main.command()
@click.pass_obj
@friendly_errors
def tags(obj: AppContext) -> None:
    """Every tag with the number of entries that carry it."""
    for name, count in obj.index().tag_counts():
        click.echo(terminal_safe(f"{count:6}  {name}", single_line=True))


@main.command()
@click.option("--rebuild", is_flag=True, help="Throw the index away and read every file again.")
@click.pass_obj
@friendly_errors
def index(obj: AppContext, rebuild: bool) -> None:
    """Bring the search index up to date with the files (only changed files are read)."""
    from mljournal.cli_progress import ProgressLine

    idx = obj.index(sync=False)
    with ProgressLine("Rebuilding the index" if rebuild else "Indexing") as progress:
        report = idx.rebuild(progress=progress) if rebuild else idx.sync(progress=progress)
    summary = (
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
        f"{report.unchanged} unchanged in {report.seconds:.2f} s"
    )
    if idx.in_memory and not idx.in_memory_reason:  # a symbolic link's reason was said when it opened
        summary += f" ({idx.memory_reason or 'the journal is read-only'}: the index is kept in memory)"
    click.echo(summary)


@main.command()
@click.pass_obj
@friendly_errors
def check(obj: AppContext) -> None:
    """List every problem in the journal, one line each (`path: problem`); exit 1 if there are any."""
    from mljournal.core.checks import journal_problems

    problems = journal_problems(obj.journal, obj.index())
    for path, problem in problems:
        where = f"{path}:{problem.line}" if problem.line else path
        click.echo(terminal_safe(f"{where}: {problem.message}", single_line=True))
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", err=True)
        sys.exit(1)
    click.echo("No problems found.", err=True)


@main.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only say what would be copied and skipped.")
@click.pass_obj
@friendly_errors
def import_(obj: AppContext, sources: tuple[Path, ...], dry_run: bool) -> None:
    """Copy Markdown files, or whole folders of them, into entries/ byte for byte (never overwriting)."""
    from mljournal.cli_progress import ProgressLine
    from mljournal.core.importer import import_sources

    journal = obj.journal
    with ProgressLine("Looking at files" if dry_run else "Copying") as progress:
        report = import_sources(journal, list(sources), dry_run=dry_run, progress=progress)
    verb = "Would copy" if dry_run else "Copied"
    for source, reason in report.skipped:
        # printable_name: a source name that is not UTF-8 would make the terminal's encoder raise.
        click.echo(terminal_safe(printable_name(f"skipped {source}: {reason}"), single_line=True))
    click.echo(
        f"{verb} {len(report.copied)} file{'s' if len(report.copied) != 1 else ''}; "
        f"skipped {len(report.skipped)}."
    )
    if not dry_run and report.copied:
        with ProgressLine("Indexing") as progress:
            sync = obj.index(sync=False).refresh(report.copied, progress=progress)
        click.echo(f"Indexed {len(sync.added) + len(sync.updated)} in {sync.seconds:.2f} s.")


@main.command(name="trash")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of lines.")
@click.pass_obj
@friendly_errors
def trash_(obj: AppContext, as_json: bool) -> None:
    """List deleted entries: when, where from, and the ID `restore` takes."""
    from mljournal.core.store import trashed_entries

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


@main.command()
@click.argument("reference", metavar="[ID|PATH]", required=False)
@click.pass_obj
@friendly_errors
def restore(obj: AppContext, reference: str | None) -> None:
    """Put a deleted entry back where it was.

    Give its ID (from `mljournal trash`) or its original PATH; with neither, the most recent deletion comes
    back. An existing file is never replaced: the entry is restored beside it with `-restored` in its name.
    """
    from mljournal.core.store import find_trashed, restore_entry

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


def run() -> None:
    """The console script: `main`, plus a quiet exit when the reader of our output goes away (`| head`)."""
    try:
        main()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush doesn't raise a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()
