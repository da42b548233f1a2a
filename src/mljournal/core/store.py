"""Writing entries: create, save (with conflict detection), tags, topics, trash and restore.

Every function here takes a `Journal` and `/`-separated paths relative to its root, writes through
`core.atomic`, and turns operating-system errors into a `StoreError` carrying one sentence for the user.
Files are the truth: nothing here ever replaces a file it did not mean to, and a failed write leaves the
original bytes where they were. The index is not touched; callers refresh it (`Index.refresh`).

Every write holds the journal's lock (`core.locking.journal_lock`) from the moment it reads or checks the
file until the new bytes are in place, and follows a symbolic link only to a place inside the journal
(`core.journal.write_target`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from mljournal.core.atomic import atomic_create_bytes, atomic_write_bytes
from mljournal.core.dates import local_now
from mljournal.core.document import FrontMatterEditError, parse_document, render_new_entry, set_field
from mljournal.core.entry import tags_refusal
from mljournal.core.errors import MLJournalError, describe_os_error
from mljournal.core.journal import (
    Journal,
    JournalError,
    open_regular_file,
    state_dir_problem,
    write_target,
)
from mljournal.core.locking import journal_lock
from mljournal.core.text.markdown.inline_tags import inline_tags
from mljournal.core.text.slug import entry_filename

TAG_KEYS = ("tags", "tag", "Tags")
"""Front-matter keys that hold tags, in the order the reader looks at them; edits go to the one present."""

_MAX_NAME_ATTEMPTS = 1000
"""Bounds the retry loops that look for a free file name, so a pathological folder can't spin forever."""

_EDIT_ATTEMPTS = 5
"""How often a field edit re-reads and re-applies itself when a program that ignores our lock (an editor)
saved the file between our read and our write; past that, it gives up with the file as the other left it."""


@dataclass(frozen=True, slots=True)
class FileVersion:
    """What a file looked like when it was read, to notice later that another program changed it."""

    mtime_ns: int
    size: int
    sha256: str

    def same_content(self, other: FileVersion | None) -> bool:
        """True when `other` has the same bytes; a bare `touch` (new mtime, same bytes) is not a change."""
        return other is not None and self.size == other.size and self.sha256 == other.sha256


class StoreError(MLJournalError):
    """A write that could not happen, with one sentence for the user; the file on disk is unchanged."""


class ConflictError(StoreError):
    """The file changed on disk since it was read (`expected`); `current` is None when it was deleted."""

    def __init__(self, relpath: str, current: FileVersion | None) -> None:
        self.relpath = relpath
        self.current = current
        if current is None:
            message = f"{relpath} was deleted by another program since you opened it."
        else:
            message = f"{relpath} was changed by another program since you opened it."
        super().__init__(message)


def version_of_bytes(data: bytes, *, mtime_ns: int = 0) -> FileVersion:
    """The version of some bytes (the editor uses it to compare what it has with what it read)."""
    return FileVersion(mtime_ns=mtime_ns, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def file_version(path: Path) -> FileVersion:
    """The current version of the file at `path`; raises OSError (e.g. FileNotFoundError) like `open`."""
    with open_regular_file(path) as handle:
        stat = os.fstat(handle.fileno())
        data = handle.read()
    return version_of_bytes(data, mtime_ns=stat.st_mtime_ns)


def read_entry(journal: Journal, relpath: str) -> tuple[bytes, FileVersion]:
    """The raw bytes of an entry and their version, read together so the version matches the bytes."""
    path = _abspath(journal, relpath)
    with _store_errors("read", relpath), open_regular_file(path) as handle:
        stat = os.fstat(handle.fileno())
        data = handle.read()
    return data, version_of_bytes(data, mtime_ns=stat.st_mtime_ns)


def _current_version(path: Path) -> FileVersion | None:
    try:
        return file_version(path)
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _store_errors(action: str, relpath: str) -> Iterator[None]:
    """Turn OSError into a StoreError whose message names the file and says what went wrong."""
    try:
        yield
    except StoreError:
        raise
    except OSError as error:
        raise StoreError(describe_os_error(action, relpath, error)) from error


def _abspath(journal: Journal, relpath: str) -> Path:
    try:
        return journal.abspath(relpath)
    except JournalError as error:
        raise StoreError(str(error)) from error


def _write_path(journal: Journal, path: Path) -> Path:
    """The real file a write to `path` replaces: symlinks followed only inside the journal, else refused."""
    try:
        return write_target(journal.root, path)
    except JournalError as error:
        raise StoreError(str(error)) from error


@contextlib.contextmanager
def _locked(journal: Journal) -> Iterator[None]:
    """Hold the journal's write lock; a journal kept busy too long becomes a StoreError (nothing changed)."""
    try:
        with journal_lock(journal.root):
            yield
    except StoreError:
        raise
    except JournalError as error:
        raise StoreError(str(error)) from error


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


# -- creating ------------------------------------------------------------------------------------------------


_TEMPLATE = """\
## What I worked on


## What I learned


## Still unclear


## Next

"""


def entry_template(title: str) -> str:
    """A starter body for a new entry: a few prompts that make a learning note useful a month later."""
    del title  # The title already lives in the front-matter; repeating it as a heading would duplicate it.
    return _TEMPLATE


_TEMPLATE_HEADINGS = frozenset(line for line in _TEMPLATE.splitlines() if line.startswith("#"))


def drop_empty_template_headings(text: str) -> str:
    """A new entry's text without the template's headings whose section the writer left empty.

    Only the body changes, and only the template's own headings (`## What I learned`...) with nothing but
    blank lines under them; a heading the writer typed, or any section with words in it, stays. When something
    was dropped, the body's trailing blank lines shrink to one line end.
    """
    document = parse_document(text.encode("utf-8"))
    head = text[: len(text) - len(document.body)]
    lines = document.body.splitlines(keepends=True)
    kept: list[str] = []
    dropped = False
    position = 0
    while position < len(lines):
        line = lines[position]
        if line.rstrip("\r\n") in _TEMPLATE_HEADINGS:
            following = position + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following == len(lines) or _heading_level(lines[following]) in (1, 2):
                dropped = True
                position = following
                continue
        kept.append(line)
        position += 1
    if not dropped:
        return text
    body = "".join(kept).rstrip()
    return head + (body + "\n" if body else "")


def _heading_level(line: str) -> int:
    """1 for `# x`, 2 for `## x`...; 0 for a line that is not an ATX heading."""
    level = len(line) - len(line.lstrip("#"))
    return level if 0 < level <= 6 and line[level : level + 1] in (" ", "\t", "\n", "\r", "") else 0


def render_entry(
    *,
    title: str,
    body: str = "",
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
    date: datetime | date_type | None = None,
    description: str = "",
    clock: Callable[[], datetime] = local_now,
) -> tuple[bytes, str]:
    """The bytes of a new entry (front-matter + body) and its day `YYYY-MM-DD`, without writing anything.

    The date defaults to `clock()` (local time with its offset, to the second). The editor shows these bytes
    for a new entry and writes them with `create_entry_file` on the first save.
    """
    title = title.strip()
    if not title:
        raise StoreError("A new entry needs a title.")
    when: datetime | date_type = clock() if date is None else date
    if isinstance(when, datetime):
        when = when.replace(microsecond=0)
    metadata: dict[str, Any] = {"title": title, "date": when}
    if description.strip():
        metadata["description"] = description.strip()
    clean_tags = _dedupe(tags)
    if clean_tags:
        metadata["tags"] = clean_tags
    clean_topics = _dedupe(topics)
    if clean_topics:
        metadata["topics"] = clean_topics
    return render_new_entry(metadata, body), when.isoformat()[:10]


def create_entry_file(journal: Journal, raw: bytes, *, day: str, title: str) -> str:
    """Write `raw` as a new file `entries/<day>-<slug of title>.md` and return its relpath; never replaces.

    A name that is taken, even by a file that appears between choosing the name and writing it, moves on to
    the next suffix.
    """
    entries_dir = _write_path(journal, journal.entries_dir)
    with _locked(journal), _store_errors("create", f"a new entry in {journal.entries_dir.name}/"):
        entries_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(_MAX_NAME_ATTEMPTS):
            path = entry_filename(entries_dir, day, title)
            try:
                atomic_create_bytes(path, raw)
            except FileExistsError:
                # Someone took the name after entry_filename looked; it will see the file and move on.
                continue
            return journal.relpath(journal.entries_dir / path.relative_to(entries_dir))
    raise StoreError(f"Could not find a free file name for {title!r}.")


def create_entry(
    journal: Journal,
    *,
    title: str,
    body: str = "",
    tags: Sequence[str] = (),
    topics: Sequence[str] = (),
    date: datetime | date_type | None = None,
    description: str = "",
    clock: Callable[[], datetime] = local_now,
) -> str:
    """Write a new entry `entries/YYYY-MM-DD-slug.md` and return its relpath; never replaces a file."""
    raw, day = render_entry(
        title=title, body=body, tags=tags, topics=topics, date=date, description=description, clock=clock
    )
    return create_entry_file(journal, raw, day=day, title=title.strip())


def _dedupe(values: Sequence[str]) -> list[str]:
    """Strip, drop empties and case-insensitive repeats, keep the first spelling and the order."""
    seen: set[str] = set()
    result: list[str] = []
    for value in values:
        clean = str(value).strip()
        key = clean.casefold()
        if clean and key not in seen:
            seen.add(key)
            result.append(clean)
    return result


# -- saving --------------------------------------------------------------------------------------------------


def save_entry(journal: Journal, relpath: str, raw: bytes, *, expected: FileVersion | None) -> FileVersion:
    """Atomically write `raw` to the entry and return the new version.

    With `expected` (the version the editor read), raises `ConflictError` instead of writing when the file's
    bytes are no longer those; `expected=None` writes regardless (a new file, or "overwrite theirs").
    """
    path = _write_path(journal, _abspath(journal, relpath))
    with _locked(journal), _store_errors("save", relpath):
        if expected is not None:
            current = _current_version(path)
            if not expected.same_content(current):
                raise ConflictError(relpath, current)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, raw)
        return version_of_bytes(raw, mtime_ns=path.stat().st_mtime_ns)


def save_as_copy(
    journal: Journal, relpath: str, raw: bytes, *, clock: Callable[[], datetime] = local_now
) -> str:
    """Write `raw` beside the entry as `<stem>-conflict-<timestamp>.md` ("keep both"); return its relpath."""
    path = _abspath(journal, relpath)
    stem = f"{path.stem}-conflict-{_timestamp(clock())}"
    suffix = path.suffix or ".md"
    _write_path(journal, path.parent)
    with _locked(journal), _store_errors("save a copy of", relpath):
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, _MAX_NAME_ATTEMPTS + 1):
            name = f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}"
            target = path.with_name(name)
            try:
                atomic_create_bytes(target, raw)
            except FileExistsError:
                continue
            return journal.relpath(target)
    raise StoreError(f"Could not find a free name for a copy of {relpath}.")


# -- front-matter edits --------------------------------------------------------------------------------------


def _edit_field(journal: Journal, relpath: str, what: str, change: Callable[[bytes], bytes]) -> None:
    """Apply `change` (old bytes to new bytes) to the entry under the journal's lock, keeping other bytes.

    Under the lock no other mljournal can write in between; a program that ignores the lock (an editor) and
    saves between our read and our write is not overwritten: the edit is applied again to its bytes.
    """
    with _locked(journal):
        for _attempt in range(_EDIT_ATTEMPTS):
            raw, version = read_entry(journal, relpath)
            new_raw = change(raw)
            if new_raw == raw:
                return
            try:
                save_entry(journal, relpath, new_raw, expected=version)
            except ConflictError as conflict:
                if conflict.current is None:
                    raise
                continue
            return
    raise StoreError(
        f"Could not change the {what} of {relpath}: another program kept rewriting it. Nothing was changed."
    )


def _set_field(raw: bytes, relpath: str, key: str, value: Any, what: str) -> bytes:
    try:
        return set_field(raw, key, value)
    except FrontMatterEditError as error:
        raise StoreError(f"Could not change the {what} of {relpath}: {error}") from error


def current_tags(raw: bytes) -> list[str]:
    """The tags a file declares, as the entry reader sees them (a list or a comma/space-separated string)."""
    metadata = parse_document(raw).metadata
    for key in TAG_KEYS:
        if key in metadata:
            return _tags_from_value(metadata[key])
    return []


def _tags_from_value(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(item) for item in value if item is not None]
    else:
        text = str(value)
        items = text.split(",") if "," in text else text.split()
    return _dedupe([item.strip().lstrip("#") for item in items])


def check_tags_editable(relpath: str, raw: bytes) -> None:
    """Raise `StoreError` (one line) when the file's tags are not a plain list an edit writes back as it was."""
    refusal = tags_refusal(parse_document(raw))
    if refusal is not None:
        raise StoreError(
            f"{relpath}: tags not changed: they are {refusal}, which an edit would rewrite; edit them by hand."
        )


def update_tags(journal: Journal, relpath: str, add: Sequence[str], remove: Sequence[str]) -> list[str]:
    """Add and remove tags (case-insensitively) and return the entry's tags afterwards.

    Only the tags field changes; the other front-matter lines and the body keep their bytes. The key the
    file already uses (`tags`, `tag` or `Tags`) is the one edited.
    """
    removing = {tag.strip().lstrip("#").casefold() for tag in remove}
    result: list[str] = []

    def change(raw: bytes) -> bytes:
        # Computed from the bytes being replaced, so a retry after another writer builds on its tags.
        check_tags_editable(relpath, raw)
        document = parse_document(raw)
        key = next((candidate for candidate in TAG_KEYS if candidate in document.metadata), "tags")
        before = current_tags(raw)
        _refuse_inline_removals(relpath, document.body, removing - {tag.casefold() for tag in before})
        after = _dedupe(
            [tag for tag in before if tag.casefold() not in removing] + [t.lstrip("#") for t in add]
        )
        result[:] = after
        if after == before:
            return raw
        return _set_field(raw, relpath, key, after, "tags")

    _edit_field(journal, relpath, "tags", change)
    return result


def _refuse_inline_removals(relpath: str, body: str, removing: set[str]) -> None:
    """Tags written in the body (`#tag`) are the user's text, not a field: never rewrite the body for them."""
    if not removing:
        return
    in_body = [tag for tag in inline_tags(body) if tag.casefold() in removing]
    if in_body:
        raise StoreError(
            f"{relpath}: #{in_body[0]} is an inline tag, written in the body; edit the text to remove it. "
            "Nothing was changed."
        )


def set_topics(journal: Journal, relpath: str, topics: Sequence[str]) -> None:
    """Link the entry to exactly these roadmap topic ids (the `topics` field); other bytes are kept."""
    wanted = _dedupe(topics)
    _edit_field(journal, relpath, "topics", lambda raw: _set_field(raw, relpath, "topics", wanted, "topics"))


# -- trash ---------------------------------------------------------------------------------------------------


def trash_entry(journal: Journal, relpath: str, *, clock: Callable[[], datetime] = local_now) -> str:
    """Move the entry to `.mljournal/trash/<timestamp>/<relpath>`; return that path relative to the root."""
    source = _abspath(journal, relpath)
    _usable_state_dir(journal, "move to the trash", relpath)
    with _locked(journal), _store_errors("move to the trash", relpath):
        if not source.is_file():
            if source.exists():
                raise StoreError(f"Could not move {relpath} to the trash: it is not a file.")
            raise FileNotFoundError(errno.ENOENT, "not found", str(source))
        batch = _new_trash_folder(journal, _timestamp(clock()))
        target = batch / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        _move_without_replacing(source, target)
    return journal.relpath(target)


def _usable_state_dir(journal: Journal, action: str, relpath: str) -> None:
    """Refuse to use the trash when `.mljournal` is a symlink (or not a folder): it could lead anywhere."""
    problem = state_dir_problem(journal)
    if problem is None:
        problem = None if not journal.trash_dir.is_symlink() else "its trash folder is a symbolic link"
    if problem is not None:
        raise StoreError(f"Could not {action} {relpath}: {problem}. Nothing was changed.")


def _new_trash_folder(journal: Journal, stamp: str) -> Path:
    journal.trash_dir.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, _MAX_NAME_ATTEMPTS + 1):
        folder = journal.trash_dir / (stamp if attempt == 1 else f"{stamp}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise StoreError("Could not make a folder in the trash.")


def _move_without_replacing(source: Path, target: Path) -> None:
    """Move a file to `target`, raising FileExistsError rather than replacing whatever is there."""
    try:
        # A hard link refuses an existing target atomically, unlike rename, which would replace it.
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        # No hard links here (another device, or a file system without them): check, then move.
        if target.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from error
        shutil.move(source, target)
        return
    source.unlink()


def list_trash(journal: Journal) -> list[str]:
    """Every file in the trash (relative to the journal root), newest deletion first."""
    trash = journal.trash_dir
    if not trash.is_dir():
        return []
    found: list[str] = []
    for batch in sorted((p for p in trash.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True):
        found.extend(sorted(journal.relpath(p) for p in batch.rglob("*") if p.is_file()))
    return found


@dataclass(frozen=True, slots=True)
class TrashedEntry:
    """One file in the trash: which deletion it came from, when, and where it lived."""

    id: str
    """The deletion's folder name in the trash (`20240501-093000`); `mljournal restore ID` takes it."""
    trash_path: str
    """Where the file is now, relative to the journal root (`.mljournal/trash/<id>/<original path>`)."""
    original_path: str
    """Where it was, and where `restore_entry` puts it back."""
    deleted_at: datetime | None
    """When it was deleted (local time, from the folder name); None when the name is not a timestamp."""


def trashed_entries(journal: Journal) -> list[TrashedEntry]:
    """Every file in the trash with its deletion time and original path, newest deletion first."""
    found: list[TrashedEntry] = []
    prefix_length = len(journal.relpath(journal.trash_dir)) + 1
    for trash_path in list_trash(journal):
        batch, _slash, original = trash_path[prefix_length:].partition("/")
        if original:
            found.append(TrashedEntry(batch, trash_path, original, _deletion_time(batch)))
    return found


def _deletion_time(batch: str) -> datetime | None:
    stamp = "-".join(batch.split("-")[:2])  # a second deletion in the same second is `<stamp>-2`
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def find_trashed(journal: Journal, reference: str | None = None) -> list[TrashedEntry]:
    """The trashed files `reference` means: a deletion id, an original path (its newest deletion), or a path
    in the trash; None means the newest deletion. [] when nothing matches."""
    trashed = trashed_entries(journal)
    if not trashed:
        return []
    if reference is None:
        return [item for item in trashed if item.id == trashed[0].id]
    wanted = reference.strip().replace("\\", "/").removeprefix("./")
    by_id = [item for item in trashed if item.id == wanted]
    if by_id:
        return by_id
    by_trash_path = [item for item in trashed if item.trash_path == wanted]
    if by_trash_path:
        return by_trash_path
    by_original = [item for item in trashed if item.original_path == wanted]
    return by_original[:1]


def restore_entry(journal: Journal, trash_relpath: str) -> str:
    """Move a trashed file back where it was and return its relpath; a taken name gets `-restored`."""
    source = _abspath(journal, trash_relpath)
    trash_root = journal.trash_dir
    try:
        inside = source.relative_to(trash_root)
    except ValueError:
        raise StoreError(f"{trash_relpath} is not in the trash.") from None
    parts = PurePosixPath(inside.as_posix()).parts
    if len(parts) < 2:
        raise StoreError(f"{trash_relpath} is not a trashed entry.")
    original = PurePosixPath(*parts[1:])
    _usable_state_dir(journal, "restore", trash_relpath)
    _write_path(journal, (journal.root / original).parent)
    with _locked(journal), _store_errors("restore", trash_relpath):
        if not source.is_file():
            raise FileNotFoundError(errno.ENOENT, "not found", str(source))
        destination = journal.root / original
        destination.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(_MAX_NAME_ATTEMPTS):
            if attempt == 0:
                candidate = destination
            else:
                extra = "-restored" if attempt == 1 else f"-restored-{attempt}"
                candidate = destination.with_name(f"{destination.stem}{extra}{destination.suffix}")
            try:
                _move_without_replacing(source, candidate)
            except FileExistsError:
                continue
            _remove_empty_folders(source.parent, stop=trash_root)
            return journal.relpath(candidate)
    raise StoreError(f"Could not find a free name to restore {trash_relpath}.")


def _remove_empty_folders(folder: Path, *, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
