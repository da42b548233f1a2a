"""`mljournal sync`: commit, pull and push the journal through git (the work is in `core.gitsync`)."""

from __future__ import annotations

from pathlib import Path

import click

from mljournal.cli.context import AppContext
from mljournal.cli.errors import friendly_errors
from mljournal.core.text.safe_text import terminal_safe


@click.command()
@click.option("--init", "init_repo", is_flag=True, help="Make the journal a git repository first (git init).")
@click.option(
    "--remote", "remote_url", metavar="URL", help="With --init: the repository to sync with (origin)."
)
@click.pass_obj
@friendly_errors
def sync(obj: AppContext, init_repo: bool, remote_url: str | None) -> None:
    """Commit the journal's changed files, pull the other machines' changes and push.

    \b
    Only entries/, roadmap.yaml, mljournal.toml, templates/ and .gitignore are committed;
    .mljournal/ (the index and the trash) never is. When both machines changed the same
    file, this machine's version stays and the other's is kept beside it as
    NAME-conflict-TIME.md; the files that need a look are listed. With no remote or no
    network the changes are committed here and sync says so.
    """
    from mljournal.core.gitsync import init_repository, sync_journal

    journal = obj.journal

    def progress(step: str) -> None:
        click.echo(terminal_safe(step, single_line=True))

    if remote_url and not init_repo:
        raise click.UsageError("--remote goes with --init (or add it with `git remote add origin URL`).")
    if remote_url and Path(remote_url).expanduser().is_dir():
        # A local folder given relative to where the user stands, not to the journal (where git runs).
        remote_url = str(Path(remote_url).expanduser().absolute())
    if init_repo:
        init_repository(journal, remote_url=remote_url, progress=progress)
    result = sync_journal(journal, progress=progress)
    if result.pulled:
        obj.index(sync=False).refresh(result.pulled)
    click.echo(terminal_safe(result.summary(), single_line=True))
    for kept in result.kept_both:
        click.echo(terminal_safe(f"Needs a look: {kept.path} ({kept.note})", single_line=True))
