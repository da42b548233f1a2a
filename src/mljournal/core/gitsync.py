"""Sync a journal between machines through git: commit what changed, pull, keep both sides of a conflict, push.

The `git` command line is the engine: a user with a second machine already has it and its credentials, and
every step is one they can inspect or redo by hand. Each call is a fixed argv (never a shell) with a timeout,
stdin closed and prompts turned off, so a missing password makes a step fail with a message instead of hanging.

Only the journal's own files enter git: `entries/`, `roadmap.yaml`, `mljournal.toml`, `templates/` and the
root `.gitignore`, which keeps out `.mljournal/` (the index and the trash) and half-written temp files.

When both machines changed the same file, no words are lost: this machine's version stays in place and the
other machine's is written beside it as `<name>-conflict-<time><suffix>` (the editor's "keep both" naming,
`store.save_as_copy`); entries never get conflict markers. A merge that can't be finished that way is aborted,
so the repository is never left half-merged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mljournal.core.atomic import TEMP_PREFIX, atomic_write_bytes
from mljournal.core.entry_templates import TEMPLATES_DIR
from mljournal.core.journal import (
    CONFIG_FILE,
    ENTRIES_DIR,
    ENTRY_SUFFIXES,
    ROADMAP_FILE,
    STATE_DIR,
    Journal,
    JournalError,
)

GITIGNORE = ".gitignore"
JOURNAL_PATHS = (ENTRIES_DIR, ROADMAP_FILE, CONFIG_FILE, TEMPLATES_DIR, GITIGNORE)
"""What `sync` commits, relative to the journal root; anything else in the folder is the user's business."""

IGNORED = (f"{STATE_DIR}/", f"{TEMP_PREFIX}*")
"""Lines the root .gitignore must hold: the index and trash, and temp files a crash may leave behind."""

LOCAL_TIMEOUT = 120.0
NETWORK_TIMEOUT = 120.0
"""Seconds before a git step is given up; generous, since a first push of a big journal takes a while."""


class SyncError(JournalError):
    """Sync could not go on; one sentence for the user. The journal's files are as they were, or committed."""


@dataclass(frozen=True, slots=True)
class KeptBoth:
    """A file both machines changed: `path` holds this machine's version, `copy` the other's (if written)."""

    path: str
    copy: str | None
    note: str


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


Progress = Callable[[str], None]


def _quiet(step: str) -> None:
    del step


def _now() -> datetime:
    return datetime.now().astimezone()


# -- running git ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Output:
    code: int
    out: bytes
    err: str

    def first_line(self) -> str:
        """The first line of git's complaint, without its `fatal:`/`error:` prefix."""
        for line in self.err.splitlines():
            line = line.strip()
            for prefix in ("fatal:", "error:", "remote:"):
                if line.startswith(prefix):
                    line = line[len(prefix) :].strip()
            if line and not line.startswith("hint:"):
                return line.rstrip(".")
        return f"git stopped with code {self.code}"


class _NetworkTrouble(Exception):
    """A fetch or push that could not reach the remote (offline, refused, timed out)."""


class Git:
    """The `git` command line run in the journal's folder, never through a shell, never prompting."""

    def __init__(self, root: Path, executable: str) -> None:
        self.root = root
        self.executable = executable
        self.env = dict(os.environ)
        # No prompt may wait for a user who isn't watching (the app runs sync in a thread).
        self.env.update(GIT_TERMINAL_PROMPT="0", GIT_MERGE_AUTOEDIT="no", GIT_EDITOR="true")
        self.prefix = ""
        """The journal's folder inside the repository (`""` at its top, else ending in `/`)."""

    @classmethod
    def find(cls, root: Path) -> Git:
        executable = shutil.which("git")
        if executable is None:
            raise SyncError("Sync needs git, and git is not installed (or not on PATH).")
        return cls(root, executable)

    def run(self, *args: str, timeout: float = LOCAL_TIMEOUT, check: bool = True) -> _Output:
        try:
            completed = subprocess.run(
                [self.executable, *args],
                cwd=self.root,
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise SyncError(f"git {args[0]} took longer than {timeout:.0f} s and was stopped.") from error
        except OSError as error:
            raise SyncError(f"Could not run git: {error.strerror or error}.") from error
        output = _Output(completed.returncode, completed.stdout, completed.stderr.decode("utf-8", "replace"))
        if check and output.code != 0:
            raise SyncError(_explain(args[0], output))
        return output

    def network(self, *args: str) -> _Output:
        """A step that talks to the remote: failing to reach it is `_NetworkTrouble`, not an error."""
        if not any(self.env.get(name) for name in ("GIT_SSH_COMMAND", "GIT_SSH")) and not self.maybe(
            "config", "--get", "core.sshCommand"
        ):
            # ssh asks for a passphrase on /dev/tty, past our closed stdin: batch mode fails instead of waiting
            # (in the app that prompt would land in the middle of the screen).
            self.env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        try:
            output = self.run(*args, timeout=NETWORK_TIMEOUT, check=False)
        except SyncError as error:
            raise _NetworkTrouble(str(error)) from error
        if output.code != 0:
            raise _NetworkTrouble(output.first_line())
        return output

    def text(self, *args: str) -> str:
        return os.fsdecode(self.run(*args).out).strip()

    def maybe(self, *args: str) -> str | None:
        """The output of a query that may legitimately fail (an unset option, an unborn branch)."""
        output = self.run(*args, check=False)
        return os.fsdecode(output.out).strip() if output.code == 0 else None

    def journal_path(self, repo_path: str) -> str | None:
        """A repository path as a journal-relative path, or None when it lies outside the journal."""
        if not repo_path.startswith(self.prefix):
            return None
        return repo_path[len(self.prefix) :]

    def merging(self) -> bool:
        return self.maybe("rev-parse", "-q", "--verify", "MERGE_HEAD") is not None


def _explain(command: str, output: _Output) -> str:
    if "Please tell me who you are" in output.err or "user.email" in output.err:
        return (
            'git doesn\'t know who you are yet: run `git config --global user.name "Your Name"` and '
            '`git config --global user.email "you@example.com"`, then sync again.'
        )
    return f"git {command} failed: {output.first_line()}."


def _split_z(raw: bytes) -> list[str]:
    return [os.fsdecode(part) for part in raw.split(b"\0") if part]


# -- setting up ----------------------------------------------------------------------------------------------


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


def ensure_gitignore(journal: Journal) -> bool:
    """Add the lines of `IGNORED` that the root .gitignore lacks, keeping every byte it has; True if changed."""
    path = journal.root / GITIGNORE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    present = {line.strip().lstrip("/") for line in raw.decode("utf-8", "replace").splitlines()}
    missing = [line for line in IGNORED if line not in present and line.rstrip("/") not in present]
    if not missing:
        return False
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    if raw and not raw.endswith(b"\n"):
        raw += newline
    block = [
        "# mljournal: the index and trash are rebuilt from the files; temp files are unfinished saves.",
        *missing,
    ]
    raw += newline.join(line.encode("utf-8") for line in block) + newline
    try:
        atomic_write_bytes(path, raw)
    except OSError as error:
        raise SyncError(f"Could not update {GITIGNORE}: {error.strerror or error}.") from error
    return True


# -- committing ----------------------------------------------------------------------------------------------


def is_journal_path(relpath: str) -> bool:
    """True for the files sync manages (the entries, the roadmap, the settings, the templates, .gitignore)."""
    top = relpath.split("/", 1)[0]
    if "/" in relpath:
        return top in (ENTRIES_DIR, TEMPLATES_DIR)
    return relpath in (ROADMAP_FILE, CONFIG_FILE, GITIGNORE)


def _pathspecs(git: Git) -> list[str]:
    """The journal paths git can be told about: those on disk or tracked (a deleted roadmap.yaml, say)."""
    tracked = {
        path.split("/", 1)[0] for path in _split_z(git.run("ls-files", "-z", "--", *JOURNAL_PATHS).out)
    }
    return [name for name in JOURNAL_PATHS if (git.root / name).exists() or name in tracked]


def commit_changes(git: Git, progress: Progress = _quiet) -> str | None:
    """Commit the journal's changed files with a message saying what changed; its subject, or None."""
    pathspecs = _pathspecs(git)
    if not pathspecs:
        return None
    git.run("add", "--all", "--", *pathspecs)
    parts = _split_z(git.run("diff", "--cached", "--name-status", "--no-renames", "-z", "--", *pathspecs).out)
    changes = [(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
    if not changes:
        return None
    subject, body = describe_changes([(status, git.journal_path(path) or path) for status, path in changes])
    progress(f"Committing {len(changes)} changed file{'s' if len(changes) != 1 else ''}…")
    # The pathspecs limit the commit to the journal's files: anything else the user staged stays staged.
    # Only the top names that changed: git refuses a pathspec that matches nothing (an empty entries/).
    changed_tops = {(git.journal_path(path) or path).split("/", 1)[0] for _status, path in changes}
    git.run("commit", "--quiet", "-m", subject, "-m", body, "--", *sorted(changed_tops))
    return subject


def describe_changes(changes: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """A commit subject (`mljournal sync: 2 entries added, 1 changed; roadmap`) and a body listing the files."""
    verbs = {"A": "added", "D": "removed"}
    entry_counts = {"added": 0, "changed": 0, "removed": 0}
    others: list[str] = []
    other_files = 0
    lines: list[str] = []
    for status, path in changes:
        verb = verbs.get(status[:1], "changed")
        lines.append(f"{verb} {path}")
        if path.startswith(f"{ENTRIES_DIR}/") and path.lower().endswith(ENTRY_SUFFIXES):
            entry_counts[verb] += 1
            continue
        name = {ROADMAP_FILE: "roadmap", CONFIG_FILE: "settings", GITIGNORE: GITIGNORE}.get(path)
        if name is None and path.startswith(f"{TEMPLATES_DIR}/"):
            name = "templates"
        if name is None:
            other_files += 1
        elif name not in others:
            others.append(name)
    counted = [(count, verb) for verb, count in entry_counts.items() if count]
    pieces = []
    for position, (count, verb) in enumerate(counted):
        noun = ("entry" if count == 1 else "entries") + " " if position == 0 else ""
        pieces.append(f"{count} {noun}{verb}")
    if other_files:
        others.insert(0, f"{other_files} other file{'s' if other_files != 1 else ''}")
    subject = "mljournal sync: " + "; ".join(filter(None, [", ".join(pieces), ", ".join(others)]))
    return subject, "\n".join(lines)


# -- pulling -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Upstream:
    remote: str
    branch: str
    """The branch on the remote."""
    configured: bool
    """True when the local branch already tracks it (else the first push sets that up)."""

    @property
    def tracking_ref(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"


def _upstream(git: Git) -> _Upstream | str:
    """Where to pull from and push to, or the reason there is nowhere."""
    branch = git.maybe("symbolic-ref", "--quiet", "--short", "HEAD")
    if branch is None:
        return "HEAD is detached (no branch is checked out), so there is nothing to push; check out a branch."
    remote = git.maybe("config", "--get", f"branch.{branch}.remote")
    merge = git.maybe("config", "--get", f"branch.{branch}.merge")
    if remote and merge and merge.startswith("refs/heads/"):
        return _Upstream(remote, merge.removeprefix("refs/heads/"), configured=True)
    remotes = (git.maybe("remote") or "").split()
    if not remotes:
        return "this repository has no remote. Add one with `git remote add origin URL`, then sync again."
    chosen = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else None
    if chosen is None:
        return f"several remotes ({', '.join(remotes)}) and none is origin: pick one with `git branch -u`."
    return _Upstream(chosen, branch, configured=False)


def _contains(git: Git, commit: str) -> bool:
    """True when HEAD already has `commit` (nothing to pull)."""
    return git.run("merge-base", "--is-ancestor", commit, "HEAD", check=False).code == 0


def _head(git: Git) -> str | None:
    return git.maybe("rev-parse", "-q", "--verify", "HEAD")


def _merge(
    git: Git, journal: Journal, upstream: _Upstream, result: SyncResult, clock: Callable[[], datetime]
) -> None:
    before = _head(git)
    what = f"{upstream.remote}/{upstream.branch}"
    # --no-commit: a merge that needs no help still stops before its commit, so the roadmap can be checked
    # first. Unrelated histories are allowed: a second machine that ran `mljournal init` before its first sync
    # has its own root commit, and its files then merge like any others.
    output = git.run(
        "merge", "--no-commit", "--no-edit", "--allow-unrelated-histories", upstream.tracking_ref, check=False
    )
    if not git.merging():
        if output.code != 0:
            raise SyncError(
                f"Could not merge {what}: {output.first_line()}. Your changes are committed here."
            )
    else:
        try:
            result.kept_both.extend(_resolve_conflicts(git, journal, clock))
            result.kept_both.extend(_keep_roadmap_valid(git, journal, before, clock))
            kept = f"; kept both versions of {len(result.kept_both)} file(s)" if result.kept_both else ""
            git.run("commit", "--quiet", "--no-edit", "-m", f"mljournal sync: merge {what}{kept}")
        except BaseException:
            git.run("merge", "--abort", check=False)
            raise
    after = _head(git)
    if after and after != before:
        base = before or "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # the empty tree: everything is new
        changed = _split_z(git.run("diff", "--name-only", "--no-renames", "-z", base, after).out)
        result.pulled = [p for p in (git.journal_path(path) for path in changed) if p and is_journal_path(p)]


def _unmerged(git: Git) -> dict[str, set[int]]:
    """Each conflicted repository path with the stages git holds for it (1 base, 2 ours, 3 theirs)."""
    stages: dict[str, set[int]] = {}
    for record in _split_z(git.run("ls-files", "--unmerged", "--full-name", "-z", "--", ":/").out):
        info, _tab, path = record.partition("\t")
        stages.setdefault(path, set()).add(int(info.split()[2]))
    return stages


def _resolve_conflicts(git: Git, journal: Journal, clock: Callable[[], datetime]) -> list[KeptBoth]:
    from mljournal.core.store import StoreError, save_as_copy

    conflicts = _unmerged(git)
    outside = [path for path in conflicts if not is_journal_path(git.journal_path(path) or "")]
    if outside:
        raise SyncError(
            f"The pull conflicts in files mljournal doesn't manage ({', '.join(sorted(outside)[:3])}): "
            "nothing was merged; merge them with git."
        )
    kept: list[KeptBoth] = []
    for repo_path, stages in sorted(conflicts.items()):
        relpath = git.journal_path(repo_path) or repo_path
        if 2 in stages and 3 in stages:
            theirs = git.run("show", f":3:{repo_path}").out
            git.run("checkout", "--ours", "--", relpath)
            try:
                copy = save_as_copy(journal, relpath, theirs, clock=clock)
            except StoreError as error:
                raise SyncError(str(error)) from error
            git.run("add", "--", relpath, copy)
            kept.append(KeptBoth(relpath, copy, f"changed on both machines: theirs is in {copy}"))
        elif 2 in stages:
            git.run("checkout", "--ours", "--", relpath)
            git.run("add", "--", relpath)
            kept.append(KeptBoth(relpath, None, "deleted on the other machine, changed here: kept"))
        else:
            git.run("checkout", "--theirs", "--", relpath)
            git.run("add", "--", relpath)
            kept.append(KeptBoth(relpath, None, "deleted here, changed on the other machine: restored"))
    return kept


def _keep_roadmap_valid(
    git: Git, journal: Journal, before: str | None, clock: Callable[[], datetime]
) -> list[KeptBoth]:
    """A roadmap git merged line by line into something neither side had wrong goes back to ours.

    Two machines that each added a topic with the same id in different places merge cleanly as text, yet the
    result repeats the id (or, rarer, no longer parses). Then ours is restored and theirs is kept beside it.
    """
    from mljournal.core.roadmap import parse_roadmap
    from mljournal.core.store import StoreError, save_as_copy

    def codes(raw: bytes) -> set[str]:
        return {problem.code for problem in parse_roadmap(raw)[1]}

    path = journal.roadmap_path
    repo_path = git.prefix + ROADMAP_FILE
    ours = git.run("show", f"{before}:{repo_path}", check=False) if before else None
    theirs = git.run("show", f"MERGE_HEAD:{repo_path}", check=False)
    if ours is None or ours.code != 0 or theirs.code != 0 or not path.is_file():
        return []
    if not codes(path.read_bytes()) - codes(ours.out) - codes(theirs.out):
        return []
    git.run("checkout", before or "HEAD", "--", ROADMAP_FILE)
    try:
        copy = save_as_copy(journal, ROADMAP_FILE, theirs.out, clock=clock)
    except StoreError as error:
        raise SyncError(str(error)) from error
    git.run("add", "--", ROADMAP_FILE, copy)
    return [
        KeptBoth(
            ROADMAP_FILE, copy, f"the two versions did not merge into a sound roadmap: theirs is in {copy}"
        )
    ]


# -- the whole round -----------------------------------------------------------------------------------------


def sync_journal(
    journal: Journal, *, progress: Progress = _quiet, clock: Callable[[], datetime] = _now
) -> SyncResult:
    """Commit the journal's changes, pull (keeping both sides of any conflict) and push.

    No remote or no network is not an error: the changes are committed here and `offline` says why they went
    no further. Raises SyncError when sync can't start or a step fails in a way the user must look at.
    """
    git = open_repository(journal)
    result = SyncResult()
    if ensure_gitignore(journal):
        progress(f"Added {', '.join(IGNORED)} to {GITIGNORE}")
    result.committed = commit_changes(git, progress)
    if result.committed:
        progress(f"Committed: {result.committed}")
    upstream = _upstream(git)
    if isinstance(upstream, str):
        result.offline = upstream
        return result
    result.remote = upstream.remote
    progress(f"Fetching from {upstream.remote}…")
    try:
        git.network("fetch", "--quiet", upstream.remote)
    except _NetworkTrouble as trouble:
        result.offline = f"could not reach {upstream.remote} ({trouble})."
        return result
    remote_head = git.maybe("rev-parse", "-q", "--verify", upstream.tracking_ref)
    if remote_head is not None and not _contains(git, remote_head):
        progress(f"Merging {upstream.remote}/{upstream.branch}…")
        _merge(git, journal, upstream, result, clock)
    head = _head(git)
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
    except _NetworkTrouble as trouble:
        result.offline = f"the push to {upstream.remote} failed ({trouble})."
        return result
    result.pushed = True
    return result
