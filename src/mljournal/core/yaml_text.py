"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.yamledit.depth import MAX_NESTING as MAX_NESTING
from mljournal.core.yamledit.depth import yaml_too_deep_at as yaml_too_deep_at
from mljournal.core.yamledit.scalar import yaml_double_quoted as yaml_double_quoted
