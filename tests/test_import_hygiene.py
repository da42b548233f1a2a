"""The core is headless: importing it (and the CLI's search path) must not load Textual or Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mljournal.core

# Every module at any depth: the core is packages now, and a submodule could import Textual on its own.
CORE_MODULES = sorted(
    module.name for module in pkgutil.walk_packages(mljournal.core.__path__, prefix="mljournal.core.")
)


def _loaded_ui_modules(statement: str) -> list[str]:
    code = (
        f"{statement}\n"
        "import sys\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [name for name in result.stdout.strip().split(",") if name]


def test_every_core_module_is_found() -> None:
    # Guards the test below against passing because it imported nothing.
    assert {
        "mljournal.core.index.search",
        "mljournal.core.entries.read",
        "mljournal.core.query.parse",
    } <= set(CORE_MODULES)


def test_core_imports_neither_textual_nor_rich() -> None:
    statement = "\n".join(f"import {name}" for name in CORE_MODULES)
    assert _loaded_ui_modules(statement) == []


def test_cli_search_path_imports_neither_textual_nor_rich(tmp_path: object) -> None:
    # `mljournal search` must start fast: loading the CLI module must not drag in the TUI.
    assert _loaded_ui_modules("import mljournal.cli") == []


def test_the_check_itself_sees_textual_when_it_is_imported() -> None:
    assert "textual" in _loaded_ui_modules("import textual.app")
