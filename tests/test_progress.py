"""Long work reports progress: the core calls back a few times a second, the CLI shows a line on terminals only."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import journal_factory
import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.cli import progress as cli_progress
from mljournal.cli.progress import ProgressLine, progress_text
from mljournal.core import progress as progress_module
from mljournal.core.entries.importer import import_sources
from mljournal.core.index import Index
from mljournal.core.index import sync as index_module
from mljournal.core.journal import Journal
from mljournal.core.progress import Throttled
from mljournal.core.services.move_topic import move_topic


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def make_journal(root: Path, count: int) -> Journal:
    notes = {f"entries/note-{n}.md": f"---\ntitle: Note {n}\n---\nbody {n}\n" for n in range(count)}
    return journal_factory.make_journal(root, notes)


@pytest.fixture
def every_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small batches, and no thinning out: each batch reports."""
    monkeypatch.setattr(index_module, "BATCH_SIZE", 2)
    monkeypatch.setattr(progress_module, "PROGRESS_INTERVAL", 0.0)


def test_sync_and_rebuild_report_increasing_counts(tmp_path: Path, every_report: None) -> None:
    journal = make_journal(tmp_path / "j", 7)
    with Index(journal) as index:
        calls: list[tuple[int, int]] = []
        index.sync(progress=lambda done, total: calls.append((done, total)))
        assert calls == [(2, 7), (4, 7), (6, 7), (7, 7)]
        calls.clear()
        index.rebuild(progress=lambda done, total: calls.append((done, total)))
        assert calls == [(2, 7), (4, 7), (6, 7), (7, 7)]


def test_refresh_reports_progress(tmp_path: Path, every_report: None) -> None:
    journal = make_journal(tmp_path / "j", 5)
    with Index(journal) as index:
        calls: list[tuple[int, int]] = []
        paths = [f"entries/note-{number}.md" for number in range(5)]
        report = index.refresh(paths, progress=lambda done, total: calls.append((done, total)))
        assert len(report.added) == 5
        assert calls == [(2, 5), (4, 5), (5, 5)]


def test_sync_reports_at_most_a_few_times_a_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # However many batches, one report per interval (here: the whole sync) plus the last one.
    monkeypatch.setattr(index_module, "BATCH_SIZE", 2)
    monkeypatch.setattr(progress_module, "PROGRESS_INTERVAL", 3600.0)
    journal = make_journal(tmp_path / "j", 9)
    with Index(journal) as index:
        calls: list[tuple[int, int]] = []
        index.sync(progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 9), (9, 9)]


def test_throttled_passes_one_report_per_interval_and_the_last() -> None:
    clock = FakeClock()
    calls: list[tuple[int, int]] = []
    throttled = Throttled(lambda done, total: calls.append((done, total)), clock=clock)
    for done, at in [(1, 0.0), (2, 0.1), (3, 0.2), (4, 0.3), (5, 0.4), (6, 0.6), (10, 0.61)]:
        clock.now = 100.0 + at
        throttled(done, 10)
    assert calls == [(1, 10), (4, 10), (6, 10), (10, 10)]
    Throttled(None)(1, 1)  # no callback: nothing to do


def test_import_reports_the_files_it_looked_at(tmp_path: Path, every_report: None) -> None:
    journal = make_journal(tmp_path / "j", 0)
    source = tmp_path / "blog"
    source.mkdir()
    for number in range(3):
        (source / f"post-{number}.md").write_text("# post\n", encoding="utf-8")
    (source / "image.png").write_bytes(b"\x89PNG")
    calls: list[tuple[int, int]] = []
    report = import_sources(journal, [source], progress=lambda done, total: calls.append((done, total)))
    assert len(report.copied) == 3
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_the_progress_line_shows_count_rate_and_time_left() -> None:
    assert progress_text("Indexing", 50_000, 100_000, 10.0) == (
        "Indexing  ██████████░░░░░░░░░░  50,000/100,000  5,000/s  10 s left"
    )
    assert progress_text("Indexing", 1, 1_000, 2.0, ascii_only=True) == (
        "Indexing  --------------------  1/1,000  0/s  33 min 18 s left"
    )


def test_the_progress_line_appears_after_a_second_and_is_erased() -> None:
    clock = FakeClock()
    terminal = Terminal()
    with ProgressLine("Indexing", stream=terminal, clock=clock) as line:
        clock.now += 0.5
        line(100, 1000)
        assert terminal.getvalue() == ""  # quick work never flashes a line
        clock.now += 1.5
        line(400, 1000)
        shown = "Indexing  ████████░░░░░░░░░░░░  400/1,000  200/s  3 s left"
        assert terminal.getvalue() == "\r" + shown
    assert terminal.getvalue() == "\r" + shown + "\r" + " " * len(shown) + "\r"


def test_no_progress_line_when_stderr_is_not_a_terminal() -> None:
    clock = FakeClock()
    stream = io.StringIO()
    with ProgressLine("Indexing", stream=stream, clock=clock) as line:
        clock.now += 5
        line(400, 1000)
    assert stream.getvalue() == ""


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    root = tmp_path / "journal"
    make_journal(root, 3)
    return root


def test_cli_output_has_no_progress_when_not_a_terminal(journal_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-j", str(journal_dir), "index", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("3 added, 0 updated, 0 removed, 0 unchanged in ")
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "post.md").write_text("# post\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-j", str(journal_dir), "import", str(tmp_path / "blog")])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines()[0] == "Copied 1 file; skipped 0."


def test_cli_shows_progress_on_a_terminal(journal_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_progress, "_is_terminal", lambda stream: True)
    monkeypatch.setattr(cli_progress, "SHOW_AFTER", 0.0)
    result = CliRunner().invoke(main, ["-j", str(journal_dir), "index", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("\rRebuilding the index  ")
    assert "3/3" in result.stderr and result.stderr.endswith("\r")  # erased at the end
    assert result.stdout.startswith("3 added")


def test_an_up_to_date_search_does_not_load_the_progress_code(journal_dir: Path) -> None:
    assert CliRunner().invoke(main, ["-j", str(journal_dir), "index"]).exit_code == 0
    code = (
        "import sys\n"
        "from mljournal.cli import main\n"
        f"main(['-j', {str(journal_dir)!r}, 'search', 'body'], standalone_mode=False)\n"
        "print('loaded' if 'mljournal.cli.progress' in sys.modules else 'not loaded')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "not loaded"


def moving_journal(root: Path) -> Path:
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "entries" / "a.md").write_text("---\ntitle: A\ntopics: [numpy]\n---\nBody.\n", encoding="utf-8")
    return root


def test_roadmap_move_output_has_no_progress_when_not_a_terminal(tmp_path: Path) -> None:
    root = moving_journal(tmp_path / "j")
    result = CliRunner().invoke(main, ["-j", str(root), "roadmap", "move", "numpy", "arrays"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == "Moved numpy → arrays; rewrote 1 entry.\n"


def test_roadmap_move_shows_progress_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = moving_journal(tmp_path / "j")
    monkeypatch.setattr(cli_progress, "_is_terminal", lambda stream: True)
    monkeypatch.setattr(cli_progress, "SHOW_AFTER", 0.0)
    result = CliRunner().invoke(main, ["-j", str(root), "roadmap", "move", "numpy", "arrays"])
    assert result.exit_code == 0, result.output
    # The move's two reads of every entry (2 of 2), then the re-indexing of the one it rewrote (1 of 1).
    assert result.stderr.startswith("\rMoving numpy → arrays  ")
    assert "  2/2  " in result.stderr
    assert "\rIndexing the rewritten entries  " in result.stderr and "  1/1  " in result.stderr
    assert result.stderr.endswith("\r")
    assert result.stdout == "Moved numpy → arrays; rewrote 1 entry.\n"


def test_a_move_reports_both_reads_of_the_entries_as_one_count(tmp_path: Path, every_report: None) -> None:
    root = moving_journal(tmp_path / "j")
    for number in range(3):
        (root / "entries" / f"other-{number}.md").write_text("---\ntitle: O\n---\nBody.\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    result = move_topic(
        root / "roadmap.yaml",
        "numpy",
        "arrays",
        entries_dir=root / "entries",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.rewritten == ["entries/a.md"]
    # 4 entries, read once to check and once to rewrite: 8 reads.
    assert calls == [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (4, 8), (5, 8), (6, 8), (7, 8), (8, 8)]
