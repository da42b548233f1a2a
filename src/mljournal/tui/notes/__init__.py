"""Note taking: the screens that write an entry (the built-in editor, the `$EDITOR` round trip, the new-entry
form, the tag editor and the topic picker). Each one writes the file, refreshes the index and hands back an
`EntryWritten` (or None when nothing was written)."""

from mljournal.tui.notes.editor import EditorScreen as EditorScreen
from mljournal.tui.notes.editor import NewEntryDraft as NewEntryDraft
from mljournal.tui.notes.editor import SavedEntry as SavedEntry
from mljournal.tui.notes.external_editor import choose_editor as choose_editor
from mljournal.tui.notes.external_editor import edit_entry_externally as edit_entry_externally
from mljournal.tui.notes.new_entry import NewEntryScreen as NewEntryScreen
from mljournal.tui.notes.tags import TagEditor as TagEditor
from mljournal.tui.notes.tags import TagsChanged as TagsChanged
from mljournal.tui.notes.topics import TopicPicker as TopicPicker
from mljournal.tui.notes.topics import TopicsChanged as TopicsChanged
