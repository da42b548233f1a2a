"""Editing an entry in the user's own editor (`E`): `$VISUAL`/`$EDITOR`, or the journal's, once trusted.

The round trip suspends the app, so it must run in an async worker on the event loop (not a thread):

```python
from mljournal.tui.notes.external_editor import choose_editor, edit_entry_externally

@work(exclusive=True, group="external-editor")
async def action_edit_entry_externally(self) -> None:
    editor = await choose_editor(self.app, journal, config)
    if editor is not None:
        result = await edit_entry_externally(self.app, journal, row.path, editor)
        if result is not None:
            self.reload_and_select(result.path)
```
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported

from mljournal.core.config import Config, is_editor_trusted, trust_editor
from mljournal.core.entries.store import FileVersion, file_version
from mljournal.core.journal import Journal
from mljournal.tui.dialogs.choice import TrustEditorDialog
from mljournal.tui.dialogs.refresh import refresh_index
from mljournal.tui.notes.editor import SavedEntry


def editor_command(environ: dict[str, str] | None = None, configured: str = "") -> list[str] | None:
    """The user's editor as an argv prefix: the `editor` setting, `$VISUAL`, `$EDITOR`, else `vi` if installed."""
    env = os.environ if environ is None else environ
    for value in (configured.strip(), *(env.get(variable, "").strip() for variable in ("VISUAL", "EDITOR"))):
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return ["vi"] if shutil.which("vi") else None


def edit_externally(app: App[Any], path: Path, editor: str | None = None) -> str | None:
    """Hand the terminal to the editor on `path` until it exits; return an error message, or None.

    `editor` is the command `choose_editor` settled on (the user's `editor` setting, or the journal's trusted
    one); "" or None means `$VISUAL`, then `$EDITOR`. The caller passes the setting: this function doesn't
    read it from the app. Tests replace this function (the headless driver cannot suspend).
    """
    command = editor_command(configured=editor or "")
    if command is None:
        return "No editor found: set $VISUAL or $EDITOR (for example EDITOR=nano)."
    if shutil.which(command[0]) is None:
        return f"The editor {command[0]!r} (from $VISUAL/$EDITOR) was not found."
    try:
        with app.suspend():
            completed = subprocess.run([*command, str(path)], check=False)
    except SuspendNotSupported:
        return "This terminal can't hand over to an external editor; use e for the built-in one."
    except OSError as error:
        return f"Could not start {command[0]!r}: {error.strerror or error}."
    if completed.returncode != 0:
        return f"{command[0]} exited with status {completed.returncode}; the file was re-read anyway."
    return None


async def choose_editor(app: App[Any], journal: Journal, config: Config) -> str | None:
    """The editor command `E` runs: the user's own ("" for `$VISUAL`/`$EDITOR`), or the one the journal's
    mljournal.toml names, once the user has agreed to it; None when the user cancelled.

    Must run in a worker (it may wait for the user's answer in a dialog).
    """
    proposed = config.journal_editor
    if not proposed.strip():
        return config.editor
    if await asyncio.to_thread(is_editor_trusted, journal, proposed):
        return proposed
    choice = await app.push_screen_wait(TrustEditorDialog(proposed))
    if choice == "always":
        try:
            await asyncio.to_thread(trust_editor, journal, proposed)
        except OSError as error:
            app.notify(
                f"Running it this once: the answer could not be remembered ({error.strerror or error}).",
                title="External editor",
                severity="warning",
                markup=False,
            )
        return proposed
    if choice == "once":
        return proposed
    if choice == "mine":
        return config.editor
    return None


async def edit_entry_externally(
    app: App[Any], journal: Journal, relpath: str, editor: str | None = None
) -> SavedEntry | None:
    """Edit `relpath` in `editor` (see `edit_externally`), then re-index it; SavedEntry when its bytes changed."""
    try:
        path = journal.abspath(relpath)
        before = await asyncio.to_thread(file_version, path)
    except Exception as error:
        app.notify(f"Can't open {relpath}: {error}", severity="error", markup=False)
        return None
    problem = edit_externally(app, path) if editor is None else edit_externally(app, path, editor)
    if problem is not None:
        app.notify(problem, title="External editor", severity="warning", markup=False)
    try:
        after: FileVersion | None = await asyncio.to_thread(file_version, path)
    except OSError:
        after = None
    if before.same_content(after):
        return None
    await asyncio.to_thread(refresh_index, journal, [relpath])
    return SavedEntry(relpath)
