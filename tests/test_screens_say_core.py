"""Issue 13, "screens that say what they show": the core and CLI halves (one progress rule, empty results)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.roadmap import display_status, parse_roadmap

PHASE = """\
topics:
  - id: foundations
    title: Foundations
    status: learning
    children:
      - id: algebra
        title: Algebra
        status: done
      - id: calculus
        title: Calculus
        status: skipped
  - id: deep
    title: Deep learning
    status: todo
    children:
      - id: backprop
        title: Backprop
        status: done
      - id: cnn
        title: CNN
        status: todo
"""


def test_progress_figures_count_skipped_leaves_as_finished() -> None:
    roadmap, _ = parse_roadmap(PHASE)
    assert roadmap.progress("foundations").fraction == "2/2"
    assert roadmap.progress("deep").fraction == "1/2"
    assert roadmap.overall_progress().fraction == "3/4"


def test_a_phase_whose_leaves_are_all_done_or_skipped_reads_as_done() -> None:
    roadmap, _ = parse_roadmap(PHASE)
    foundations = roadmap.find("foundations")
    deep = roadmap.find("deep")
    assert foundations is not None and deep is not None
    assert display_status(foundations, 0, roadmap.progress_of(foundations)) == "done"
    assert display_status(deep, 1, roadmap.progress_of(deep)) == "started"
    # Without the progress the topic's own status is shown, as before.
    assert display_status(foundations, 0) == "learning"


def _journal_with(tmp_path: Path, runner: CliRunner, roadmap: str) -> Path:
    root = tmp_path / "journal"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "roadmap.yaml").write_text(roadmap, encoding="utf-8")
    return root


def test_cli_roadmap_shows_the_same_figures_and_marks(tmp_path: Path) -> None:
    runner = CliRunner()
    root = _journal_with(tmp_path, runner, PHASE)
    result = runner.invoke(main, ["-j", str(root), "roadmap"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "Foundations" in line)
    assert line.startswith("[x] Foundations") and "2/2 100%" in line
    data = json.loads(runner.invoke(main, ["-j", str(root), "roadmap", "--json"]).output)
    assert data[0]["display_status"] == "done"


def test_cli_search_says_when_nothing_matches(tmp_path: Path) -> None:
    runner = CliRunner()
    root = _journal_with(tmp_path, runner, PHASE)
    result = runner.invoke(main, ["-j", str(root), "search", "zebra"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No entries match “zebra”." in result.stderr
    result = runner.invoke(main, ["-j", str(root), "search", "zebra", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr == ""  # `[]` says it all to a script


def test_a_prefix_searched_as_a_shorter_word_is_reported(tmp_path: Path) -> None:
    from mljournal.core.index import Index
    from mljournal.core.journal import Journal

    root = tmp_path / "journal"
    (root / "entries").mkdir(parents=True)
    (root / "entries" / "a.md").write_text("---\ntitle: Marks\n---\n\nMy grade went up.\n", encoding="utf-8")
    with Index(Journal(root)) as index:
        index.sync()
        assert index.prepare("Gradeint*").read_as == (("Gradeint", "Grade"),)
        assert index.search("Gradeint*").total == 1
        assert index.prepare("grade*").read_as == ()
