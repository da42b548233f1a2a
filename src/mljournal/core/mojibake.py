"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.core.text.mojibake import find_mojibake as find_mojibake
from mljournal.core.text.mojibake import repair_mojibake as repair_mojibake
