"""What a hand edit of a whole entry file would lose, checked before the built-in editor writes it.

The editor shows the file with its front-matter, so one keystroke in the wrong place (text typed above the
opening `---`, a deleted fence, a broken quote) silently turns the title, tags and topics into body text. The
file would still save and read; only the entry's fields would be gone. `front_matter_losses` names what an
edit loses so the editor can ask first:

```python
from mljournal.core.entries.edit_risks import front_matter_losses

losses = front_matter_losses(old_bytes, new_bytes)
if losses:  # ask "save anyway / go back", showing the sentences
    ...
```
"""

from __future__ import annotations

from mljournal.core.entries.read import entry_from_document
from mljournal.core.frontmatter import Document, parse_document

_PARSE_FAILURES = frozenset(
    {
        "yaml-error",
        "toml-error",
        "json-error",
        "too-deep",
        "front-matter-not-mapping",
        "unsupported-front-matter",
        "unclosed-front-matter",
        "misplaced-front-matter",
    }
)
"""Problem codes that mean the front-matter, or some of it, was not read."""


def front_matter_losses(before: bytes, after: bytes) -> list[str]:
    """Sentences saying what `after` loses compared with `before`; [] when the edit loses nothing.

    Counted as lost: front-matter that no longer parses (or is no longer at the top of the file), and a
    title, tags or topics that `before` had and `after` no longer has. Changing or removing some of the tags
    is an ordinary edit and is not reported; emptying them is.
    """
    old = parse_document(before)
    new = parse_document(after)
    losses: list[str] = []
    old_failures = {problem.code for problem in old.problems if problem.code in _PARSE_FAILURES}
    new_failures = [problem for problem in new.problems if problem.code in _PARSE_FAILURES]
    fresh = [problem for problem in new_failures if problem.code not in old_failures]
    if fresh:
        losses.append(f"The front-matter would not be read: {fresh[0].message}")
    elif old.front_matter_format is not None and new.front_matter_format is None and not new_failures:
        losses.append(
            "The file would no longer start with its front-matter, so its fields would not be read."
        )
    missing = _missing_fields(old, new)
    if missing:
        losses.append(f"The entry would lose its {_join(missing)}.")
    return losses


def _missing_fields(old: Document, new: Document) -> list[str]:
    old_entry = entry_from_document("entry.md", old, None)
    new_entry = entry_from_document("entry.md", new, None)
    missing: list[str] = []
    if _has_title(old) and not _has_title(new):
        missing.append(f"title ({old_entry.title})")
    if old_entry.tags and not new_entry.tags:
        missing.append(f"tags ({', '.join(old_entry.tags)})")
    if old_entry.topics and not new_entry.topics:
        missing.append(f"topics ({', '.join(old_entry.topics)})")
    return missing


def _has_title(document: Document) -> bool:
    return any(
        key.lower() == "title" and value is not None and str(value).strip()
        for key, value in document.metadata.items()
        if isinstance(key, str)
    )


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
