"""Pure text helpers for the TUI: make untrusted entry text safe and readable before a widget sees it.

Nothing here imports Textual, so these functions are cheap to test exhaustively. Links are read with the
core's markdown-it parser; fences with a line scan (see `_fence_states`).
"""

from __future__ import annotations

import re

from mljournal.core.text.safe_text import terminal_safe

_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_SUMMARY_RE = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
# Only lines that *start* with an HTML block tag are rewritten: inline `<kbd>` inside prose is left to the
# Markdown widget, which shows it as text.
_HTML_BLOCK_START_RE = re.compile(
    r"^\s{0,3}</?(details|summary|div|p|br|hr|center|section|article|aside|figure|figcaption|table|thead|tbody|"
    r"tr|td|th|span|img|picture|source|video|audio|iframe|a|b|i|em|strong|sup|sub|font|small|blockquote|ul|ol|"
    r"li|h[1-6]|pre|code|nav|header|footer|main|style|script)\b",
    re.IGNORECASE,
)


def strip_controls(text: str, *, keep_newlines: bool = True) -> str:
    """Make untrusted entry text safe to draw: every control character shows as a visible placeholder.

    The app's side of the one filter (`terminal_safe` with Control Pictures): `ESC]0;…BEL` reads
    `␛]0;…␇`, so an escape sequence in a body, title or tag is seen for what it is and never reaches the
    terminal; C1 and bidi controls read `\\x9b` / `\\u202e`. Line ends are normalised and tabs become
    spaces (a raw tab would move the terminal's cursor). With `keep_newlines=False` line breaks collapse
    to single spaces (for one-line fields such as titles).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = terminal_safe(text, pictures=True)
    if not keep_newlines:
        text = " ".join(text.split())
    return text


def one_line(text: str, limit: int = 300) -> str:
    """A single clean line of at most `limit` characters, for list rows and card fields."""
    line = strip_controls(text, keep_newlines=False)
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def _fence_states(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside (or opens/closes) a fenced code block.

    A line scan, not markdown-it: `readable_html` and `cut_body` run on every entry the viewer prepares, up to
    the 60,000 characters the Markdown widget gets, and a full parse of a 20,000-word entry costs tens of
    milliseconds where this costs well under one. What they need is only "is this line in a fence".
    """
    states: list[bool] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE_RE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)[0] * len(match.group(1))
                states.append(True)
            else:
                states.append(False)
        else:
            states.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
    return states


def readable_html(body: str) -> str:
    """Rewrite HTML blocks into Markdown a terminal can show: `<summary>X</summary>` becomes a bold line,
    block tags are dropped, their text kept. Code blocks are never touched."""
    if "<" not in body:
        return body
    lines = body.split("\n")
    in_code = _fence_states(lines)
    out: list[str] = []
    for line, code in zip(lines, in_code, strict=True):
        if code or not _HTML_BLOCK_START_RE.match(line):
            out.append(line)
            continue
        line = _HTML_COMMENT_RE.sub("", line)
        line = _SUMMARY_RE.sub(lambda m: "\n**" + _plain_summary(m.group(1)) + "**\n", line)
        stripped = _HTML_TAG_RE.sub("", line)
        out.append(stripped.strip() if stripped.strip() else "")
    return "\n".join(out)


def _plain_summary(inner: str) -> str:
    text = _HTML_TAG_RE.sub("", inner)
    text = " ".join(text.split())
    return text.replace("*", r"\*") or "Details"


def cut_body(body: str, limit: int) -> tuple[str, bool]:
    """The beginning of `body`, at most about `limit` characters, cut on a paragraph boundary outside code.

    Returns the text and whether anything was cut. Falls back to a line boundary, then to a hard cut, so a
    single enormous line can't defeat the cap.
    """
    if len(body) <= limit:
        return body, False
    head = body[:limit]
    lines = head.split("\n")
    in_code = _fence_states(lines)
    # Walk back to the last blank line that is outside a code block.
    for index in range(len(lines) - 1, 0, -1):
        if not lines[index].strip() and not in_code[index]:
            return "\n".join(lines[:index]).rstrip() + "\n", True
    newline = head.rfind("\n")
    if newline > limit // 2:
        return head[:newline] + "\n", True
    return head, True


def human_size(size: int) -> str:
    """`12 KB`, `3.4 MB`: sizes for the truncation note."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def markdown_links(body: str) -> list[tuple[str, str]]:
    """The links a reader can follow in a Markdown body, as (text, href), in order, without repeated hrefs.

    Read by the core's markdown-it parser (the one `entries.links.read_links` uses), so inline, reference
    (`[text][ref]`) and autolinks (`<https://…>`) count, and nothing in code spans, code blocks or image
    syntax does. A wikilink that is still raw (the viewer rewrites those it resolves into Markdown links) is
    listed with its written form as the href, `[[target#heading]]`, which `EntryViewer.follow` resolves.
    `read_links` itself keeps only links that may point to an entry; the picker also offers web, `mailto:`
    and same-page links, so this walks the same tokens itself.
    """
    if "[" not in body and "<" not in body:
        return []
    # Imported on first use (the `f` key): markdown-it is not needed before the first screen is up.
    from mljournal.core.text.markdown.parser import parse
    from mljournal.core.text.markdown.wikilinks import WIKILINK

    found: list[tuple[str, str]] = []
    for block in parse(body):
        if block.type != "inline" or not block.children:
            continue
        href: str | None = None
        text: list[str] = []
        for token in block.children:
            if token.type == WIKILINK:
                meta = token.meta
                heading = f"#{meta['heading']}" if meta["heading"] else ""
                found.append((str(meta["label"]), f"[[{meta['target']}{heading}]]"))
            elif token.type == "link_open":
                href = str(token.attrs.get("href", ""))
                text = []
            elif token.type == "link_close" and href is not None:
                found.append((" ".join("".join(text).split()), href))
                href = None
            elif href is not None:
                text.append(token.content if token.type != "softbreak" else " ")
    seen: set[str] = set()
    links: list[tuple[str, str]] = []
    for label, target in found:
        if target not in seen:
            seen.add(target)
            links.append((label or target, target))
    return links


def readable_date(iso: str) -> str:
    """An index date for people: `2024-02-03`, or `2024-02-03 09:30 +01:00` when it has a time."""
    day, sep, time = iso.partition("T")
    if not sep:
        return iso
    clock = time[:5]
    zone = time[8:].lstrip("0123456789.")  # drop seconds and fractions, keep the offset
    if zone in ("Z", "+00:00"):
        zone = "UTC"
    return f"{day} {clock}" + (f" {zone}" if zone else "")
