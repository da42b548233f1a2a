"""Make untrusted text (titles, tags, bodies) safe to print to a terminal.

Entries come from anywhere: a title may carry ANSI or OSC escape sequences (which can retitle the terminal or
worse), bidi overrides (which reorder what the reader sees) or NUL bytes. Output never passes them through.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 block (0x80-0x9f, which some terminals honour as CSI/OSC).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embedding, override and isolate controls (Trojan Source), plus the line/paragraph separators.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")
_ANSI_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def _picture(match: re.Match[str]) -> str:
    """A C0 control as its Control Pictures glyph (ESC as ␛, NUL as ␀), DEL as ␡; others as `\\x9b`/`\\u202e`."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return _visible(match)


def terminal_safe(text: str, *, single_line: bool = False, pictures: bool = False) -> str:
    """`text` with every control character, escape sequence and bidi control shown as a visible escape.

    Whole ANSI/OSC sequences are shown by their first byte escaped, so `\\x1b[31m` prints as `\\x1b[31m`
    literally and nothing reaches the terminal as a command. With `single_line`, newlines and tabs become
    spaces (for list rows and titles). With `pictures` (the full-screen app), C0 controls show as one-cell
    glyphs from Unicode's Control Pictures block (`\\x1b[2J` reads `␛[2J`) and DEL as `␡`; C1 and bidi
    controls, which have no glyph, keep the `\\x9b` / `\\u202e` form. This is the one filter every piece of
    untrusted text passes on its way to a terminal, from the CLI and from the app.
    """
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    text = _CONTROL.sub(_picture if pictures else _visible, text)
    return _BIDI.sub(_visible, text)


def strip_escape_sequences(text: str) -> str:
    """Remove ANSI/OSC escape sequences entirely (for display where the escaped form would be noise)."""
    return _ANSI_SEQUENCE.sub("", text)


def json_safe(dumped: str) -> str:
    """Escape C1 and bidi controls in already-dumped JSON (`json.dumps` leaves them raw with ensure_ascii off)."""
    return _BIDI.sub(
        lambda m: f"\\u{ord(m.group()):04x}",
        re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", dumped),
    )
