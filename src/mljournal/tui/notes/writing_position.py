"""Where the built-in editor puts the cursor when it opens: typing must land in the body, never in the
front-matter (above its opening fence it would turn the front-matter into body text)."""

from __future__ import annotations

from mljournal.core.frontmatter.read import parse_document


def body_start(text: str) -> tuple[int, int]:
    """Where the body starts in the editor's text: the line after the closing front-matter fence (YAML,
    TOML or JSON), else the top of the file. Parses the text, so call it from a thread worker."""
    document = parse_document(text.encode("utf-8"))
    # `text` decoded without a BOM, like the document's text, so their offsets agree.
    head = text[: len(text) - len(document.body)]
    if not head:
        return (0, 0)
    lines = head.splitlines()  # TextArea splits lines the same way
    if head.endswith(("\n", "\r")):
        return (len(lines), 0)
    return (len(lines) - 1, len(lines[-1]))


def first_writing_position(text: str) -> tuple[int, int]:
    """Where typing should start in a new entry: the line under the template's first heading, else the end."""
    lines = text.split("\n")
    for row, line in enumerate(lines):
        if line.startswith("#") and row + 1 < len(lines):
            return (row + 1, 0)
    return (len(lines) - 1, len(lines[-1]))
