"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.tui.dialogs.links import ConfirmOpenLink as ConfirmOpenLink
from mljournal.tui.dialogs.links import LinkPicker as LinkPicker
from mljournal.tui.dialogs.prompt import TextPrompt as TextPrompt
