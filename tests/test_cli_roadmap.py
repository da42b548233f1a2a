"""`mljournal roadmap` through click's CliRunner: a small harness group, and the real main CLI."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from mljournal.cli.roadmap import roadmap
from mljournal.core.journal import Journal
from mljournal.core.roadmap import default_roadmap_text


@click.group()
@click.option("--journal", "journal_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--links", "links_json", default=None, help="Pretend index: topic id → entry paths, as JSON.")
@click.pass_context
def harness(ctx: click.Context, journal_dir: Path, links_json: str | None) -> None:
    obj: Any = SimpleNamespace(journal=Journal(journal_dir))
    if links_json is not None:
        links = {key: set(value) for key, value in json.loads(links_json).items()}
        obj.topic_links = lambda: links
    ctx.obj = obj


harness.add_command(roadmap)


def entry(root: Path, name: str, topics: list[str]) -> None:
    path = root / "entries" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {name}\ntopics: [{', '.join(topics)}]\n---\nBody.\n", encoding="utf-8")


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    root = tmp_path / "j"
    (root / "entries").mkdir(parents=True)
    (root / "roadmap.yaml").write_text(default_roadmap_text(), encoding="utf-8")
    return root


def run(root: Path, *args: str, links: dict[str, list[str]] | None = None) -> Result:
    options = ["--journal", str(root)]
    if links is not None:
        options += ["--links", json.dumps(links)]
    return CliRunner().invoke(harness, [*options, "roadmap", *args])


def row(output: str, topic_id: str) -> str:
    """The tree line of a topic (its id is the second column)."""
    matches = [line for line in output.splitlines() if f"  {topic_id} " in line + " "]
    assert len(matches) == 1, (topic_id, output)
    return matches[0]


def by_id(topics: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for topic in topics:
        found[topic["id"]] = topic
        found.update(by_id(topic["children"]))
    return found


def test_fresh_roadmap_shows_zero_progress(journal: Path) -> None:
    result = run(journal)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Machine learning: 0/63 0%")
    assert row(result.output, "foundations").startswith("[ ] Foundations")
    assert row(result.output, "foundations").endswith("0/6 0%")
    assert row(result.output, "linear-algebra").startswith("    [ ] Linear algebra")


def test_set_on_leaves_moves_the_figures_up_the_tree(journal: Path) -> None:
    for topic_id, status in [("python", "done"), ("numpy", "skipped"), ("calculus", "learning")]:
        result = run(journal, "set", topic_id, status)
        assert result.exit_code == 0, result.output
    assert run(journal, "set", "pandas", "done").output.splitlines() == [
        "pandas: todo → done",
        "  Foundations: 3/6 50%",
        "  Programming: 3/3 100%",
        "  overall: 3/63 5%",
    ]
    topics = by_id(json.loads(run(journal, "--json").stdout))
    assert topics["programming"]["progress"] == {
        "done": 2,
        "learning": 0,
        "skipped": 1,
        "total": 3,
        "percent": 100,
    }
    assert topics["mathematics"]["progress"] == {
        "done": 0,
        "learning": 1,
        "skipped": 0,
        "total": 3,
        "percent": 0,
    }
    assert topics["foundations"]["progress"]["percent"] == 50
    assert topics["numpy"]["status"] == "skipped" and topics["numpy"]["children"] == []
    output = run(journal).output
    assert row(output, "python").startswith("    [x] Python")
    assert row(output, "numpy").startswith("    [-] NumPy")
    assert row(output, "calculus").startswith("    [~] Calculus")
    assert row(output, "programming").endswith("3/3 100%")


def test_setting_a_branch_says_that_leaves_drive_progress(journal: Path) -> None:
    result = run(journal, "set", "foundations", "done")
    assert result.exit_code == 0
    assert "progress counts the topics at the bottom" in result.output


def test_entry_counts_come_from_the_entry_files(journal: Path) -> None:
    entry(journal, "a.md", ["numpy", "linear-algebra"])
    entry(journal, "2024/b.md", ["numpy"])
    entry(journal, "c.md", ["ghost-topic"])
    result = run(journal, "--json")
    topics = by_id(json.loads(result.stdout))
    assert topics["numpy"]["entries"] == 2
    assert topics["foundations"]["entries"] == 2  # a.md counted once
    assert topics["numpy"]["display_status"] == "started" and topics["numpy"]["status"] == "todo"
    tree = run(journal).output
    assert row(tree, "numpy").startswith("    [*] NumPy") and row(tree, "numpy").endswith("2 entries")
    assert row(tree, "linear-algebra").endswith("1 entry")


def test_entry_counts_prefer_the_index_when_the_context_has_one(journal: Path) -> None:
    entry(journal, "a.md", ["numpy"])
    topics = by_id(json.loads(run(journal, "--json", links={"pandas": ["x.md", "y.md"]}).stdout))
    assert topics["pandas"]["entries"] == 2 and topics["numpy"]["entries"] == 0


def test_add_rename_and_next(journal: Path) -> None:
    assert (
        run(journal, "add", "-", "Time series").output.strip()
        == "Added time-series (Time series) at the top level."
    )
    result = run(journal, "add", "time-series", "ARIMA models", "--id", "arima")
    assert result.output.strip() == "Added arima (ARIMA models) under time-series."
    assert run(journal, "add", "time-series", "Again", "--id", "arima").exit_code == 1
    result = run(journal, "rename", "arima", "ARIMA and friends")
    assert result.output.strip() == "arima: 'ARIMA models' → 'ARIMA and friends'"
    assert row(run(journal).output, "arima").startswith("  [ ] ARIMA and friends")
    # Nothing being learned: the first todo leaves.
    assert run(journal, "next", "--limit", "2").output.splitlines() == [
        "[ ] Linear algebra [linear-algebra]  (Foundations › Mathematics)",
        "[ ] Calculus [calculus]  (Foundations › Mathematics)",
    ]
    run(journal, "set", "arima", "learning")
    assert run(journal, "next").output.splitlines() == ["[~] ARIMA and friends [arima]  (Time series)"]


def test_move_rewrites_entries(journal: Path) -> None:
    entry(journal, "a.md", ["numpy", "pandas"])
    entry(journal, "b.md", ["python"])
    result = run(journal, "move", "numpy", "arrays")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Moved numpy → arrays; rewrote 1 entry."
    assert "topics: [arrays, pandas]" in (journal / "entries" / "a.md").read_text(encoding="utf-8")
    assert row(run(journal).output, "arrays").endswith("1 entry")


def test_any_roadmap_command_finishes_an_interrupted_move(journal: Path) -> None:
    entry(journal, "a.md", ["numpy"])
    (journal / ".mljournal").mkdir()
    (journal / ".mljournal" / "pending-move.json").write_text(
        '{"old": "numpy", "new": "arrays"}', encoding="utf-8"
    )
    result = run(journal, "next")
    assert result.exit_code == 0, result.output
    assert "Finished an interrupted move of 'numpy' to 'arrays' (1 entry rewritten)." in result.stderr
    assert "Finished" not in result.stdout
    assert "topics: [arrays]" in (journal / "entries" / "a.md").read_text(encoding="utf-8")
    assert not (journal / ".mljournal" / "pending-move.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "nope", "done"], "Error: There is no topic 'nope' in the roadmap."),
        (["rename", "numpy", " "], "Error: A topic needs a title."),
        (["move", "numpy", "python"], "Error: There is already a topic with id 'python'."),
        (["add", "nope", "X"], "Error: There is no topic 'nope' in the roadmap."),
    ],
)
def test_errors_are_one_line_and_non_zero(journal: Path, args: list[str], message: str) -> None:
    before = (journal / "roadmap.yaml").read_bytes()
    result = run(journal, *args)
    assert result.exit_code == 1
    assert result.output.strip() == message
    assert isinstance(result.exception, SystemExit)
    assert (journal / "roadmap.yaml").read_bytes() == before


def test_a_bad_status_is_a_usage_error(journal: Path) -> None:
    result = run(journal, "set", "numpy", "finished")
    assert result.exit_code == 2 and "'finished' is not one of" in result.output


def test_a_broken_roadmap_is_reported_with_its_line(journal: Path) -> None:
    (journal / "roadmap.yaml").write_text("topics:\n  - id: a\n    title: [oops\n", encoding="utf-8")
    for args in ([], ["--json"], ["next"]):
        result = run(journal, *args)
        assert result.exit_code == 1
        assert "does not parse on line" in result.output and "Traceback" not in result.output


def test_problems_are_warnings_and_the_tree_still_shows(journal: Path) -> None:
    (journal / "roadmap.yaml").write_text(
        "topics:\n  - id: a\n    title: A\n    status: doing\n  - id: a\n    title: A2\n", encoding="utf-8"
    )
    result = run(journal)
    assert result.exit_code == 0
    assert "warning: roadmap.yaml:4:" in result.stderr and "warning: roadmap.yaml:5:" in result.stderr
    assert "[ ] A" in result.stdout


def test_missing_roadmap(journal: Path) -> None:
    (journal / "roadmap.yaml").unlink()
    result = run(journal, "--json")
    assert result.exit_code == 0 and result.stdout.strip() == "[]"
    assert "no roadmap.yaml" in result.stderr


def test_hostile_titles_cannot_drive_the_terminal(journal: Path) -> None:
    (journal / "roadmap.yaml").write_text(
        'topics:\n  - id: a\n    title: "Evil \\e]0;pwned\\a \\e[31mred"\n', encoding="utf-8"
    )
    result = run(journal)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert json.loads(run(journal, "--json").stdout)[0]["title"].startswith("Evil \x1b")


def test_through_the_main_cli(tmp_path: Path) -> None:
    cli = pytest.importorskip("mljournal.cli")
    runner = CliRunner()
    root = tmp_path / "j"
    assert runner.invoke(cli.main, ["init", str(root)]).exit_code == 0
    result = runner.invoke(cli.main, ["-j", str(root), "roadmap"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Machine learning: 0/63 0%")
    for topic_id in ("linear-algebra", "calculus", "probability-statistics"):
        assert runner.invoke(cli.main, ["-j", str(root), "roadmap", "set", topic_id, "done"]).exit_code == 0
    topics = by_id(json.loads(runner.invoke(cli.main, ["-j", str(root), "roadmap", "--json"]).stdout))
    assert topics["mathematics"]["progress"]["percent"] == 100
    assert topics["foundations"]["progress"]["percent"] == 50
