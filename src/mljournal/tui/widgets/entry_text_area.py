"""The editor's text area: the entry's exact text for editing, drawn without letting its controls out.

Textual's `TextArea` hands each line to the terminal as it is, so an `ESC]0;…BEL` in a body retitled the
terminal as soon as the editor opened. The document keeps every character (saving writes them back byte
for byte); only the line handed to the renderer goes through the one filter, `terminal_safe`.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import TextArea

from mljournal.core.text.safe_text import terminal_safe


class EntryTextArea(TextArea):
    """A `TextArea` that draws control characters as placeholders (`␛`, `␇`, `\\x9b`) and keeps them.

    C0 controls and DEL become one Control Pictures character each, so the cursor, the selection and the
    highlighting (all placed by character offset) stay on the right characters. The layout still counts a
    control as taking no cell, so a line holding one may wrap a cell late; C1 and bidi controls, shown as
    four- or six-character escapes, also shift the styling after them on their line. Rare lines, drawn a
    little off, rather than a terminal taking orders from an entry.

    It also has the document-wide moves every other editor has:

    | Key | Action |
    | --- | --- |
    | `ctrl+home` / `ctrl+end` | Go to the start / end of the file (with `shift`: select to there). |
    """

    BINDINGS = [
        Binding("ctrl+home", "cursor_document_start", "Start of file", show=False, id="editor.top"),
        Binding("ctrl+end", "cursor_document_end", "End of file", show=False, id="editor.bottom"),
        Binding(
            "ctrl+shift+home",
            "cursor_document_start(True)",
            "Select to start of file",
            show=False,
            id="editor.select_top",
        ),
        Binding(
            "ctrl+shift+end",
            "cursor_document_end(True)",
            "Select to end of file",
            show=False,
            id="editor.select_bottom",
        ),
    ]

    def action_cursor_document_start(self, select: bool = False) -> None:
        """Move the cursor to the start of the file."""
        self.move_cursor((0, 0), select=select)

    def action_cursor_document_end(self, select: bool = False) -> None:
        """Move the cursor to the end of the file."""
        self.move_cursor(self.document.end, select=select)

    def get_line(self, line_index: int) -> Text:
        # From the document, not `super().get_line`: rich's `Text` silently drops BEL, backspace and a few
        # more, which would then not be shown at all.
        line = self.document.get_line(line_index)
        return Text(terminal_safe(line, pictures=True), end="", no_wrap=True)
