"""A question with a few answers, one button and one key each, and the three the editor asks.

`ChoiceDialog[T]` dismisses with the chosen answer's value (typed `T`) or None on `escape`:

```python
def answered(choice: ConflictAnswer | None) -> None:
    ...

self.app.push_screen(ConflictDialog(relpath), answered)
```
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from mljournal.core.text.safe_text import terminal_safe
from mljournal.tui.text import one_line, strip_controls

T = TypeVar("T")

EditorTrust = Literal["once", "always", "mine"]
"""The answers to `TrustEditorDialog`: run the journal's editor once, always (remembered), or the user's own."""
UnsavedAnswer = Literal["save", "discard"]
"""The answers to `UnsavedChangesDialog` (None goes back to the text)."""
ConflictAnswer = Literal["overwrite", "keep_both", "reload"]
"""The answers to `ConflictDialog` (None cancels the save)."""


@dataclass(frozen=True)
class Choice(Generic[T]):
    """One answer of a `ChoiceDialog`: the value it returns, its key and its button label."""

    value: T | None
    key: str
    label: str
    variant: str = "default"


class ChoiceDialog(ModalScreen[T | None], Generic[T]):
    """A question with a few answers, each a button and a key; `escape` answers None."""

    DEFAULT_CSS = """
    ChoiceDialog {
        align: center middle;
    }
    ChoiceDialog > Vertical {
        width: auto;
        min-width: 50;
        max-width: 90%;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }
    ChoiceDialog .dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    ChoiceDialog .dialog-message {
        width: 100%;
        margin-bottom: 1;
    }
    ChoiceDialog Horizontal {
        width: auto;
        height: auto;
    }
    ChoiceDialog Button {
        margin-right: 1;
        min-width: 0;
        width: auto;
    }
    """

    BINDINGS = [Binding("escape", "answer_none", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, message: str, choices: Iterable[Choice[T]], *, focus: int = 0) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._choices = list(choices)
        self._focus = focus
        """The answer whose button has the focus at first (what `enter` picks)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(strip_controls(self._title), classes="dialog-title", markup=False)
            yield Static(strip_controls(self._message), classes="dialog-message", markup=False)
            with Horizontal():
                for number, choice in enumerate(self._choices):
                    yield Button(
                        f"{choice.label} ({choice.key})",
                        id=f"choice-{number}",
                        variant=choice.variant,  # type: ignore[arg-type]
                    )

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self._focus}", Button).focus()

    def on_key(self, event: events.Key) -> None:
        for choice in self._choices:
            if event.key == choice.key:
                event.stop()
                self.dismiss(choice.value)
                return

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        number = int((event.button.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self._choices[number].value)

    def action_answer_none(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class TrustEditorDialog(ChoiceDialog[EditorTrust]):
    """Asked before `E` runs an editor command that only the journal's mljournal.toml names.

    A journal cloned from someone else's repository could name any command there, so it never runs
    silently: ``"once"``, ``"always"`` (remembered for this journal and this exact command), ``"mine"`` (the
    user's own editor instead) or None (cancel).
    """

    def __init__(self, command: str) -> None:
        shown = terminal_safe(command, single_line=True)
        if len(shown) > 300:
            shown = shown[:299] + "…"
        super().__init__(
            "Run the editor this journal asks for?",
            "This journal's mljournal.toml asks to open entries with this command:\n\n"
            f"    {shown}\n\n"
            "A journal from someone else can name any command here. Run it only if you trust it.",
            [
                Choice("once", "o", "Run once"),
                Choice("always", "a", "Always, for this journal"),
                Choice("mine", "m", "Use my editor", variant="primary"),
                Choice(None, "c", "Cancel"),
            ],
            # Enter must not run a stranger's command: the focus starts on "Use my editor".
            focus=2,
        )


class UnsavedChangesDialog(ChoiceDialog[UnsavedAnswer]):
    """Asked when leaving the editor with unsaved changes: save, discard, or go back (None)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            "Unsaved changes",
            f"{one_line(name)} has changes that are not saved yet.",
            [
                Choice("save", "s", "Save", "primary"),
                Choice("discard", "d", "Discard", "error"),
                Choice(None, "b", "Go back"),
            ],
        )


class ConflictDialog(ChoiceDialog[ConflictAnswer]):
    """Asked when a save finds the file changed (or deleted) by another program since it was opened."""

    def __init__(self, relpath: str, *, deleted: bool = False) -> None:
        what = "deleted" if deleted else "changed"
        super().__init__(
            "The file changed on disk",
            f"{one_line(relpath)} was {what} by another program while you were editing it. "
            "Overwrite it with your text, keep both (yours is saved as a copy beside it), "
            "or reload theirs and drop your changes?",
            [
                Choice("overwrite", "o", "Overwrite", "error"),
                Choice("keep_both", "k", "Keep both", "primary"),
                Choice("reload", "r", "Reload theirs"),
                Choice(None, "c", "Cancel"),
            ],
        )
