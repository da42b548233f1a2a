"""The built-in editor (`e`): the whole entry file, front-matter and body, in a `TextArea`.

Edit an existing entry and refresh the panes when it was saved:

```python
from mljournal.tui.notes import EditorScreen, SavedEntry

def action_edit_entry(self) -> None:
    self.app.push_screen(EditorScreen(journal, row.path), self._entry_saved)

def _entry_saved(self, result: SavedEntry | None) -> None:
    if result is not None:  # the index already has the new text; reload the list and select result.path
        self.reload_and_select(result.path)
```

Saving (`notes.saving`) goes through `core.entries.save_entry` with the version read when the file was opened,
so a change made meanwhile by another program is never overwritten silently: the user chooses (overwrite, keep
both, reload).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from mljournal.core.entries.store import ConflictError, FileVersion, StoreError, read_entry
from mljournal.core.journal import Journal
from mljournal.tui.dialogs.choice import ConflictAnswer, ConflictDialog, UnsavedAnswer, UnsavedChangesDialog
from mljournal.tui.dialogs.lossy_edit import LossyEditDialog, LossyEditResult
from mljournal.tui.notes.saving import Failed, NewFile, SaveMode, WouldLose, write_entry_text
from mljournal.tui.notes.writing_position import body_start, first_writing_position
from mljournal.tui.results import EntryWritten
from mljournal.tui.text import one_line
from mljournal.tui.widgets.entry_text_area import EntryTextArea


def markdown_highlighting_available() -> bool:
    """Whether TextArea can highlight Markdown here (needs `tree-sitter` and `tree-sitter-markdown`)."""
    return all(importlib.util.find_spec(name) is not None for name in ("tree_sitter", "tree_sitter_markdown"))


@dataclass(frozen=True)
class SavedEntry(EntryWritten):
    """The result of an editing session that wrote something: the entry's relpath (already re-indexed)."""

    created: bool = False
    """True when the session created the file (a new entry)."""


@dataclass(frozen=True)
class NewEntryDraft:
    """A new entry that exists only in the editor until its first save (`render_entry` output)."""

    raw: bytes
    day: str
    title: str


class EditorScreen(Screen[SavedEntry | None]):
    """Edits one entry file in a `TextArea`; dismisses with `SavedEntry` if it saved, else None.

    | Key | Action |
    | --- | --- |
    | `ctrl+s` | Save (asks when the file changed on disk meanwhile, or when the edit would lose the front-matter). |
    | `escape` | Close (asks first when there are unsaved changes). |
    | `ctrl+home` / `ctrl+end` | Start / end of the file. |
    """

    DEFAULT_CSS = """
    EditorScreen {
        layout: vertical;
    }
    EditorScreen #editor-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-style: bold;
    }
    EditorScreen #editor-title.-modified {
        color: $warning;
    }
    EditorScreen #editor-text {
        height: 1fr;
        border: none;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("escape", "close", "Close", id="editor.close", priority=True),
    ]

    modified: reactive[bool] = reactive(False)
    """True while the text differs from what was last read or saved (a new entry starts modified)."""

    def __init__(
        self,
        journal: Journal,
        relpath: str | None = None,
        *,
        draft: NewEntryDraft | None = None,
        highlight: bool | None = None,
    ) -> None:
        """Open `relpath`, or with `draft` a new entry that is created on the first save.

        `highlight` chooses Markdown highlighting; None uses it when tree-sitter's Markdown grammar is installed.
        """
        super().__init__()
        if (relpath is None) == (draft is None):
            raise ValueError("EditorScreen needs exactly one of relpath and draft")
        self.journal = journal
        self.relpath = relpath
        self.draft = draft
        use_highlight = markdown_highlighting_available() if highlight is None else highlight
        self._language = "markdown" if use_highlight else None
        self._version: FileVersion | None = None
        self._encoding = "utf-8"
        self._saved_text = ""
        self._baseline_text = draft.raw.decode("utf-8") if draft is not None else ""
        """The last text known to be a good entry (as read, or as saved); a save is compared with it."""
        self._clean_note = "saved"
        """What the title says while the text matches the file ("saved", or that theirs was reloaded)."""
        self._loaded = False
        self._saving = False
        self._close_after_save = False
        self._quit_after_save = False
        """Set by `save_and_quit`: a successful save exits the app."""
        self._result: SavedEntry | None = None
        self._created = False

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-title", markup=False)
        yield EntryTextArea(
            "",
            id="editor-text",
            language=self._language,
            soft_wrap=True,
            tab_behavior="indent",
            read_only=True,
        )
        yield Footer()

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#editor-text", TextArea)

    def on_mount(self) -> None:
        if self.draft is not None:
            text = self.draft.raw.decode("utf-8")
            self._show_text(text, saved_text="")
            self.text_area.move_cursor(first_writing_position(text))
        else:
            self._update_title()
            self._load()

    # -- loading -----------------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="editor-io", exit_on_error=False)
    def _load(self) -> None:
        assert self.relpath is not None
        try:
            raw, version = read_entry(self.journal, self.relpath)
        except StoreError as error:
            self.app.call_from_thread(self._load_failed, str(error))
            return
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            self.app.call_from_thread(
                self._load_failed,
                f"{self.relpath} is not UTF-8 text, so the built-in editor won't risk changing its bytes. "
                "Open it with E ($EDITOR) instead.",
                raw.decode("utf-8", errors="replace"),
            )
            return
        self.app.call_from_thread(self._loaded_file, text, version, encoding, body_start(text))

    def _loaded_file(self, text: str, version: FileVersion, encoding: str, cursor: tuple[int, int]) -> None:
        self._version = version
        self._encoding = encoding
        self._show_text(text, saved_text=None)
        self._baseline_text = text
        # Typing straight after `e` must land in the body: above the opening `---` it would turn the
        # front-matter into body text and the entry would lose its title, tags and topics.
        self.text_area.move_cursor(cursor)
        if self.text_area.text != text:
            self.notify(
                "This file mixes line endings or uses unusual line breaks; saving it here will make them uniform.",
                title="Line endings",
                severity="warning",
            )

    def _load_failed(self, message: str, preview: str | None = None) -> None:
        self.notify(message, title="Can't edit", severity="error", markup=False)
        if preview is None:
            self.dismiss(self._result)
            return
        self.text_area.load_text(preview)
        self.text_area.read_only = True
        self._update_title(note="read-only")

    def _show_text(self, text: str, *, saved_text: str | None) -> None:
        area = self.text_area
        area.load_text(text)
        area.read_only = False
        # A draft compares against "" so that it counts as unsaved until its first save.
        self._saved_text = area.text if saved_text is None else saved_text
        self._loaded = True
        self.modified = area.text != self._saved_text
        self._update_title()
        area.focus()

    # -- state -------------------------------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._loaded:
            self.modified = event.text_area.text != self._saved_text

    def has_unsaved_changes(self) -> bool:
        """True when the text differs from the file (or a new entry was never saved): quitting would lose it."""
        return self._loaded and self.modified and not self.text_area.read_only

    def unsaved_work_name(self) -> str:
        """How the quit question names this screen's work."""
        return f"the editor on {self.relpath or (self.draft.title if self.draft else 'a new entry')}"

    def watch_modified(self, _modified: bool) -> None:
        self._update_title()

    def _update_title(self, note: str | None = None) -> None:
        name = self.relpath or f"New entry: {self.draft.title if self.draft else ''}"
        if note is None:
            if not self._loaded:
                note = "loading…"
            elif self.modified:
                note = "● modified"
            else:
                note = self._clean_note
        title = self.query_one("#editor-title", Static)
        title.update(f"{one_line(name)}  {note}")
        title.set_class(self.modified, "-modified")

    # -- saving ------------------------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the text (atomically; asks first if another program changed the file)."""
        self._start_save("checked")

    def _start_save(self, mode: SaveMode, *, confirmed: bool = False) -> None:
        """Write the text; unless `confirmed`, first ask when it would lose the front-matter's fields."""
        if not self._loaded or self.text_area.read_only or self._saving:
            return
        self._saving = True
        self._update_title(note="saving…")
        self._write(self.text_area.text, mode, self._baseline_text, confirmed or mode != "checked")

    @work(thread=True, group="editor-save", exit_on_error=False)
    def _write(self, text: str, mode: SaveMode, baseline: str, confirmed: bool) -> None:
        new_file = NewFile(self.draft.day, self.draft.title) if self.draft is not None else None
        outcome = write_entry_text(
            self.journal,
            self.relpath,
            text,
            new_file=new_file,
            encoding=self._encoding,
            mode=mode,
            expected=self._version,
            baseline=baseline,
            confirmed=confirmed,
        )
        if isinstance(outcome, WouldLose):
            self.app.call_from_thread(self._ask_before_losing, outcome.losses, mode)
        elif isinstance(outcome, ConflictError):
            self.app.call_from_thread(self._conflict, outcome)
        elif isinstance(outcome, Failed):
            self.app.call_from_thread(self._save_failed, outcome.message)
        else:
            self.app.call_from_thread(
                self._saved, outcome.relpath, outcome.version, outcome.text, text, outcome.created, mode
            )

    def _ask_before_losing(self, losses: list[str], mode: SaveMode) -> None:
        self._saving = False
        self._update_title(note="not saved yet")

        def answered(choice: LossyEditResult | None) -> None:
            if choice is not None and choice.save_anyway:
                self._start_save(mode, confirmed=True)
            else:
                self._cancel_pending_close()
                self._update_title()

        self.app.push_screen(LossyEditDialog(losses), answered)

    def _saved(
        self,
        relpath: str,
        version: FileVersion,
        text: str,
        shown: str,
        created: bool,
        mode: SaveMode,
    ) -> None:
        self._saving = False
        self._created = self._created or created
        self.relpath = relpath
        self.draft = None
        self._version = version
        self._saved_text = text
        self._baseline_text = text
        self._clean_note = "saved"
        if text != shown and self.text_area.text == shown:
            # The file was written tidied (empty template headings dropped): show what it now holds.
            row, column = self.text_area.cursor_location
            self.text_area.load_text(text)
            last_row = self.text_area.document.line_count - 1
            row = min(row, last_row)
            self.text_area.move_cursor((row, min(column, len(self.text_area.document.get_line(row)))))
        self.modified = self.text_area.text != text
        self._result = SavedEntry(relpath, created=self._created)
        self._update_title()
        if mode == "copy":
            self.notify(f"Your text is saved as {relpath}; the original keeps their changes.", markup=False)
        if self._quit_after_save:
            self.app.exit()
        elif self._close_after_save:
            self.dismiss(self._result)

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._cancel_pending_close()
        self._update_title()
        self.notify(message, title="Not saved", severity="error", markup=False)

    def _conflict(self, conflict: ConflictError) -> None:
        self._update_title(note="changed on disk")

        def answered(choice: ConflictAnswer | None) -> None:
            self._saving = False
            if choice in ("overwrite", "keep_both"):
                self._start_save("copy" if choice == "keep_both" else "overwrite")
            elif choice == "reload":
                self._cancel_pending_close()
                self._loaded = False
                # Their text replaces the user's: nothing of the user's was saved, so don't say "saved".
                self._clean_note = "reloaded their version; your changes were dropped"
                self._update_title()
                self._load()
            else:
                self._cancel_pending_close()
                self._update_title()

        self.app.push_screen(ConflictDialog(conflict.relpath, deleted=conflict.current is None), answered)

    # -- closing -----------------------------------------------------------------------------------------------

    def _cancel_pending_close(self) -> None:
        """The save that was to close the editor (or quit the app) did not happen: stay."""
        self._close_after_save = False
        self._quit_after_save = False

    def save_and_quit(self) -> None:
        """Save, then quit the app; if the save asks a question or fails, the editor stays open."""
        if not self._loaded or self.text_area.read_only or self._saving:
            return
        self._quit_after_save = True
        self._start_save("checked")

    def action_close(self) -> None:
        """Close the editor; with unsaved changes, ask to save, discard or go back."""
        if self._saving:
            return
        if not (self._loaded and self.modified and not self.text_area.read_only):
            self.dismiss(self._result)
            return

        def answered(choice: UnsavedAnswer | None) -> None:
            if choice == "save":
                self._close_after_save = True
                self._start_save("checked")
            elif choice == "discard":
                self.dismiss(self._result)

        name = self.relpath or (self.draft.title if self.draft else "This entry")
        self.app.push_screen(UnsavedChangesDialog(name), answered)
