"""A topic's page (viewer and `roadmap show`), and marking a resource done in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import RoadmapError, load_roadmap, set_resource_status
from mljournal.core.services.topic_page import topic_page, topic_page_markdown

ROADMAP = """\
topics:
  - id: maths
    title: Maths
    notes: The *foundations*.
    resources:
      - title: "Bishop [PRML]"
        url: https://example.com/prml
        status: learning
      - A plain-line book
    children:
      - {id: linalg, title: "Linear *algebra*", status: done, done: 2024-03-01}
      - {id: calculus, title: Calculus}
"""


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    journal.roadmap_path.write_text(ROADMAP, encoding="utf-8")
    for name, day, topics in [("old", "2024-01-02", "[maths]"), ("new one", "2024-02-03", "[linalg]")]:
        (journal.entries_dir / f"{name}.md").write_text(
            f"---\ntitle: '{name} [x](y)'\ndate: {day}\ntopics: {topics}\n---\n\nText.\n", encoding="utf-8"
        )
    return journal


def page_markdown(journal: Journal, topic_id: str) -> str:
    roadmap, problems = load_roadmap(journal.roadmap_path)
    assert problems == []
    with Index(journal) as index:
        index.sync()
        page = topic_page(index.conn, roadmap, topic_id)
        assert page is not None
        return topic_page_markdown(page)


def link_targets(markdown: str) -> list[str]:
    tokens = MarkdownIt().parse(markdown)
    return [
        str(child.attrs["href"])
        for token in tokens
        if token.children
        for child in token.children
        if child.type == "link_open"
    ]


def test_a_page_lists_status_notes_resources_subtopics_and_entries_newest_first(journal: Journal) -> None:
    text = page_markdown(journal, "maths")
    assert text.startswith("# Maths\n")
    assert "1/2 finished (50%)" in text
    assert "The *foundations*." in text  # the learner's own Markdown is kept as Markdown
    assert "Bishop \\[PRML\\]" in text and "(learning)" in text
    assert "A plain-line book (todo)" in text
    assert "Linear \\*algebra\\* (done)" in text
    # Entries link by journal path (with spaces), newest first; their titles can't inject links.
    assert link_targets(text) == ["https://example.com/prml", "/entries/new%20one.md", "/entries/old.md"]


def test_a_leaf_page_shows_its_trail_and_review_dates(journal: Journal) -> None:
    text = page_markdown(journal, "linalg")
    assert text.splitlines()[0] == "Maths"
    assert "done 2024-03-01" in text and "next review 2024-03-04" in text
    assert "Entries (1)" in text


def test_roadmap_show_prints_the_page_and_refuses_unknown_ids(journal: Journal) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["-j", str(journal.root), "roadmap", "show", "maths"])
    assert shown.exit_code == 0, shown.output
    assert "Maths  [maths]" in shown.output
    assert "1. [learning] Bishop [PRML]  https://example.com/prml" in shown.output
    assert "entries/new one.md" in shown.output
    missing = runner.invoke(main, ["-j", str(journal.root), "roadmap", "show", "nope"])
    assert missing.exit_code == 1 and "no topic 'nope'" in missing.output


def test_marking_a_resource_done_changes_only_its_status(journal: Journal) -> None:
    before = journal.roadmap_path.read_text(encoding="utf-8")
    topic = set_resource_status(journal.roadmap_path, "maths", 1, "done")
    assert topic.resources[0].status == "done"
    assert journal.roadmap_path.read_text(encoding="utf-8") == before.replace(
        "status: learning\n", "status: done\n", 1
    )
    with pytest.raises(RoadmapError, match="plain line"):
        set_resource_status(journal.roadmap_path, "maths", 2, "done")
    with pytest.raises(RoadmapError, match="no number 3"):
        set_resource_status(journal.roadmap_path, "maths", 3, "done")
    result = CliRunner().invoke(main, ["-j", str(journal.root), "roadmap", "resource", "maths", "1", "todo"])
    assert result.exit_code == 0, result.output
    assert journal.roadmap_path.read_text(encoding="utf-8") == before.replace(
        "status: learning\n", "status: todo\n", 1
    )


def test_a_page_sums_the_minutes_of_its_entries_only_when_there_are_any(journal: Journal) -> None:
    assert "spent" not in page_markdown(journal, "maths")
    for name, minutes in (("old", 25), ("new one", 50)):
        path = journal.entries_dir / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", f"minutes: {minutes}\n---\n\n"))
    # The whole subtree counts (new one links linalg, under maths); a leaf counts its own.
    assert "1 h 15 min spent" in page_markdown(journal, "maths")
    assert "50 min spent" in page_markdown(journal, "linalg")
    shown = CliRunner().invoke(main, ["-j", str(journal.root), "roadmap", "show", "maths"])
    assert shown.exit_code == 0, shown.output
    assert "time spent: 1 h 15 min" in shown.output


def test_a_resource_picked_earlier_is_not_marked_when_the_file_changed_meanwhile(journal: Journal) -> None:
    # The app passes the title the user picked; another program moved a new resource to that number since.
    text = journal.roadmap_path.read_text(encoding="utf-8").replace(
        '      - title: "Bishop [PRML]"', '      - title: A new first book\n      - title: "Bishop [PRML]"'
    )
    journal.roadmap_path.write_text(text, encoding="utf-8")
    with pytest.raises(RoadmapError, match="changed meanwhile"):
        set_resource_status(journal.roadmap_path, "maths", 1, "done", expected_title="Bishop [PRML]")
    assert journal.roadmap_path.read_text(encoding="utf-8") == text
    topic = set_resource_status(journal.roadmap_path, "maths", 2, "done", expected_title="Bishop [PRML]")
    assert [r.status for r in topic.resources] == ["todo", "done", "todo"]
