"""The command line through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def journal_dir(tmp_path: Path, runner: CliRunner) -> Path:
    root = tmp_path / "journal"
    result = runner.invoke(main, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return root


def run(runner: CliRunner, root: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(main, ["-j", str(root), *args], input=stdin)
    return result.exit_code, result.output


def test_init_creates_a_journal_with_the_default_roadmap(journal_dir: Path) -> None:
    assert (journal_dir / "entries").is_dir()
    assert "linear-algebra" in (journal_dir / "roadmap.yaml").read_text(encoding="utf-8")
    assert (journal_dir / ".mljournal" / ".gitignore").exists()


def test_new_with_piped_body_then_search(runner: CliRunner, journal_dir: Path) -> None:
    code, output = run(
        runner,
        journal_dir,
        "new",
        "Gradient descent, by hand",
        "--tag",
        "math",
        "--tag",
        "optimisation",
        "--topic",
        "linear-regression",
        "--date",
        "2024-02-10",
        stdin="Stepping downhill on the loss surface.\n",
    )
    assert code == 0, output
    relpath = output.strip()
    assert relpath == "entries/2024-02-10-gradient-descent-by-hand.md"
    text = (journal_dir / relpath).read_text(encoding="utf-8")
    assert "Stepping downhill" in text
    code, output = run(runner, journal_dir, "search", "downhill", "--json")
    assert code == 0, output
    items = json.loads(output)
    assert [item["path"] for item in items] == [relpath]
    assert items[0]["date"] == "2024-02-10"
    assert items[0]["tags"] == ["math", "optimisation"]
    assert items[0]["topics"] == ["linear-regression"]
    assert set(items[0]) == {"path", "title", "date", "tags", "topics", "description", "snippet"}


def test_new_reads_tags_as_the_form_does(runner: CliRunner, journal_dir: Path) -> None:
    # One rule for typed tags (text.tags.split_typed_labels): commas split, a leading # goes, duplicates fold.
    code, output = run(
        runner,
        journal_dir,
        "new",
        "Tags",
        "--tag",
        "#ml, deep learning",
        "--tag",
        "ML",
        "--no-edit",
        stdin="",
    )
    assert code == 0, output
    text = (journal_dir / output.strip()).read_text(encoding="utf-8")
    assert "tags:\n  - ml\n  - deep learning\n---\n" in text, text


def test_tag_adds_and_removes_keeping_the_rest(runner: CliRunner, journal_dir: Path) -> None:
    entry = journal_dir / "entries" / "note.md"
    original = "---\n# my comment\ntitle: 'A note'\ntags: [a, b]\nweird_key: {x: 1}\n---\nBody text.\n"
    entry.write_text(original, encoding="utf-8")
    code, output = run(runner, journal_dir, "tag", "entries/note.md", "+c", "-a")
    assert code == 0, output
    text = entry.read_text(encoding="utf-8")
    assert text.replace("tags: [b, c]", "tags: [a, b]") == original
    code, output = run(runner, journal_dir, "search", "tag:c")
    assert "entries/note.md" in output


def test_tags_show_index_and_check(runner: CliRunner, journal_dir: Path) -> None:
    (journal_dir / "entries" / "a.md").write_text(
        "---\ntitle: A\ntags: [x, y]\n---\nalpha\n", encoding="utf-8"
    )
    (journal_dir / "entries" / "b.md").write_text("---\ntitle: [broken\n---\nbeta\n", encoding="utf-8")
    code, output = run(runner, journal_dir, "index")
    assert code == 0 and "2 added" in output
    code, output = run(runner, journal_dir, "tags")
    assert code == 0 and "x" in output and "y" in output
    code, output = run(runner, journal_dir, "show", "entries/a.md")
    assert code == 0 and output.startswith("A\n") and "alpha" in output
    code, output = run(runner, journal_dir, "check")
    assert code == 1
    assert output.startswith("entries/b.md")
    # The broken file is still searchable by its body.
    code, output = run(runner, journal_dir, "search", "beta")
    assert "entries/b.md" in output


def test_errors_are_one_line_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    code, output = run(runner, tmp_path / "nowhere", "search", "x")
    assert code != 0
    assert "Traceback" not in output
    assert "mljournal init" in output
    root = tmp_path / "j"
    runner.invoke(main, ["init", str(root)])
    code, output = run(runner, root, "show", "entries/missing.md")
    assert code != 0 and "No entry at" in output and "Traceback" not in output
    code, output = run(runner, root, "new", "x", "--date", "not a date", "--no-edit")
    assert code != 0 and "Not a date" in output


def test_hostile_titles_never_reach_the_terminal_raw(runner: CliRunner, journal_dir: Path) -> None:
    (journal_dir / "entries" / "evil.md").write_text(
        '---\ntitle: "\\e]0;pwned\\a[bold]x\\u202e"\n---\nbody\n', encoding="utf-8"
    )
    code, output = run(runner, journal_dir, "search", "body")
    assert code == 0
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert "pwned" in output and "[bold]x" in output  # shown literally, not interpreted


def test_import_copies_byte_for_byte_and_never_overwrites(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "blog"
    (source / "posts").mkdir(parents=True)
    (source / "posts" / "one.md").write_bytes(b"+++\ntitle = 'TOML post'\n+++\r\nbody\r\n")
    (source / "image.png").write_bytes(b"\x89PNG")
    (source / ".git").mkdir()
    code, output = run(runner, journal_dir, "import", str(source))
    assert code == 0, output
    copied = journal_dir / "entries" / "blog" / "posts" / "one.md"
    assert copied.read_bytes() == (source / "posts" / "one.md").read_bytes()
    assert "not a Markdown file" in output and "hidden folder" in output
    code, output = run(runner, journal_dir, "search", "title:toml")
    assert "entries/blog/posts/one.md" in output
    (source / "posts" / "one.md").write_bytes(b"changed")
    code, output = run(runner, journal_dir, "import", str(source))
    assert "already exists with other content" in output
    assert copied.read_bytes() != b"changed"


def test_dry_run_copies_nothing(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_text("# hello\n", encoding="utf-8")
    code, output = run(runner, journal_dir, "import", "--dry-run", str(source))
    assert code == 0 and "Would copy 1 file" in output
    assert not (journal_dir / "entries" / "note.md").exists()


def test_version_and_help(runner: CliRunner) -> None:
    assert runner.invoke(main, ["--version"]).output.startswith("mljournal, version")
    for command in ["search", "new", "tag", "import", "check", "index", "show", "tags", "init"]:
        assert runner.invoke(main, [command, "--help"]).exit_code == 0


def test_search_by_a_topic_finds_the_entries_of_the_topics_under_it(
    runner: CliRunner, journal_dir: Path
) -> None:
    # The index no longer reads the roadmap itself: the CLI must open it wired with the roadmap's subtrees.
    args = ["new", "Eigenvectors", "--topic", "linear-algebra", "--no-edit"]
    code, _output = run(runner, journal_dir, *args, stdin="Directions a matrix only stretches.\n")
    assert code == 0
    code, output = run(runner, journal_dir, "search", "--json", "topic:mathematics")
    assert code == 0, output
    assert [hit["title"] for hit in json.loads(output)] == ["Eigenvectors"]
