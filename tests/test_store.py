"""Writing entries: conflicts, never overwriting, trash and restore, tag edits that keep other bytes."""

from __future__ import annotations

import errno
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from journal_factory import make_journal

from mljournal.core.entries.new import create_entry, entry_template
from mljournal.core.entries.store import (
    ConflictError,
    StoreError,
    file_version,
    read_entry,
    save_as_copy,
    save_entry,
)
from mljournal.core.entries.tagging import current_tags, set_topics, update_tags
from mljournal.core.entries.trash import list_trash, restore_entry, trash_entry
from mljournal.core.frontmatter.read import parse_document
from mljournal.core.journal import Journal
from mljournal.core.text import slug

FIXED = datetime(2024, 1, 15, 10, 30, 5, 123456, tzinfo=timezone(timedelta(hours=1)))

SAMPLE = (
    b"---\n"
    b"title: 'Backprop, finally'  # a comment that must survive\n"
    b"date: 2024-01-15\n"
    b"tags:\n"
    b"  - deep learning\n"
    b"  - calculus\n"
    b"description: >\n"
    b"  folded text\n"
    b"  on two lines\n"
    b"---\n"
    b"\n"
    b"Body with [bold]markup[/bold] and trailing spaces   \n"
)


def clock() -> datetime:
    return FIXED


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return make_journal(tmp_path / "journal")


def write(journal: Journal, relpath: str, data: bytes) -> Path:
    path = journal.root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- versions and saving -----------------------------------------------------------------------------------


def test_file_version_ignores_touch_but_sees_content(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    before = file_version(path)
    os.utime(path, ns=(before.mtime_ns + 10**9, before.mtime_ns + 10**9))
    touched = file_version(path)
    assert touched.mtime_ns != before.mtime_ns
    assert before.same_content(touched)
    path.write_bytes(SAMPLE + b"x")
    assert not before.same_content(file_version(path))
    assert not before.same_content(None)


def test_save_with_matching_version_writes_and_returns_new_version(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    raw, version = read_entry(journal, "entries/a.md")
    assert raw == SAMPLE
    new_version = save_entry(journal, "entries/a.md", b"new words", expected=version)
    assert path.read_bytes() == b"new words"
    assert new_version.same_content(file_version(path))
    # The returned version is good for the next save.
    save_entry(journal, "entries/a.md", b"newer words", expected=new_version)
    assert path.read_bytes() == b"newer words"


def test_save_refuses_when_another_program_changed_the_file(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    _, version = read_entry(journal, "entries/a.md")
    path.write_bytes(b"their words")
    with pytest.raises(ConflictError) as caught:
        save_entry(journal, "entries/a.md", b"my words", expected=version)
    assert path.read_bytes() == b"their words"
    assert caught.value.current is not None
    assert caught.value.current.same_content(file_version(path))
    assert "changed by another program" in str(caught.value)
    # "Overwrite" is a save without an expected version.
    save_entry(journal, "entries/a.md", b"my words", expected=None)
    assert path.read_bytes() == b"my words"


def test_save_refuses_when_the_file_was_deleted(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    _, version = read_entry(journal, "entries/a.md")
    path.unlink()
    with pytest.raises(ConflictError) as caught:
        save_entry(journal, "entries/a.md", b"mine", expected=version)
    assert caught.value.current is None
    assert not path.exists()


def test_save_as_copy_keeps_both_and_never_overwrites(journal: Journal) -> None:
    path = write(journal, "entries/2024-01-15-a.md", SAMPLE)
    first = save_as_copy(journal, "entries/2024-01-15-a.md", b"mine 1", clock=clock)
    second = save_as_copy(journal, "entries/2024-01-15-a.md", b"mine 2", clock=clock)
    assert first == "entries/2024-01-15-a-conflict-20240115-103005.md"
    assert second == "entries/2024-01-15-a-conflict-20240115-103005-2.md"
    assert (journal.root / first).read_bytes() == b"mine 1"
    assert (journal.root / second).read_bytes() == b"mine 2"
    assert path.read_bytes() == SAMPLE


# -- errors ------------------------------------------------------------------------------------------------


def test_disk_full_becomes_store_error_and_keeps_the_original(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    _, version = read_entry(journal, "entries/a.md")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(StoreError, match="disk is full") as caught:
        save_entry(journal, "entries/a.md", b"lost?", expected=version)
    assert not isinstance(caught.value, ConflictError)
    assert path.read_bytes() == SAMPLE
    # No temp file is left behind to look like an entry.
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.md"]


def test_read_only_file_system_on_create_is_a_store_error(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "link", read_only)
    with pytest.raises(StoreError, match="read-only"):
        create_entry(journal, title="Hello", clock=clock)
    assert list(journal.entries_dir.iterdir()) == []


def test_saving_onto_a_folder_is_a_store_error(journal: Journal) -> None:
    (journal.entries_dir / "folder.md").mkdir()
    with pytest.raises(StoreError, match="folder"):
        save_entry(journal, "entries/folder.md", b"x", expected=None)
    assert (journal.entries_dir / "folder.md").is_dir()


def test_paths_outside_the_journal_are_refused(journal: Journal, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"keep")
    with pytest.raises(StoreError, match="outside"):
        save_entry(journal, "../outside.md", b"x", expected=None)
    with pytest.raises(StoreError, match="outside"):
        trash_entry(journal, "../outside.md", clock=clock)
    assert outside.read_bytes() == b"keep"


def test_missing_file_errors_are_store_errors(journal: Journal) -> None:
    with pytest.raises(StoreError, match="no longer exists"):
        read_entry(journal, "entries/nope.md")
    with pytest.raises(StoreError, match="no longer exists"):
        trash_entry(journal, "entries/nope.md", clock=clock)
    with pytest.raises(StoreError):
        update_tags(journal, "entries/nope.md", ["a"], [])


# -- creating ----------------------------------------------------------------------------------------------


def test_create_entry_writes_front_matter_and_body(journal: Journal) -> None:
    body = entry_template("Attention")
    relpath = create_entry(
        journal,
        title="Attention is all you need",
        body=body,
        tags=["transformers", " nlp ", "NLP", ""],
        topics=["deep-learning"],
        description="Reading the paper",
        clock=clock,
    )
    assert relpath.startswith("entries/2024-01-15-")
    assert relpath.endswith(".md")
    doc = parse_document((journal.root / relpath).read_bytes())
    assert doc.problems == []
    assert doc.metadata["title"] == "Attention is all you need"
    assert doc.metadata["tags"] == ["transformers", "nlp"]
    assert doc.metadata["topics"] == ["deep-learning"]
    assert doc.metadata["description"] == "Reading the paper"
    assert str(doc.metadata["date"]).startswith("2024-01-15")
    assert doc.body.strip() == body.strip()


def test_create_entry_never_overwrites(journal: Journal) -> None:
    first = create_entry(journal, title="Same title", body="one", clock=clock)
    second = create_entry(journal, title="Same title", body="two", clock=clock)
    assert first != second
    assert parse_document((journal.root / first).read_bytes()).body.strip() == "one"
    assert parse_document((journal.root / second).read_bytes()).body.strip() == "two"


def test_create_entry_retries_when_the_name_is_taken_after_choosing_it(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = journal.entries_dir / "2024-01-15-raced.md"
    taken.write_bytes(b"someone else's words")
    names = iter([taken, journal.entries_dir / "2024-01-15-raced-2.md"])
    monkeypatch.setattr(slug, "entry_filename", lambda _dir, _day, _title: next(names))
    relpath = create_entry(journal, title="Raced", clock=clock)
    assert relpath == "entries/2024-01-15-raced-2.md"
    assert taken.read_bytes() == b"someone else's words"


def test_create_entry_uses_an_explicit_date_and_refuses_an_empty_title(journal: Journal) -> None:
    relpath = create_entry(journal, title="Old notes", date=date(2020, 2, 29), clock=clock)
    assert relpath.startswith("entries/2020-02-29-")
    with pytest.raises(StoreError, match="title"):
        create_entry(journal, title="   ", clock=clock)


def test_entry_template_is_markdown_with_headings() -> None:
    template = entry_template("Anything")
    assert template.startswith("## ")
    assert template.count("\n## ") >= 2
    assert "---" not in template


# -- tags and topics ---------------------------------------------------------------------------------------


def _split_around_tags(raw: bytes) -> tuple[bytes, bytes]:
    """The bytes before the `tags:` line and after its block list."""
    start = raw.index(b"tags:")
    lines = raw[start:].splitlines(keepends=True)
    consumed = len(lines[0])
    for line in lines[1:]:
        if not line.startswith(b"  -"):
            break
        consumed += len(line)
    return raw[:start], raw[start + consumed :]


def test_update_tags_changes_only_the_tags_lines(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    result = update_tags(journal, "entries/a.md", add=["optimisation", "Calculus"], remove=["deep learning"])
    assert result == ["calculus", "optimisation"]
    new_raw = path.read_bytes()
    assert current_tags(new_raw) == result
    assert _split_around_tags(new_raw) == _split_around_tags(SAMPLE)


def test_update_tags_without_change_leaves_the_file_alone(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    before = file_version(path)
    assert update_tags(journal, "entries/a.md", add=["CALCULUS"], remove=["not-there"]) == [
        "deep learning",
        "calculus",
    ]
    assert file_version(path) == before


def test_update_tags_edits_the_key_the_file_uses(journal: Journal) -> None:
    path = write(journal, "entries/a.md", b"---\ntitle: x\ntag: ml, stats\n---\nbody\n")
    assert update_tags(journal, "entries/a.md", add=["python"], remove=["stats"]) == ["ml", "python"]
    metadata = parse_document(path.read_bytes()).metadata
    assert "tags" not in metadata
    assert current_tags(path.read_bytes()) == ["ml", "python"]


def test_update_tags_adds_front_matter_to_a_plain_file(journal: Journal) -> None:
    path = write(journal, "entries/plain.md", b"# Just a heading\n\nwords\n")
    assert update_tags(journal, "entries/plain.md", add=["new"], remove=[]) == ["new"]
    doc = parse_document(path.read_bytes())
    assert doc.metadata["tags"] == ["new"]
    assert doc.body.endswith("# Just a heading\n\nwords\n")


def test_update_tags_refuses_broken_front_matter(journal: Journal) -> None:
    broken = b"---\ntitle: 'unclosed\ntags: [a, b\n---\nbody\n"
    path = write(journal, "entries/broken.md", broken)
    with pytest.raises(StoreError):
        update_tags(journal, "entries/broken.md", add=["x"], remove=[])
    assert path.read_bytes() == broken


def test_set_topics_keeps_the_rest(journal: Journal) -> None:
    path = write(journal, "entries/a.md", SAMPLE)
    set_topics(journal, "entries/a.md", ["ml-basics", "ml-basics", "linear-algebra"])
    doc = parse_document(path.read_bytes())
    assert doc.metadata["topics"] == ["ml-basics", "linear-algebra"]
    assert doc.metadata["tags"] == ["deep learning", "calculus"]
    assert doc.body == parse_document(SAMPLE).body
    set_topics(journal, "entries/a.md", [])
    assert parse_document(path.read_bytes()).metadata.get("topics") in ([], None)


TAG_TEXT = st.text(alphabet="abcXYZ019 -_.", min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(TAG_TEXT, max_size=5, unique_by=str.casefold),
    add=st.lists(TAG_TEXT, max_size=4),
    remove=st.lists(TAG_TEXT, max_size=4),
)
def test_update_tags_round_trip(
    journal: Journal, before: list[str], add: list[str], remove: list[str]
) -> None:
    path = journal.entries_dir / "prop.md"
    block = "".join(f"  - {tag!r}\n".replace("'", '"') for tag in before) if before else ""
    raw = f"---\ntitle: prop\ntags:\n{block}extra: 1\n---\nbody stays\n".encode()
    path.write_bytes(raw)
    result = update_tags(journal, "entries/prop.md", add=add, remove=remove)
    removed = {tag.casefold() for tag in remove}
    expected = {t.casefold() for t in before if t.casefold() not in removed} | {t.casefold() for t in add}
    assert {tag.casefold() for tag in result} == expected
    assert len(result) == len(expected)
    new_raw = path.read_bytes()
    assert current_tags(new_raw) == result
    doc = parse_document(new_raw)
    assert doc.metadata["extra"] == 1
    assert doc.metadata["title"] == "prop"
    assert doc.body == "body stays\n"


# -- trash -------------------------------------------------------------------------------------------------


def test_trash_and_restore(journal: Journal) -> None:
    path = write(journal, "entries/2024/a.md", SAMPLE)
    trashed = trash_entry(journal, "entries/2024/a.md", clock=clock)
    assert trashed == ".mljournal/trash/20240115-103005/entries/2024/a.md"
    assert not path.exists()
    assert (journal.root / trashed).read_bytes() == SAMPLE
    assert list_trash(journal) == [trashed]
    restored = restore_entry(journal, trashed)
    assert restored == "entries/2024/a.md"
    assert path.read_bytes() == SAMPLE
    assert list_trash(journal) == []
    # The emptied batch folder is gone too.
    assert list(journal.trash_dir.iterdir()) == []


def test_trashing_twice_in_one_second_keeps_both(journal: Journal) -> None:
    write(journal, "entries/a.md", b"first")
    one = trash_entry(journal, "entries/a.md", clock=clock)
    write(journal, "entries/a.md", b"second")
    two = trash_entry(journal, "entries/a.md", clock=clock)
    assert one != two
    assert (journal.root / one).read_bytes() == b"first"
    assert (journal.root / two).read_bytes() == b"second"
    assert set(list_trash(journal)) == {one, two}


def test_restore_never_overwrites_a_file_that_took_the_name(journal: Journal) -> None:
    write(journal, "entries/a.md", b"old")
    trashed = trash_entry(journal, "entries/a.md", clock=clock)
    write(journal, "entries/a.md", b"new file with the same name")
    restored = restore_entry(journal, trashed)
    assert restored == "entries/a-restored.md"
    assert (journal.root / "entries/a.md").read_bytes() == b"new file with the same name"
    assert (journal.root / restored).read_bytes() == b"old"


def test_restore_refuses_paths_outside_the_trash(journal: Journal) -> None:
    write(journal, "entries/a.md", b"x")
    with pytest.raises(StoreError, match="not in the trash"):
        restore_entry(journal, "entries/a.md")
    with pytest.raises(StoreError):
        restore_entry(journal, ".mljournal/trash/20240101-000000/entries/gone.md")
