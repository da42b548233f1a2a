"""The journal folder: where it is, what lives in it, and creating one."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from mljournal.core.atomic import TEMP_PREFIX
from mljournal.core.errors import MLJournalError
from mljournal.core.model import Problem

ENTRIES_DIR = "entries"
ROADMAP_FILE = "roadmap.yaml"
CONFIG_FILE = "mljournal.toml"
STATE_DIR = ".mljournal"
ENV_VAR = "MLJOURNAL_DIR"
# .mdx is Markdown with components (Astro, Docusaurus); its text reads fine as Markdown.
ENTRY_SUFFIXES = (".md", ".markdown", ".mdx")


class JournalError(MLJournalError):
    """A journal problem to show the user as one line."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words for a problem message ("a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


class NotARegularFile(OSError):
    """An entry path that names a pipe, socket, device or folder: reading it could block forever."""

    def __init__(self, path: str | os.PathLike[str], mode: int) -> None:
        super().__init__(f"it is {file_kind(mode)}, not a regular file")
        self.filename = os.fspath(path)
        self.strerror = str(self.args[0])


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def open_regular_file(path: str | os.PathLike[str]) -> BinaryIO:
    """The regular file at `path`, open for reading bytes; raises `NotARegularFile` for anything else.

    Opened non-blocking, so a FIFO named like an entry answers at once instead of waiting for a writer
    that never comes (and hanging a scan, a search or the app's exit); the type is checked on the open
    file, so a file swapped for a pipe after a scan listed it is caught too. (Reads of a regular file
    ignore the non-blocking flag.)
    """
    handle = open(path, "rb", opener=_open_nonblocking)  # noqa: SIM115 - returned to the caller
    try:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(path, mode)
    except BaseException:
        handle.close()
        raise
    return handle


def read_regular_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file at `path`; see `open_regular_file` (raises OSError)."""
    with open_regular_file(path) as handle:
        return handle.read()


def undecodable_name(name: str) -> bool:
    """Whether a file name from the operating system is not valid UTF-8 (Python keeps its bytes as
    surrogates, which SQLite, JSON and the terminal all refuse)."""
    if name.isascii():  # most names, answered without encoding (a scan asks for every file)
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable_name(name: str) -> str:
    """`name` with any bytes that are not UTF-8 shown as U+FFFD, for messages."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte (not from the file system)
        return name.encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True, slots=True)
class Journal:
    """A journal rooted at `root`: `entries/`, `roadmap.yaml`, optional `mljournal.toml`, `.mljournal/`."""

    root: Path

    @property
    def name(self) -> str:
        return self.root.name or str(self.root)

    @property
    def entries_dir(self) -> Path:
        return self.root / ENTRIES_DIR

    @property
    def roadmap_path(self) -> Path:
        return self.root / ROADMAP_FILE

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def index_path(self) -> Path:
        return self.state_dir / "index.sqlite"

    @property
    def trash_dir(self) -> Path:
        return self.state_dir / "trash"

    def relpath(self, path: Path) -> str:
        """`path` relative to the root, `/`-separated, as stored in the index."""
        return Path(os.path.relpath(path, self.root)).as_posix()

    def abspath(self, relpath: str) -> Path:
        """The absolute path of an index path; refuses anything that would leave the journal."""
        try:
            candidate = (self.root / relpath).resolve()
            root = self.root.resolve()
        except RuntimeError:
            # Python 3.11 raises RuntimeError (not OSError) for a symlink loop.
            raise JournalError(f"{relpath!r} is a symbolic link that loops") from None
        if candidate != root and root not in candidate.parents:
            raise JournalError(f"{relpath!r} is outside the journal")
        return self.root / relpath

    def is_writable(self) -> bool:
        return os.access(self.entries_dir if self.entries_dir.exists() else self.root, os.W_OK)


def find_journal_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds an `entries/` folder."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ENTRIES_DIR).is_dir():
            return candidate
    return None


def default_journal_root() -> Path:
    """The per-user journal folder (platformdirs), used when no other journal is found."""
    import platformdirs

    return Path(platformdirs.user_data_dir("mljournal", appauthor=False)) / "journal"


def resolve_journal(explicit: Path | None = None, *, cwd: Path | None = None) -> tuple[Journal, bool]:
    """Which journal to use: `--journal` > `$MLJOURNAL_DIR` > the nearest `entries/` above cwd > the user folder.

    Returns the journal and whether it is the per-user default (created on first use by the caller).
    """
    # Absolute, so that `-j .` is shown by its folder's name and paths stay right if the cwd changes.
    if explicit is not None:
        return Journal(Path(explicit).expanduser().absolute()), False
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Journal(Path(from_env).expanduser().absolute()), False
    found = find_journal_root(cwd or Path.cwd())
    if found is not None:
        return Journal(found), False
    return Journal(default_journal_root()), True


def write_target(root: Path, path: Path) -> Path:
    """Where a write to `path` (in the journal at `root`) really lands: `path` with its symlinks resolved.

    The rule for symbolic links: a write follows a link only to a place inside the journal (the link stays a
    link and its target gets the new bytes); a link that leads out of the journal is refused with
    `JournalError`, so a cloned journal can't make mljournal write elsewhere on the disk.
    """
    try:
        real_root = Path(root).resolve()
        target = Path(path).resolve()
    except (RuntimeError, OSError):
        # Python 3.11 raises RuntimeError (not OSError) for a symlink loop.
        raise JournalError(
            f"{_shown(root, path)} is a symbolic link that loops; nothing was changed."
        ) from None
    if target != real_root and real_root not in target.parents:
        raise JournalError(
            f"{_shown(root, path)} leads out of the journal through a symbolic link, and mljournal only writes "
            "inside the journal; nothing was changed."
        )
    return target


def _shown(root: Path, path: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def state_dir_problem(journal: Journal) -> str | None:
    """Why `.mljournal/` must not be written to (a symlink, not a folder), or None when it may be used.

    A symlinked `.mljournal` (a cloned journal can carry one) would send the index, the lock and the trash
    to wherever it points, so it is never followed, not even to a folder inside the journal.
    """
    try:
        mode = os.lstat(journal.state_dir).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{STATE_DIR}/ cannot be read ({error.strerror or error})"
    if stat.S_ISLNK(mode):
        return f"{STATE_DIR} is a symbolic link, and mljournal never writes through one"
    if not stat.S_ISDIR(mode):
        return f"{STATE_DIR} is not a folder"
    return None


def ensure_state_dir(journal: Journal) -> None:
    """Create `.mljournal/` with a .gitignore, so the cache never ends up in someone's repository.

    Does nothing when `.mljournal` is a symbolic link or a file (`state_dir_problem`): nothing is written
    through it.
    """
    if state_dir_problem(journal) is not None:
        return
    journal.state_dir.mkdir(parents=True, exist_ok=True)
    ignore = journal.state_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# mljournal's cache: safe to delete, rebuilt from entries/.\n*\n", encoding="utf-8"
        )


def is_entry_name(name: str) -> bool:
    """Whether a file called `name` is an entry by its name: an entry suffix (any case), and not hidden.

    Hidden names (`.x.md`) are our temp files and editors' backups. Says nothing of the folder it is in
    (see `is_entry_relpath`).
    """
    return not name.startswith(".") and name.lower().endswith(ENTRY_SUFFIXES)


def is_entry_relpath(relpath: str) -> bool:
    """Whether `relpath` (relative to the journal root, `/`-separated) names a file `walk_entry_files` yields
    if it is a regular file: under `entries/`, no hidden folder or file on the way, an entry name, valid UTF-8.
    """
    parts = relpath.split("/")
    return (
        len(parts) >= 2
        and parts[0] == ENTRIES_DIR
        and all(part and not part.startswith(".") for part in parts[1:-1])
        and is_entry_name(parts[-1])
        and not undecodable_name(relpath)
    )


def walk_entry_files(
    journal: Journal,
    folders: list[tuple[str, int]] | None = None,
    temp_files: list[Path] | None = None,
    skipped: list[tuple[str, Problem]] | None = None,
) -> Iterator[tuple[str, os.stat_result]]:
    """Yield (relpath, stat) for every entry file under `entries/`, at any depth.

    Hidden files and folders (our temp files among them) are skipped. Symlinks are followed only when they
    resolve inside the journal, and each real folder is visited once, so a link loop cannot hang a scan.
    When `folders` is given, each visited folder's (path, mtime_ns) is appended to it: the fingerprint that
    `Index.quick_sync` compares. Temp files of interrupted saves go into `temp_files` when it is given.

    Only regular files are yielded: a pipe, socket or device named like an entry would block the reader
    (a folder named `x.md` is a folder, and is walked). Names that are not UTF-8 are not yielded either:
    SQLite, JSON and the terminal can't carry them, and a name shown with U+FFFD could not be opened again.
    Both go into `skipped` (a printable path and the problem) for `mljournal check` to name.
    """
    root = journal.root
    entries_dir = journal.entries_dir
    try:
        real_root = root.resolve()
    except OSError:
        return
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[str, str]] = [(str(entries_dir), entries_dir.name)]
    while stack:
        folder, rel_folder = stack.pop()
        try:
            folder_stat = os.stat(folder)
        except OSError:
            continue
        key = (folder_stat.st_dev, folder_stat.st_ino)
        if key in seen_dirs:
            continue
        seen_dirs.add(key)
        if folders is not None:
            folders.append((folder, folder_stat.st_mtime_ns))
        try:
            scanner = os.scandir(folder)
        except OSError:
            continue
        subfolders: list[tuple[str, str]] = []
        with scanner:
            for item in scanner:
                name = item.name
                if name[0] == ".":
                    if temp_files is not None and name.startswith(TEMP_PREFIX):
                        temp_files.append(Path(item.path))
                    continue
                try:
                    if item.is_symlink():
                        target = Path(item.path).resolve()
                        if target != real_root and real_root not in target.parents:
                            continue
                    relpath = f"{rel_folder}/{name}"
                    if item.is_dir():
                        if undecodable_name(name):
                            _skip(skipped, relpath, "bad-file-name", _BAD_FOLDER_NAME)
                        else:
                            subfolders.append((item.path, relpath))
                        continue
                    if not is_entry_name(name):
                        continue
                    if undecodable_name(name):
                        _skip(skipped, relpath, "bad-file-name", _BAD_FILE_NAME)
                        continue
                    stat = item.stat()
                    if not S_ISREG(stat.st_mode):
                        message = f"Not read: it is {file_kind(stat.st_mode)}, not a regular file."
                        _skip(skipped, relpath, "not-a-file", message)
                        continue
                    yield relpath, stat
                except (OSError, RuntimeError):
                    # RuntimeError: Python 3.11's Path.resolve() reports a symlink loop that way, not as OSError.
                    continue
        # Depth-first in name order keeps scans deterministic.
        stack.extend(sorted(subfolders, reverse=True))


_BAD_FILE_NAME = "Not indexed: the file name is not valid UTF-8 (the odd bytes are shown as \ufffd); rename it to include it."
_BAD_FOLDER_NAME = (
    "Not indexed: the folder name is not valid UTF-8 (the odd bytes are shown as \ufffd); rename it to"
    " include the entries in it."
)


def _skip(skipped: list[tuple[str, Problem]] | None, relpath: str, code: str, message: str) -> None:
    if skipped is not None:
        skipped.append((printable_name(relpath), Problem(code, message)))
