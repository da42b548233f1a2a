"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.markdown.math_text import latex_to_unicode as latex_to_unicode
