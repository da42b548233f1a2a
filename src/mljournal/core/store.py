"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.entries.fields import TAG_KEYS as TAG_KEYS
from mljournal.core.entries.new import create_entry as create_entry
from mljournal.core.entries.new import create_entry_file as create_entry_file
from mljournal.core.entries.new import drop_empty_template_headings as drop_empty_template_headings
from mljournal.core.entries.new import entry_template as entry_template
from mljournal.core.entries.new import render_entry as render_entry
from mljournal.core.entries.store import ConflictError as ConflictError
from mljournal.core.entries.store import FileVersion as FileVersion
from mljournal.core.entries.store import StoreError as StoreError
from mljournal.core.entries.store import file_version as file_version
from mljournal.core.entries.store import read_entry as read_entry
from mljournal.core.entries.store import save_as_copy as save_as_copy
from mljournal.core.entries.store import save_entry as save_entry
from mljournal.core.entries.store import version_of_bytes as version_of_bytes
from mljournal.core.entries.tagging import check_tags_editable as check_tags_editable
from mljournal.core.entries.tagging import current_tags as current_tags
from mljournal.core.entries.tagging import set_topics as set_topics
from mljournal.core.entries.tagging import update_tags as update_tags
from mljournal.core.entries.trash import TrashedEntry as TrashedEntry
from mljournal.core.entries.trash import find_trashed as find_trashed
from mljournal.core.entries.trash import list_trash as list_trash
from mljournal.core.entries.trash import restore_entry as restore_entry
from mljournal.core.entries.trash import trash_entry as trash_entry
from mljournal.core.entries.trash import trashed_entries as trashed_entries
