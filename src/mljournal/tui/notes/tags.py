"""Editing an entry's tags (`t`) in a small modal with completion from the tags already in use.

```python
from mljournal.tui.notes import TagEditor, TagsChanged

def action_edit_tags(self) -> None:
    # Tag completions come from the index unless `existing_tags` is given.
    self.app.push_screen(TagEditor(journal, row.path), self._entry_changed)

def _entry_changed(self, result: TagsChanged | None) -> None:
    if result is not None:  # the file and the index are updated; reload the list and the navigator
        self.reload_and_select(result.path)
```

The editor reads the entry's current tags from the file (the truth), writes through `core.entries` (only the
`tags` field changes) and refreshes the index before it dismisses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from mljournal.core.entries.store import StoreError, read_entry
from mljournal.core.entries.tagging import check_tags_editable, current_tags, update_tags
from mljournal.core.frontmatter.read import parse_document
from mljournal.core.journal import Journal
from mljournal.core.text.markdown.inline_tags import inline_tags
from mljournal.core.text.tags import split_typed_labels
from mljournal.tui.data import using_index
from mljournal.tui.dialogs.refresh import refresh_index
from mljournal.tui.dialogs.styles import PICKER_CSS
from mljournal.tui.results import EntryWritten
from mljournal.tui.text import one_line


def known_tags(journal: Journal) -> list[str]:
    """Every tag in the index, most used first (blocking: call it from a thread worker); [] on failure."""
    try:
        # The calling thread's index, like every other TUI read (one SQLite connection per worker thread).
        return using_index(journal, lambda index: [tag for tag, _count in index.tag_counts()])
    except Exception:
        return []


class TagSuggester(Suggester):
    """Completes the tag being typed after the last comma from known tags (given most used first)."""

    def __init__(self, tags: Iterable[str]) -> None:
        # Case-sensitive so the text already typed keeps its case; the matching below ignores case.
        super().__init__(use_cache=True, case_sensitive=True)
        self._tags = list(dict.fromkeys(map(one_line, tags)))

    def set_tags(self, tags: Iterable[str]) -> None:
        """Replace the known tags (when they arrive from the index after the screen opened)."""
        self._tags = list(dict.fromkeys(map(one_line, tags)))
        if self.cache is not None:
            self.cache.clear()

    async def get_suggestion(self, value: str) -> str | None:
        """`value` completed with the first known tag that starts with its last comma-separated part."""
        head, _comma, last = value.rpartition(",")
        prefix = last.lstrip().lstrip("#")
        if not prefix:
            return None
        typed = {tag.casefold() for tag in split_typed_labels(head)}
        folded = prefix.casefold()
        for tag in self._tags:
            if tag.casefold().startswith(folded) and tag.casefold() not in typed and len(tag) > len(prefix):
                return value + tag[len(prefix) :]
        return None


@dataclass(frozen=True)
class TagsChanged(EntryWritten):
    """The entry's tags after `TagEditor` saved them."""

    tags: tuple[str, ...]


class TagEditor(ModalScreen[TagsChanged | None]):
    """The entry's tags in one comma-separated `Input` with completion; `enter` saves, `escape` cancels."""

    DEFAULT_CSS = PICKER_CSS.format(name="TagEditor")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, journal: Journal, relpath: str, *, existing_tags: Sequence[str] | None = None) -> None:
        """`existing_tags` feed the completion, most used first; None reads them from the index."""
        super().__init__()
        self.journal = journal
        self.relpath = relpath
        self._existing = existing_tags
        self._suggester = TagSuggester(existing_tags or ())
        self._current: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Tags of {one_line(self.relpath)}", classes="picker-title", markup=False)
            yield Input(
                placeholder="comma-separated, e.g. numpy, linear algebra",
                suggester=self._suggester,
                id="tags-input",
                # Typing should add a tag, not replace the ones already there.
                select_on_focus=False,
                disabled=True,
            )
            inline_note = Static("", classes="picker-hint", id="tags-inline", markup=False)
            inline_note.display = False  # shown only for an entry with #tags in its text
            yield inline_note
            yield Static("", classes="picker-error", id="tags-error", markup=False)
            yield Static("enter: save · → accepts a completion · escape: cancel", classes="picker-hint")

    def on_mount(self) -> None:
        self._read_tags()

    @work(thread=True, exclusive=True, group="notes-tags", exit_on_error=False)
    def _read_tags(self) -> None:
        try:
            raw, _version = read_entry(self.journal, self.relpath)
            check_tags_editable(self.relpath, raw)
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        tags = current_tags(raw)
        declared = {tag.casefold() for tag in tags}
        in_body = [tag for tag in inline_tags(parse_document(raw).body) if tag.casefold() not in declared]
        self.app.call_from_thread(self._show_tags, tags, in_body)
        if self._existing is None:
            self._suggester.set_tags(known_tags(self.journal))

    def _show_tags(self, tags: list[str], in_body: list[str] | None = None) -> None:
        self._current = tags
        if in_body:
            # Written in the text as #tag: shown so the entry's tags add up, but not offered for removal.
            note = self.query_one("#tags-inline", Static)
            note.update(
                "Inline in the text (edit the entry to change): "
                + " ".join(f"#{one_line(t, 40)}" for t in in_body)
            )
            note.display = True
        field = self.query_one("#tags-input", Input)
        # Shown through the one filter: a tag holding an escape sequence reads `␛[2J` in the field.
        field.value = ", ".join(one_line(tag) for tag in tags) + (", " if tags else "")
        field.disabled = False
        field.focus()
        field.cursor_position = len(field.value)

    def _failed(self, message: str) -> None:
        self.notify(message, title="Tags not changed", severity="error", markup=False)
        self.dismiss(None)

    def has_unsaved_changes(self) -> bool:
        """True when the typed tags differ from the entry's (quitting now would drop the change)."""
        if self._current is None:
            return False
        typed = {tag.casefold() for tag in split_typed_labels(self.query_one("#tags-input", Input).value)}
        return typed != {tag.casefold() for tag in self._current}

    def unsaved_work_name(self) -> str:
        """How the quit question names this screen's work."""
        return f"the tags of {self.relpath}"

    @on(Input.Submitted, "#tags-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._current is None:
            return
        # A tag left as shown (placeholders and all) is the file's tag, untouched: map it back.
        shown_as = {one_line(tag).casefold(): tag for tag in self._current}
        wanted = list(
            dict.fromkeys(shown_as.get(tag.casefold(), tag) for tag in split_typed_labels(event.value))
        )
        wanted_keys = {tag.casefold() for tag in wanted}
        current_keys = {tag.casefold() for tag in self._current}
        add = [tag for tag in wanted if tag.casefold() not in current_keys]
        remove = [tag for tag in self._current if tag.casefold() not in wanted_keys]
        if not add and not remove:
            self.dismiss(None)
            return
        event.input.disabled = True
        self._save(add, remove)

    @work(thread=True, exclusive=True, group="notes-tags", exit_on_error=False)
    def _save(self, add: list[str], remove: list[str]) -> None:
        try:
            tags = update_tags(self.journal, self.relpath, add, remove)
        except StoreError as error:
            self.app.call_from_thread(self._save_failed, str(error))
            return
        refresh_index(self.journal, [self.relpath])
        self.app.call_from_thread(self.dismiss, TagsChanged(self.relpath, tuple(tags)))

    def _save_failed(self, message: str) -> None:
        self.query_one("#tags-error", Static).update(message)
        field = self.query_one("#tags-input", Input)
        field.disabled = False
        field.focus()

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
