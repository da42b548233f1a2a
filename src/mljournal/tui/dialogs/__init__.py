"""Modal dialogs: small questions with typed answers (choices, quit, lossy save, delete, a line of text, links,
a roadmap resource). Push one and get its answer in a callback; none of them knows the screen that asked."""

from mljournal.tui.dialogs.choice import Choice as Choice
from mljournal.tui.dialogs.choice import ChoiceDialog as ChoiceDialog
from mljournal.tui.dialogs.choice import ConflictAnswer as ConflictAnswer
from mljournal.tui.dialogs.choice import ConflictDialog as ConflictDialog
from mljournal.tui.dialogs.choice import EditorTrust as EditorTrust
from mljournal.tui.dialogs.choice import TrustEditorDialog as TrustEditorDialog
from mljournal.tui.dialogs.choice import UnsavedAnswer as UnsavedAnswer
from mljournal.tui.dialogs.choice import UnsavedChangesDialog as UnsavedChangesDialog
from mljournal.tui.dialogs.delete import ConfirmDelete as ConfirmDelete
from mljournal.tui.dialogs.delete import DeletedEntry as DeletedEntry
from mljournal.tui.dialogs.links import ConfirmOpenLink as ConfirmOpenLink
from mljournal.tui.dialogs.links import LinkPicker as LinkPicker
from mljournal.tui.dialogs.lossy_edit import LossyEditDialog as LossyEditDialog
from mljournal.tui.dialogs.lossy_edit import LossyEditResult as LossyEditResult
from mljournal.tui.dialogs.prompt import TextPrompt as TextPrompt
from mljournal.tui.dialogs.quit import HoldsUnsavedWork as HoldsUnsavedWork
from mljournal.tui.dialogs.quit import QuitAnswer as QuitAnswer
from mljournal.tui.dialogs.quit import QuitDialog as QuitDialog
from mljournal.tui.dialogs.quit import SavesBeforeQuit as SavesBeforeQuit
from mljournal.tui.dialogs.resources import ResourcePicker as ResourcePicker
