"""Links in the index: every form resolved, kept right when the target side changes, shown and checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from journal_factory import make_journal

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal

LINKING = "entries/2024-03-01-linking.md"


def write(journal: Journal, relpath: str, text: str) -> None:
    path = journal.root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    files = {
        "entries/2024-01-08-plan.md": "---\ntitle: A plan for the year\n---\nThe plan.\n",
        "entries/2024-02-01-vectors.md": "---\ntitle: Vectors\n---\n## Norms\n",
        "entries/2024-02-10-pandas.md": "---\ntitle: Pandas basics\n---\nDataFrames.\n",
        "entries/deep/2024-04-02-backprop.md": "---\ntitle: Backprop\n---\nChain rule.\n",
        "entries/2024-05-05-eda.md": "---\ntitle: EDA\n---\nPlots.\n",
        "entries/2024-06-06-notes.md": "---\ntitle: Notes\n---\nMisc.\n",
    }
    return make_journal(tmp_path / "j", files)


def synced(journal: Journal) -> Index:
    index = Index(journal)
    index.sync()
    return index


def test_every_form_resolves_in_the_index(journal: Journal) -> None:
    write(
        journal,
        LINKING,
        "---\ntitle: Linking\n---\n"
        "By title [[a plan for THE year]], by stem [[2024-02-10-pandas]],\n"
        "with text [[Vectors|my vectors]], to a heading [[EDA#Plots]],\n"
        "by path [[deep/2024-04-02-backprop]], inline [notes](2024-06-06-notes.md)\n"
        "and by reference [the notes][n], [[Nobody]] and [gone](missing.md).\n\n"
        "[n]: 2024-06-06-notes\n",
    )
    with synced(journal) as index:
        found = index.links_from(LINKING)
        assert found.targets == [
            "entries/2024-01-08-plan.md",
            "entries/2024-02-10-pandas.md",
            "entries/2024-02-01-vectors.md",
            "entries/2024-05-05-eda.md",
            "entries/deep/2024-04-02-backprop.md",
            "entries/2024-06-06-notes.md",
        ]
        # Lines are the file's: three front-matter lines come first.
        assert [(link.target, link.line) for link in found.unresolved] == [("Nobody", 7), ("missing.md", 7)]
        for target in found.targets:
            assert index.backlinks(target) == [LINKING]


def test_renamed_target_unresolves_and_a_new_title_resolves(journal: Journal) -> None:
    write(journal, LINKING, "---\ntitle: Linking\n---\n[[Vectors]] and [[Matrices]]\n")
    with synced(journal) as index:
        assert index.links_from(LINKING).targets == ["entries/2024-02-01-vectors.md"]
        # The target's title changes; the linking entry is not touched, so only the target is re-read.
        write(journal, "entries/2024-02-01-vectors.md", "---\ntitle: Vector spaces\n---\n")
        index.refresh(["entries/2024-02-01-vectors.md"])
        assert index.links_from(LINKING).targets == []
        assert index.backlinks("entries/2024-02-01-vectors.md") == []
        assert [link.target for link in index.links_from(LINKING).unresolved] == ["Vectors", "Matrices"]
        # A new entry titled like the dangling link makes it resolve.
        write(journal, "entries/2024-07-01-m.md", "---\ntitle: matrices\n---\n")
        index.refresh(["entries/2024-07-01-m.md"])
        assert index.links_from(LINKING).targets == ["entries/2024-07-01-m.md"]
        assert index.backlinks("entries/2024-07-01-m.md") == [LINKING]
        # A file renamed on disk (found by a sync): the stem link follows the file it names.
        write(journal, "entries/x.md", "[[2024-05-05-eda]]\n")
        index.sync()
        assert index.links_from("entries/x.md").targets == ["entries/2024-05-05-eda.md"]
        (journal.root / "entries/2024-05-05-eda.md").rename(journal.root / "entries/eda-renamed.md")
        index.sync()
        assert index.links_from("entries/x.md").targets == []
        assert index.backlinks("entries/eda-renamed.md") == []


def test_deleted_target_leaves_a_broken_link_and_no_backlink(journal: Journal) -> None:
    write(journal, LINKING, "---\ntitle: Linking\n---\nSee [[Notes]].\n")
    with synced(journal) as index:
        assert index.backlinks("entries/2024-06-06-notes.md") == [LINKING]
        assert index.broken_links() == []
        (journal.root / "entries/2024-06-06-notes.md").unlink()
        index.refresh(["entries/2024-06-06-notes.md"])
        assert index.links_from(LINKING).targets == []
        assert [(path, link.target, link.line) for path, link in index.broken_links()] == [
            (LINKING, "Notes", 4)
        ]
        # The linking entry deleted: its links go with it.
        (journal.root / LINKING).unlink()
        index.sync()
        assert index.broken_links() == []


def test_links_survive_a_rebuild_and_edits_of_the_linking_entry(journal: Journal) -> None:
    write(journal, LINKING, "[[Notes]]\n")
    with synced(journal) as index:
        index.rebuild()
        assert index.backlinks("entries/2024-06-06-notes.md") == [LINKING]
        write(journal, LINKING, "[[EDA]] now\n")
        index.refresh([LINKING])
        assert index.backlinks("entries/2024-06-06-notes.md") == []
        assert index.backlinks("entries/2024-05-05-eda.md") == [LINKING]


def test_links_in_code_are_not_links(journal: Journal) -> None:
    write(journal, LINKING, "`[[Notes]]`\n\n```\n[[EDA]] [x](2024-06-06-notes.md)\n```\n")
    with synced(journal) as index:
        assert index.links_from(LINKING).targets == []
        assert index.broken_links() == []


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-j", str(root), *args])
    return result.exit_code, result.output


def test_show_json_has_links_and_backlinks(journal: Journal) -> None:
    write(journal, LINKING, "---\ntitle: Linking\n---\n[[Notes]] and [v](2024-02-01-vectors.md)\n")
    write(journal, "entries/other.md", "[[Linking]]\n")
    code, output = run(journal.root, "show", LINKING, "--json")
    assert code == 0, output
    shown = json.loads(output)
    assert shown["links"] == ["entries/2024-06-06-notes.md", "entries/2024-02-01-vectors.md"]
    assert shown["backlinks"] == ["entries/other.md"]
    assert shown["title"] == "Linking" and shown["path"] == LINKING
    code, output = run(journal.root, "show", "entries/2024-06-06-notes.md")
    assert code == 0
    assert f"Linked from: {LINKING}" in output and "Links to" not in output
    code, output = run(journal.root, "show", LINKING)
    assert "Links to:    entries/2024-06-06-notes.md, entries/2024-02-01-vectors.md" in output


def test_show_reads_an_entry_edited_in_place(journal: Journal) -> None:
    write(journal, LINKING, "nothing yet\n")
    assert json.loads(run(journal.root, "show", LINKING, "--json")[1])["links"] == []
    # Same folder, same size class of change: a quick sync would not notice; show re-reads the entry.
    write(journal, LINKING, "[[EDA]] now\n")
    assert json.loads(run(journal.root, "show", LINKING, "--json")[1])["links"] == [
        "entries/2024-05-05-eda.md"
    ]


def test_check_names_every_broken_link_with_its_text(journal: Journal) -> None:
    write(
        journal,
        LINKING,
        "---\ntitle: Linking\n---\n[[Notes]] fine\n\n[[Foo]] and [[Bar#Sec|the bar]]\n[x](gone.md) [pic](p.png)\n",
    )
    code, output = run(journal.root, "check")
    assert code == 1
    assert f"{LINKING}:6: Link [[Foo]] leads to no entry." in output
    assert f"{LINKING}:6: Link [[Bar#Sec|the bar]] leads to no entry." in output
    assert f"{LINKING}:7: Link [x](gone.md) leads to no entry." in output
    assert "p.png" not in output and "Notes" not in output


def test_the_resolver_over_an_entrys_few_candidates_agrees_with_the_full_one(journal: Journal) -> None:
    # Titles, stems and paths that overlap on purpose: a title equal to another entry's stem, two entries with
    # one title, an entry named like a path with a doubled suffix, a folder.
    write(journal, "entries/notes.md", "---\ntitle: Vectors\n---\n")
    write(journal, "entries/vectors.md", "---\ntitle: Other\n---\n")
    write(journal, "entries/x.md.md", "---\ntitle: Doubled\n---\n")
    write(journal, "entries/deep/eda.markdown", "---\ntitle: Deep EDA\n---\n")
    body = (
        "[[Vectors]] [[vectors]] [[notes]] [[other]] [[x.md]] [a](x.md) [b](deep/eda) [[deep/eda]]"
        " [[EDA]] [c](/entries/NOTES.md) [[2024-02-01-vectors]] [[Pandas basics#Top]] [d](../j.md)\n"
    )
    write(journal, LINKING, body)
    write(journal, "entries/deep/inner.md", "[[eda]] [up](../notes.md) [[deep/eda]] [x](eda.markdown)\n")
    write(journal, "entries/only.md", "Just [a](x.md).\n")
    with synced(journal) as index:
        full = index.link_resolver()
        for source in (LINKING, "entries/deep/inner.md", "entries/only.md"):
            found = index.links_from(source)
            everything = [
                (link, full.resolve(source, link))
                for _s, link in index._stored_links("e.path = ?", (source,))
            ]
            assert [(link, target) for link, target in found.resolved] == [
                (link, target) for link, target in everything if target is not None
            ]
        for path in [row[0] for row in index.conn.execute("SELECT path FROM entries")]:
            expected = sorted(
                {
                    source
                    for source, link in index._stored_links("1", ())
                    if source != path and full.resolve(source, link) == path
                }
            )
            assert index.backlinks(path) == expected, path


def test_show_still_shows_the_entry_when_the_index_is_busy(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    write(journal, LINKING, "---\ntitle: Linking\n---\n[[Notes]]\n")
    run(journal.root, "index")

    def busy(self: Index, relpaths: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Index, "refresh", busy)
    result = CliRunner().invoke(main, ["-j", str(journal.root), "show", LINKING, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["links"] == []
    assert "links are left out" in result.stderr
