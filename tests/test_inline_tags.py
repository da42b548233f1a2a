"""Obsidian-style inline tags: `#tag` in the body's text is a tag, marked inline, found by `tag:x`, never edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.entries.read import load_entry
from mljournal.core.entries.store import StoreError
from mljournal.core.entries.tagging import update_tags
from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.text.markdown.inline_tags import inline_tags

BODY = """\
Read about #attention and #my_tag/nested today, and #Attention again.
Not tags: C#sharp, page/#anchor, issue #2024, `#inline-code`, [#link-text](x.md).

# Heading
## Heading with #heading-word

- a list item #listed
| col | other |
| --- | ----- |
| #cell | x |

```python
# comment #fenced
```

    #indented-code
<div>#html-block</div>
"""
FILE = f"---\ntitle: Inline\ndate: 2024-03-01\ntags: [ml]\n---\n\n{BODY}"


def test_tags_come_from_text_only() -> None:
    assert inline_tags(BODY) == ["attention", "my_tag/nested", "listed", "cell"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#a", ["a"]),
        ("#ml.", ["ml"]),
        ("(#x)", []),
        ("#1a #12", ["1a"]),
        ("##double", []),
        ("# spaced heading", []),
        ("#ünïcode #日本", ["ünïcode", "日本"]),
        ("no tags at all", []),
        ("**bold** #after", ["after"]),
    ],
)
def test_what_counts_as_a_tag(text: str, expected: list[str]) -> None:
    assert inline_tags(text) == expected


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    root = tmp_path / "journal"
    (root / "entries").mkdir(parents=True)
    (root / "entries/inline.md").write_text(FILE, encoding="utf-8")
    return Journal(root)


def test_the_entry_reads_them_as_tags_marked_inline(journal: Journal) -> None:
    entry = load_entry(journal.root, "entries/inline.md")
    assert entry.tags == ["ml", "attention", "my_tag/nested", "listed", "cell"]
    assert entry.inline_tags == ["attention", "my_tag/nested", "listed", "cell"]


def test_a_tag_in_both_places_is_not_inline(journal: Journal) -> None:
    path = journal.root / "entries/inline.md"
    path.write_text(FILE.replace("tags: [ml]", "tags: [ml, Attention]"), encoding="utf-8")
    entry = load_entry(journal.root, "entries/inline.md")
    assert entry.tags == ["ml", "Attention", "my_tag/nested", "listed", "cell"]
    assert "attention" not in [tag.casefold() for tag in entry.inline_tags]


def test_tag_search_finds_inline_tags(journal: Journal) -> None:
    with Index(journal) as index:
        index.sync()
        for query in ("tag:attention", "tag:my_tag/nested", "tag:cell"):
            assert [row.path for row in index.page(index.prepare(query), 0, 10)] == ["entries/inline.md"], (
                query
            )
        assert index.count(index.prepare("tag:fenced")) == 0
        assert index.count(index.prepare("tag:heading-word")) == 0


def test_removing_an_inline_tag_is_refused_and_the_file_is_kept(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MLJOURNAL_DIR", raising=False)
    path = journal.root / "entries/inline.md"
    before = path.read_bytes()
    with pytest.raises(StoreError, match="inline tag"):
        update_tags(journal, "entries/inline.md", [], ["attention"])
    result = CliRunner().invoke(
        main, ["--journal", str(journal.root), "tag", "entries/inline.md", "-attention"]
    )
    assert result.exit_code == 1
    assert "#attention is an inline tag, written in the body" in result.output
    assert path.read_bytes() == before


def test_front_matter_edits_never_touch_the_body(journal: Journal) -> None:
    path = journal.root / "entries/inline.md"
    assert update_tags(journal, "entries/inline.md", ["new"], ["ml"]) == ["new"]
    text = path.read_text(encoding="utf-8")
    assert text.endswith(BODY) and "tags: [new]" in text
    assert load_entry(journal.root, "entries/inline.md").inline_tags == [
        "attention",
        "my_tag/nested",
        "listed",
        "cell",
    ]
