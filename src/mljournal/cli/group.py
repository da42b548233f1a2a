"""The `mljournal` command group: every command is loaded lazily, the TUI starts with no command, and `run`.

Imports are lazy on purpose: `mljournal search` must start in well under 0.2 s, so the group imports no
command module but the one that runs, and never Textual, the YAML libraries or sqlite-utils unless that
command needs them. (`mljournal --help` imports them all, for their one-line help.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mljournal import __version__
from mljournal.cli.context import AppContext
from mljournal.cli.errors import fail


class LazyGroup(click.Group):
    """A group whose subcommand modules are imported only when that command runs.

    `mljournal search` must not pay for the roadmap code (and its YAML parser) it never uses. Every command
    is listed here, as `module:attribute`; a new command goes in its area's module and gets a line here.
    """

    lazy_commands: dict[str, str] = {
        "add": "mljournal.cli.capture:add",
        "check": "mljournal.cli.journal:check",
        "export": "mljournal.cli.export:export",
        "import": "mljournal.cli.journal:import_",
        "index": "mljournal.cli.journal:index",
        "init": "mljournal.cli.journal:init",
        "new": "mljournal.cli.entries:new",
        "restore": "mljournal.cli.entries:restore",
        "review": "mljournal.cli.review:review",
        "roadmap": "mljournal.cli.roadmap:roadmap",
        "search": "mljournal.cli.search:search",
        "show": "mljournal.cli.entries:show",
        "stats": "mljournal.cli.stats:stats",
        "sync": "mljournal.cli.sync:sync",
        "tag": "mljournal.cli.entries:tag",
        "tags": "mljournal.cli.search:tags",
        "trash": "mljournal.cli.entries:trash_",
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


def run() -> None:
    """The console script: `main`, plus a quiet exit when the reader of our output goes away (`| head`)."""
    try:
        main()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush doesn't raise a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
