"""Settings: a small typed object read once from `mljournal.toml` files.

Two files are read, the later overriding the earlier: the user's (`config.toml` in the platform's config
folder, or the file named by `$MLJOURNAL_CONFIG`) and the journal's own `mljournal.toml`. Unknown keys and
wrong types are reported as problems, never fatal.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from mljournal.core.journal import Journal
from mljournal.core.model import Problem

CONFIG_ENV_VAR = "MLJOURNAL_CONFIG"


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "textual-dark"
    """The Textual theme the app starts with (any name the command palette's theme list shows)."""
    editor: str = ""
    """The external editor for `E` and `mljournal new`; empty means `$VISUAL`, then `$EDITOR`."""
    watch: bool = True
    """Pick up files changed by other programs while the app runs."""
    default_tags: tuple[str, ...] = ()
    """Tags a new entry starts with."""
    stale_days: int = 14
    """A topic in `learning` whose newest entry is older than this many days is listed as stale."""


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
    config = Config()
    problems: list[tuple[str, Problem]] = []
    paths = [user_config_path()]
    if journal is not None:
        paths.append(journal.config_path)
    for path in paths:
        config = _apply_file(config, path, problems)
    return config, problems


def _apply_file(config: Config, path: Path, problems: list[tuple[str, Problem]]) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as error:
        problems.append((str(path), Problem("config-unreadable", f"Could not read the settings: {error}.")))
        return config
    except tomllib.TOMLDecodeError as error:
        problems.append((str(path), Problem("config-parse", f"The settings are not valid TOML: {error}.")))
        return config
    changes: dict[str, Any] = {}
    known = {field.name for field in fields(Config)}
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
