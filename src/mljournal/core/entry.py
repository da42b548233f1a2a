"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.entries.fields import CATEGORY_KEYS as CATEGORY_KEYS
from mljournal.core.entries.fields import DATE_KEYS as DATE_KEYS
from mljournal.core.entries.fields import DESCRIPTION_KEYS as DESCRIPTION_KEYS
from mljournal.core.entries.fields import TAG_KEYS as TAG_KEYS
from mljournal.core.entries.fields import UPDATED_KEYS as UPDATED_KEYS
from mljournal.core.entries.read import _WORD_COUNT_PIECE as _WORD_COUNT_PIECE
from mljournal.core.entries.read import entry_from_document as entry_from_document
from mljournal.core.entries.read import load_entry as load_entry
from mljournal.core.entries.read import word_count as word_count
from mljournal.core.entries.tag_rules import tags_refusal as tags_refusal
