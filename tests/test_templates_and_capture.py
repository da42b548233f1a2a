"""Named entry templates (`new --template`, `init`) and quick capture (`mljournal add`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.entries.capture import add_to_daily, capture_line
from mljournal.core.entries.store import StoreError
from mljournal.core.entries.templates import (
    BUNDLED_TEMPLATES,
    TemplateError,
    bundled_template_text,
    fill_placeholders,
    load_template,
)
from mljournal.core.frontmatter.read import parse_document
from mljournal.core.journal import Journal

REPO_ROOT = Path(__file__).resolve().parent.parent
MORNING = datetime(2026, 3, 1, 9, 5, tzinfo=UTC)
DAILY = "entries/2026-03-01-daily.md"


def at(hour: int, minute: int) -> datetime:
    return MORNING.replace(hour=hour, minute=minute)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def journal(tmp_path: Path, runner: CliRunner) -> Journal:
    root = tmp_path / "journal"
    result = runner.invoke(main, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return Journal(root)


# -- templates ---------------------------------------------------------------------------------------------------


def test_init_writes_the_bundled_templates(journal: Journal) -> None:
    names = sorted(path.stem for path in (journal.root / "templates").iterdir())
    assert names == sorted(BUNDLED_TEMPLATES) == ["daily", "paper-notes", "project-log"]
    for name in BUNDLED_TEMPLATES:
        template = load_template(journal, name)
        assert "{{" not in template.fill(title="T")
        assert template.tags  # each bundled template tags its entries (daily, paper, project)


def test_the_sample_journal_ships_the_same_templates() -> None:
    for name in BUNDLED_TEMPLATES:
        assert (REPO_ROOT / "templates" / f"{name}.md").read_text(encoding="utf-8") == bundled_template_text(
            name
        )


def test_init_keeps_a_templates_folder_that_is_already_there(tmp_path: Path, runner: CliRunner) -> None:
    (tmp_path / "j" / "templates").mkdir(parents=True)
    (tmp_path / "j" / "templates" / "daily.md").write_text("mine\n")
    assert runner.invoke(main, ["init", str(tmp_path / "j")]).exit_code == 0
    assert (tmp_path / "j" / "templates" / "daily.md").read_text() == "mine\n"


def test_placeholders_are_filled_and_empty_ones_leave_nothing_behind() -> None:
    text = "# {{title}}\n{{ date }} at {{time}}; topic: {{topic}}.\n{{< figure src=x >}} {{unknown}}\n"
    filled = fill_placeholders(text, title="Attention", when=MORNING)
    assert filled == "# Attention\n2026-03-01 at 09:05; topic: .\n{{< figure src=x >}} {{unknown}}\n"
    assert "Linear algebra, Calculus" in fill_placeholders(
        "{{topic}}", title="", topics=["Linear algebra", "Calculus"]
    )


def test_new_with_a_template_fills_it_and_adds_its_tags(runner: CliRunner, journal: Journal) -> None:
    result = runner.invoke(
        main,
        [
            "-j",
            str(journal.root),
            "new",
            "Attention Is All You Need",
            "--template",
            "paper-notes",
            "--topic",
            "linear-algebra",
            "--tag",
            "transformers",
            "--date",
            "2026-03-01",
            "--no-edit",
        ],
    )
    assert result.exit_code == 0, result.output
    relpath = result.output.strip()
    document = parse_document((journal.root / relpath).read_bytes())
    assert document.metadata["tags"] == ["paper", "transformers"]
    assert "**Paper:** Attention Is All You Need" in document.body
    assert "**Read on:** 2026-03-01" in document.body
    assert "**Roadmap topic:** Linear algebra" in document.body
    assert "{{" not in document.body
    found = runner.invoke(main, ["-j", str(journal.root), "search", "tag:paper"])
    assert relpath in found.output


def test_new_with_a_template_and_a_piped_body_keeps_both(runner: CliRunner, journal: Journal) -> None:
    result = runner.invoke(
        main,
        ["-j", str(journal.root), "new", "Week one", "--template", "project-log"],
        input="Piped notes.\n",
    )
    assert result.exit_code == 0, result.output
    body = (journal.root / result.output.strip()).read_text()
    assert "## Goal" in body and body.endswith("Piped notes.\n")


def test_an_unknown_template_is_refused_with_the_list_of_names(runner: CliRunner, journal: Journal) -> None:
    before = sorted(journal.entries_dir.iterdir())
    result = runner.invoke(main, ["-j", str(journal.root), "new", "X", "--template", "nope", "--no-edit"])
    assert result.exit_code == 1
    assert "No template named 'nope'. Templates: daily, paper-notes, project-log." in result.output
    assert sorted(journal.entries_dir.iterdir()) == before


def test_a_template_name_matches_regardless_of_case_and_never_leaves_the_folder(journal: Journal) -> None:
    assert load_template(journal, "Paper-Notes").name == "paper-notes"
    (journal.root / "secret.md").write_text("not a template\n")
    with pytest.raises(TemplateError):
        load_template(journal, "../secret")


# -- quick capture -----------------------------------------------------------------------------------------------


def test_add_starts_todays_daily_note_from_the_daily_template(runner: CliRunner, journal: Journal) -> None:
    template = journal.root / "templates" / "daily.md"
    template.write_text("---\ntags: [log]\n---\n## {{title}} log\n", encoding="utf-8")
    captured = add_to_daily(journal, "Read about attention", tags=["transformers"], clock=lambda: MORNING)
    assert captured.path == DAILY and captured.created
    document = parse_document((journal.root / DAILY).read_bytes())
    assert document.metadata["title"] == "Daily log 2026-03-01"
    assert document.metadata["tags"] == ["log", "transformers"]
    assert document.body.endswith(
        "## Daily log 2026-03-01 log\n\n- 09:05 Read about attention #transformers\n"
    )


def test_add_keeps_every_byte_of_the_note_and_its_line_endings(journal: Journal) -> None:
    original = (
        b"---\r\ntitle: Mine\r\ntags: [daily]\r\n---\r\n\r\nNotes \xe2\x80\x94 kept.\r\n- 08:00 earlier"
    )
    (journal.root / DAILY).write_bytes(original)
    add_to_daily(journal, "later", clock=lambda: at(10, 15))
    assert (journal.root / DAILY).read_bytes() == original + b"\r\n- 10:15 later\r\n"


def test_add_with_a_new_tag_changes_only_the_tags_field(journal: Journal) -> None:
    original = "---\ntitle: Mine  # my comment\ntags: [daily]\n---\n\nBody.\n"
    (journal.root / DAILY).write_text(original)
    add_to_daily(journal, "one", tags=["#numpy", "daily"], clock=lambda: at(11, 0))
    text = (journal.root / DAILY).read_text()
    assert "title: Mine  # my comment\n" in text
    assert parse_document(text.encode()).metadata["tags"] == ["daily", "numpy"]
    assert text.endswith("\nBody.\n- 11:00 one #numpy #daily\n")


def test_multi_line_text_stays_in_one_list_item() -> None:
    assert (
        capture_line("first\r\nsecond\n\nthird\n", ["til"], MORNING)
        == "- 09:05 first\n  second\n\n  third #til"
    )


@pytest.mark.parametrize(
    ("text", "tags", "message"),
    [
        ("   ", [], "Nothing to add"),
        ("evil \x1b[31m red", [], "control characters"),
        ("fine", ["two words"], "can't hold spaces"),
    ],
)
def test_bad_captures_are_refused_and_change_nothing(
    journal: Journal, text: str, tags: list[str], message: str
) -> None:
    (journal.root / DAILY).write_text("---\ntitle: Mine\n---\n")
    with pytest.raises(StoreError, match=message):
        add_to_daily(journal, text, tags=tags, clock=lambda: MORNING)
    assert (journal.root / DAILY).read_text() == "---\ntitle: Mine\n---\n"


def test_add_refuses_a_note_that_is_not_utf8(journal: Journal) -> None:
    (journal.root / DAILY).write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    with pytest.raises(StoreError, match="not UTF-8"):
        add_to_daily(journal, "x", clock=lambda: MORNING)
    assert (journal.root / DAILY).read_bytes() == b"---\ntitle: Caf\xe9\n---\n"


def test_add_from_the_command_line_and_from_stdin(runner: CliRunner, journal: Journal) -> None:
    first = runner.invoke(main, ["-j", str(journal.root), "add", "Backprop", "clicked", "--tag", "dl"])
    assert first.exit_code == 0, first.output
    (path,) = journal.entries_dir.glob("*-daily.md")
    assert first.output.startswith("Started entries/") and path.name in first.output
    second = runner.invoke(main, ["-j", str(journal.root), "add"], input="from a pipe\n")
    assert second.exit_code == 0, second.output
    assert second.output.startswith("Added to entries/")
    lines = [line for line in path.read_text().splitlines() if line.startswith("- ")]
    assert [line[8:] for line in lines] == ["Backprop clicked #dl", "from a pipe"]
    found = runner.invoke(main, ["-j", str(journal.root), "search", "tag:dl"])
    assert path.name in found.output  # the note was re-indexed with its new tag
    refused = runner.invoke(main, ["-j", str(journal.root), "add"], input="")
    assert refused.exit_code == 1 and "Nothing to add" in refused.output


def test_a_template_saved_with_windows_line_ends_gives_one_kind_of_line_end(journal: Journal) -> None:
    (journal.root / "templates" / "win.md").write_bytes(
        b"---\r\ntags: [w]\r\n---\r\n\r\n## {{title}}\r\n\r\nText\r\n"
    )
    template = load_template(journal, "win")
    assert template.tags == ("w",)
    assert template.fill(title="T") == "## T\n\nText\n"
