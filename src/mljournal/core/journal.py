"""The journal folder: where it is, what lives in it, and creating one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENTRIES_DIR = "entries"
ROADMAP_FILE = "roadmap.yaml"
CONFIG_FILE = "mljournal.toml"
STATE_DIR = ".mljournal"
ENV_VAR = "MLJOURNAL_DIR"
# .mdx is Markdown with components (Astro, Docusaurus); its text reads fine as Markdown.
ENTRY_SUFFIXES = (".md", ".markdown", ".mdx")


class JournalError(Exception):
    """A journal problem to show the user as one line."""


@dataclass(frozen=True, slots=True)
class Journal:
    """A journal rooted at `root`: `entries/`, `roadmap.yaml`, optional `mljournal.toml`, `.mljournal/`."""

    root: Path

    @property
    def name(self) -> str:
        return self.root.name or str(self.root)

    @property
    def entries_dir(self) -> Path:
        return self.root / ENTRIES_DIR

    @property
    def roadmap_path(self) -> Path:
        return self.root / ROADMAP_FILE

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def index_path(self) -> Path:
        return self.state_dir / "index.sqlite"

    @property
    def trash_dir(self) -> Path:
        return self.state_dir / "trash"

    def relpath(self, path: Path) -> str:
        """`path` relative to the root, `/`-separated, as stored in the index."""
        return Path(os.path.relpath(path, self.root)).as_posix()

    def abspath(self, relpath: str) -> Path:
        """The absolute path of an index path; refuses anything that would leave the journal."""
        try:
            candidate = (self.root / relpath).resolve()
            root = self.root.resolve()
        except RuntimeError:
            # Python 3.11 raises RuntimeError (not OSError) for a symlink loop.
            raise JournalError(f"{relpath!r} is a symbolic link that loops") from None
        if candidate != root and root not in candidate.parents:
            raise JournalError(f"{relpath!r} is outside the journal")
        return self.root / relpath

    def is_writable(self) -> bool:
        return os.access(self.entries_dir if self.entries_dir.exists() else self.root, os.W_OK)


def find_journal_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds an `entries/` folder."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ENTRIES_DIR).is_dir():
            return candidate
    return None


def default_journal_root() -> Path:
    """The per-user journal folder (platformdirs), used when no other journal is found."""
    import platformdirs

    return Path(platformdirs.user_data_dir("mljournal", appauthor=False)) / "journal"


def resolve_journal(explicit: Path | None = None, *, cwd: Path | None = None) -> tuple[Journal, bool]:
    """Which journal to use: `--journal` > `$MLJOURNAL_DIR` > the nearest `entries/` above cwd > the user folder.

    Returns the journal and whether it is the per-user default (created on first use by the caller).
    """
    # Absolute, so that `-j .` is shown by its folder's name and paths stay right if the cwd changes.
    if explicit is not None:
        return Journal(Path(explicit).expanduser().absolute()), False
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Journal(Path(from_env).expanduser().absolute()), False
    found = find_journal_root(cwd or Path.cwd())
    if found is not None:
        return Journal(found), False
    return Journal(default_journal_root()), True


def ensure_state_dir(journal: Journal) -> None:
    """Create `.mljournal/` with a .gitignore, so the cache never ends up in someone's repository."""
    journal.state_dir.mkdir(parents=True, exist_ok=True)
    ignore = journal.state_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# mljournal's cache: safe to delete, rebuilt from entries/.\n*\n", encoding="utf-8"
        )
