"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.slug import FALLBACK_SLUG as FALLBACK_SLUG
from mljournal.core.text.slug import entry_filename as entry_filename
from mljournal.core.text.slug import slugify as slugify
