"""Creating a journal: the folders, the default roadmap, the entry templates and, for a first run, a welcome entry."""

from __future__ import annotations

from pathlib import Path

from mljournal.core.entries.templates import TEMPLATES_DIR, install_templates
from mljournal.core.journal import Journal, ensure_state_dir

WELCOME_TITLE = "Welcome to mljournal"
WELCOME_BODY = """\
This is your learning journal. Every entry is a plain Markdown file in `entries/`, so your notes stay yours:
readable in any editor, diffable in git, and publishable with Hugo, Jekyll or Astro.

## Getting around

- `n` writes a new entry, `e` edits the selected one, `t` changes its tags, `o` links it to roadmap topics.
- `/` searches: words, `"a phrase"`, `tag:numpy`, `topic:linear-algebra`, `after:2024-01-01`.
- On a roadmap topic, `space` moves it through todo, learning, done and skipped.
- `?` lists every key.

## Your roadmap

`roadmap.yaml` holds a machine-learning roadmap to start from. Change it in the app or by hand: comments and
ordering you write there are kept.
"""


def init_journal(root: Path, *, template: str = "ml", welcome: bool = False) -> list[str]:
    """Make `root` a journal; create only what is missing. Returns the names of what was created."""
    from mljournal.core.roadmap.templates import default_roadmap_text

    journal = Journal(Path(root))
    created: list[str] = []
    if not journal.entries_dir.is_dir():
        journal.entries_dir.mkdir(parents=True, exist_ok=True)
        created.append("entries/")
    if not journal.roadmap_path.exists():
        from mljournal.core.atomic import atomic_write_bytes

        atomic_write_bytes(journal.roadmap_path, default_roadmap_text(template).encode("utf-8"))
        created.append("roadmap.yaml")
    if not (journal.root / TEMPLATES_DIR).exists():
        install_templates(journal)
        created.append(f"{TEMPLATES_DIR}/")
    if not journal.state_dir.is_dir():
        created.append(".mljournal/")
    ensure_state_dir(journal)
    if welcome and not any(journal.entries_dir.iterdir()):
        from mljournal.core.entries.new import create_entry

        created.append(
            create_entry(
                journal, title=WELCOME_TITLE, body=WELCOME_BODY, tags=["mljournal", "getting-started"]
            )
        )
    return created
