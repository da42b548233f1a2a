"""Named entry templates: the Markdown files in the journal's `templates/` folder.

A template is a Markdown body with optional front-matter. Its `tags:` are added to the new entry's tags;
its body becomes the entry's body with these placeholders filled in:

    {{title}}   the entry's title
    {{date}}    its day, YYYY-MM-DD
    {{time}}    its time, HH:MM (empty for an entry dated by day only)
    {{topic}}   the titles of its roadmap topics, comma-separated

A placeholder with no value (no topic given, say) becomes empty text, never a leftover `{{topic}}`. Anything
else in braces (a Hugo shortcode, a Jinja tag) is left as it is. `mljournal init` writes the bundled
templates (daily, paper-notes, project-log); a user adds one by dropping a `.md` file in `templates/`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime
from importlib import resources

from mljournal.core.journal import Journal, JournalError

TEMPLATES_DIR = "templates"
TEMPLATE_SUFFIX = ".md"
BUNDLED_TEMPLATES = ("daily", "paper-notes", "project-log")
DAILY_TEMPLATE = "daily"
_MAX_TEMPLATE_BYTES = 256 * 1024
"""A template is a page of prompts; anything bigger is a mistake, not a template."""

_PLACEHOLDER = re.compile(r"\{\{\s*(title|date|time|topic)\s*\}\}")


class TemplateError(JournalError):
    """A template that can't be used (unknown name, unreadable file); the message says which exist."""


@dataclass(frozen=True, slots=True)
class EntryTemplate:
    """A template as read: its name (the file's stem), the tags it adds and its body with placeholders."""

    name: str
    body: str
    tags: tuple[str, ...] = ()

    def fill(
        self, *, title: str, when: datetime | date_type | None = None, topics: Sequence[str] = ()
    ) -> str:
        """The body with the placeholders replaced (`topics` are the titles to show for {{topic}})."""
        return fill_placeholders(self.body, title=title, when=when, topics=topics)


def fill_placeholders(
    text: str, *, title: str, when: datetime | date_type | None = None, topics: Sequence[str] = ()
) -> str:
    """`text` with {{title}}, {{date}}, {{time}} and {{topic}} replaced; a missing value is empty text."""
    values = {
        "title": title.strip(),
        "date": when.isoformat()[:10] if when is not None else "",
        "time": when.strftime("%H:%M") if isinstance(when, datetime) else "",
        "topic": ", ".join(topic.strip() for topic in topics if topic.strip()),
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def bundled_template_text(name: str) -> str:
    """The text of one of `BUNDLED_TEMPLATES`, as shipped with mljournal."""
    return resources.files("mljournal.core").joinpath("templates", name + TEMPLATE_SUFFIX).read_text("utf-8")


def parse_template(name: str, raw: bytes) -> EntryTemplate:
    """A template from a file's bytes; TemplateError when it isn't readable text."""
    from mljournal.core.entries.tagging import current_tags
    from mljournal.core.frontmatter import parse_document

    if len(raw) > _MAX_TEMPLATE_BYTES:
        raise TemplateError(
            f"The template {name!r} is over {_MAX_TEMPLATE_BYTES // 1024} KB; is it a template?"
        )
    if b"\0" in raw:
        raise TemplateError(f"The template {name!r} is not a text file.")
    document = parse_document(raw)
    if document.problems:
        raise TemplateError(f"The template {name!r} can't be read: {document.problems[0].message}")
    body = document.body if document.front_matter_format else document.text
    # New entries are written with \n line ends; a template saved on Windows must not mix in \r\n.
    body = body.replace("\r\n", "\n").lstrip("\n")
    return EntryTemplate(name=name, body=body, tags=tuple(current_tags(raw)))


def template_names(journal: Journal) -> list[str]:
    """The names of the journal's templates (the `.md` files in `templates/`), sorted."""
    folder = journal.root / TEMPLATES_DIR
    try:
        paths = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:
        raise TemplateError(f"Could not list {TEMPLATES_DIR}/: {error.strerror or error}.") from error
    return sorted(
        (
            path.name[: -len(TEMPLATE_SUFFIX)]
            for path in paths
            if path.name.lower().endswith(TEMPLATE_SUFFIX)
            and not path.name.startswith(".")
            and path.is_file()
        ),
        key=str.casefold,
    )


def load_template(journal: Journal, name: str) -> EntryTemplate:
    """The journal's template called `name` (case-insensitive); TemplateError listing the names if none."""
    names = template_names(journal)
    match = next((candidate for candidate in names if candidate.casefold() == name.strip().casefold()), None)
    if match is None:
        listing = (
            f"Templates: {', '.join(names)}." if names else f"This journal has no {TEMPLATES_DIR}/ folder."
        )
        raise TemplateError(f"No template named {name!r}. {listing}")
    path = journal.root / TEMPLATES_DIR / (match + TEMPLATE_SUFFIX)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TemplateError(f"Could not read the template {match!r}: {error.strerror or error}.") from error
    return parse_template(match, raw)


def load_templates(journal: Journal) -> list[EntryTemplate]:
    """Every readable template of the journal (the new-entry form offers these); unreadable ones are left out."""
    templates: list[EntryTemplate] = []
    for name in template_names(journal):
        try:
            templates.append(load_template(journal, name))
        except TemplateError:
            continue
    return templates


def install_templates(journal: Journal) -> list[str]:
    """Write the bundled templates into `templates/`, never replacing a file; the relpaths written."""
    from mljournal.core.atomic import atomic_create_bytes

    folder = journal.root / TEMPLATES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for name in BUNDLED_TEMPLATES:
        try:
            atomic_create_bytes(
                folder / (name + TEMPLATE_SUFFIX), bundled_template_text(name).encode("utf-8")
            )
        except FileExistsError:
            continue
        written.append(f"{TEMPLATES_DIR}/{name}{TEMPLATE_SUFFIX}")
    return written
