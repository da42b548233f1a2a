"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.tui.notes.new_entry import NewEntryScreen as NewEntryScreen
from mljournal.tui.notes.new_entry import parse_date_field as parse_date_field
