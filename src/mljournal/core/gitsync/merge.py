"""Pulling: merge the remote's branch, keeping both sides of every conflict, and never stop half-merged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mljournal.core.gitsync.commit import is_journal_path
from mljournal.core.gitsync.runner import Git, SyncError, split_z
from mljournal.core.journal import ROADMAP_FILE, Journal

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's id of the empty tree: before a first commit, everything pulled is new."""


@dataclass(frozen=True, slots=True)
class KeptBoth:
    """A file both machines changed: `path` holds this machine's version, `copy` the other's (if written)."""

    path: str
    copy: str | None
    note: str


def has_commit(git: Git, commit: str) -> bool:
    """True when HEAD already has `commit` (nothing to pull)."""
    return git.run("merge-base", "--is-ancestor", commit, "HEAD", check=False).code == 0


def head_commit(git: Git) -> str | None:
    return git.maybe("rev-parse", "-q", "--verify", "HEAD")


@dataclass(slots=True)
class Merged:
    """What a pull brought: the journal paths it changed (to re-index) and the files both sides changed."""

    pulled: list[str] = field(default_factory=list)
    kept_both: list[KeptBoth] = field(default_factory=list)


def merge_remote(git: Git, journal: Journal, ref: str, what: str, clock: Callable[[], datetime]) -> Merged:
    """Merge `ref` (the remote branch, `what` to the user) into HEAD; SyncError if it can't start.

    Every conflict in the journal's files is settled by keeping both versions, then the merge is committed;
    if anything goes wrong on the way, the merge is aborted, so the repository is never left half-merged.
    """
    merged = Merged()
    before = head_commit(git)
    # --no-commit: a merge that needs no help still stops before its commit, so the roadmap can be checked
    # first. Unrelated histories are allowed: a second machine that ran `mljournal init` before its first sync
    # has its own root commit, and its files then merge like any others.
    output = git.run("merge", "--no-commit", "--no-edit", "--allow-unrelated-histories", ref, check=False)
    if not git.merging():
        if output.code != 0:
            raise SyncError(
                f"Could not merge {what}: {output.first_line()}. Your changes are committed here."
            )
    else:
        try:
            merged.kept_both.extend(_resolve_conflicts(git, journal, clock))
            merged.kept_both.extend(_keep_roadmap_valid(git, journal, before, clock))
            kept = f"; kept both versions of {len(merged.kept_both)} file(s)" if merged.kept_both else ""
            git.run("commit", "--quiet", "--no-edit", "-m", f"mljournal sync: merge {what}{kept}")
        except BaseException:
            git.run("merge", "--abort", check=False)
            raise
    after = head_commit(git)
    if after and after != before:
        base = before or EMPTY_TREE
        changed = split_z(git.run("diff", "--name-only", "--no-renames", "-z", base, after).out)
        merged.pulled = [p for p in (git.journal_path(path) for path in changed) if p and is_journal_path(p)]
    return merged


def _unmerged(git: Git) -> dict[str, set[int]]:
    """Each conflicted repository path with the stages git holds for it (1 base, 2 ours, 3 theirs)."""
    stages: dict[str, set[int]] = {}
    for record in split_z(git.run("ls-files", "--unmerged", "--full-name", "-z", "--", ":/").out):
        info, _tab, path = record.partition("\t")
        stages.setdefault(path, set()).add(int(info.split()[2]))
    return stages


def _resolve_conflicts(git: Git, journal: Journal, clock: Callable[[], datetime]) -> list[KeptBoth]:
    from mljournal.core.entries.store import StoreError, save_as_copy

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
    from mljournal.core.entries.store import StoreError, save_as_copy
    from mljournal.core.roadmap import parse_roadmap

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
