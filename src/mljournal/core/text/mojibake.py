"""Spot and undo mojibake: UTF-8 text that was once decoded as Windows-1252 or Latin-1 (``Ã¼`` for ``ü``).

Only byte patterns that are valid UTF-8 *and* decode to a printable character are touched, so ordinary
accented text (``café``, ``Ärger``) is never "repaired".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["find_mojibake", "repair_mojibake"]


def _cp1252_byte_map() -> dict[str, int]:
    """Character -> byte for what a cp1252 (or, for its five holes, latin-1) reader makes of each byte."""
    mapping: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            char = chr(byte)  # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; latin-1 maps them
        mapping[char] = byte
        mapping.setdefault(chr(byte), byte)  # latin-1's reading of 0x80-0x9F (C1 controls)
    return mapping


_BYTE_OF = _cp1252_byte_map()
_CONTINUATION = "".join(re.escape(char) for char, byte in _BYTE_OF.items() if 0x80 <= byte <= 0xBF)
_LEAD2 = "".join(re.escape(char) for char, byte in _BYTE_OF.items() if 0xC2 <= byte <= 0xDF)
_LEAD3 = "".join(re.escape(char) for char, byte in _BYTE_OF.items() if 0xE0 <= byte <= 0xEF)
_LEAD4 = "".join(re.escape(char) for char, byte in _BYTE_OF.items() if 0xF0 <= byte <= 0xF4)
_SEQUENCE_RE = re.compile(
    f"(?:[{_LEAD2}][{_CONTINUATION}]|[{_LEAD3}][{_CONTINUATION}]{{2}}|[{_LEAD4}][{_CONTINUATION}]{{3}})+"
)
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs"})
_MAX_ROUNDS = 3  # text can be mis-decoded more than once (Ã\x83Â¼); a few rounds undo the usual cases


def _fix(run: str) -> str | None:
    """The UTF-8 reading of a run of mis-decoded characters, or None when it isn't convincing."""
    try:
        fixed = bytes(_BYTE_OF[char] for char in run).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None
    if any(unicodedata.category(char) in _BAD_CATEGORIES for char in fixed):
        return None
    return fixed


def _repair_once(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        fixed = _fix(match[0])
        return match[0] if fixed is None else fixed

    return _SEQUENCE_RE.sub(replace, text)


def repair_mojibake(text: str) -> str:
    """`text` with every convincing mojibake sequence decoded back to what was meant."""
    for _ in range(_MAX_ROUNDS):
        repaired = _repair_once(text)
        if repaired == text:
            break
        text = repaired
    return text


def find_mojibake(text: str) -> list[tuple[str, str]]:
    """(bad, repaired) pairs for each distinct word that looks like mis-decoded UTF-8, in order of appearance.

    A "word" is the run of non-space characters around the bad bytes, so the pair reads naturally in a
    message (``beschÃ¼tzt`` → ``beschützt``).
    """
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for match in _SEQUENCE_RE.finditer(text):
        if _fix(match[0]) is None:
            continue
        start, end = match.start(), match.end()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        word = text[start:end]
        if word in seen:
            continue
        seen.add(word)
        pairs.append((word, repair_mojibake(word)))
    return pairs
