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
ENTRY_SUFFIXES = (".md", ".markdown")


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
        candidate = (self.root / relpath).resolve()
        root = self.root.resolve()
        if candidate != root and root not in candidate.parents:
            raise JournalError(f"{relpath!r} is outside the journal")
        return self.root / relpath

    def is_writable(self) -> bool:
        return os.access(self.entries_dir if self.entries_dir.exists() else self.root, os.W_OK)
