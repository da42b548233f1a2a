"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.index.prefixes import normalise as normalise
from mljournal.core.index.prefixes import query_spellings as query_spellings
from mljournal.core.index.prefixes import spell_out_prefixes as spell_out_prefixes
from mljournal.core.index.prefixes import stem as stem
