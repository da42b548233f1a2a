"""Bytes to text and back: UTF-8 (with or without BOM), UTF-16 (sniffed when it has no BOM), cp1252 fallback.

Reading keeps the exact codec, so an edit is written back in the encoding the file came in.
"""

from __future__ import annotations

import codecs

from mljournal.core.model import Problem


def decode(raw: bytes) -> tuple[str, str, str, list[Problem]]:
    """Return (text, encoding reported, exact codec for writing back, problems)."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig", "utf-8-sig", []
        except UnicodeDecodeError as error:
            text, codec, problem = _fallback(raw[3:], error, offset_base=3)
            return text, codec, "bom+" + codec, [problem]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if raw.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        try:
            return raw[2:].decode(codec), "utf-16", "bom+" + codec, []
        except UnicodeDecodeError as error:
            text = raw[2:].decode(codec, errors="replace")
            message = f"The UTF-16 text has a broken character at byte offset {error.start + 2}."
            return text, "utf-16", "bom+" + codec, [Problem("non-utf8", message)]
    if b"\x00" in raw[:200]:
        # NUL bytes are valid UTF-8, so UTF-16 without a BOM would otherwise decode as NUL-riddled text.
        sniffed = _sniff_utf16(raw)
        if sniffed is not None:
            try:
                return raw.decode(sniffed), sniffed, sniffed, []
            except UnicodeDecodeError:
                pass
    try:
        return raw.decode("utf-8"), "utf-8", "utf-8", []
    except UnicodeDecodeError as error:
        text, codec, problem = _fallback(raw, error, offset_base=0)
        return text, codec, codec, [problem]


def _sniff_utf16(raw: bytes) -> str | None:
    # UTF-16 without a BOM shows up as ASCII interleaved with NULs; only guess when that pattern is clear.
    sample = raw[:200]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if even_nul >= half * 0.8 and odd_nul == 0:
        return "utf-16-be"
    if odd_nul >= half * 0.8 and even_nul == 0:
        return "utf-16-le"
    return None


def _fallback(raw: bytes, error: UnicodeDecodeError, offset_base: int) -> tuple[str, str, Problem]:
    bad = raw[error.start : error.end]
    where = f"byte 0x{bad[0]:02x} at offset {error.start + offset_base}" if bad else "the end"
    try:
        text, codec = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so this cannot fail.
        text, codec = raw.decode("latin-1"), "latin-1"
    message = f"The file is not valid UTF-8 ({where}); it was read as {codec}."
    return text, codec, Problem("non-utf8", message)


def encode(text: str, codec: str) -> bytes:
    """`text` in the exact codec `decode` reported (``bom+`` codecs get their byte-order mark back)."""
    if codec.startswith("bom+"):
        inner = codec[4:]
        bom = {
            "utf-16-le": codecs.BOM_UTF16_LE,
            "utf-16-be": codecs.BOM_UTF16_BE,
        }.get(inner, codecs.BOM_UTF8)
        return bom + text.encode(inner)
    return text.encode(codec)


def detect_newline(text: str) -> str:
    """The file's first line ending: the one new lines are written with."""
    index = text.find("\n")
    if index < 0:
        return "\r" if "\r" in text else "\n"
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    cr = text.find("\r", 0, index)
    return "\r" if cr >= 0 else "\n"
