"""Entries: reading a file into an `Entry`, and every write to entry files (create, save, tags, topics, trash).

The modules by job: `fields` (which keys hold what), `read` (file to `Entry`), `tag_rules` (when tags can be
edited), `tagging` (tag and topic edits), `store` (versions, conflicts, saves), `new` (new entries), `trash`,
`templates` (named entry templates), `capture` (`mljournal add`), `importer`, `links` (links between entries)
and `edit_risks` (what a whole-file edit would lose).
"""

from mljournal.core.entries.new import create_entry as create_entry
from mljournal.core.entries.new import create_entry_file as create_entry_file
from mljournal.core.entries.new import drop_empty_template_headings as drop_empty_template_headings
from mljournal.core.entries.new import entry_template as entry_template
from mljournal.core.entries.new import render_entry as render_entry
from mljournal.core.entries.read import entry_from_document as entry_from_document
from mljournal.core.entries.read import load_entry as load_entry
from mljournal.core.entries.read import word_count as word_count
from mljournal.core.entries.store import ConflictError as ConflictError
from mljournal.core.entries.store import FileVersion as FileVersion
from mljournal.core.entries.store import StoreError as StoreError
from mljournal.core.entries.store import file_version as file_version
from mljournal.core.entries.store import read_entry as read_entry
from mljournal.core.entries.store import save_as_copy as save_as_copy
from mljournal.core.entries.store import save_entry as save_entry
from mljournal.core.entries.store import version_of_bytes as version_of_bytes
from mljournal.core.entries.tag_rules import tags_refusal as tags_refusal
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
from mljournal.core.model import Entry as Entry
