"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.entries.capture import Captured as Captured
from mljournal.core.entries.capture import add_to_daily as add_to_daily
from mljournal.core.entries.capture import capture_line as capture_line
from mljournal.core.entries.capture import clean_capture_tags as clean_capture_tags
from mljournal.core.entries.capture import daily_note_path as daily_note_path
