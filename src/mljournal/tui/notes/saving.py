"""Writing the built-in editor's text to its entry file (run in a thread worker).

A new entry is created on its first save; an existing one is saved against the version read when it was opened
(`checked`), written over whatever is there now (`overwrite`), or kept beside it as a copy (`copy`). Unless the
user already agreed, a save that would lose front-matter fields stops first and says which. The outcome comes
back as a value the editor acts on, on the event loop: saved, would lose fields, conflict, or failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mljournal.core.entries.edit_risks import front_matter_losses
from mljournal.core.entries.new import create_entry_file, drop_empty_template_headings
from mljournal.core.entries.store import (
    ConflictError,
    FileVersion,
    StoreError,
    read_entry,
    save_as_copy,
    save_entry,
    version_of_bytes,
)
from mljournal.core.journal import Journal
from mljournal.tui.dialogs.refresh import refresh_index

SaveMode = Literal["checked", "overwrite", "copy"]


@dataclass(frozen=True)
class NewFile:
    """Where a new entry goes on its first save: its day and title name the file."""

    day: str
    title: str


@dataclass(frozen=True)
class Saved:
    """The text was written (and the index refreshed)."""

    relpath: str
    version: FileVersion
    text: str
    """What the file now holds: for a new entry, without the template's empty headings."""
    created: bool


@dataclass(frozen=True)
class WouldLose:
    """Nothing was written: the text would lose these front-matter fields, and the user wasn't asked yet."""

    losses: list[str]


@dataclass(frozen=True)
class Failed:
    """Nothing was written: the store refused, or the text can't be encoded like the file."""

    message: str


SaveOutcome = Saved | WouldLose | ConflictError | Failed
"""A `ConflictError`: another program changed (or deleted) the file since it was read; nothing was written."""


def write_entry_text(
    journal: Journal,
    relpath: str | None,
    text: str,
    *,
    new_file: NewFile | None,
    encoding: str,
    mode: SaveMode,
    expected: FileVersion | None,
    baseline: str,
    confirmed: bool,
) -> SaveOutcome:
    """Save `text` as the entry `relpath` (or, with `relpath` None, create the entry `new_file`).

    `expected` is the version read when the file was opened; `baseline` the last text known to be a good entry,
    compared with `text` for lost front-matter fields unless `confirmed`.
    """
    try:
        if relpath is None:
            # The template's prompts the writer left empty are not worth keeping in the file.
            text = drop_empty_template_headings(text)
        raw = text.encode(encoding)
        if not confirmed:
            losses = front_matter_losses(baseline.encode(encoding), raw)
            if losses:
                return WouldLose(losses)
        created = False
        if relpath is None:
            assert new_file is not None
            saved_as = create_entry_file(journal, raw, day=new_file.day, title=new_file.title)
            created = True
            version = version_of_bytes(raw)
            changed = [saved_as]
        elif mode == "copy":
            saved_as = save_as_copy(journal, relpath, raw)
            _raw, version = read_entry(journal, saved_as)
            changed = [relpath, saved_as]
        else:
            saved_as = relpath
            version = save_entry(journal, saved_as, raw, expected=expected if mode == "checked" else None)
            changed = [saved_as]
    except ConflictError as conflict:
        return conflict
    except (StoreError, UnicodeEncodeError) as error:
        return Failed(str(error))
    refresh_index(journal, changed)
    return Saved(saved_as, version, text, created)
