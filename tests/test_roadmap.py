"""The roadmap model: reading roadmap.yaml, progress, next up, entry counts, ids and the default roadmap."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mljournal.core.roadmap import (
    STATUSES,
    UNREADABLE_PREFIX,
    Roadmap,
    RoadmapError,
    Topic,
    default_roadmap_text,
    display_status,
    is_valid_id,
    load_roadmap,
    next_status,
    parse_roadmap,
    progress_dict,
    resource_dict,
    subtree_entry_counts,
    unknown_topic_links,
)
from mljournal.core.text.slug import topic_slug as slugify
from mljournal.core.text.slug import unique_name as unique_id

REPO_ROOT = Path(__file__).resolve().parent.parent

# The ids other engineers' sample entries link to, with their place in the tree (parent chain).
REQUIRED_TREE = """
foundations > mathematics > linear-algebra, calculus, probability-statistics
foundations > programming > python, numpy, pandas
data-analysis > data-cleaning, eda, feature-engineering
intro-ml > kinds-of-learning, train-test-data, over-underfitting, bias-variance, linear-regression, model-evaluation
deeper-ml > classification > logistic-regression, decision-trees, random-forests, svm
deeper-ml > regression > polynomial-regression, ridge, lasso
deeper-ml > unsupervised > k-means, hierarchical-clustering, dbscan
deeper-ml > ensembles > bagging, boosting
deeper-ml > metrics > accuracy, precision, recall, f1-score, mae, mse, rmse
deep-learning > perceptrons-mlp, backpropagation, cnn, rnn, lstm-gru, transformers, gans
nlp > text-preprocessing, word-embeddings, bert
reinforcement-learning > q-learning, dqn
toolkits > scikit-learn, tensorflow-keras, pytorch, spacy, nltk
deployment > flask-fastapi, docker, cloud-platforms, mlops
projects > small-projects, complex-projects, portfolio
continuous-learning > papers-and-blogs, workshops-conferences, specialisation
community > networking, kaggle-competitions
"""


def required_leaves() -> dict[str, list[str]]:
    """Leaf id → its ancestor ids, outermost first."""
    leaves: dict[str, list[str]] = {}
    for line in REQUIRED_TREE.strip().splitlines():
        *chain, last = [part.strip() for part in line.split(">")]
        for leaf in last.split(","):
            leaves[leaf.strip()] = chain
    return leaves


def tree(text: str) -> Roadmap:
    roadmap, problems = parse_roadmap(text)
    assert problems == [], problems
    return roadmap


SMALL = """\
topics:
  - id: a
    title: A
    children:
      - id: a1
        title: A1
        status: done
      - id: a2
        title: A2
        status: skipped
      - id: a3
        title: A3
        status: learning
      - id: a4
        title: A4
  - id: b
    title: B
    status: done
  - id: c
    title: C
    children:
      - id: c1
        title: C1
        children:
          - id: c1x
            title: C1x
"""


# --- the default roadmap ------------------------------------------------------------------------------------


def test_default_roadmap_has_every_required_id_in_its_place() -> None:
    roadmap = tree(default_roadmap_text("ml"))
    for leaf, chain in required_leaves().items():
        topic = roadmap.find(leaf)
        assert topic is not None, leaf
        assert topic.is_leaf, leaf
        assert [t.id for t in roadmap.ancestors(leaf)] == chain, leaf
    assert roadmap.overall_progress().percent == 0
    assert all(t.status == "todo" for t in roadmap.walk())


def test_default_roadmap_puts_the_seed_resources_on_the_topics_they_serve() -> None:
    roadmap = tree(default_roadmap_text())

    def titles(topic_id: str) -> str:
        topic = roadmap.find(topic_id)
        assert topic is not None
        return " | ".join(r.title for r in topic.resources)

    assert "Mathematics for Machine Learning" in titles("mathematics")
    assert "Bishop" in titles("mathematics")
    assert "Machine Learning Specialization" in titles("intro-ml")
    assert "Deep Learning Specialization" in titles("deep-learning")
    assert "Kaggle" in titles("projects")
    assert "Kaggle" in titles("kaggle-competitions")


def test_blank_template_is_empty_but_explains_the_format() -> None:
    text = default_roadmap_text("blank")
    roadmap = tree(text)
    assert len(roadmap) == 0
    assert "# " in text and "status" in text and "children" in text


def test_unknown_template_is_refused() -> None:
    with pytest.raises(RoadmapError, match="template"):
        default_roadmap_text("physics")


def test_sample_journal_roadmap_has_the_promised_statuses() -> None:
    path = REPO_ROOT / "roadmap.yaml"
    roadmap, problems = load_roadmap(path)
    assert problems == []
    expected = {
        "done": {
            "python",
            "numpy",
            "pandas",
            "probability-statistics",
            "kinds-of-learning",
            "linear-regression",
            "train-test-data",
            "data-cleaning",
        },
        "learning": {
            "linear-algebra",
            "eda",
            "logistic-regression",
            "over-underfitting",
            "bias-variance",
            "scikit-learn",
        },
        "skipped": {"tensorflow-keras", "spacy"},
    }
    for status, ids in expected.items():
        assert {t.id for t in roadmap.walk() if t.status == status} == ids
    # Same topics as the default, and the hand edits are there to show they survive the app's writes.
    assert roadmap.ids() == tree(default_roadmap_text()).ids()

    def comments(text: str) -> int:
        return sum(1 for line in text.splitlines() if line.strip().startswith("#") or " # " in line)

    assert comments(path.read_text(encoding="utf-8")) > comments(default_roadmap_text())
    assert sum(1 for t in roadmap.walk() if t.notes) > sum(
        1 for t in tree(default_roadmap_text()).walk() if t.notes
    )


# --- progress and next up -----------------------------------------------------------------------------------


def test_progress_counts_leaves_done_or_skipped() -> None:
    roadmap = tree(SMALL)
    p = roadmap.progress("a")
    assert (p.done, p.learning, p.skipped, p.total, p.percent) == (1, 1, 1, 4, 50)
    # A parent's own status does not count: only its leaves do.
    assert roadmap.progress("c").total == 1
    assert roadmap.progress("c") == roadmap.progress("c1") == roadmap.progress("c1x")
    overall = roadmap.overall_progress()
    assert (overall.done, overall.skipped, overall.total) == (2, 1, 6)
    assert overall.percent == 50


def test_a_leafs_progress_is_its_own_status() -> None:
    roadmap = tree(SMALL)
    assert roadmap.progress("a1").percent == 100
    assert roadmap.progress("a2").percent == 100
    assert roadmap.progress("a3").percent == 0 and roadmap.progress("a3").learning == 1
    assert roadmap.progress("b").total == 1 and roadmap.progress("b").done == 1


def test_progress_of_an_unknown_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        tree(SMALL).progress("nope")


def test_progress_of_a_topic_from_another_snapshot_goes_by_id() -> None:
    old, new = tree(SMALL), tree(SMALL.replace("title: A4\n", "title: A4\n        status: done\n"))
    topic = old.find("a")
    assert topic is not None
    assert new.progress_of(topic).done == 2 and old.progress_of(topic).done == 1


@pytest.mark.parametrize(
    ("finished", "total", "percent"),
    [(0, 300, 0), (1, 300, 1), (299, 300, 99), (300, 300, 100), (3, 7, 43), (1, 2, 50)],
)
def test_percent_never_rounds_to_done_or_to_nothing(finished: int, total: int, percent: int) -> None:
    leaves = [
        f"  - id: t{n}\n    title: T{n}\n" + ("    status: done\n" if n < finished else "")
        for n in range(total)
    ]
    roadmap = tree("topics:\n" + "".join(leaves))
    assert roadmap.overall_progress().percent == percent


def test_empty_roadmap() -> None:
    roadmap, problems = parse_roadmap("")
    assert problems == [] and len(roadmap) == 0
    assert roadmap.overall_progress().total == 0 and roadmap.overall_progress().percent == 0
    assert roadmap.next_up() == []


def test_next_up_prefers_topics_being_learned_in_order() -> None:
    roadmap = tree(SMALL.replace("title: C1\n", "title: C1\n        status: learning\n"))
    assert [t.id for t in roadmap.next_up()] == ["a3", "c1"]
    assert [t.id for t in roadmap.next_up(limit=1)] == ["a3"]


def test_next_up_falls_back_to_the_first_todo_leaves() -> None:
    roadmap = tree(SMALL.replace("status: learning", "status: done"))
    assert [t.id for t in roadmap.next_up()] == ["a4", "c1x"]


def test_next_status_cycles_and_recovers_from_unknown() -> None:
    assert [next_status(s) for s in STATUSES] == ["learning", "done", "skipped", "todo"]
    assert next_status("paused") == "todo"


def test_display_status_shows_started_for_todo_with_entries() -> None:
    topic = Topic("x", "X")
    assert display_status(topic, 0) == "todo"
    assert display_status(topic, 2) == "started"
    assert display_status(Topic("y", "Y", status="learning"), 3) == "learning"


# --- entry counts -------------------------------------------------------------------------------------------


def test_subtree_entry_counts_count_distinct_entries_up_the_tree() -> None:
    roadmap = tree(SMALL)
    links = {
        "a1": {"e/1.md", "e/2.md"},
        "a2": {"e/2.md", "e/3.md"},
        "a": {"e/1.md"},
        "c1x": {"e/4.md"},
        "ghost": {"e/5.md"},
    }
    counts = subtree_entry_counts(roadmap, links)
    assert counts["a1"] == 2 and counts["a2"] == 2
    assert counts["a"] == 3  # e/1 counted once though linked to a and a1
    assert counts["a3"] == 0
    assert counts["c"] == counts["c1"] == 1
    assert "ghost" not in counts
    assert unknown_topic_links(roadmap, links) == {"ghost": {"e/5.md"}}


# --- reading problems ---------------------------------------------------------------------------------------


def test_missing_file_is_an_empty_roadmap(tmp_path: Path) -> None:
    roadmap, problems = load_roadmap(tmp_path / "roadmap.yaml")
    assert len(roadmap) == 0 and problems == []


def test_broken_yaml_gives_a_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_text("topics:\n  - id: a\n    title: A\n  - id: [b\n    title: B\n", encoding="utf-8")
    roadmap, problems = load_roadmap(path)
    assert len(roadmap) == 0
    assert [p.code for p in problems] == ["roadmap-parse"]
    assert problems[0].line in (4, 5)
    assert f"line {problems[0].line}" in problems[0].message


def test_non_utf8_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.yaml"
    path.write_bytes(b"topics:\n  - id: a\n    title: Caf\xe9\n")
    roadmap, problems = load_roadmap(path)
    assert len(roadmap) == 0
    assert problems[0].code.startswith(UNREADABLE_PREFIX) and problems[0].line == 3


def test_duplicate_ids_unknown_statuses_and_missing_ids_are_problems() -> None:
    text = """\
topics:
  - id: a
    title: A
    status: doing
  - title: Linear Algebra!
  - id: a
    title: Second A
  - id: linear-algebra
    title: Clash with the derived id
"""
    roadmap, problems = parse_roadmap(text)
    codes = {p.code: p for p in problems}
    assert codes["roadmap-unknown-status"].line == 4
    assert roadmap.find("a") is not None and roadmap.find("a").status == "todo"
    assert codes["roadmap-missing-id"].line == 5
    assert roadmap.ids()[1] == "linear-algebra"
    assert codes["roadmap-duplicate-id"].line in (6, 8)
    assert {p.line for p in problems if p.code == "roadmap-duplicate-id"} == {6, 8}
    assert roadmap.find("a").title == "A"  # the first one wins
    assert not any(p.code.startswith(UNREADABLE_PREFIX) for p in problems)


def test_other_shapes_are_read_or_reported() -> None:
    # A bare list at the top, and a bare title as a topic.
    roadmap, problems = parse_roadmap("- id: a\n  title: A\n  children:\n    - Just A Title\n")
    assert roadmap.ids() == ["a", "just-a-title"]
    assert [p.code for p in problems] == ["roadmap-missing-id"]
    roadmap, problems = parse_roadmap("just a string\n")
    assert len(roadmap) == 0 and problems[0].code == "roadmap-parse-shape"
    roadmap, problems = parse_roadmap("topics: {a: 1}\n")
    assert len(roadmap) == 0 and problems[0].code == "roadmap-parse-shape"
    roadmap, problems = parse_roadmap("topics:\n  - 42\n  - [x]\n  - id: ok\n    children: nope\n")
    assert roadmap.ids() == ["42", "ok"]
    assert {p.code for p in problems} == {"roadmap-missing-id", "roadmap-bad-topic"}


def test_yaml_1_1_booleans_stay_text_as_written() -> None:
    roadmap = tree("topics:\n  - id: yes\n    title: no\n    status: done\n  - id: 1.0\n    title: ~\n")
    assert roadmap.ids() == ["yes", "1.0"]
    assert roadmap.find("yes").title == "no"  # type: ignore[union-attr]
    assert roadmap.find("1.0").title == "1.0"  # type: ignore[union-attr]


def test_aliases_cannot_repeat_or_explode_topics() -> None:
    # Refused outright, with the first alias's line: an alias can make a topic its own child.
    text = "topics:\n  - &t\n    id: a\n    title: A\n    children: [*t]\n  - *t\n"
    roadmap, problems = parse_roadmap(text)
    assert roadmap.ids() == []
    assert [(p.code, p.line) for p in problems] == [("roadmap-parse-alias", 5)]


def test_resources_are_read_with_their_status() -> None:
    text = """\
topics:
  - id: a
    title: A
    resources:
      - title: Book
        status: done
      - title: Course
        url: https://example.org/c
      - https://example.org/bare
      - {url: https://example.org/only-url, status: reading}
"""
    roadmap, problems = parse_roadmap(text)
    topic = roadmap.find("a")
    assert topic is not None
    assert [(r.title, r.url, r.status) for r in topic.resources] == [
        ("Book", None, "done"),
        ("Course", "https://example.org/c", "todo"),
        ("https://example.org/bare", None, "todo"),
        ("https://example.org/only-url", "https://example.org/only-url", "todo"),
    ]
    assert [p.code for p in problems] == ["roadmap-unknown-status"]


# --- ids ----------------------------------------------------------------------------------------------------


def test_slugify_examples() -> None:
    assert slugify("Linear Algebra (basics)") == "linear-algebra-basics"
    assert slugify("Éléments de statistique") == "elements-de-statistique"
    assert slugify("???") == "topic"
    assert unique_id("a", {"a", "a-2"}) == "a-3"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.sets(st.text(max_size=10), max_size=5))
def test_slugs_are_valid_ids_and_unique(title: str, taken: set[str]) -> None:
    slug = slugify(title)
    assert is_valid_id(slug)
    taken = taken | {slug}
    assert unique_id(slug, taken) not in taken


# --- robustness: reading never raises, and reads what a YAML dumper wrote ------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises(text: str) -> None:
    roadmap, problems = parse_roadmap(text)
    assert isinstance(roadmap, Roadmap)
    assert all(p.message for p in problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_parse_never_raises_on_bytes(raw: bytes) -> None:
    parse_roadmap(b"topics:\n  - id: a\n    title: " + raw)


_titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s
)
_leaf = st.fixed_dictionaries({"title": _titles, "status": st.sampled_from(STATUSES)})
_trees = st.recursive(
    st.lists(_leaf, max_size=3),
    lambda children: st.lists(
        st.fixed_dictionaries({"title": _titles, "status": st.sampled_from(STATUSES), "children": children}),
        min_size=1,
        max_size=3,
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(_trees)
def test_reads_back_any_tree_a_yaml_dumper_writes(topics: list[dict[str, object]]) -> None:
    counter = iter(range(10_000))

    def number(items: list[dict[str, object]]) -> list[dict[str, object]]:
        out = []
        for item in items:
            item = {"id": f"t{next(counter)}", **item}
            if "children" in item:
                item["children"] = number(item["children"])  # type: ignore[arg-type]
            out.append(item)
        return out

    data = number(topics)
    roadmap, problems = parse_roadmap(yaml.safe_dump({"topics": data}, allow_unicode=True))
    assert problems == []

    def shape(items: list[Topic]) -> list[object]:
        return [
            {
                "id": t.id,
                "title": t.title,
                "status": t.status,
                **({"children": shape(t.children)} if t.children else {}),
            }
            for t in items
        ]

    def expected(items: list[dict[str, object]]) -> list[object]:
        return [
            {k: (expected(v) if k == "children" else v) for k, v in item.items() if k != "children" or v}  # type: ignore[arg-type]
            for item in items
        ]

    assert shape(roadmap.roots) == expected(data)
    leaves = roadmap.leaves()
    overall = roadmap.overall_progress()
    assert overall.total == len(leaves)
    assert overall.finished == sum(1 for t in leaves if t.status in ("done", "skipped"))


@pytest.mark.parametrize(
    "text", ["topics:\n" + "- " * 100_000 + "x\n", "topics: " + "[" * 100_000 + "]" * 100_000 + "\n"]
)
def test_absurdly_deep_nesting_is_refused_without_crashing(tmp_path: Path, text: str) -> None:
    # Older libyaml crashes the whole process composing these, so our depth check runs first; newer
    # libyaml (PyYAML 6.0.4) refuses deep flow collections itself. Which of the two refuses is not the
    # point: the process survives, nothing is read, and one problem says where.
    path = tmp_path / "roadmap.yaml"
    path.write_text(text, encoding="utf-8")
    roadmap, problems = load_roadmap(path)
    assert list(roadmap.walk()) == []
    assert len(problems) == 1
    assert problems[0].code in {"roadmap-parse-too-deep", "roadmap-parse"}
    assert problems[0].line is not None


def test_progress_and_resource_as_plain_data_for_json() -> None:
    # One spelling of the JSON shapes, for `roadmap --json` and the JSON export (issue 10, D12).
    roadmap, _problems = parse_roadmap(
        "topics:\n  - id: a\n    title: A\n    resources:\n      - {title: Book, url: 'https://x.org', status: done}\n"
        "      - Plain\n    children:\n      - {id: b, title: B, status: done}\n"
        "      - {id: c, title: C, status: skipped}\n      - {id: d, title: D, status: learning}\n"
    )
    assert progress_dict(roadmap.progress("a")) == {
        "done": 1,
        "learning": 1,
        "skipped": 1,
        "total": 3,
        "percent": 67,
    }
    topic = roadmap.find("a")
    assert topic is not None
    assert [resource_dict(r) for r in topic.resources] == [
        {"title": "Book", "url": "https://x.org", "status": "done"},
        {"title": "Plain", "url": None, "status": "todo"},
    ]
