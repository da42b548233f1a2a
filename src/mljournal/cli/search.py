"""Finding things: `search` (the search language) and `tags`. Both answer from the index."""

from __future__ import annotations

import json

import click

from mljournal.cli.arguments import WordsCommand
from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.text.safe_text import json_safe, terminal_safe


@click.command(cls=WordsCommand)
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


@click.command()
@click.pass_obj
@friendly_errors
def tags(obj: AppContext) -> None:
    """Every tag with the number of entries that carry it."""
    for name, count in obj.index().tag_counts():
        click.echo(terminal_safe(f"{count:6}  {name}", single_line=True))
