"""What every command gets as `ctx.obj`: the chosen journal and its index, both opened on first use.

Imports are lazy on purpose: `mljournal search` must start in well under 0.2 s, so it never loads the YAML
libraries, sqlite-utils or the progress line unless the command needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mljournal.core.journal import Journal, resolve_journal
from mljournal.core.text.safe_text import terminal_safe

if TYPE_CHECKING:
    from mljournal.core.index import Index


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
                    from mljournal.core.services.setup import init_journal

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
            from mljournal.core.services.topic_links import open_index

            # Wired with the roadmap, so `topic:x` also finds the entries of the topics under x.
            self._index = open_index(self.journal)
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
    """A progress line (`mljournal.cli.progress`) that imports its module only once there is progress to show.

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
            from mljournal.cli.progress import ProgressLine

            self._line = ProgressLine(self.label, started=self._started)
        self._line(done, total)

    def __enter__(self) -> _LazyProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._line is not None:
            self._line.close()
