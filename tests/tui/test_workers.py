"""The watcher's filter: which changed paths are entries, and when roadmap.yaml changed."""

from __future__ import annotations

from pathlib import Path

from mljournal.core.journal import Journal
from mljournal.tui.workers import changed_entries


def test_changed_entries_keeps_entry_files_and_spots_the_roadmap(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    changed = [
        tmp_path / "entries" / "2024" / "a.md",
        tmp_path / "entries" / "B.MARKDOWN",
        tmp_path / "entries" / ".a.md.swp",
        tmp_path / "entries" / ".hidden" / "c.md",
        tmp_path / "entries" / ".mljournal-tmp-123.tmp",
        tmp_path / "entries" / "notes.txt",
        tmp_path / ".mljournal" / "index.sqlite",
        tmp_path.parent / "elsewhere.md",
        tmp_path / "roadmap.yaml",
    ]
    assert changed_entries(journal, changed) == ({"entries/2024/a.md", "entries/B.MARKDOWN"}, True)
    assert changed_entries(journal, [tmp_path / "entries" / "x.md"]) == ({"entries/x.md"}, False)
