"""Files that are not what their names say: pipes and sockets named `*.md`, names that are not UTF-8, huge bodies.

None of them may hang a command or the app, break the rest of the journal, or be changed; `check` names each.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from reliability_helpers import entry_text, within, write_files

from mljournal.cli import main
from mljournal.core.index import Index, load_for_index
from mljournal.core.journal import Journal
from mljournal.core.services.move_topic import move_topic

PLAIN = "entries/2024-03-01-plain.md"
OTHER = "entries/2024-03-02-other.md"
ROADMAP = "topics:\n  - id: basics\n    title: Basics\n"


def run(journal: Journal, *args: str) -> Result:
    """A CLI command that must answer; a blocked read fails the test instead of hanging the suite."""
    return within(60, lambda: CliRunner().invoke(main, ["-j", str(journal.root), *args]))


def plain_journal(root: Path) -> Journal:
    return write_files(
        root,
        {
            PLAIN: entry_text("Plain", "gradient words", tags="[ml, basics]"),
            OTHER: entry_text("Other", "more gradient words", tags="[ml]").replace(
                "tags:", "topics: [basics]\ntags:"
            ),
            "roadmap.yaml": ROADMAP,
        },
    )


# -- pipes, sockets and devices named like entries -------------------------------------------------------------


@pytest.fixture
def odd_files_journal(tmp_path: Path) -> Iterator[Journal]:
    journal = plain_journal(tmp_path / "j")
    os.mkfifo(journal.entries_dir / "x.md")
    os.mkfifo(journal.entries_dir / "2024-01-01-pipe.markdown")
    (journal.entries_dir / "sub").mkdir()
    # A socket's path must be short: bind it from inside the folder.
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = os.getcwd()
    os.chdir(journal.entries_dir / "sub")
    try:
        listener.bind("s.md")
    finally:
        os.chdir(cwd)
    # A folder named like an entry is a folder: the entry in it is indexed like any other.
    (journal.entries_dir / "folder.md").mkdir()
    (journal.entries_dir / "folder.md" / "2024-03-03-inside.md").write_text(
        entry_text("Inside", "gradient inside"), encoding="utf-8"
    )
    yield journal
    listener.close()


def test_index_search_tags_and_check_answer_beside_a_fifo(
    odd_files_journal: Journal, clean_env: None
) -> None:
    journal = odd_files_journal
    indexed = run(journal, "index")
    assert indexed.exit_code == 0, indexed.output
    assert "3 added" in indexed.output
    searched = run(journal, "search", "gradient")
    assert searched.exit_code == 0, searched.output
    assert all(path in searched.output for path in (PLAIN, OTHER, "entries/folder.md/2024-03-03-inside.md"))
    tags = run(journal, "tags")
    assert tags.exit_code == 0 and "ml" in tags.output
    checked = run(journal, "check")
    assert checked.exit_code == 1, checked.output
    assert "entries/x.md: Not read: it is a named pipe (FIFO), not a regular file." in checked.output
    assert "entries/2024-01-01-pipe.markdown: Not read: it is a named pipe (FIFO)" in checked.output
    assert "entries/sub/s.md: Not read: it is a socket" in checked.output
    assert "folder.md:" not in checked.output
    assert "Traceback" not in checked.output
    # `roadmap move` walks the entries too, and rewrites only the real one.
    result = within(
        60, lambda: move_topic(journal.roadmap_path, "basics", "foundations", entries_dir=journal.entries_dir)
    )
    assert result.rewritten == [OTHER]


@pytest.mark.parametrize("name", ["roadmap.yaml", "mljournal.toml"])
def test_a_fifo_for_the_roadmap_or_the_settings_is_named_not_waited_for(
    tmp_path: Path, clean_env: None, name: str
) -> None:
    journal = plain_journal(tmp_path / "j")
    (journal.root / name).unlink(missing_ok=True)
    os.mkfifo(journal.root / name)
    searched = run(journal, "search", "topic:basics gradient")
    assert searched.exit_code == 0, searched.output
    checked = run(journal, "check")
    assert checked.exit_code == 1, checked.output
    assert "it is a named pipe (FIFO), not a regular file" in checked.output
    assert "Traceback" not in checked.output
    if name == "roadmap.yaml":
        refused = run(journal, "roadmap", "set", "basics", "done")
        assert refused.exit_code == 1 and "named pipe" in refused.output, refused.output


def test_a_file_swapped_for_a_fifo_after_the_scan_is_not_waited_for(tmp_path: Path) -> None:
    """The walker checks the type, but a file can become a pipe between the listing and the read."""
    root = tmp_path / "j"
    (root / "entries").mkdir(parents=True)
    os.mkfifo(root / "entries" / "late.md")
    entry, digest = within(60, lambda: load_for_index(str(root), "entries/late.md", 0.0))
    assert digest == ""
    assert [(p.code, p.message) for p in entry.problems] == [
        ("unreadable", "The file could not be read: it is a named pipe (FIFO), not a regular file.")
    ]


def test_import_skips_a_fifo_and_a_name_that_is_not_utf8_and_says_why(
    tmp_path: Path, clean_env: None
) -> None:
    journal = write_files(tmp_path / "j", {})
    source = tmp_path / "blog"
    source.mkdir()
    (source / "ok.md").write_text(entry_text("Ok", "imported words"), encoding="utf-8")
    os.mkfifo(source / "pipe.md")
    with open(os.path.join(os.fsencode(source), b"caf\xe9.md"), "wb") as handle:
        handle.write(entry_text("Cafe", "words").encode())
    result = run(journal, "import", str(source))
    assert result.exit_code == 0, result.output
    assert f"skipped {source}/pipe.md: could not be read: it is a named pipe (FIFO)" in result.output
    assert f"skipped {source}/caf\ufffd.md: its name is not valid UTF-8" in result.output
    assert "Copied 1 file; skipped 2." in result.output
    assert sorted(os.listdir(journal.entries_dir / "blog")) == ["ok.md"]


# -- file names that are not UTF-8 ---------------------------------------------------------------------------

BAD_NAME = os.fsencode("entries/") + b"caf\xe9.md"
BAD_FOLDER = os.fsencode("entries/") + b"d\xe9j\xe0"


@pytest.fixture
def odd_names_journal(tmp_path: Path) -> Journal:
    journal = plain_journal(tmp_path / "j")
    root = os.fsencode(journal.root)
    with open(os.path.join(root, BAD_NAME), "wb") as handle:
        handle.write(entry_text("Cafe", "gradient in a badly named file").encode())
    os.mkdir(os.path.join(root, BAD_FOLDER))
    with open(os.path.join(root, BAD_FOLDER, b"2024-01-01-ok.md"), "wb") as handle:
        handle.write(entry_text("Inside", "gradient in a badly named folder").encode())
    return journal


def test_a_name_that_is_not_utf8_is_named_by_check_and_the_rest_works(
    odd_names_journal: Journal, clean_env: None
) -> None:
    journal = odd_names_journal
    before = {
        name: os.stat(os.path.join(os.fsencode(journal.root), name)).st_mtime_ns for name in (BAD_NAME,)
    }
    for args in (["index"], ["search", "gradient"], ["tags"], ["index", "--rebuild"]):
        result = run(journal, *args)
        assert result.exit_code == 0, f"{args}: {result.output}"
        assert "Traceback" not in result.output and "UnicodeEncodeError" not in result.output
    searched = run(journal, "search", "gradient")
    assert PLAIN in searched.output and OTHER in searched.output
    checked = run(journal, "check")
    assert checked.exit_code == 1, checked.output
    assert "entries/caf\ufffd.md: Not indexed: the file name is not valid UTF-8" in checked.output
    assert "entries/d\ufffdj\ufffd: Not indexed: the folder name is not valid UTF-8" in checked.output
    # Skipped, never renamed or rewritten.
    assert os.stat(os.path.join(os.fsencode(journal.root), BAD_NAME)).st_mtime_ns == before[BAD_NAME]


def test_the_watcher_passing_a_name_that_is_not_utf8_changes_nothing(odd_names_journal: Journal) -> None:
    with Index(odd_names_journal) as index:
        index.sync()
        report = index.refresh([os.fsdecode(BAD_NAME), PLAIN])
        assert report.updated == [PLAIN]
        assert index.total() == 2


@pytest.mark.anyio
async def test_the_app_lists_the_journal_beside_odd_names_and_a_fifo(odd_names_journal: Journal) -> None:
    from test_hostile_tui import settle

    from mljournal.tui.app import make_app
    from mljournal.tui.widgets.entry_list import EntryList

    journal = odd_names_journal
    fifo = journal.entries_dir / "x.md"
    os.mkfifo(fifo)
    app = make_app(journal, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC), watch=False)
    async with app.run_test(size=(140, 40)) as pilot:
        try:
            screen = await asyncio.wait_for(settle(pilot), 60)
            assert screen.query_one(EntryList).total == 2
            # The watcher reporting the pipe and the odd name must not block or break the app either.
            odd = Path(os.fsdecode(os.path.join(os.fsencode(journal.root), BAD_NAME)))
            screen.handle_file_changes([fifo, odd])
            screen = await asyncio.wait_for(settle(pilot), 60)
            assert screen.query_one(EntryList).total == 2
            assert not [w for w in app.workers if w.error is not None]
        finally:
            release_readers(fifo)


def release_readers(fifo: Path) -> None:
    """Give EOF to anything blocked reading `fifo`, so a failing test ends instead of hanging at exit."""
    with contextlib.suppress(OSError):  # ENXIO: nobody is reading it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- a huge entry --------------------------------------------------------------------------------------------

# Run in a child of the test process: its own peak resident size (RUSAGE_SELF, in KiB on Linux) is what
# indexing cost, whatever else the test session has run before.
PEAK_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from mljournal.core.index import Index
    from mljournal.core.journal import Journal

    with Index(Journal(Path(sys.argv[1]))) as index:
        index.sync()
        print(index.total(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    """
)


@pytest.mark.slow
def test_indexing_a_huge_entry_takes_at_most_four_times_its_size(tmp_path: Path) -> None:
    """Memory, measured as the peak resident size of a child process that indexes a 100 MB entry."""
    journal = write_files(tmp_path / "j", {PLAIN: entry_text("Plain", "gradient")})
    huge = journal.entries_dir / "2024-04-01-huge.md"
    line = "tokens of a pasted training log, epoch loss accuracy gradient norm 0.1234\n"
    with open(huge, "w", encoding="utf-8") as handle:
        handle.write("---\ntitle: Huge log\ndate: 2024-04-01\n---\n\nneedle at the start\n")
        for _ in range(100 * 1024 * 1024 // len(line)):
            handle.write(line)
    size = huge.stat().st_size
    before = file_identity(huge)
    child = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(journal.root)], capture_output=True, text=True, check=False
    )
    assert child.returncode == 0, child.stderr
    total, peak = child.stdout.split()
    assert total == "2"
    peak_bytes = int(peak)
    assert peak_bytes <= 4 * size, f"peak {peak_bytes / 2**20:.0f} MB for a {size / 2**20:.0f} MB file"
    with Index(journal) as index:
        assert [hit.row.path for hit in index.search("needle").hits] == ["entries/2024-04-01-huge.md"]
        problems = [(path, p.code, p.message) for path, p in index.problems()]
    assert problems == [
        (
            "entries/2024-04-01-huge.md",
            "indexed-partly",
            "The file is 100 MB: only its first 8 MB are indexed, so search finds words in"
            " that part only (the file itself is untouched).",
        )
    ]
    assert file_identity(huge) == before


def file_identity(path: Path) -> tuple[str, int, int]:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    stat = path.stat()
    return digest, stat.st_size, stat.st_mtime_ns
