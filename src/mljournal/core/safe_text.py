"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.safe_text import json_safe as json_safe
from mljournal.core.text.safe_text import strip_escape_sequences as strip_escape_sequences
from mljournal.core.text.safe_text import terminal_safe as terminal_safe
