"""The journal as a whole: `init`, `index`, `check` and `import`. Each command calls one core function."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.journal import printable_name
from mljournal.core.text.safe_text import terminal_safe


@click.command()
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
    from mljournal.core.services.setup import init_journal

    root = (directory or Path.cwd()).expanduser()
    created = init_journal(root, template=template)
    if created:
        click.echo(f"Created a journal in {root}: {', '.join(created)}")
    else:
        click.echo(f"{root} is already a journal; nothing changed.")


@click.command()
@click.option("--rebuild", is_flag=True, help="Throw the index away and read every file again.")
@click.pass_obj
@friendly_errors
def index(obj: AppContext, rebuild: bool) -> None:
    """Bring the search index up to date with the files (only changed files are read)."""
    from mljournal.cli.progress import ProgressLine

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


@click.command()
@click.pass_obj
@friendly_errors
def check(obj: AppContext) -> None:
    """List every problem in the journal, one line each (`path: problem`); exit 1 if there are any."""
    from mljournal.core.services.checks import journal_problems

    problems = journal_problems(obj.journal, obj.index())
    for path, problem in problems:
        where = f"{path}:{problem.line}" if problem.line else path
        click.echo(terminal_safe(f"{where}: {problem.message}", single_line=True))
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", err=True)
        sys.exit(1)
    click.echo("No problems found.", err=True)


@click.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only say what would be copied and skipped.")
@click.pass_obj
@friendly_errors
def import_(obj: AppContext, sources: tuple[Path, ...], dry_run: bool) -> None:
    """Copy Markdown files, or whole folders of them, into entries/ byte for byte (never overwriting)."""
    from mljournal.cli.progress import ProgressLine
    from mljournal.core.entries.importer import import_sources

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
