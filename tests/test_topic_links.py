"""Topic expansion is passed into search: `open_index` widens `topic:x` to x's subtree, a bare `Index` does not."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.services.topic_links import RoadmapSubtrees, open_index

ROADMAP = """\
- id: foundations
  title: Foundations
  children:
    - id: numpy
      title: NumPy
- id: deep-learning
  title: Deep learning
"""


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "j")
    journal.entries_dir.mkdir(parents=True)
    journal.roadmap_path.write_text(ROADMAP, encoding="utf-8")
    for name, topic in [("a", "foundations"), ("b", "numpy"), ("c", "deep-learning")]:
        (journal.entries_dir / f"2024-01-0{ord(name) - 96}-{name}.md").write_text(
            f"---\ntitle: {name}\ntopics: [{topic}]\n---\nbody\n", encoding="utf-8"
        )
    return journal


def found(index: Index, query: str) -> set[str]:
    return {hit.row.path.rsplit("-", 1)[-1] for hit in index.search(query, today=date(2024, 3, 1)).hits}


def test_open_index_widens_a_topic_to_its_subtree(journal: Journal) -> None:
    with open_index(journal) as index:
        index.sync()
        assert found(index, "topic:foundations") == {"a.md", "b.md"}
        assert found(index, "-topic:foundations") == {"c.md"}


def test_a_bare_index_matches_the_topic_alone(journal: Journal) -> None:
    # The index knows nothing of the roadmap unless it is handed a topic_subtrees callable.
    with Index(journal) as index:
        index.sync()
        assert found(index, "topic:foundations") == {"a.md"}
        assert found(index, "-topic:foundations") == {"b.md", "c.md"}


def test_roadmap_subtrees_never_raise(journal: Journal) -> None:
    subtrees = RoadmapSubtrees(journal)
    assert subtrees("foundations") == ("foundations", "numpy")
    assert subtrees("no-such-topic") == ("no-such-topic",)
    journal.roadmap_path.write_text("- id: [unclosed\n", encoding="utf-8")
    assert subtrees("foundations") == ("foundations",)
    journal.roadmap_path.unlink()
    assert subtrees("foundations") == ("foundations",)


def test_roadmap_subtrees_reread_the_roadmap_only_when_it_changes(journal: Journal) -> None:
    subtrees = RoadmapSubtrees(journal)
    assert subtrees("deep-learning") == ("deep-learning",)
    first = subtrees._cache
    assert subtrees("numpy") == ("numpy",)
    assert subtrees._cache is first
    journal.roadmap_path.write_text(
        ROADMAP + "  children:\n    - id: transformers\n      title: Transformers\n", encoding="utf-8"
    )
    stat = journal.roadmap_path.stat()
    os.utime(journal.roadmap_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert subtrees("deep-learning") == ("deep-learning", "transformers")
