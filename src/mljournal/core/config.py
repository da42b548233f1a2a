"""Settings: a small typed object read once from `mljournal.toml` files.

Two files are read, the later overriding the earlier: the user's (`config.toml` in the platform's config
folder, or the file named by `$MLJOURNAL_CONFIG`) and the journal's own `mljournal.toml`. Unknown keys and
wrong types are reported as problems, never fatal.

One setting is different: `editor` names a command to run, and a journal may come from someone else's
repository. So the journal's `editor` never replaces the user's: it is kept apart (`journal_editor`) and runs
only once the user has agreed to that command for that journal, once or for good (`trust_editor`, remembered
in `trusted-editors.json` beside the user's config file, like `direnv allow`).
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mljournal.core.atomic import atomic_write_bytes
from mljournal.core.errors import MLJournalError, describe_os_error
from mljournal.core.journal import Journal, read_regular_file
from mljournal.core.model import Problem

CONFIG_ENV_VAR = "MLJOURNAL_CONFIG"


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "textual-dark"
    """The Textual theme the app starts with (any name the command palette's theme list shows)."""
    editor: str = ""
    """The external editor for `E` and `mljournal new`, from the user's own config only; empty means
    `$VISUAL`, then `$EDITOR`."""
    watch: bool = True
    """Pick up files changed by other programs while the app runs."""
    default_tags: tuple[str, ...] = ()
    """Tags a new entry starts with."""
    stale_days: int = 14
    """A topic in `learning` whose newest entry is older than this many days is listed as stale."""
    journal_editor: str = ""
    """The editor the journal's own mljournal.toml asks for, when it differs from the user's: it runs only
    after the user agrees (`is_editor_trusted`), never silently. Not a setting of its own."""


_TYPES: dict[str, type] = {
    "theme": str,
    "editor": str,
    "watch": bool,
    "default_tags": tuple,
    "stale_days": int,
}


def user_config_path() -> Path:
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("mljournal", appauthor=False)) / "config.toml"


def load_config(journal: Journal | None = None) -> tuple[Config, list[tuple[str, Problem]]]:
    """The settings in force for `journal`, and any problems found reading them (by file)."""
    problems: list[tuple[str, Problem]] = []
    config = _apply_file(Config(), user_config_path(), problems)
    if journal is not None:
        merged = _apply_file(config, journal.config_path, problems)
        if merged.editor != config.editor:
            # A command named by the journal's file is only a proposal until the user agrees to it.
            merged = replace(merged, editor=config.editor, journal_editor=merged.editor)
        config = merged
    return config, problems


def _apply_file(config: Config, path: Path, problems: list[tuple[str, Problem]]) -> Config:
    try:
        # A pipe named mljournal.toml would block a plain read (and the app's start) forever.
        data = tomllib.loads(read_regular_file(path).decode("utf-8"))
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as error:
        problems.append((str(path), Problem("config-unreadable", f"Could not read the settings: {error}.")))
        return config
    except tomllib.TOMLDecodeError as error:
        problems.append((str(path), Problem("config-parse", f"The settings are not valid TOML: {error}.")))
        return config
    changes: dict[str, Any] = {}
    known = set(_TYPES)
    for key, value in data.items():
        if key not in known:
            problems.append((str(path), Problem("config-unknown", f"Unknown setting {key!r} (ignored).")))
            continue
        expected = _TYPES[key]
        if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            changes[key] = tuple(value)
        elif expected is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            problems.append(
                (
                    str(path),
                    Problem("config-type", f"The setting {key!r} should be {_describe(int)} (ignored)."),
                )
            )
        elif expected is not tuple and isinstance(value, expected):
            changes[key] = value
        else:
            message = f"The setting {key!r} should be {_describe(expected)} (ignored)."
            problems.append((str(path), Problem("config-type", message)))
    return replace(config, **changes)


def _describe(expected: type) -> str:
    return {
        str: "a string",
        bool: "true or false",
        tuple: "a list of strings",
        int: "a whole number of at least 1",
    }[expected]


class ConfigWriteError(MLJournalError):
    """A setting could not be remembered; the message is one sentence for the user, the file is unchanged."""


def remember_setting(key: str, value: str, path: Path | None = None) -> Path:
    """Set the string setting `key` in the user's settings file (`user_config_path`), and return the path.

    Only the `key = ...` line is rewritten (or a line added before the first table); every other byte of
    the file stays as written. The result is parsed before it replaces the file atomically; a file that
    isn't valid TOML is refused rather than rewritten.
    """
    from mljournal.core.frontmatter.edit_toml import toml_key, toml_spans, toml_string
    from mljournal.core.frontmatter.errors import FrontMatterEditError

    if key not in _TYPES or _TYPES[key] is not str:
        raise ConfigWriteError(f"{key!r} is not a setting that can be remembered.")
    path = path or user_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as error:
        raise ConfigWriteError(describe_os_error("read", str(path), error)) from error
    try:
        text = raw.decode("utf-8")
        before = tomllib.loads(text)
        lines, spans, table_at = toml_spans(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, FrontMatterEditError) as error:
        raise ConfigWriteError(f"{path} is not valid TOML, so it was left as it is: {error}.") from error
    newline = "\r\n" if "\r\n" in text else "\n"
    if key in spans:
        first, last = spans[key]
        old = lines[first]
        ending = lines[last][len(lines[last].rstrip("\r\n")) :]
        comment = _trailing_comment(old.rstrip("\r\n")) if first == last else ""
        lines[first : last + 1] = [old[: old.index("=") + 1] + " " + toml_string(value) + comment + ending]
    else:
        insert_at = table_at
        while insert_at > 0 and not lines[insert_at - 1].strip():
            insert_at -= 1
        if insert_at > 0 and not lines[insert_at - 1].endswith(("\n", "\r")):
            lines[insert_at - 1] += newline
        lines.insert(insert_at, f"{toml_key(key)} = {toml_string(value)}{newline}")
    new_text = "".join(lines)
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, key: value}:
        raise ConfigWriteError(f"Setting {key} in {path} would have changed other settings; left as it is.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, new_text.encode("utf-8"))
    except OSError as error:
        raise ConfigWriteError(describe_os_error("write", str(path), error)) from error
    return path


def _trailing_comment(line: str) -> str:
    """The ` # comment` after a one-line `key = value` (with the spaces before it), or ""."""
    for position, char in enumerate(line):
        if char != "#":
            continue
        try:
            parsed = tomllib.loads(line[:position])
        except tomllib.TOMLDecodeError:
            continue  # a `#` inside the value
        if parsed:
            start = len(line[:position].rstrip())
            return line[start:]
    return ""


# -- agreeing to a journal's editor --------------------------------------------------------------------------

TRUST_FILE = "trusted-editors.json"


def trusted_editors_path() -> Path:
    """Where the user's answers "always run this journal's editor" are kept: beside the user's config file."""
    return user_config_path().parent / TRUST_FILE


def _journal_key(journal: Journal) -> str:
    return str(journal.root.resolve())


def _read_trusted(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    journals = data.get("journals") if isinstance(data, dict) else None
    if not isinstance(journals, dict):
        return {}
    return {
        str(root): [command for command in commands if isinstance(command, str)]
        for root, commands in journals.items()
        if isinstance(commands, list)
    }


def is_editor_trusted(journal: Journal, command: str) -> bool:
    """Whether the user said "always" to running `command` as the editor of this journal."""
    return command in _read_trusted(trusted_editors_path()).get(_journal_key(journal), [])


def trust_editor(journal: Journal, command: str) -> None:
    """Remember that the user agreed to run `command` as this journal's editor; raises OSError if it can't."""
    from mljournal.core.atomic import atomic_write_bytes
    from mljournal.core.locking import journal_lock

    path = trusted_editors_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # The same lock as a journal's, on the config folder: two apps agreeing at once both stay remembered.
    with journal_lock(path.parent):
        trusted = _read_trusted(path)
        commands = trusted.setdefault(_journal_key(journal), [])
        if command not in commands:
            commands.append(command)
        text = json.dumps({"version": 1, "journals": trusted}, indent=2, ensure_ascii=False) + "\n"
        atomic_write_bytes(path, text.encode("utf-8"))
