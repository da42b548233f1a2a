"""`mljournal export FORMAT DEST`: the journal as a static site, blog posts, or one JSON file.

Registered lazily by the main CLI, so other commands never load the exporters (Pygments, latex2mathml).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.export.run import FORMATS, ExportReport, export_journal
from mljournal.core.text.safe_text import terminal_safe


@click.command()
@click.argument("export_format", metavar="FORMAT", type=click.Choice(FORMATS, case_sensitive=False))
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--drafts", is_flag=True, help="Include drafts (left out by default).")
@click.option("--query", "-q", default="", help='Export only what this search picks, e.g. "tag:public".')
@click.option(
    "--force",
    is_flag=True,
    help="Write into DEST even though an export didn't make it (removes nothing else).",
)
@click.pass_obj
@friendly_errors
def export(obj: AppContext, export_format: str, dest: Path, drafts: bool, query: str, force: bool) -> None:
    """Export the journal to DEST as FORMAT.

    \b
      html    a static site (open DEST/index.html, or put DEST on any static host)
      hugo    content/posts/<slug>.md for a Hugo site
      jekyll  _posts/YYYY-MM-DD-<slug>.md for a Jekyll site
      astro   src/content/blog/<slug>.md for an Astro site
      json    all entries and the roadmap in one file (DEST.json, or DEST/journal.json)

    The journal's own files are only read. A DEST that an earlier export made is replaced whole.
    """
    journal = obj.journal
    index = obj.index()
    export_format = export_format.lower()
    if sys.stderr.isatty():
        with click.progressbar(length=1, label="Exporting", file=sys.stderr) as bar:
            report = export_journal(
                journal, index, export_format, dest, drafts=drafts, query=query, force=force,
                progress=_advance(bar),
            )  # fmt: skip
    else:
        report = export_journal(journal, index, export_format, dest, drafts=drafts, query=query, force=force)
    _say(report)


def _advance(bar: Any) -> Callable[[int, int], None]:
    def advance(done: int, total: int) -> None:
        bar.length = max(total, 1)
        bar.update(done - bar.pos)

    return advance


def _say(report: ExportReport) -> None:
    if report.hint:
        click.echo(terminal_safe(report.hint, single_line=True), err=True)
    if report.unread_front_matter:
        count = report.unread_front_matter
        click.echo(
            f"{count} entr{'y has' if count == 1 else 'ies have'} front-matter that could not be fully read:"
            " exported with what could be read (`mljournal check` lists them).",
            err=True,
        )
    entries = f"{report.entries} entr{'y' if report.entries == 1 else 'ies'}"
    files = f"{report.files} file{'' if report.files == 1 else 's'}"
    click.echo(
        terminal_safe(
            f"Exported {entries} as {report.export_format} ({files}) to {report.dest}", single_line=True
        )
    )
