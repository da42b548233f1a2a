"""The editor's text area: the entry's exact text for editing, drawn without letting its controls out.

Textual's `TextArea` hands each line to the terminal as it is, so an `ESC]0;…BEL` in a body retitled the
terminal as soon as the editor opened. The document keeps every character (saving writes them back byte
for byte); only the line handed to the renderer goes through the one filter, `terminal_safe`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from mljournal.core.safe_text import terminal_safe


class EntryTextArea(TextArea):
    """A `TextArea` that draws control characters as placeholders (`␛`, `␇`, `\\x9b`) and keeps them.

    C0 controls and DEL become one Control Pictures character each, so the cursor, the selection and the
    highlighting (all placed by character offset) stay on the right characters. The layout still counts a
    control as taking no cell, so a line holding one may wrap a cell late; C1 and bidi controls, shown as
    four- or six-character escapes, also shift the styling after them on their line. Rare lines, drawn a
    little off, rather than a terminal taking orders from an entry.
    """

    def get_line(self, line_index: int) -> Text:
        # From the document, not `super().get_line`: rich's `Text` silently drops BEL, backspace and a few
        # more, which would then not be shown at all.
        line = self.document.get_line(line_index)
        return Text(terminal_safe(line, pictures=True), end="", no_wrap=True)
