"""Moving a roadmap topic to a new id, with the `topics:` of every entry that links to it.

Resumable: the intent is recorded in `.mljournal/pending-move.json` before anything changes, each step is
idempotent (entries first, the roadmap last), and `resume_pending_move` finishes an interrupted move. Also
`scan_topic_links`, the same reading of entry topics when no index is at hand.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from mljournal.core.atomic import atomic_write_bytes
from mljournal.core.errors import describe_os_error
from mljournal.core.journal import (
    Journal,
    JournalError,
    read_regular_file,
    state_dir_problem,
    walk_entry_files,
    write_target,
)
from mljournal.core.roadmap.id_change import BothIdsPresent, check_id_change, rename_topic_id
from mljournal.core.roadmap.model import RoadmapError
from mljournal.core.roadmap.write import roadmap_lock
from mljournal.core.text.tags import labels_from_value

PENDING_MOVE_FILE: Final = "pending-move.json"


@dataclass
class MoveResult:
    """What `move_topic` did: the entries it rewrote and those it had to leave (with why)."""

    old_id: str
    new_id: str
    rewritten: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    roadmap_updated: bool = False
    already_moved: list[str] = field(default_factory=list)
    """Entries that linked the new id, not the old one: rewritten by an earlier, interrupted run of the move
    (their index rows may still show the old id)."""

    @property
    def changed_entries(self) -> list[str]:
        """Every entry whose file this move changed, now or in the interrupted run it finished."""
        return [*self.rewritten, *self.already_moved]


def _pending_path(root: Path) -> Path:
    return root / ".mljournal" / PENDING_MOVE_FILE


def move_topic(
    path: Path,
    topic_id: str,
    new_id: str,
    *,
    entries_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MoveResult:
    """Give a topic a new id and rewrite `topics:` in every entry that links to the old one.

    Resumable: the intent is recorded in `.mljournal/pending-move.json` before anything changes, each
    step is idempotent, and `resume_pending_move` finishes an interrupted move. Every entry is read twice
    (a check, then the rewrite); `progress(done, total)` counts those reads, a few times a second.
    """
    path = Path(path)
    with roadmap_lock(path):
        return _move_topic(path, topic_id, new_id, entries_dir, progress)


def _move_topic(
    path: Path,
    topic_id: str,
    new_id: str,
    entries_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> MoveResult:
    root = path.parent
    resume_pending_move(path, entries_dir=entries_dir)
    check_id_change(path, topic_id, new_id)
    entries = entries_dir or root / "entries"
    # Two passes over the entries, reported as one count: the check is the first half of the work.
    checking = None if progress is None else (lambda done, total: progress(done, 2 * total))
    rewriting = None if progress is None else (lambda done, total: progress(total + done, 2 * total))
    _check_entries_editable(root, entries, topic_id, new_id, checking)
    pending = _pending_path(root)
    problem = state_dir_problem(Journal(root))
    if problem is not None:
        raise RoadmapError(f"Nothing was changed: a move records its progress in .mljournal/, but {problem}.")
    record = {"old": topic_id, "new": new_id, "roadmap": path.name}
    try:
        pending.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(pending, (json.dumps(record) + "\n").encode("utf-8"))
    except OSError as error:
        raise RoadmapError(describe_os_error("record the move in", pending.name, error)) from None
    return _finish_move(path, topic_id, new_id, entries, rewriting)


def pending_move(path: Path) -> tuple[str, str] | None:
    """The (old, new) ids of an interrupted move of the roadmap at `path`, if there is one."""
    try:
        record = json.loads(_pending_path(Path(path).parent).read_text(encoding="utf-8"))
        old, new = record["old"], record["new"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if isinstance(old, str) and isinstance(new, str):
        return old, new
    return None


def resume_pending_move(path: Path, *, entries_dir: Path | None = None) -> MoveResult | None:
    """Finish an interrupted `move_topic` for the roadmap at `path`; None when there was nothing to finish."""
    path = Path(path)
    if pending_move(path) is None and not _pending_path(path.parent).exists():
        return None  # the common case, decided without waiting for the lock
    with roadmap_lock(path):
        found = pending_move(path)
        if found is None:
            pending = _pending_path(path.parent)
            if pending.exists() and state_dir_problem(Journal(path.parent)) is None:
                # Unreadable or half-written before anything else changed: it carries no work to finish.
                with contextlib.suppress(OSError):
                    pending.unlink()
            return None
        old, new = found
        return _finish_move(path, old, new, entries_dir or path.parent / "entries")


def _finish_move(
    path: Path, old: str, new: str, entries_dir: Path, progress: Callable[[int, int], None] | None = None
) -> MoveResult:
    result = MoveResult(old, new)
    root = path.parent
    failed_writes = _rewrite_entries(root, entries_dir, old, new, result, progress)
    if failed_writes:
        first, why = result.skipped[0]
        raise RoadmapError(
            f"Moving {old!r} to {new!r} is unfinished: {first} could not be rewritten ({why.rstrip('.')})"
            f"{f' and {failed_writes - 1} more' if failed_writes > 1 else ''}; fix that, then run "
            "`mljournal roadmap` again to finish the move."
        )
    try:
        result.roadmap_updated = rename_topic_id(path, old, new)
    except BothIdsPresent:
        raise RoadmapError(
            f"Cannot finish moving {old!r} to {new!r}: both ids are in the roadmap now; "
            f"fix roadmap.yaml by hand, then delete {_pending_path(root)}."
        ) from None
    with contextlib.suppress(FileNotFoundError):
        _pending_path(root).unlink()
    return result


def _relinked(value: Any, old: str, new: str) -> Any | None:
    """The `topics` value with `old` replaced by `new` (in the value's own shape), or None if it has no `old`."""
    if not isinstance(value, str | list | tuple):
        return None  # another shape (a mapping, a number) is left as the user wrote it
    # Read as the index reads it (text.tags), so the move relinks exactly the entries `topic:` search finds.
    topics = labels_from_value(value)
    if old not in topics:
        return None
    updated: list[str] = []
    for topic in topics:
        replacement = new if topic == old else topic
        if replacement not in updated:
            updated.append(replacement)
    # A comma-separated string stays one, so the edit touches as little of the entry as possible.
    return ", ".join(updated) if isinstance(value, str) else updated


def _entry_edits(
    root: Path,
    entries_dir: Path,
    old: str,
    new: str,
    linking_new: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Path, str, bytes, bytes | str]]:
    """Each entry linking `old`: its bytes, and its rewritten bytes or why it can't be rewritten (a str).

    Entries that link `new` and not `old` (moved already) are listed in `linking_new` when it is given.
    `progress(done, total)` counts the entries read.
    """
    from mljournal.core.progress import Throttled

    report_progress = Throttled(progress)
    # The index's walker, so the move rewrites every entry search lists (`.mdx` and `.markdown` too).
    journal = Journal(entries_dir.parent)
    files = [
        journal.root / relpath for relpath, _stat in walk_entry_files(journal)
    ]  # listed first, for the total
    total = len(files)
    for done, file in enumerate(files):
        report_progress(done, total)
        rel = Path(os.path.relpath(file, root)).as_posix()
        try:
            raw = read_regular_file(file)
        except OSError as error:
            yield file, rel, b"", error.strerror or str(error)
            continue
        edit = _entry_edit(raw, old, new, linking_new=linking_new, rel=rel)
        if edit is not None:
            yield file, rel, raw, edit
    report_progress(total, total)


def _entry_edit(
    raw: bytes, old: str, new: str, *, linking_new: list[str] | None = None, rel: str = ""
) -> bytes | str | None:
    """The entry `raw` with `old` relinked to `new`, why that can't be done, or None if it doesn't link `old`
    (then `rel` goes into `linking_new` when the entry links `new`)."""
    from mljournal.core.frontmatter import parse_document, set_field

    metadata = parse_document(raw).metadata
    topics = metadata.get("topics") if isinstance(metadata, Mapping) else None
    value = _relinked(topics, old, new)
    if value is None:
        if linking_new is not None and new in labels_from_value(topics):
            linking_new.append(rel)
        return None
    try:
        return set_field(raw, "topics", value)
    except Exception as error:  # FrontMatterEditError and friends: the entry can't be edited safely
        return str(error) or type(error).__name__


def _check_entries_editable(
    root: Path, entries_dir: Path, old: str, new: str, progress: Callable[[int, int], None] | None = None
) -> None:
    """Refuse a move up front, before anything is written, if a linked entry could not be rewritten."""
    blocked = [
        (rel, edit)
        for _file, rel, _raw, edit in _entry_edits(root, entries_dir, old, new, progress=progress)
        if isinstance(edit, str)
    ]
    if blocked:
        rel, why = blocked[0]
        more = f" (and {len(blocked) - 1} more)" if len(blocked) > 1 else ""
        raise RoadmapError(
            f"Nothing was changed: {rel}{more} links {old!r} but cannot be edited safely ({why.rstrip('.')}); "
            "fix it first."
        )


def _rewrite_entries(
    root: Path,
    entries_dir: Path,
    old: str,
    new: str,
    result: MoveResult,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    failed = 0
    for file, rel, raw, edit in _entry_edits(root, entries_dir, old, new, result.already_moved, progress):
        try:
            # Another program (not holding our lock) may have saved since the scan: relink its bytes instead.
            current = read_regular_file(file)
            if current != raw:
                refreshed = _entry_edit(current, old, new)
                if refreshed is None:
                    continue  # it no longer links `old`: nothing to move
                edit = refreshed
            if isinstance(edit, str):
                result.skipped.append((rel, edit))
                failed += 1
                continue
            atomic_write_bytes(write_target(root, file), edit)
        except JournalError as error:
            result.skipped.append((rel, str(error)))
            failed += 1
            continue
        except OSError as error:
            result.skipped.append((rel, error.strerror or str(error)))
            failed += 1
            continue
        result.rewritten.append(rel)
    return failed


def scan_topic_links(root: Path, entries_dir: Path | None = None) -> dict[str, set[str]]:
    """Topic id → entry paths (relative to `root`) linking to it, read from the entry files themselves.

    The fallback when no index is at hand; unreadable entries are skipped (`check` reports them).
    """
    from mljournal.core.frontmatter import parse_document

    links: dict[str, set[str]] = {}
    journal = Journal((entries_dir or Path(root) / "entries").parent)
    for relpath, _stat in walk_entry_files(journal):
        file = journal.root / relpath
        try:
            metadata = parse_document(read_regular_file(file)).metadata
        except Exception:
            continue
        if not isinstance(metadata, Mapping):
            continue
        rel = Path(os.path.relpath(file, root)).as_posix()
        for topic in labels_from_value(metadata.get("topics")):
            links.setdefault(topic, set()).add(rel)
    return links
