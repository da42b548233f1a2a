"""What sync commits: the journal's own files, with a message saying what changed; and the .gitignore."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mljournal.core.atomic import TEMP_PREFIX, atomic_write_bytes
from mljournal.core.entries.templates import TEMPLATES_DIR
from mljournal.core.gitsync.runner import Git, SyncError, split_z
from mljournal.core.journal import CONFIG_FILE, ENTRIES_DIR, ENTRY_SUFFIXES, ROADMAP_FILE, STATE_DIR, Journal

GITIGNORE = ".gitignore"
JOURNAL_PATHS = (ENTRIES_DIR, ROADMAP_FILE, CONFIG_FILE, TEMPLATES_DIR, GITIGNORE)
"""What `sync` commits, relative to the journal root; anything else in the folder is the user's business."""

IGNORED = (f"{STATE_DIR}/", f"{TEMP_PREFIX}*")
"""Lines the root .gitignore must hold: the index and trash, and temp files a crash may leave behind."""

Progress = Callable[[str], None]
"""Called with each step as it starts (`Fetching from origin…`)."""


def _quiet(step: str) -> None:
    del step


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


def is_journal_path(relpath: str) -> bool:
    """True for the files sync manages (the entries, the roadmap, the settings, the templates, .gitignore)."""
    top = relpath.split("/", 1)[0]
    if "/" in relpath:
        return top in (ENTRIES_DIR, TEMPLATES_DIR)
    return relpath in (ROADMAP_FILE, CONFIG_FILE, GITIGNORE)


def journal_pathspecs(git: Git) -> list[str]:
    """The journal paths git can be told about: those on disk or tracked (a deleted roadmap.yaml, say)."""
    tracked = {path.split("/", 1)[0] for path in split_z(git.run("ls-files", "-z", "--", *JOURNAL_PATHS).out)}
    return [name for name in JOURNAL_PATHS if (git.root / name).exists() or name in tracked]


def commit_changes(git: Git, progress: Progress = _quiet) -> str | None:
    """Commit the journal's changed files with a message saying what changed; its subject, or None."""
    pathspecs = journal_pathspecs(git)
    if not pathspecs:
        return None
    git.run("add", "--all", "--", *pathspecs)
    parts = split_z(git.run("diff", "--cached", "--name-status", "--no-renames", "-z", "--", *pathspecs).out)
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
    order = ["roadmap", "settings", "templates", GITIGNORE]
    others.sort(key=order.index)
    if other_files:
        others.insert(0, f"{other_files} other file{'s' if other_files != 1 else ''}")
    subject = "mljournal sync: " + "; ".join(filter(None, [", ".join(pieces), ", ".join(others)]))
    return subject, "\n".join(lines)
