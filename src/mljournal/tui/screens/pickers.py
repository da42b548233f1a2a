"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.tui.dialogs.resources import ResourcePicker as ResourcePicker
from mljournal.tui.notes.tags import TagEditor as TagEditor
from mljournal.tui.notes.tags import TagsChanged as TagsChanged
from mljournal.tui.notes.topics import TopicPicker as TopicPicker
from mljournal.tui.notes.topics import TopicsChanged as TopicsChanged
from mljournal.tui.notes.topics import TopicTree as TopicTree
