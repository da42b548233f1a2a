"""`mljournal sync` with real git: a bare repository and two clones play two machines."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core import locking
from mljournal.core.entries.new import create_entry
from mljournal.core.gitsync import SyncError, open_repository, sync_journal
from mljournal.core.journal import Journal
from mljournal.core.roadmap import add_topic, load_roadmap, set_status
from mljournal.core.services.setup import init_journal

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def fixed_clock() -> datetime:
    return datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _git_ignores_the_users_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # A signing key or a hook in someone's ~/.gitconfig must not change what these tests see.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def identify(root: Path, name: str) -> None:
    git(root, "config", "user.name", name)
    git(root, "config", "user.email", f"{name.lower()}@example.com")


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(path))
    return path


@pytest.fixture
def machines(tmp_path: Path, remote: Path) -> tuple[Journal, Journal]:
    """Machine A made the journal and synced it; machine B is a clone of the remote."""
    a = tmp_path / "a"
    init_journal(a)
    git(a, "init", "--quiet", "--initial-branch=main")
    identify(a, "A")
    git(a, "remote", "add", "origin", str(remote))
    create_entry(Journal(a), title="First note", body="Started.\n", date=fixed_clock())
    sync_journal(Journal(a))
    git(tmp_path, "clone", "--quiet", str(remote), "b")
    identify(tmp_path / "b", "B")
    return Journal(a), Journal(tmp_path / "b")


FIRST = "entries/2026-03-01-first-note.md"


def tracked(journal: Journal) -> list[str]:
    return git(journal.root, "ls-files").split()


def no_conflict_markers(journal: Journal) -> bool:
    return not any(
        b"<<<<<<<" in path.read_bytes() or b">>>>>>>" in path.read_bytes()
        for path in journal.root.rglob("*")
        if path.is_file() and ".git" not in path.parts
    )


def status_of(journal: Journal, topic_id: str, path: Path | None = None) -> str:
    roadmap, problems = load_roadmap(path or journal.roadmap_path)
    assert not problems
    topic = roadmap.find(topic_id)
    assert topic is not None
    return topic.status


def test_an_entry_made_on_one_machine_appears_on_the_other_both_ways(
    machines: tuple[Journal, Journal],
) -> None:
    a, b = machines
    assert (b.root / FIRST).read_bytes() == (a.root / FIRST).read_bytes()
    second = create_entry(a, title="Second note", body="From A.\n", date=fixed_clock())
    result = sync_journal(a)
    assert result.committed == "mljournal sync: 1 entry added"
    assert result.pushed
    assert git(a.root, "log", "-1", "--format=%s").strip() == "mljournal sync: 1 entry added"
    pulled = sync_journal(b)
    assert second in pulled.pulled
    assert (b.root / second).read_bytes() == (a.root / second).read_bytes()

    (b.root / FIRST).write_text((b.root / FIRST).read_text() + "More from B.\n")
    third = create_entry(b, title="Third note", body="From B.\n", date=fixed_clock())
    assert sync_journal(b).committed == "mljournal sync: 1 entry added, 1 changed"
    set_status(b.roadmap_path, "calculus", "done")
    (b.root / ".gitignore").write_text("*.pyc\n.mljournal/\n.mljournal-tmp-*\n")
    assert sync_journal(b).committed == "mljournal sync: roadmap, .gitignore"
    sync_journal(a)
    assert (a.root / third).read_text().endswith("From B.\n")
    assert "More from B." in (a.root / FIRST).read_text()


def test_the_same_entry_changed_on_both_machines_keeps_both_versions(
    machines: tuple[Journal, Journal],
) -> None:
    a, b = machines
    (a.root / FIRST).write_text((a.root / FIRST).read_text() + "Words written on A.\n")
    (b.root / FIRST).write_text((b.root / FIRST).read_text() + "Words written on B.\n")
    sync_journal(a)
    result = sync_journal(b, clock=fixed_clock)

    copy = "entries/2026-03-01-first-note-conflict-20260301-093000.md"
    assert [(kept.path, kept.copy) for kept in result.kept_both] == [(FIRST, copy)]
    assert "Words written on B." in (b.root / FIRST).read_text()
    assert "Words written on A." in (b.root / copy).read_text()
    assert no_conflict_markers(b)
    assert git(b.root, "status", "--porcelain") == ""  # merged and committed, not left mid-merge
    assert result.pushed
    sync_journal(a)
    assert (a.root / copy).read_text() == (b.root / copy).read_text()
    assert no_conflict_markers(a)


def test_sync_names_the_files_that_need_a_look(machines: tuple[Journal, Journal]) -> None:
    a, b = machines
    (a.root / FIRST).write_text("A rewrote it.\n")
    (b.root / FIRST).write_text("B rewrote it.\n")
    sync_journal(a)
    result = CliRunner().invoke(main, ["-j", str(b.root), "sync"])
    assert result.exit_code == 0, result.output
    assert f"Needs a look: {FIRST}" in result.output
    assert "-conflict-" in result.output
    assert "1 file needs a look" in result.output


def test_roadmap_edits_to_different_topics_merge(machines: tuple[Journal, Journal]) -> None:
    a, b = machines
    set_status(a.roadmap_path, "linear-algebra", "done")
    set_status(b.roadmap_path, "deep-learning", "learning")
    sync_journal(a)
    result = sync_journal(b)
    assert result.kept_both == []
    assert status_of(b, "linear-algebra") == "done"
    assert status_of(b, "deep-learning") == "learning"
    assert not list(b.root.glob("roadmap-conflict-*"))


def test_roadmap_edits_to_the_same_topic_keep_the_other_side_beside_it(
    machines: tuple[Journal, Journal],
) -> None:
    a, b = machines
    set_status(a.roadmap_path, "calculus", "done")
    set_status(b.roadmap_path, "calculus", "skipped")
    sync_journal(a)
    result = sync_journal(b, clock=fixed_clock)
    copy = b.root / "roadmap-conflict-20260301-093000.yaml"
    assert [kept.copy for kept in result.kept_both] == [copy.name]
    assert status_of(b, "calculus") == "skipped"
    assert status_of(b, "calculus", copy) == "done"
    assert no_conflict_markers(b)


def test_a_roadmap_that_merges_as_text_but_repeats_an_id_stays_ours(
    machines: tuple[Journal, Journal],
) -> None:
    a, b = machines
    add_topic(a.roadmap_path, "foundations", "Attention", id="attention")
    add_topic(b.roadmap_path, "deep-learning", "Attention", id="attention")
    sync_journal(a)
    result = sync_journal(b, clock=fixed_clock)
    copy = b.root / "roadmap-conflict-20260301-093000.yaml"
    assert [kept.copy for kept in result.kept_both] == [copy.name]
    roadmap, problems = load_roadmap(b.roadmap_path)
    assert problems == []
    attention = roadmap.find("attention")
    assert attention is not None and attention.parent == "deep-learning"
    theirs = load_roadmap(copy)[0].find("attention")
    assert theirs is not None and theirs.parent == "foundations"


def test_offline_commits_locally_and_says_so(machines: tuple[Journal, Journal], remote: Path) -> None:
    a, _b = machines
    shutil.rmtree(remote)
    create_entry(a, title="Written on a train", body="No network.\n", date=fixed_clock())
    result = CliRunner().invoke(main, ["-j", str(a.root), "sync"])
    assert result.exit_code == 0, result.output
    assert "Committed locally" in result.output
    assert "could not reach origin" in result.output
    assert result.output.count("\n") < 8 and "Traceback" not in result.output
    assert git(a.root, "status", "--porcelain") == ""
    assert "entries/2026-03-01-written-on-a-train.md" in tracked(a)


def test_no_remote_commits_locally_and_says_how_to_add_one(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j")
    init_journal(journal.root)
    git(journal.root, "init", "--quiet")
    identify(journal.root, "Solo")
    result = sync_journal(journal)
    assert result.committed
    assert result.offline is not None and "git remote add origin" in result.offline
    assert "roadmap.yaml" in tracked(journal)


def test_the_index_and_trash_never_enter_git(machines: tuple[Journal, Journal]) -> None:
    a, _b = machines
    (a.root / ".gitignore").write_bytes(b"*.pyc")  # no final newline: kept as it is, then extended
    (a.root / ".mljournal" / "trash" / "x").mkdir(parents=True)
    (a.root / ".mljournal" / "trash" / "x" / "old.md").write_text("deleted entry\n")
    (a.root / "entries" / ".mljournal-tmp-abc.tmp").write_text("half a save")
    create_entry(a, title="Another", body="x\n", date=fixed_clock())
    sync_journal(a)
    files = tracked(a)
    assert not [path for path in files if path.startswith(".mljournal") or "/.mljournal" in path]
    ignore = (a.root / ".gitignore").read_text()
    assert ignore.startswith("*.pyc\n") and ".mljournal/" in ignore.splitlines()
    assert sync_journal(a).committed is None  # the .gitignore edit was committed too


def test_other_staged_files_stay_out_of_the_sync_commit(machines: tuple[Journal, Journal]) -> None:
    a, _b = machines
    (a.root / "notes.txt").write_text("not journal\n")
    git(a.root, "add", "notes.txt")
    create_entry(a, title="Another", body="x\n", date=fixed_clock())
    sync_journal(a)
    assert "notes.txt" not in git(a.root, "show", "--name-only", "--format=", "HEAD")
    assert git(a.root, "status", "--porcelain").strip() == "A  notes.txt"


def test_an_entry_deleted_on_one_machine_and_changed_on_the_other_is_kept(
    machines: tuple[Journal, Journal],
) -> None:
    a, b = machines
    (a.root / FIRST).unlink()
    (b.root / FIRST).write_text("B still needs this.\n")
    sync_journal(a)
    result = sync_journal(b)
    assert (b.root / FIRST).read_text() == "B still needs this.\n"
    assert [kept.path for kept in result.kept_both] == [FIRST]
    sync_journal(a)
    assert (a.root / FIRST).read_text() == "B still needs this.\n"


def test_a_folder_that_is_not_a_repository_is_told_how_to_start(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j")
    init_journal(journal.root)
    with pytest.raises(SyncError, match="sync --init"):
        sync_journal(journal)
    result = CliRunner().invoke(main, ["-j", str(journal.root), "sync"])
    assert result.exit_code == 1
    assert "not a git repository" in result.output and "Traceback" not in result.output


def test_sync_init_makes_the_repository_and_pushes_to_the_remote(tmp_path: Path, remote: Path) -> None:
    root = tmp_path / "j"
    init_journal(root)
    create_entry(Journal(root), title="First note", body="x\n", date=fixed_clock())
    # Identity from the environment: `sync --init` makes the repository, so its config can't be set first.
    env = {
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    result = CliRunner(env=env).invoke(main, ["-j", str(root), "sync", "--init", "--remote", str(remote)])
    assert result.exit_code == 0, result.output
    assert "pushed to origin" in result.output
    (branch,) = git(remote, "for-each-ref", "--format=%(refname)", "refs/heads").split()
    assert FIRST in git(remote, "ls-tree", "-r", "--name-only", branch)


def test_a_missing_git_identity_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal(tmp_path / "j")
    init_journal(journal.root)
    git(journal.root, "init", "--quiet")
    # Without this git may make up an identity from the host name, as it would on a real machine.
    git(journal.root, "config", "user.useConfigOnly", "true")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SyncError, match="git doesn't know who you are"):
        sync_journal(journal)


def test_git_runs_without_prompts_and_ssh_in_batch_mode(
    machines: tuple[Journal, Journal], remote: Path
) -> None:
    a, _b = machines
    repo = open_repository(a)
    repo.network("ls-remote", "--quiet", str(remote))
    assert repo.env["GIT_TERMINAL_PROMPT"] == "0"
    assert repo.env["GIT_SSH_COMMAND"] == "ssh -o BatchMode=yes"
    git(a.root, "config", "core.sshCommand", "ssh -i ~/.ssh/journal")
    configured = open_repository(a)
    configured.network("ls-remote", "--quiet", str(remote))
    assert (
        "GIT_SSH_COMMAND" not in configured.env or configured.env["GIT_SSH_COMMAND"] != "ssh -o BatchMode=yes"
    )


def test_a_remote_folder_given_relative_to_the_current_folder(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "j"
    init_journal(root)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "T")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "t@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "T")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@example.com")
    result = CliRunner().invoke(main, ["-j", str(root), "sync", "--init", "--remote", "remote.git"])
    assert result.exit_code == 0, result.output
    assert git(root, "remote", "get-url", "origin").strip() == str(remote)


def test_a_conflict_outside_the_journals_files_aborts_the_merge(machines: tuple[Journal, Journal]) -> None:
    a, b = machines
    for journal, words in ((a, "A's notes\n"), (b, "B's notes\n")):
        (journal.root / "notes.txt").write_text(words)
        git(journal.root, "add", "notes.txt")
        git(journal.root, "commit", "--quiet", "-m", "notes")
    (b.root / FIRST).write_text("B's entry edit\n")
    sync_journal(a)
    with pytest.raises(SyncError, match=r"files mljournal doesn't manage \(notes.txt\)"):
        sync_journal(b)
    assert not (b.root / ".git" / "MERGE_HEAD").exists()
    assert git(b.root, "status", "--porcelain") == ""
    assert (b.root / FIRST).read_text() == "B's entry edit\n"  # committed before the pull, still there


def test_a_merge_git_refuses_to_start_leaves_everything_committed(machines: tuple[Journal, Journal]) -> None:
    a, b = machines
    (a.root / "notes.txt").write_text("v1\n")
    git(a.root, "add", "notes.txt")
    git(a.root, "commit", "--quiet", "-m", "notes")
    sync_journal(a)
    sync_journal(b)
    (a.root / "notes.txt").write_text("v2 from A\n")
    git(a.root, "commit", "--quiet", "-am", "notes v2")
    sync_journal(a)
    (b.root / "notes.txt").write_text("B's uncommitted edit\n")
    create_entry(b, title="On B", body="x\n", date=fixed_clock())
    with pytest.raises(SyncError, match="Could not merge origin/main"):
        sync_journal(b)
    assert not (b.root / ".git" / "MERGE_HEAD").exists()
    assert (b.root / "notes.txt").read_text() == "B's uncommitted edit\n"
    assert "entries/2026-03-01-on-b.md" in tracked(b)


def test_sync_refuses_to_start_in_the_middle_of_a_rebase(machines: tuple[Journal, Journal]) -> None:
    a, _b = machines
    (a.root / ".git" / "rebase-merge").mkdir()
    with pytest.raises(SyncError, match="middle of a merge or rebase"):
        sync_journal(a)


def test_sync_waits_for_the_journals_write_lock(
    machines: tuple[Journal, Journal], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = machines
    create_entry(a, title="Being saved", body="x\n", date=fixed_clock())
    monkeypatch.setattr(locking, "LOCK_WAIT_SECONDS", 0.05)
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with locking.journal_lock(a.root):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert holding.wait(30)
        with pytest.raises(locking.JournalBusyError):
            sync_journal(a)
        assert "entries/2026-03-01-being-saved.md" not in tracked(a)
    finally:
        release.set()
        holder.join()
    assert sync_journal(a).committed == "mljournal sync: 1 entry added"


def test_without_git_sync_says_it_needs_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "j"
    init_journal(root)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = CliRunner().invoke(main, ["-j", str(root), "sync"])
    assert result.exit_code == 1
    assert "Sync needs git, and git is not installed" in result.output
    usage = CliRunner().invoke(main, ["-j", str(root), "sync", "--remote", "x"])
    assert usage.exit_code == 2 and "--remote goes with --init" in usage.output
