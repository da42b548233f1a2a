"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.markdown.inline_tags import INLINE_TAG_SCAN_LIMIT as INLINE_TAG_SCAN_LIMIT
from mljournal.core.text.markdown.inline_tags import inline_tags as inline_tags
