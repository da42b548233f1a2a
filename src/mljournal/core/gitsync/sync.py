"""The whole round: open (or start) the repository, commit, fetch, merge, push; a `SyncResult` says how it went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mljournal.core.dates import local_now
from mljournal.core.gitsync.commit import GITIGNORE, IGNORED, Progress, commit_changes, ensure_gitignore
from mljournal.core.gitsync.merge import KeptBoth, has_commit, head_commit, merge_remote
from mljournal.core.gitsync.runner import Git, NetworkTrouble, SyncError
from mljournal.core.journal import Journal
from mljournal.core.locking import journal_lock


@dataclass(slots=True)
class SyncResult:
    """What a sync did, for the CLI and the app to report."""

    committed: str | None = None
    """The subject of the commit made from local changes; None when nothing had changed."""
    remote: str | None = None
    pulled: list[str] = field(default_factory=list)
    """Journal-relative paths the pull changed (to re-index)."""
    kept_both: list[KeptBoth] = field(default_factory=list)
    pushed: bool = False
    offline: str | None = None
    """Why nothing was exchanged with a remote (no remote, no network, push refused), in one line."""

    def summary(self) -> str:
        """One line saying how it went."""
        parts = [f"committed ({self.committed})" if self.committed else "nothing new to commit"]
        if self.pulled:
            parts.append(f"{len(self.pulled)} file{'s' if len(self.pulled) != 1 else ''} pulled")
        if self.pushed:
            parts.append(f"pushed to {self.remote}")
        if self.kept_both:
            count = len(self.kept_both)
            parts.append(f"{count} file{' needs' if count == 1 else 's need'} a look")
        if self.offline:
            done = f"Committed locally ({self.committed})" if self.committed else "Nothing new to commit"
            return f"{done}; not synced: {self.offline}"
        return "Synced: " + ", ".join(parts) + "."


def _quiet(step: str) -> None:
    del step


def open_repository(journal: Journal) -> Git:
    """The git repository holding the journal; SyncError (saying how to start one) when there is none."""
    git = Git.find(journal.root)
    if git.maybe("rev-parse", "--is-inside-work-tree") != "true":
        raise SyncError(
            f"{journal.root} is not a git repository yet. Start one with "
            "`mljournal sync --init --remote URL` (or `git init` and `git remote add origin URL`)."
        )
    git.prefix = git.text("rev-parse", "--show-prefix")
    git_dir = Path(git.text("rev-parse", "--absolute-git-dir"))
    if git.merging() or (git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists():
        raise SyncError(
            "The journal's repository is in the middle of a merge or rebase: finish or abort it with git first."
        )
    return git


def init_repository(journal: Journal, *, remote_url: str | None = None, progress: Progress = _quiet) -> None:
    """Make the journal a git repository (unless it is in one) and add `remote_url` as `origin` if given."""
    git = Git.find(journal.root)
    if git.maybe("rev-parse", "--is-inside-work-tree") != "true":
        progress(f"Creating a git repository in {journal.root}…")
        git.run("init", "--quiet")
    ensure_gitignore(journal)
    if remote_url:
        existing = git.maybe("remote", "get-url", "origin")
        if existing is None:
            progress(f"Adding the remote origin: {remote_url}")
            git.run("remote", "add", "origin", "--", remote_url)
        elif existing != remote_url:
            raise SyncError(
                f"This repository's origin is already {existing}; change it with git remote set-url."
            )


@dataclass(frozen=True, slots=True)
class Upstream:
    """The remote and branch a sync pulls from and pushes to."""

    remote: str
    branch: str
    """The branch on the remote."""
    configured: bool
    """True when the local branch already tracks it (else the first push sets that up)."""

    @property
    def tracking_ref(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"


def find_upstream(git: Git) -> Upstream | str:
    """Where to pull from and push to, or the reason there is nowhere."""
    branch = git.maybe("symbolic-ref", "--quiet", "--short", "HEAD")
    if branch is None:
        return "HEAD is detached (no branch is checked out), so there is nothing to push; check out a branch."
    remote = git.maybe("config", "--get", f"branch.{branch}.remote")
    merge = git.maybe("config", "--get", f"branch.{branch}.merge")
    if remote and merge and merge.startswith("refs/heads/"):
        return Upstream(remote, merge.removeprefix("refs/heads/"), configured=True)
    remotes = (git.maybe("remote") or "").split()
    if not remotes:
        return "this repository has no remote. Add one with `git remote add origin URL`, then sync again."
    chosen = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else None
    if chosen is None:
        return f"several remotes ({', '.join(remotes)}) and none is origin: pick one with `git branch -u`."
    return Upstream(chosen, branch, configured=False)


def sync_journal(
    journal: Journal, *, progress: Progress = _quiet, clock: Callable[[], datetime] = local_now
) -> SyncResult:
    """Commit the journal's changes, pull (keeping both sides of any conflict) and push.

    No remote or no network is not an error: the changes are committed here and `offline` says why they went
    no further. Raises SyncError when sync can't start or a step fails in a way the user must look at.
    """
    git = open_repository(journal)
    result = SyncResult()
    # The journal's write lock is held while git reads or writes the journal's files (never while waiting on
    # the network), so no mljournal save lands half-way through a commit or a merge.
    with journal_lock(journal.root):
        if ensure_gitignore(journal):
            progress(f"Added {', '.join(IGNORED)} to {GITIGNORE}")
        result.committed = commit_changes(git, progress)
    if result.committed:
        progress(f"Committed: {result.committed}")
    upstream = find_upstream(git)
    if isinstance(upstream, str):
        result.offline = upstream
        return result
    result.remote = upstream.remote
    progress(f"Fetching from {upstream.remote}…")
    try:
        git.network("fetch", "--quiet", upstream.remote)
    except NetworkTrouble as trouble:
        result.offline = f"could not reach {upstream.remote} ({trouble})."
        return result
    remote_head = git.maybe("rev-parse", "-q", "--verify", upstream.tracking_ref)
    if remote_head is not None and not has_commit(git, remote_head):
        progress(f"Merging {upstream.remote}/{upstream.branch}…")
        with journal_lock(journal.root):
            merged = merge_remote(
                git, journal, upstream.tracking_ref, f"{upstream.remote}/{upstream.branch}", clock
            )
        result.pulled, result.kept_both = merged.pulled, merged.kept_both
    head = head_commit(git)
    if head is None or head == remote_head:
        return result
    progress(f"Pushing to {upstream.remote}…")
    push = ["push", "--quiet"]
    if upstream.configured:
        push += [upstream.remote, f"HEAD:refs/heads/{upstream.branch}"]
    else:
        push += ["--set-upstream", upstream.remote, upstream.branch]
    try:
        git.network(*push)
    except NetworkTrouble as trouble:
        result.offline = f"the push to {upstream.remote} failed ({trouble})."
        return result
    result.pushed = True
    return result
