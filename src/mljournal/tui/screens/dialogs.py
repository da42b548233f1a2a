"""Compatibility shim (issue 10): this module moved; import from the new places. Removed at the end of issue 10."""

from mljournal.tui.dialogs.choice import ConflictDialog as ConflictDialog
from mljournal.tui.dialogs.choice import TrustEditorDialog as TrustEditorDialog
from mljournal.tui.dialogs.choice import UnsavedChangesDialog as UnsavedChangesDialog
from mljournal.tui.dialogs.delete import ConfirmDelete as ConfirmDelete
from mljournal.tui.dialogs.delete import DeletedEntry as DeletedEntry
from mljournal.tui.dialogs.lossy_edit import LossyEditDialog as LossyEditDialog
from mljournal.tui.dialogs.lossy_edit import LossyEditResult as LossyEditResult
from mljournal.tui.dialogs.quit import HoldsUnsavedWork as HoldsUnsavedWork
from mljournal.tui.dialogs.quit import QuitAnswer as QuitAnswer
from mljournal.tui.dialogs.quit import QuitDialog as QuitDialog
from mljournal.tui.dialogs.quit import SavesBeforeQuit as SavesBeforeQuit
from mljournal.tui.dialogs.refresh import refresh_index as refresh_index
