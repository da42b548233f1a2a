"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.yamledit.fast_reader import load_simple_mapping as load_simple_mapping
