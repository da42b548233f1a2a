"""Entry file names and topic ids (`mljournal.core.text.slug`): safe everywhere, unique in the folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mljournal.core.text.slug import entry_filename, slugify, topic_slug, unique_name


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("My First Entry", "my-first-entry"),
        ("Café — Straße & Œuvre", "cafe-strasse-oeuvre"),
        ("cafe\u0301 (NFD)", "cafe-nfd"),
        ("../../etc/passwd", "etc-passwd"),
        ("$(echo pwned) `id`; true", "echo-pwned-id-true"),
        ("日本語のノート", "entry"),
        ("🤖", "entry"),
        ("", "entry"),
        ("CON", "con-entry"),
        ("nul", "con-entry".replace("con", "nul")),
        ("com1", "com1-entry"),
        ("  --Leading dash--  ", "leading-dash"),
    ],
)
def test_examples(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word() -> None:
    title = "Understanding the bias variance trade-off in regularised linear regression models today"
    slug = slugify(title)
    assert len(slug) <= 60
    assert title.lower().replace(" ", "-").startswith(slug)
    assert not slug.endswith("-")
    assert len(slugify("x" * 200, max_length=20)) == 20


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=1, max_value=120))
def test_any_title_gives_a_safe_component(title: str, max_length: int) -> None:
    slug = slugify(title, max_length=max_length)
    assert slug
    assert len(slug) <= max(max_length, len("entry")) + len("-entry")
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert ".." not in slug and "/" not in slug
    assert not slug.startswith("-") and not slug.endswith("-")
    assert slug.split(".")[0] not in {"con", "prn", "aux", "nul"}


@settings(max_examples=100, deadline=None)
@given(title=st.text(max_size=80))
def test_entry_filename_stays_inside_the_folder(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    folder = tmp_path_factory.mktemp("entries")
    path = entry_filename(folder, "2024-01-15", title)
    assert path.parent == folder
    assert path.name.startswith("2024-01-15-") and path.suffix == ".md"
    assert path.resolve().parent == folder.resolve()
    assert len(path.parts) == len(folder.parts) + 1


def test_entry_filename_is_unique(tmp_path: Path) -> None:
    first = entry_filename(tmp_path, "2024-01-15", "Hello world")
    assert first == tmp_path / "2024-01-15-hello-world.md"
    first.write_text("x")
    second = entry_filename(tmp_path, "2024-01-15", "Hello, World!")
    assert second.name == "2024-01-15-hello-world-2.md"
    second.write_text("x")
    (tmp_path / "2024-01-15-HELLO-WORLD-3.md").write_text("x")  # a case-insensitive file system would clash
    assert entry_filename(tmp_path, "2024-01-15", "hello world").name == "2024-01-15-hello-world-4.md"


def test_entry_filename_counts_a_dangling_symlink_as_taken(tmp_path: Path) -> None:
    (tmp_path / "2024-01-15-a.md").symlink_to(tmp_path / "missing")
    assert entry_filename(tmp_path, "2024-01-15", "a").name == "2024-01-15-a-2.md"


@pytest.mark.parametrize("day", ["2024-1-5", "../2024-01-15", "2024-01-15/x", ""])
def test_entry_filename_refuses_bad_days(tmp_path: Path, day: str) -> None:
    with pytest.raises(ValueError):
        entry_filename(tmp_path, day, "x")


# -- topic ids: the frozen roadmap rule, and free names ----------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Linear Algebra (basics)", "linear-algebra-basics"),
        ("Éléments de statistique", "elements-de-statistique"),
        ("Straße", "strae"),  # unlike file names, ß is dropped, not spelled out: ids already written say so
        ("???", "topic"),
        ("", "topic"),
        ("CON", "con"),  # an id is not a file name
        ("a" * 61, "a" * 60),
        ("word " * 12 + "end", "word-" * 11 + "word"),  # 60 characters exactly: the last word still goes
        ("x" * 30 + " " + "y" * 40, "x" * 30),
    ],
)
def test_topic_slug_golden_cases(title: str, slug: str) -> None:
    assert topic_slug(title) == slug


@settings(max_examples=500)
@given(st.text(max_size=90) | st.from_regex(r"[A-Za-zÀ-ÿ ßæø\-]{50,80}", fullmatch=True))
def test_topic_slug_is_exactly_the_roadmap_rule(title: str) -> None:
    assert topic_slug(title) == _old_roadmap_slugify(title)


@given(st.text(alphabet="ab-2", max_size=4), st.sets(st.text(alphabet="ab-23", max_size=6), max_size=6))
def test_unique_name_is_the_roadmap_rule_and_free(candidate: str, taken: set[str]) -> None:
    name = unique_name(candidate, taken)
    assert name == _old_roadmap_unique_id(candidate, taken)
    assert name not in taken
    assert name == candidate or name.startswith(f"{candidate}-")


def test_unique_name_counts_up_from_two() -> None:
    assert unique_name("a", set()) == "a"
    assert unique_name("a", {"a"}) == "a-2"
    assert unique_name("a", {"a", "a-2", "a-3"}) == "a-4"


# The roadmap's own id rules before issue 10 merged them into text.slug, verbatim from commit 360e209: the oracle
# the shared functions must match, because existing topic ids (and the entries linking to them) derive from it.
def _old_roadmap_slugify(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] or slug[:60]
    return slug.strip("-") or "topic"


def _old_roadmap_unique_id(candidate: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"
