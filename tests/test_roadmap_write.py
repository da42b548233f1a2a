"""Writing roadmap.yaml: edits change only their own bytes, refusals change nothing, moves are resumable."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import journal_factory
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mljournal.core.roadmap import (
    STATUSES,
    RoadmapError,
    add_topic,
    default_roadmap_text,
    id_change,
    load_roadmap,
    mark_reviewed,
    postpone_review,
    rename_topic,
    set_status,
)
from mljournal.core.roadmap import write as write_module
from mljournal.core.services import move_topic as move_module
from mljournal.core.services.move_topic import move_topic, pending_move, resume_pending_move, scan_topic_links

# Hand-written on purpose: a comment before and after values, keys in an unusual order, four-space and
# zero-offset indentation side by side, a flow mapping, extra spaces after a colon, single quotes.
HAND = """\
# My roadmap. This comment must survive every edit.
topics:
    # Four spaces here, on purpose.
    -   status: learning     # started in January
        title:   'Foundations'
        id: foundations
        children:
        - {title: "Python", id: python}
        - id: numpy
          title: NumPy  # trailing comment

          notes: |
            Broadcasting first.

    - id: later
      title: Later
"""


def write(tmp_path: Path, text: str, name: str = "roadmap.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def assert_no_temp_files(folder: Path) -> None:
    assert [name for name in os.listdir(folder) if name.startswith(".mljournal-tmp")] == []


# --- byte-exact edits ---------------------------------------------------------------------------------------


def test_set_status_changes_only_the_status_value(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    topic = set_status(path, "foundations", "skipped")
    assert topic.status == "skipped"
    assert read(path) == HAND.replace("status: learning     #", "status: skipped     #", 1)
    assert_no_temp_files(tmp_path)


def test_done_records_the_day_once_beside_the_status(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    topic = set_status(path, "foundations", "done", today=date(2024, 5, 1))
    assert (topic.status, topic.done) == ("done", "2024-05-01")
    assert read(path) == HAND.replace(
        "status: learning     # started in January\n",
        "status: done     # started in January\n        done: 2024-05-01\n",
        1,
    )
    # Done again later (after a detour through learning): the first day stays.
    set_status(path, "foundations", "learning", today=date(2024, 6, 1))
    topic = set_status(path, "foundations", "done", today=date(2024, 7, 1))
    assert topic.done == "2024-05-01"
    assert read(path).count("done: 2024-05-01") == 1


def test_done_in_a_flow_mapping_and_reviews_counted_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    set_status(path, "python", "done", today=date(2024, 5, 1))
    assert '{title: "Python", id: python, status: done, done: 2024-05-01}' in read(path)
    topic = mark_reviewed(path, "python", today=date(2024, 5, 4))
    assert (topic.reviewed, topic.reviews) == ("2024-05-04", 1)
    topic = mark_reviewed(path, "python", today=date(2024, 5, 11))
    assert (topic.reviewed, topic.reviews) == ("2024-05-11", 2)
    assert "done: 2024-05-01, reviewed: 2024-05-11, reviews: 2}" in read(path)
    topic = postpone_review(path, "python", date(2024, 6, 1))
    assert topic.postponed == "2024-06-01"
    roadmap, problems = load_roadmap(path)
    assert problems == []
    assert roadmap.find("python") == topic
    # Everything outside that one flow mapping is as it was.
    assert (
        read(path).replace(
            '{title: "Python", id: python, status: done, done: 2024-05-01, reviewed: 2024-05-11, reviews: 2,'
            " postponed: 2024-06-01}",
            '{title: "Python", id: python}',
        )
        == HAND
    )


def test_review_fields_that_are_not_dates_are_reported_and_ignored(tmp_path: Path) -> None:
    text = "topics:\n  - id: a\n    status: done\n    done: last tuesday\n    reviews: many\n"
    path = write(tmp_path, text)
    roadmap, problems = load_roadmap(path)
    topic = roadmap.find("a")
    assert topic is not None and (topic.done, topic.reviews) == (None, 0)
    assert [p.code for p in problems] == ["roadmap-bad-value", "roadmap-bad-value"]
    assert [p.line for p in problems] == [4, 5]


def test_set_status_adds_a_missing_status_line_after_the_title(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    set_status(path, "numpy", "skipped")
    assert read(path) == HAND.replace(
        "title: NumPy  # trailing comment\n", "title: NumPy  # trailing comment\n          status: skipped\n"
    )


def test_set_status_in_a_flow_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    set_status(path, "python", "skipped")
    assert read(path) == HAND.replace(
        '{title: "Python", id: python}', '{title: "Python", id: python, status: skipped}'
    )
    set_status(path, "python", "todo")
    assert read(path) == HAND.replace(
        '{title: "Python", id: python}', '{title: "Python", id: python, status: todo}'
    )


def test_rename_keeps_the_title_quoting_style(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    rename_topic(path, "foundations", "Foundations & maths")
    rename_topic(path, "python", 'Python: the "easy" part')
    rename_topic(path, "later", "Later, maybe")
    expected = (
        HAND.replace("'Foundations'", "'Foundations & maths'")
        .replace('"Python"', '"Python: the \\"easy\\" part"')
        .replace("title: Later", "title: Later, maybe")
    )
    assert read(path) == expected
    roadmap, problems = load_roadmap(path)
    assert problems == []
    assert [t.title for t in roadmap.walk()] == [
        "Foundations & maths",
        'Python: the "easy" part',
        "NumPy",
        "Later, maybe",
    ]


def test_rename_quotes_what_would_not_read_back_as_plain_text(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    for title in ("yes", "2024-01-01", "1.5", "null", "# not a comment", "a: b", "[list]", "- dash", "x #y"):
        topic = rename_topic(path, "later", title)
        assert topic.title == title
        roadmap, problems = load_roadmap(path)
        assert problems == [] and roadmap.find("later").title == title  # type: ignore[union-attr]


def test_add_child_to_a_leaf_creates_children_in_the_files_own_style(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    topic = add_topic(path, "later", "Linear Algebra!")
    assert (topic.id, topic.title, topic.status, topic.parent) == (
        "linear-algebra",
        "Linear Algebra!",
        "todo",
        "later",
    )
    # The file's first `children:` puts the dash under the key (offset 0); the new list follows suit.
    assert read(path) == HAND + (
        "      children:\n      - id: linear-algebra\n        title: Linear Algebra!\n        status: todo\n"
    )


def test_add_child_appends_after_the_last_child_and_its_block_text(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    add_topic(path, "foundations", "Pandas", id="pandas")
    new_item = "        - id: pandas\n          title: Pandas\n          status: todo\n"
    # The literal block's blank lines belong to it, so the new item comes after them.
    assert read(path) == HAND.replace("    - id: later\n", new_item + "    - id: later\n")
    roadmap, _ = load_roadmap(path)
    assert roadmap.find("numpy").notes == "Broadcasting first.\n"  # type: ignore[union-attr]
    assert [t.id for t in roadmap.find("foundations").children] == ["python", "numpy", "pandas"]  # type: ignore[union-attr]


def test_add_top_level_topic_and_unique_ids(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    first = add_topic(path, None, "Later")
    second = add_topic(path, None, "Later")
    assert (first.id, second.id) == ("later-2", "later-3")
    assert read(path) == HAND + (
        "    - id: later-2\n      title: Later\n      status: todo\n"
        "    - id: later-3\n      title: Later\n      status: todo\n"
    )


def test_add_to_the_blank_template_and_to_a_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, default_roadmap_text("blank"))
    add_topic(path, None, "Statistics")
    add_topic(path, "statistics", "Bayes")
    text = read(path)
    assert text.startswith(default_roadmap_text("blank").split("topics: []")[0])
    assert text.endswith(
        "topics:\n  - id: statistics\n    title: Statistics\n    status: todo\n"
        "    children:\n      - id: bayes\n        title: Bayes\n        status: todo\n"
    )
    missing = tmp_path / "new" / "roadmap.yaml"
    missing.parent.mkdir()
    add_topic(missing, None, "First")
    roadmap, problems = load_roadmap(missing)
    assert problems == [] and roadmap.ids() == ["first"]


def test_crlf_bom_and_missing_final_newline_are_kept(tmp_path: Path) -> None:
    original = "\ufefftopics:\r\n  - id: a\r\n    title: A\r\n    status: todo"
    path = write(tmp_path, original)
    set_status(path, "a", "done", today=date(2024, 5, 1))
    add_topic(path, None, "B")
    assert read(path) == (
        "\ufefftopics:\r\n  - id: a\r\n    title: A\r\n    status: done\r\n    done: 2024-05-01\r\n"
        "  - id: b\r\n    title: B\r\n    status: todo\r\n"
    )


def test_a_comment_after_an_empty_flow_list_stays(tmp_path: Path) -> None:
    path = write(tmp_path, "topics: []  # nothing yet\n# end\n")
    add_topic(path, None, "A")
    assert read(path) == "topics: # nothing yet\n  - id: a\n    title: A\n    status: todo\n# end\n"


def test_default_roadmap_edits_touch_one_line_each(tmp_path: Path) -> None:
    original = default_roadmap_text()
    path = write(tmp_path, original)
    set_status(path, "python", "skipped")
    rename_topic(path, "numpy", "NumPy arrays")
    before, after = original.splitlines(), read(path).splitlines()
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(changed) == 2
    assert (
        after[changed[0]].strip() == "status: skipped" and after[changed[1]].strip() == "title: NumPy arrays"
    )


# --- refusals leave the file as it was ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda p: set_status(p, "nope", "done"), "no topic 'nope'"),
        (lambda p: set_status(p, "numpy", "finished"), "Unknown status"),
        (lambda p: add_topic(p, "nope", "X"), "no topic 'nope'"),
        (lambda p: add_topic(p, None, "X", id="numpy"), "already a topic"),
        (lambda p: add_topic(p, None, "X", id="has space"), "not a usable id"),
        (lambda p: add_topic(p, None, "   "), "needs a title"),
        (lambda p: rename_topic(p, "numpy", "two\nlines"), "one line"),
        (lambda p: move_topic(p, "numpy", "python"), "already a topic"),
        (lambda p: move_topic(p, "numpy", "-bad"), "not a usable id"),
    ],
)
def test_refusals_change_nothing(tmp_path: Path, action: Any, message: str) -> None:
    path = write(tmp_path, HAND)
    with pytest.raises(RoadmapError, match=message):
        action(path)
    assert read(path) == HAND
    assert sorted(os.listdir(tmp_path)) == ["roadmap.yaml"]


def test_duplicate_ids_are_not_edited(tmp_path: Path) -> None:
    text = "topics:\n  - id: a\n    title: A\n  - id: a\n    title: A again\n  - id: b\n    title: B\n"
    path = write(tmp_path, text)
    with pytest.raises(RoadmapError, match="used twice"):
        set_status(path, "a", "done")
    set_status(path, "b", "learning")  # the rest of the file stays editable
    assert read(path) == text + "    status: learning\n"


@pytest.mark.parametrize(
    "content",
    [b"topics:\n  - id: a\n    title: [A\n", b"topics:\n  - id: a\n    title: Caf\xe9\n", b"just text\n"],
)
def test_a_file_that_does_not_read_is_never_written(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_bytes(content)
    with pytest.raises(RoadmapError, match="Refusing to edit"):
        add_topic(path, None, "B")
    assert path.read_bytes() == content


def test_a_file_changed_during_the_edit_is_not_overwritten_but_edited_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, HAND)
    real_parse = write_module._parse
    calls = 0

    def parse_then_someone_saves(raw: bytes | str) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:  # the edit's own check: by now an editor has saved the file
            path.write_text(HAND + "# saved by an editor\n", encoding="utf-8")
        return real_parse(raw)

    monkeypatch.setattr(write_module, "_parse", parse_then_someone_saves)
    set_status(path, "numpy", "done")
    # The edit started again from the editor's bytes: its line is kept and the status is set.
    assert read(path).endswith("# saved by an editor\n")
    roadmap, _problems = load_roadmap(path)
    numpy = roadmap.find("numpy")
    assert numpy is not None and numpy.status == "done"


def test_a_file_that_keeps_changing_during_the_edit_is_left_to_the_other_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, HAND)
    real_parse = write_module._parse
    saves = 0

    def parse_then_someone_saves(raw: bytes | str) -> Any:
        nonlocal saves
        parsed = real_parse(raw)
        if "status: done" in (raw.decode() if isinstance(raw, bytes) else raw):
            # The edit's own check of its new text: an editor saves just before the write, every time.
            saves += 1
            path.write_text(HAND + f"# save {saves}\n", encoding="utf-8")
        return parsed

    monkeypatch.setattr(write_module, "_parse", parse_then_someone_saves)
    with pytest.raises(RoadmapError, match="changed while"):
        set_status(path, "numpy", "done")
    assert read(path) == HAND + f"# save {saves}\n"


def test_bare_title_topics_need_an_id_first(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n  - Just a title\n")
    with pytest.raises(RoadmapError, match="bare title"):
        set_status(path, "just-a-title", "done")


# --- any sequence of edits keeps the file readable and equal to the model ------------------------------------

_title = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=25
).filter(lambda s: bool(s.strip()))
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(min_value=-1, max_value=30), _title),
        st.tuples(st.just("status"), st.integers(min_value=0, max_value=30), st.sampled_from(STATUSES)),
        st.tuples(st.just("rename"), st.integers(min_value=0, max_value=30), _title),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_ops)
def test_random_edits_match_a_reference_model(tmp_path: Path, ops: list[tuple[str, int, str]]) -> None:
    path = write(tmp_path, HAND)
    # Reference: id → [title, status, parent, children ids], in insertion order.
    ref: dict[str, list[Any]] = {}
    roadmap, _ = load_roadmap(path)
    for topic in roadmap.walk():
        ref[topic.id] = [topic.title, topic.status, topic.parent, [c.id for c in topic.children]]
    roots = [t.id for t in roadmap.roots]
    for op, n, arg in ops:
        ids = list(ref)
        target = None if n < 0 else ids[n % len(ids)]
        if op == "add":
            topic = add_topic(path, target, arg)
            ref[topic.id] = [arg.strip(), "todo", target, []]
            (roots if target is None else ref[target][3]).append(topic.id)
        elif op == "status":
            assert target is not None
            set_status(path, target, arg)
            ref[target][1] = arg
        else:
            assert target is not None
            rename_topic(path, target, arg)
            ref[target][0] = arg.strip()
        roadmap, problems = load_roadmap(path)
        assert problems == []
        assert [t.id for t in roadmap.roots] == roots
        for topic in roadmap.walk():
            assert [topic.title, topic.status, topic.parent, [c.id for c in topic.children]] == ref[topic.id]
    text = read(path)
    assert text.startswith("# My roadmap. This comment must survive every edit.\n")
    assert "    # Four spaces here, on purpose.\n" in text
    assert_no_temp_files(tmp_path)
    path.unlink()


# --- move: the roadmap and every linked entry ---------------------------------------------------------------

ENTRIES = {
    "entries/flow.md": "---\ntitle: Flow\ntopics: [numpy, python]  # keep me\ntags: [a]\n---\nBody numpy.\n",
    "entries/2024/block.md": "---\ntitle: Block\ntopics:\n  - python\n  - numpy\ndate: 2024-01-01\n---\nBody\n",
    "entries/string.markdown": "---\ntitle: String\ntopics: numpy\n---\n",
    "entries/already.md": "---\ntitle: Both\ntopics: [numpy, arrays]\n---\n",
    "entries/other.md": "---\ntitle: Other\ntopics: [python]\n---\nnumpy in the body only\n",
    "entries/.hidden/skip.md": "---\ntopics: [numpy]\n---\n",
}


def make_journal(root: Path) -> Path:
    """The entries above and the hand-written roadmap under `root`; returns roadmap.yaml's path."""
    return journal_factory.make_journal(root, ENTRIES, roadmap=HAND).roadmap_path


def expected_after_move(root: Path) -> dict[str, str]:
    return {
        "roadmap.yaml": HAND.replace("- id: numpy\n", "- id: arrays\n"),
        "entries/flow.md": ENTRIES["entries/flow.md"].replace("[numpy, python]", "[arrays, python]"),
        "entries/2024/block.md": ENTRIES["entries/2024/block.md"].replace("  - numpy\n", "  - arrays\n"),
        "entries/string.markdown": ENTRIES["entries/string.markdown"].replace(
            "topics: numpy", "topics: arrays"
        ),
        "entries/already.md": "---\ntitle: Both\ntopics: [arrays]\n---\n",
        "entries/other.md": ENTRIES["entries/other.md"],
        "entries/.hidden/skip.md": ENTRIES["entries/.hidden/skip.md"],
    }


def snapshot(root: Path) -> dict[str, str]:
    return {rel: (root / rel).read_text(encoding="utf-8") for rel in expected_after_move(root)}


def test_move_rewrites_linked_entries_and_the_roadmap(tmp_path: Path) -> None:
    path = make_journal(tmp_path)
    result = move_topic(path, "numpy", "arrays")
    assert sorted(result.rewritten) == [
        "entries/2024/block.md",
        "entries/already.md",
        "entries/flow.md",
        "entries/string.markdown",
    ]
    assert result.roadmap_updated and result.skipped == []
    assert snapshot(tmp_path) == expected_after_move(tmp_path)
    assert pending_move(path) is None
    assert not (tmp_path / ".mljournal" / "pending-move.json").exists()


def test_move_refuses_up_front_when_a_linked_entry_cannot_be_edited(tmp_path: Path) -> None:
    path = make_journal(tmp_path)
    broken = tmp_path / "entries" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\ntopics: [numpy]\n---\n", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(RoadmapError, match=r"Nothing was changed: entries/broken\.md"):
        move_topic(path, "numpy", "arrays")
    assert snapshot(tmp_path) == before
    assert pending_move(path) is None


def test_move_rewrites_every_entry_the_index_lists_mdx_and_markdown_too(tmp_path: Path) -> None:
    # One walker (issue 10): the move once used its own, which skipped `.mdx` entries that search listed.
    path = write(tmp_path, HAND)
    entries = {
        "entries/x.mdx": "---\ntitle: X\ntopics: [numpy]\n---\nimport A from './a'\n",
        "entries/y.markdown": "---\ntitle: Y\ntopics:\n  - numpy\n---\n",
        "entries/deep/Z.MDX": "---\ntitle: Z\ntopics: numpy, python\n---\n",
    }
    for rel, text in entries.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert scan_topic_links(tmp_path)["numpy"] == set(entries)
    result = move_topic(path, "numpy", "arrays")
    assert sorted(result.rewritten) == sorted(entries)
    assert read(tmp_path / "entries/x.mdx") == entries["entries/x.mdx"].replace("[numpy]", "[arrays]")
    assert read(tmp_path / "entries/y.markdown") == entries["entries/y.markdown"].replace(
        "- numpy", "- arrays"
    )
    assert read(tmp_path / "entries/deep/Z.MDX") == entries["entries/deep/Z.MDX"].replace(
        "numpy, python", "arrays, python"
    )
    assert "numpy" not in scan_topic_links(tmp_path)


def test_move_reads_a_topics_string_as_search_does(tmp_path: Path) -> None:
    # The one behaviour change of issue 10's D7: a string with commas splits on the commas only, as the index
    # reads it, so "linear algebra" stays one topic (the move used to split it on the space too). It is still
    # written back as a string.
    path = write(tmp_path, HAND)
    entry = tmp_path / "entries" / "x.md"
    entry.parent.mkdir()
    entry.write_text('---\ntitle: X\ntopics: "numpy, linear algebra"\n---\n', encoding="utf-8")
    assert scan_topic_links(tmp_path) == {"numpy": {"entries/x.md"}, "linear algebra": {"entries/x.md"}}
    result = move_topic(path, "numpy", "arrays")
    assert result.rewritten == ["entries/x.md"]
    assert read(entry) == '---\ntitle: X\ntopics: "arrays, linear algebra"\n---\n'


def test_rename_topic_id_changes_only_the_id_and_says_when_it_was_done_already(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    assert id_change.rename_topic_id(path, "numpy", "arrays") is True
    assert read(path) == HAND.replace("- id: numpy\n", "- id: arrays\n")
    assert id_change.rename_topic_id(path, "numpy", "arrays") is False
    assert read(path) == HAND.replace("- id: numpy\n", "- id: arrays\n")


def test_rename_topic_id_refuses_when_both_ids_are_there(tmp_path: Path) -> None:
    path = write(tmp_path, HAND)
    with pytest.raises(id_change.BothIdsPresent):
        id_change.rename_topic_id(path, "numpy", "python")
    assert read(path) == HAND


class Crash(BaseException):
    """Stands in for a power cut: not an Exception, so nothing on the way catches it."""


@pytest.mark.parametrize("writes_before_crash", [0, 1, 2, 4, 5])
def test_an_interrupted_move_is_finished_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes_before_crash: int
) -> None:
    # Write 1 is the pending record, writes 2-5 the four linked entries, write 6 the roadmap.
    path = make_journal(tmp_path)
    before = snapshot(tmp_path)
    real_write = write_module.atomic_write_bytes
    writes = 0

    def flaky_write(target: Path, data: bytes, **kwargs: Any) -> None:
        nonlocal writes
        if writes == writes_before_crash:
            raise Crash
        writes += 1
        real_write(target, data, **kwargs)

    # The pending record and the entries are written by the move, the roadmap by roadmap.write: one count.
    monkeypatch.setattr(move_module, "atomic_write_bytes", flaky_write)
    monkeypatch.setattr(write_module, "atomic_write_bytes", flaky_write)
    with pytest.raises(Crash):
        move_topic(path, "numpy", "arrays")
    monkeypatch.setattr(move_module, "atomic_write_bytes", real_write)
    monkeypatch.setattr(write_module, "atomic_write_bytes", real_write)
    if writes_before_crash == 0:
        # Died before the record was written: nothing happened, nothing to finish.
        assert pending_move(path) is None and resume_pending_move(path) is None
        assert snapshot(tmp_path) == before
        return
    assert pending_move(path) == ("numpy", "arrays")
    assert snapshot(tmp_path) != expected_after_move(tmp_path)
    finished = resume_pending_move(path)
    assert finished is not None and finished.roadmap_updated
    assert len(finished.rewritten) == 5 - writes_before_crash
    assert snapshot(tmp_path) == expected_after_move(tmp_path)
    assert pending_move(path) is None
    assert resume_pending_move(path) is None


def test_a_crash_after_the_roadmap_write_only_needs_the_record_removed(tmp_path: Path) -> None:
    path = make_journal(tmp_path)
    move_topic(path, "numpy", "arrays")
    # As if the process died just before deleting the record.
    record = tmp_path / ".mljournal" / "pending-move.json"
    record.write_text('{"old": "numpy", "new": "arrays"}', encoding="utf-8")
    result = resume_pending_move(path)
    assert result is not None and not result.roadmap_updated and result.rewritten == []
    assert snapshot(tmp_path) == expected_after_move(tmp_path)
    assert not record.exists()


def test_a_new_move_finishes_the_pending_one_first(tmp_path: Path) -> None:
    path = make_journal(tmp_path)
    record = tmp_path / ".mljournal" / "pending-move.json"
    record.parent.mkdir()
    record.write_text('{"old": "numpy", "new": "arrays"}', encoding="utf-8")
    move_topic(path, "python", "py")
    roadmap, _ = load_roadmap(path)
    assert roadmap.find("arrays") is not None and roadmap.find("py") is not None
    assert "topics: [arrays, py]  # keep me" in (tmp_path / "entries/flow.md").read_text(encoding="utf-8")


def test_a_garbled_pending_record_is_dropped(tmp_path: Path) -> None:
    path = make_journal(tmp_path)
    record = tmp_path / ".mljournal" / "pending-move.json"
    record.parent.mkdir()
    record.write_text("{not json", encoding="utf-8")
    assert resume_pending_move(path) is None
    assert not record.exists()
    assert snapshot(tmp_path)["roadmap.yaml"] == HAND


def test_move_on_the_sample_journal_copy(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parent.parent
    root = tmp_path / "sample"
    shutil.copytree(repo / "entries", root / "entries")
    shutil.copy(repo / "roadmap.yaml", root / "roadmap.yaml")
    before = {p: p.read_bytes() for p in (root / "entries").rglob("*.md")}
    links = scan_topic_links(root)
    linked = {root / rel for rel in links.get("linear-algebra", set())}
    result = move_topic(root / "roadmap.yaml", "linear-algebra", "linalg")
    assert {root / rel for rel in result.rewritten} == linked
    for file, raw in before.items():
        if file not in linked:
            assert file.read_bytes() == raw
    after = scan_topic_links(root)
    assert "linear-algebra" not in after and {root / r for r in after.get("linalg", set())} == linked


@pytest.mark.parametrize("title", ["A,", "x]", "{y", "a, b", "c}"])
def test_titles_with_flow_indicators_are_quoted_in_flow_mappings(tmp_path: Path, title: str) -> None:
    # Found by the random-edit test: a plain `A,` ends the value inside a `{...}` topic.
    path = write(tmp_path, HAND)
    roadmap, _ = load_roadmap(path)
    flow_parents = [t.id for t in roadmap.walk()]
    for parent in [None, *flow_parents]:
        topic = add_topic(path, parent, title)
        reread, problems = load_roadmap(path)
        assert problems == []
        found = reread.find(topic.id)
        assert found is not None and found.title == title
