"""The dashboard's figures: streaks, activity per day and month, phases, and `mljournal stats`."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from mljournal.cli import main
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.core.services.stats import Streak, collect_stats, compute_streak, readable_minutes

ROADMAP = """\
topics:
  - id: foundations
    title: Foundations
    children:
      - {id: python, title: Python, status: done, done: 2024-03-12}
      - {id: numpy, title: NumPy, status: learning}
      - {id: stats, title: Statistics, status: skipped}
      - {id: probability, title: Probability, status: done, done: 2024-03-01}
      - {id: calculus, title: Calculus, status: learning}
  - id: deep-learning
    title: Deep learning
    children:
      - {id: backprop, title: Backpropagation}
"""

TODAY = date(2024, 3, 13)  # a Wednesday


def entry(journal: Journal, name: str, date_text: str, body: str, topics: str = "[]") -> None:
    path = journal.entries_dir / f"{name}.md"
    path.write_text(
        f"---\ntitle: {name}\ndate: {date_text}\ntopics: {topics}\n---\n\n{body}\n", encoding="utf-8"
    )


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    journal.roadmap_path.write_text(ROADMAP, encoding="utf-8")
    entry(journal, "a", "2024-03-11", "one two three", "[python]")
    entry(journal, "b", "2024-03-12", "four five", "[python, numpy]")
    # 23:30 at UTC-05:00 is already the 13th in UTC: the day is the one the learner wrote down.
    entry(journal, "c", "2024-03-12T23:30:00-05:00", "six", "[backprop]")
    entry(journal, "d", "2024-02-20", "seven eight nine ten")
    entry(journal, "e", "2024-02-21", "eleven")
    entry(journal, "f", "2024-02-22", "twelve")
    return journal


def figures(journal: Journal, **kwargs: date) -> dict[str, object]:
    roadmap, problems = load_roadmap(journal.roadmap_path)
    assert problems == []
    with Index(journal) as index:
        index.sync()
        return collect_stats(index.conn, roadmap, today=TODAY, **kwargs).to_json()


def test_streak_counts_up_to_yesterday_while_today_has_no_entry() -> None:
    days = [date(2024, 3, 11), date(2024, 3, 12)]
    assert compute_streak(days, date(2024, 3, 13)) == Streak(current=2, longest=2)
    assert compute_streak(days, date(2024, 3, 12)) == Streak(current=2, longest=2)
    # Two days without an entry break it.
    assert compute_streak(days, date(2024, 3, 14)) == Streak(current=0, longest=2)


def test_streak_longest_is_found_across_gaps_and_duplicates() -> None:
    days = [date(2024, 1, d) for d in (1, 2, 3, 3, 5, 6, 10, 11, 12, 13, 20)]
    assert compute_streak(days, date(2024, 1, 21)) == Streak(current=1, longest=4)
    assert compute_streak([], date(2024, 1, 21)) == Streak(0, 0)


@given(st.sets(st.dates(min_value=date(2020, 1, 1), max_value=date(2024, 12, 31)), max_size=60))
def test_streaks_agree_with_counting_day_by_day(days: set[date]) -> None:
    today = date(2025, 1, 1) if not days else max(days) + timedelta(days=1)
    result = compute_streak(days, today)
    longest = 0
    for day in days:
        run = 1
        while day + timedelta(days=run) in days:
            run += 1
        longest = max(longest, run)
    assert result.longest == longest
    current, anchor = 0, today - timedelta(days=1)
    while anchor in days:
        current, anchor = current + 1, anchor - timedelta(days=1)
    assert result.current == current
    assert result.current <= result.longest


def test_figures_from_the_index(journal: Journal) -> None:
    result = figures(journal)
    assert result["entries"] == 6
    assert result["words"] == 3 + 2 + 1 + 4 + 1 + 1
    assert result["streak"] == {"current": 2, "longest": 3}
    assert result["days"][-2:] == [
        {"date": "2024-03-11", "entries": 1, "words": 3},
        {"date": "2024-03-12", "entries": 2, "words": 3},
    ]
    assert result["months"] == [
        {"month": "2024-02", "entries": 3, "words": 6},
        {"month": "2024-03", "entries": 3, "words": 6},
    ]
    # finished = done + skipped; entries are counted once per phase even when they link two topics in it.
    assert result["phases"] == [
        {"id": "foundations", "title": "Foundations", "finished": 3, "total": 5, "entries": 2, "minutes": 0},
        {
            "id": "deep-learning",
            "title": "Deep learning",
            "finished": 0,
            "total": 1,
            "entries": 1,
            "minutes": 0,
        },
    ]
    assert result["minutes"] == 0  # nobody records minutes here
    assert result["started_without_entries"] == ["calculus"]
    assert result["week"] == {
        "start": "2024-03-11",
        "entries": 3,
        "words": 6,
        "topics_touched": ["python", "numpy", "backprop"],
        "topics_finished": ["python"],
    }


def test_since_and_until_bound_every_figure(journal: Journal) -> None:
    result = figures(journal, since=date(2024, 2, 21), until=date(2024, 3, 11))
    assert [d["date"] for d in result["days"]] == ["2024-02-21", "2024-02-22", "2024-03-11"]
    assert result["entries"] == 3
    assert [p["entries"] for p in result["phases"]] == [1, 0]


def test_stats_command_prints_json_and_text(journal: Journal) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-j", str(journal.root), "stats", "--json", "--since", "2024-03-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"entries", "words", "streak", "days", "months", "phases"}
    assert data["entries"] == 3
    text = runner.invoke(main, ["-j", str(journal.root), "stats"])
    assert text.exit_code == 0, text.output
    assert "6 entries, 12 words" in text.output
    assert "Foundations" in text.output and "3/5" in text.output


def test_stats_command_says_1_day_and_1_entry(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "one")
    journal.entries_dir.mkdir(parents=True)
    # The command counts the streak up to the real today: one entry dated today is a streak of one day.
    entry(journal, "today", datetime.now().date().isoformat(), "word")
    result = CliRunner().invoke(main, ["-j", str(journal.root), "stats"])
    assert result.exit_code == 0, result.output
    assert "1 entry, 1 word" in result.output
    assert "streak: 1 day now, 1 at most" in result.output


def test_stats_refuses_a_date_it_cannot_read(journal: Journal) -> None:
    result = CliRunner().invoke(main, ["-j", str(journal.root), "stats", "--since", "March"])
    assert result.exit_code == 2
    assert "not a date" in result.output


def with_minutes(journal: Journal) -> Journal:
    """Give some entries `minutes:` (b links two topics of Foundations: its minutes count once)."""
    for name, minutes in (("a", "30"), ("b", "45"), ("c", "12.5"), ("d", "60")):
        path = journal.entries_dir / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n\n", f"minutes: {minutes}\n---\n\n", 1), encoding="utf-8")
    return journal


def test_minutes_are_summed_per_phase_and_in_total(journal: Journal) -> None:
    result = figures(with_minutes(journal))
    assert result["minutes"] == 30 + 45 + 12.5 + 60
    assert [(p["id"], p["minutes"]) for p in result["phases"]] == [
        ("foundations", 75),
        ("deep-learning", 12.5),
    ]
    bounded = figures(journal, since=date(2024, 3, 12))
    assert bounded["minutes"] == 45 + 12.5
    assert [p["minutes"] for p in bounded["phases"]] == [45, 12.5]


def test_stats_command_shows_minutes_only_when_entries_record_them(journal: Journal) -> None:
    runner = CliRunner()
    plain = runner.invoke(main, ["-j", str(journal.root), "stats"])
    assert plain.exit_code == 0, plain.output
    assert " min" not in plain.output and " h" not in plain.output
    with_minutes(journal)
    assert runner.invoke(main, ["-j", str(journal.root), "index"]).exit_code == 0  # files edited in place
    text = runner.invoke(main, ["-j", str(journal.root), "stats"])
    assert text.exit_code == 0, text.output
    assert "6 entries, 12 words, 2 h 28 min" in text.output
    assert "·2  1 h 15 min" in text.output
    data = json.loads(runner.invoke(main, ["-j", str(journal.root), "stats", "--json"]).output)
    assert data["minutes"] == 147.5
    assert [p["minutes"] for p in data["phases"]] == [75, 12.5]


def test_readable_minutes() -> None:
    assert [readable_minutes(m) for m in (0, 45, 60, 90, 147.5)] == [
        "0 min",
        "45 min",
        "1 h",
        "1 h 30 min",
        "2 h 28 min",
    ]
    assert [readable_minutes(m, short=True) for m in (45, 60, 90)] == ["45m", "1h", "1h30"]
