"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.entries.importer import ImportReport as ImportReport
from mljournal.core.entries.importer import import_sources as import_sources
