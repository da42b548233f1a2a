"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.markdown.readable_math import (
    markdown_with_readable_math as markdown_with_readable_math,
)
