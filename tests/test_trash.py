"""Deleting is undoable: the trash listing, `mljournal trash` and `mljournal restore`; and new entries'
empty template headings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from journal_factory import make_journal

from mljournal.cli import main
from mljournal.core.entries.new import drop_empty_template_headings, entry_template, render_entry
from mljournal.core.entries.trash import find_trashed, trash_entry, trashed_entries
from mljournal.core.index import Index
from mljournal.core.journal import Journal


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 5, 1, hour, minute, 0).astimezone()


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    files = {"entries/a.md": "---\ntitle: A\n---\nalpha\n", "entries/sub/b.md": "---\ntitle: B\n---\nbeta\n"}
    return make_journal(tmp_path / "journal", files, template="blank", index=True)


def run(journal: Journal, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-j", str(journal.root), *args])
    return result.exit_code, result.stdout, result.stderr


def indexed(journal: Journal, relpath: str) -> bool:
    with Index(journal) as index:
        return index.entry_row(relpath) is not None


def test_trashed_entries_lists_when_and_where_newest_first(journal: Journal) -> None:
    assert trashed_entries(journal) == []
    first = trash_entry(journal, "entries/a.md", clock=lambda: at(9))
    second = trash_entry(journal, "entries/sub/b.md", clock=lambda: at(10))
    items = trashed_entries(journal)
    assert [item.original_path for item in items] == ["entries/sub/b.md", "entries/a.md"]
    assert [item.trash_path for item in items] == [second, first]
    assert items[0].id == "20240501-100000"
    assert items[0].deleted_at == datetime(2024, 5, 1, 10, 0, 0)
    # The id, the original path and the trash path all find the same file.
    assert find_trashed(journal, "20240501-090000") == [items[1]]
    assert find_trashed(journal, "entries/a.md") == [items[1]]
    assert find_trashed(journal, first) == [items[1]]
    assert find_trashed(journal) == [items[0]]
    assert find_trashed(journal, "entries/none.md") == []


def test_cli_trash_lists_and_restore_puts_back(journal: Journal) -> None:
    code, out, err = run(journal, "trash")
    assert (code, out) == (0, "")
    assert "empty" in err
    trash_entry(journal, "entries/a.md", clock=lambda: at(9, 5))
    code, out, _err = run(journal, "trash")
    assert code == 0
    assert out == "2024-05-01 09:05:00  entries/a.md  (id 20240501-090500)\n"
    code, out, _err = run(journal, "trash", "--json")
    assert json.loads(out) == [
        {
            "id": "20240501-090500",
            "deleted": "2024-05-01 09:05:00",
            "path": "entries/a.md",
            "trash_path": ".mljournal/trash/20240501-090500/entries/a.md",
        }
    ]
    code, out, _err = run(journal, "restore", "20240501-090500")
    assert (code, out) == (0, "Restored entries/a.md.\n")
    assert (journal.entries_dir / "a.md").read_text(encoding="utf-8") == "---\ntitle: A\n---\nalpha\n"
    assert indexed(journal, "entries/a.md")
    assert trashed_entries(journal) == []


def test_cli_restore_never_overwrites_and_says_where_it_put_the_entry(journal: Journal) -> None:
    trash_entry(journal, "entries/sub/b.md", clock=lambda: at(9))
    taken = journal.entries_dir / "sub" / "b.md"
    taken.write_text("a new file with the old name\n", encoding="utf-8")
    code, out, _err = run(journal, "restore", "entries/sub/b.md")
    assert code == 0
    assert (
        out == "entries/sub/b.md exists, so the entry was restored beside it as entries/sub/b-restored.md.\n"
    )
    assert taken.read_text(encoding="utf-8") == "a new file with the old name\n"
    assert (journal.entries_dir / "sub" / "b-restored.md").read_text(encoding="utf-8").endswith("beta\n")
    assert indexed(journal, "entries/sub/b-restored.md")


def test_cli_restore_without_an_argument_takes_the_newest_and_refuses_clearly(journal: Journal) -> None:
    code, _out, err = run(journal, "restore")
    assert code == 1
    assert "The trash is empty" in err and "Traceback" not in err
    trash_entry(journal, "entries/a.md", clock=lambda: at(9))
    trash_entry(journal, "entries/sub/b.md", clock=lambda: at(10))
    code, out, _err = run(journal, "restore")
    assert (code, out) == (0, "Restored entries/sub/b.md.\n")
    code, _out, err = run(journal, "restore", "entries/nothing.md")
    assert code == 1
    assert "Nothing in the trash matches 'entries/nothing.md'" in err


TEMPLATE_ENTRY = render_entry(title="T", body=entry_template("T"), date=at(9))[0].decode()


def test_drop_empty_template_headings_keeps_what_was_written() -> None:
    head = TEMPLATE_ENTRY.split("\n## What I worked on")[0]
    assert drop_empty_template_headings(TEMPLATE_ENTRY) == head.rstrip("\n") + "\n"
    written = TEMPLATE_ENTRY.replace("## What I learned\n\n", "## What I learned\n\nSoftmax is smooth.\n")
    assert drop_empty_template_headings(written) == head + "\n## What I learned\n\nSoftmax is smooth.\n"
    # A subheading counts as content; the user's own empty headings stay.
    nested = TEMPLATE_ENTRY.replace("## Next\n", "## Next\n### Read the paper\n").replace(
        "## Still unclear\n", "## Still unclear\n## My own heading\n"
    )
    tidied = drop_empty_template_headings(nested)
    assert "## Next\n### Read the paper\n" in tidied
    assert "## My own heading" in tidied
    assert "## Still unclear" not in tidied
    # Nothing to drop: the text is returned untouched, byte for byte.
    plain = "---\ntitle: X\n---\n\nWords.\n\n\n"
    assert drop_empty_template_headings(plain) == plain
