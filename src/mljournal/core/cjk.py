"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.cjk import SEPARATOR as SEPARATOR
from mljournal.core.text.cjk import has_cjk as has_cjk
from mljournal.core.text.cjk import index_form as index_form
from mljournal.core.text.cjk import only_single_characters as only_single_characters
from mljournal.core.text.cjk import query_form as query_form
from mljournal.core.text.cjk import readable as readable
