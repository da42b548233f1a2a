"""`mljournal add`: capture one line into today's daily note (the work is in `core.capture`)."""

from __future__ import annotations

import sys

import click

from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.text.safe_text import terminal_safe


@click.command()
@click.argument("words", nargs=-1)
@click.option(
    "--tag", "tags", multiple=True, help="A tag (repeat for several); also added to the note's tags."
)
@click.pass_obj
@friendly_errors
def add(obj: AppContext, words: tuple[str, ...], tags: tuple[str, ...]) -> None:
    """Append `- HH:MM TEXT #tag` to today's daily note (entries/YYYY-MM-DD-daily.md).

    The note is made from templates/daily.md on the first capture of the day. With no
    TEXT, the text is read from stdin (`pbpaste | mljournal add`).
    """
    from mljournal.core.entries.capture import add_to_daily

    text = " ".join(words)
    if not text.strip():
        if sys.stdin.isatty():
            raise click.UsageError('Say what to add: mljournal add "what you just learned"')
        text = sys.stdin.read()
    journal = obj.journal
    captured = add_to_daily(journal, text, tags=tags)
    obj.index(sync=False).refresh([captured.path])
    verb = "Started" if captured.created else "Added to"
    click.echo(terminal_safe(f"{verb} {captured.path}", single_line=True))
