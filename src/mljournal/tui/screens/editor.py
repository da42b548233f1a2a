"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.tui.notes.editor import EditorScreen as EditorScreen
from mljournal.tui.notes.editor import NewEntryDraft as NewEntryDraft
from mljournal.tui.notes.editor import SavedEntry as SavedEntry
from mljournal.tui.notes.external_editor import choose_editor as choose_editor
from mljournal.tui.notes.external_editor import edit_entry_externally as edit_entry_externally
from mljournal.tui.notes.external_editor import editor_command as editor_command
