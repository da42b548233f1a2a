"""One way for the tests to put a journal on disk: `make_journal`.

Fixtures used to write journals seven ways (an `entries/` folder and files, text or bytes; a roadmap; a
journal's `mljournal.toml`; what `mljournal init` writes; an index built or not). They all call this now, so a
change to what a journal is (a new folder, a new file) is made here once. Importable from any test: pytest puts
`tests/` on `sys.path` for `tests/conftest.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mljournal.core.journal import Journal


def make_journal(
    root: Path,
    files: Mapping[str, str | bytes] | None = None,
    *,
    roadmap: str | None = None,
    config: str | None = None,
    template: str | None = None,
    index: bool = False,
) -> Journal:
    """A journal at `root` (made if missing) holding `files`, and return it.

    `files` maps journal-relative paths (`entries/a.md`, `templates/daily.md`) to their text, written as UTF-8,
    or to bytes, written as they are. `roadmap` and `config` are the text of `roadmap.yaml` and
    `mljournal.toml`. `template` ("ml" or "blank") first lays the journal out as `mljournal init --template`
    does, roadmap and all. With `index`, the index is built from the files.
    """
    journal = Journal(root)
    if template is not None:
        from mljournal.core.services.setup import init_journal

        init_journal(root, template=template)
    journal.entries_dir.mkdir(parents=True, exist_ok=True)
    if roadmap is not None:
        journal.roadmap_path.write_text(roadmap, encoding="utf-8")
    if config is not None:
        journal.config_path.write_text(config, encoding="utf-8")
    for relpath, content in (files or {}).items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if index:
        from mljournal.core.index import Index

        with Index(journal) as built:
            built.sync()
    return journal
