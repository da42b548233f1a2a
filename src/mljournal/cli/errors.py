"""Expected failures as one clear line and a non-zero exit: `fail` and the `friendly_errors` decorator."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import click

from mljournal.core.errors import MLJournalError

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected core errors into one clear line and a non-zero exit, never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except MLJournalError as error:
            fail(str(error))
        except BrokenPipeError:
            raise  # `mljournal search | head`: handled quietly in `run`
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                fail("The index is busy: another mljournal is updating it. Try again in a moment.")
            from mljournal.core.index import is_disk_full

            if is_disk_full(error):
                fail("The disk is full: the index could not be updated. Free some space and try again.")
            raise
        except PermissionError as error:
            fail(f"Permission denied: {error.filename or error}")
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            fail(f"{error.strerror or error}{where}")

    return wrapper
