"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""
