"""Tags an edit can't write back as they were are refused, with the file left byte for byte.

`tags: {topic: ml, level: beginner}` used to become the strings "{'topic': 'ml'" and "'level': 'beginner'}";
nested lists became Python reprs, `null` items vanished and a `!!python/name:` value was replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from reliability_helpers import write_files
from textual.app import App

from mljournal.cli import main
from mljournal.core.entries.store import StoreError
from mljournal.core.entries.tagging import update_tags
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.tui.notes.tags import TagEditor

UNEDITABLE = {
    "mapping": "{topic: ml, level: beginner}",
    "nested-list": "[ml, [a, b]]",
    "null-item": "[ml, null]",
    "python-tag": "!!python/name:os.system",
    "number": "[ml, 2024]",
    "list-of-maps": "[{name: ml}]",
}
EDITABLE = {"flow-list": "[ml, x]", "words": "ml, y", "empty": "", "null": "null"}


def file_text(tags: str) -> str:
    return f"---\ntitle: Shapes\ndate: 2024-03-01\ntags: {tags}\nextra: kept\n---\n\nThe body.\n"


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    files: dict[str, str | bytes] = {
        f"entries/{name}.md": file_text(tags) for name, tags in {**UNEDITABLE, **EDITABLE}.items()
    }
    return write_files(tmp_path / "journal", files)


@pytest.mark.parametrize("name", sorted(UNEDITABLE))
def test_tag_refuses_and_leaves_the_file_byte_for_byte(journal: Journal, name: str, clean_env: None) -> None:
    path = journal.root / f"entries/{name}.md"
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["--journal", str(journal.root), "tag", f"entries/{name}.md", "+new"])
    assert result.exit_code == 1
    message = result.output.strip()
    assert message.startswith("Error: ") and "tags not changed" in message and "\n" not in message
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    with pytest.raises(StoreError):
        update_tags(journal, f"entries/{name}.md", ["new"], ["ml"])
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", sorted(EDITABLE))
def test_plain_tags_are_still_edited(journal: Journal, name: str) -> None:
    assert "new" in update_tags(journal, f"entries/{name}.md", ["new"], [])


def test_check_names_the_tags_it_will_not_edit(journal: Journal, clean_env: None) -> None:
    result = CliRunner().invoke(main, ["--journal", str(journal.root), "check"])
    lines = [line for line in result.output.splitlines() if "tag edits leave them alone" in line]
    assert sorted(line.split(":")[0] for line in lines) == sorted(f"entries/{n}.md" for n in UNEDITABLE)
    assert any("a mapping" in line and "mapping.md" in line for line in lines)
    assert any("!!python/name:os.system" in line for line in lines)


class EditorApp(App[None]):
    def __init__(self, journal: Journal, relpath: str) -> None:
        super().__init__()
        self.journal = journal
        self.relpath = relpath
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(TagEditor(self.journal, self.relpath, existing_tags=[]), self.results.append)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_tag_editor_refuses_and_says_why(journal: Journal, anyio_backend: str) -> None:
    path = journal.root / "entries/mapping.md"
    before = path.read_bytes()
    with Index(journal) as index:
        index.sync()
    app = EditorApp(journal, "entries/mapping.md")
    async with app.run_test(size=(100, 30)) as pilot:
        # Not workers.wait_for_complete(): the editor closes itself from its reading worker, which the
        # screen's removal may then cancel, and waiting on a cancelled worker raises (seen under load).
        for _ in range(200):
            await pilot.pause(0.01)
            if app.results:
                break
        assert app.results == [None]  # closed without editing
        said = [str(n.message) for n in app._notifications]
        assert any("tags not changed" in message and "a mapping" in message for message in said), said
    assert path.read_bytes() == before
