"""`mljournal check` on the corpus's hand-made hostile files: every problem is a sentence, with its file.

No raw exception class names (`ScannerError`, `ConstructorError`), no tracebacks, no errno numbers.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.journal import Journal

pytestmark = pytest.mark.corpus

LINE = re.compile(r"^(?P<path>entries/[^:]+?)(?::(?P<line>\d+))?: (?P<message>.+)$")
PYTHON_LEAKS = re.compile(
    r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b|Traceback|<class |\bErrno\b|\bNoneType\b|File \"/"
)
PYTHON_TYPE_NAME = re.compile(r"\ba (?:str|dict|int|float|bool|bytes|NoneType)\b")

# Files that must be reported, and a word the message must contain so the user knows what to fix.
MUST_REPORT = {
    "fm_yaml_alias_bomb.md": "alias",
    "fm_deep_nesting.md": "nested",
    "sec_yaml_python_object_apply.md": "not allowed",
    "sec_yaml_python_object_os.md": "not allowed",
    "sec_yaml_python_object_new.md": "not allowed",
    "sec_yaml_custom_tags.md": "not allowed",
    "fm_broken_unclosed_quote.md": "YAML",
    "fm_broken_bad_indent.md": "YAML",
    "fm_no_closing_delimiter.md": "never closed",
    "fm_toml_invalid.md": "TOML",
    "enc_latin1.md": "UTF-8",
    "date_invalid_feb30.md": "date",
}


_CACHE: dict[Path, tuple[Journal, list[str]]] = {}
"""One `check` run per corpus for the whole module (the fixtures it builds on are function-scoped)."""


def _run_check(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Journal, list[str]]:
    if corpus_dir not in _CACHE:
        source = corpus_dir / "odd"
        if not source.is_dir():
            pytest.skip("corpus/odd is not present")
        root = tmp_path_factory.mktemp("odd") / "journal"
        shutil.copytree(source, root / "entries", symlinks=True)
        journal = Journal(root)
        result = CliRunner().invoke(main, ["-j", str(root), "check"], env={"MLJOURNAL_DIR": ""})
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        lines = [line for line in result.output.splitlines() if line.startswith("entries/")]
        assert lines, result.output
        _CACHE[corpus_dir] = (journal, lines)
    return _CACHE[corpus_dir]


@pytest.fixture
def odd_journal(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Journal:
    return _run_check(corpus_dir, tmp_path_factory)[0]


@pytest.fixture
def check_lines(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _run_check(corpus_dir, tmp_path_factory)[1]


def test_every_problem_names_an_existing_file(odd_journal: Journal, check_lines: list[str]) -> None:
    for line in check_lines:
        match = LINE.match(line)
        assert match, f"not 'path[:line]: message': {line}"
        assert (odd_journal.root / match["path"]).exists(), line


def test_every_problem_is_a_sentence_without_python_internals(check_lines: list[str]) -> None:
    for line in check_lines:
        match = LINE.match(line)
        assert match
        message = match["message"]
        assert message[0].isupper() or message[0] in "'\"", f"does not start a sentence: {line}"
        assert message.rstrip().endswith((".", ".)", "?")), f"not a full sentence: {line}"
        leak = PYTHON_LEAKS.search(message)
        assert leak is None, f"Python internals in a user message ({leak.group()!r}): {line}"


def test_no_python_type_names_in_messages(check_lines: list[str]) -> None:
    offending = [line for line in check_lines if PYTHON_TYPE_NAME.search(line)]
    assert offending == []


def test_yaml_tags_are_shown_as_the_user_wrote_them(check_lines: list[str]) -> None:
    offending = [line for line in check_lines if "tag:yaml.org,2002:" in line]
    assert offending == []


@pytest.mark.parametrize("name", sorted(MUST_REPORT))
def test_hostile_files_are_reported_in_words_that_say_what_to_fix(check_lines: list[str], name: str) -> None:
    mine = [line for line in check_lines if line.startswith(f"entries/{name}")]
    assert mine, f"{name} is not reported at all"
    assert any(MUST_REPORT[name].lower() in line.lower() for line in mine), mine
