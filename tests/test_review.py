"""The review queue: intervals after done and after each review, postponing, staleness, and the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import Topic, load_roadmap
from mljournal.core.roadmap.review import INTERVALS, due_date, review_queue

ROADMAP = """\
topics:
  - id: basics
    title: Basics
    children:
      - {id: python, title: Python, status: done, done: 2024-03-01}
      - {id: numpy, title: NumPy, status: done, done: 2024-01-01, reviewed: 2024-03-01, reviews: 2}
      - {id: pandas, title: pandas, status: learning}
      - {id: plotting, title: Plotting, status: learning}
      - {id: sql, title: SQL, status: done}
"""


def topic(**fields: object) -> Topic:
    return Topic("t", "T", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reviews", "days"), [(0, 3), (1, 7), (2, 21), (3, 60), (4, 180), (5, 365), (6, 365), (40, 365)]
)
def test_each_review_pushes_the_next_one_further_out(reviews: int, days: int) -> None:
    assert INTERVALS == (3, 7, 21, 60, 180, 365)
    reviewed = "2024-05-01" if reviews else None
    t = topic(status="done", done="2024-05-01", reviewed=reviewed, reviews=reviews)
    assert due_date(t) == date(2024, 5, 1) + timedelta(days=days)


def test_only_finished_topics_with_a_done_day_are_reviewed() -> None:
    assert due_date(topic(status="learning", done="2024-05-01")) is None
    assert due_date(topic(status="done")) is None  # done by hand in the file, before days were recorded


def test_postponing_moves_the_due_day_but_never_earlier() -> None:
    t = topic(status="done", done="2024-05-01", postponed="2024-06-01")
    assert due_date(t) == date(2024, 6, 1)
    t = topic(status="done", done="2024-05-01", postponed="2024-04-01")
    assert due_date(t) == date(2024, 5, 4)


def write_entry(journal: Journal, name: str, day: str, topics: str) -> None:
    (journal.entries_dir / f"{name}.md").write_text(
        f"---\ntitle: {name}\ndate: {day}\ntopics: {topics}\n---\n\nNotes.\n", encoding="utf-8"
    )


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    journal.roadmap_path.write_text(ROADMAP, encoding="utf-8")
    write_entry(journal, "p1", "2024-02-20", "[python]")
    write_entry(journal, "p2", "2024-02-25", "[python]")
    write_entry(journal, "pd", "2024-03-01", "[pandas]")
    write_entry(journal, "pl", "2024-03-20", "[plotting]")
    return journal


def queue_json(journal: Journal, today: date, stale_days: int = 14) -> dict[str, object]:
    roadmap, problems = load_roadmap(journal.roadmap_path)
    assert problems == []
    with Index(journal) as index:
        index.sync()
        return review_queue(index.conn, roadmap, today=today, stale_days=stale_days).to_json()


def test_the_queue_lists_due_topics_with_their_entries_and_stale_ones(journal: Journal) -> None:
    result = queue_json(journal, date(2024, 3, 25))
    # python: done 03-01, due 03-04; numpy: reviewed twice, last 03-01, due 03-22; sql has no done day.
    assert result["due"] == [
        {
            "id": "python",
            "title": "Python",
            "due": "2024-03-04",
            "done": "2024-03-01",
            "reviews": 0,
            "entries": ["entries/p2.md", "entries/p1.md"],
        },
        {
            "id": "numpy",
            "title": "NumPy",
            "due": "2024-03-22",
            "done": "2024-01-01",
            "reviews": 2,
            "entries": [],
        },
    ]
    # pandas' newest entry is 24 days old; plotting's 5 days.
    assert result["stale"] == [
        {"id": "pandas", "title": "pandas", "last_entry": "2024-03-01", "entries": ["entries/pd.md"]}
    ]
    assert queue_json(journal, date(2024, 3, 25), stale_days=30)["stale"] == []
    assert queue_json(journal, date(2024, 3, 3))["due"] == []


def test_review_command_marks_postpones_and_prints_json(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mljournal.cli.review as cli_review

    monkeypatch.setattr(cli_review, "_today", lambda: date(2024, 3, 25))
    runner = CliRunner()
    j = ["-j", str(journal.root)]
    listed = runner.invoke(main, [*j, "review", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [item["id"] for item in json.loads(listed.output)["due"]] == ["python", "numpy"]

    done = runner.invoke(main, [*j, "review", "done", "python"])
    assert done.exit_code == 0, done.output
    assert "1 review so far" in done.output
    roadmap, _ = load_roadmap(journal.roadmap_path)
    python = roadmap.find("python")
    assert python is not None and (python.reviewed, python.reviews) == ("2024-03-25", 1)

    later = runner.invoke(main, [*j, "review", "later", "numpy", "--days", "5"])
    assert later.exit_code == 0, later.output
    assert json.loads(runner.invoke(main, [*j, "review", "--json"]).output)["due"] == []

    refused = runner.invoke(main, [*j, "review", "done", "pandas"])
    assert refused.exit_code == 1
    assert "not done" in refused.output
    unknown = runner.invoke(main, [*j, "review", "done", "nope"])
    assert unknown.exit_code == 1 and "no topic 'nope'" in unknown.output


def test_roadmap_set_done_records_the_day_and_roadmap_json_carries_it(journal: Journal) -> None:
    runner = CliRunner()
    j = ["-j", str(journal.root)]
    assert runner.invoke(main, [*j, "roadmap", "set", "pandas", "done"]).exit_code == 0
    tree = json.loads(runner.invoke(main, [*j, "roadmap", "--json"]).output)
    pandas = next(t for t in tree[0]["children"] if t["id"] == "pandas")
    assert pandas["done"] == date.today().isoformat()
    assert (pandas["reviewed"], pandas["reviews"], pandas["notes"], pandas["resources"]) == (
        None,
        0,
        None,
        [],
    )
