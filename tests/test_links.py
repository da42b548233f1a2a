"""Links between entries: every form read with markdown-it, and resolved by title, stem or path."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from mljournal.core.entries.links import Link, LinkResolver, read_links, resolve_links

ENTRIES = [
    ("entries/2024-06-15-backprop-by-hand.md", "Peeking ahead: backpropagation by hand"),
    ("entries/2024-01-08-a-plan-for-the-year.md", "A plan for the year"),
    ("entries/2024/04/2024-02-27-cleaning.md", "Cleaning apartment listings"),
    ("entries/notes.markdown", "Notes"),
]
SOURCE = "entries/2024-03-01-linking.md"
RESOLVER = LinkResolver(ENTRIES)


def resolve_one(body: str, source: str = SOURCE) -> tuple[list[str], list[Link]]:
    found = resolve_links(source, body, RESOLVER)
    return [path for _link, path in found.resolved], found.unresolved


def test_wikilink_by_title_is_case_insensitive() -> None:
    assert resolve_one("See [[a plan FOR the year]].") == (["entries/2024-01-08-a-plan-for-the-year.md"], [])


def test_wikilink_by_file_stem() -> None:
    assert resolve_one("[[2024-06-15-backprop-by-hand]]")[0] == ["entries/2024-06-15-backprop-by-hand.md"]


def test_wikilink_with_shown_text_and_heading() -> None:
    links = read_links("[[A plan for the year|my plan]] and [[Notes#Week 2]] and [[Notes#Sec|here]]")
    assert links == [
        Link("wiki", "A plan for the year", "my plan"),
        Link("wiki", "Notes", "Notes#Week 2", "Week 2"),
        Link("wiki", "Notes", "here", "Sec"),
    ]
    assert resolve_one("[[Notes#Week 2]]")[0] == ["entries/notes.markdown"]


def test_inline_markdown_link_relative_to_the_linking_entry() -> None:
    body = "[cleaning](2024/04/2024-02-27-cleaning.md#top) and [plan](./2024-01-08-a-plan-for-the-year.md)"
    assert read_links(body)[0] == Link("markdown", "2024/04/2024-02-27-cleaning.md", "cleaning", "top")
    assert resolve_one(body)[0] == [
        "entries/2024/04/2024-02-27-cleaning.md",
        "entries/2024-01-08-a-plan-for-the-year.md",
    ]
    # From a nested entry, `..` climbs back up.
    nested = "[up](../../2024-01-08-a-plan-for-the-year.md)"
    assert resolve_one(nested, "entries/2024/04/2024-02-27-cleaning.md")[0] == [
        "entries/2024-01-08-a-plan-for-the-year.md"
    ]


def test_reference_style_links_are_resolved_by_markdown_it() -> None:
    body = "Read [the plan][p] and [notes].\n\n[p]: 2024-01-08-a-plan-for-the-year.md\n[notes]: <notes.markdown>\n"
    assert resolve_one(body)[0] == ["entries/2024-01-08-a-plan-for-the-year.md", "entries/notes.markdown"]


def test_links_without_suffix_percent_encoding_and_from_the_root() -> None:
    assert resolve_one("[a](2024-01-08-a-plan-for-the-year)")[0] == [
        "entries/2024-01-08-a-plan-for-the-year.md"
    ]
    assert resolve_one("[a](/entries/notes.markdown)")[0] == ["entries/notes.markdown"]
    spaced = LinkResolver([("entries/my notes.md", "Mine")])
    assert resolve_links(SOURCE, "[a](my%20notes.md)", spaced).targets == ["entries/my notes.md"]


def test_code_spans_and_fences_are_not_read() -> None:
    body = (
        "`[[Notes]]` and `[a](notes.markdown)`\n\n```\n[[Notes]]\n[a](notes.markdown)\n```\n\n    [[Notes]]\n"
    )
    assert read_links(body) == []


def test_web_links_anchors_and_images_are_not_entry_links() -> None:
    body = "[web](https://example.com/a.md) [mail](mailto:a@b.c) [here](#section) ![plot](plot.png) [pdf](paper.pdf)"
    paths, unresolved = resolve_one(body)
    assert paths == []
    assert unresolved == []


def test_unresolved_links_are_reported_with_their_text() -> None:
    body = "[[No such entry]] and [gone](deleted-entry.md) and [up and out](../../../etc/passwd.md)"
    paths, unresolved = resolve_one(body)
    assert paths == []
    assert [(link.target, link.text) for link in unresolved] == [
        ("No such entry", "No such entry"),
        ("deleted-entry.md", "gone"),
        ("../../../etc/passwd.md", "up and out"),
    ]


def test_a_renamed_or_deleted_entry_no_longer_resolves() -> None:
    body = "[[Notes]] [n](notes.markdown)"
    assert len(resolve_one(body)[0]) == 2
    renamed = LinkResolver([("entries/renamed.md", "Notes")])
    found = resolve_links(SOURCE, body, renamed)
    # The title still finds it; the path link is now broken and says so.
    assert found.targets == ["entries/renamed.md"]
    assert [link.text for link in found.unresolved] == ["n"]
    assert resolve_links(SOURCE, body, LinkResolver([])).resolved == []


def test_same_title_twice_resolves_to_the_first_path_whatever_the_order() -> None:
    pairs = [("entries/b.md", "Same"), ("entries/a.md", "Same")]
    assert LinkResolver(pairs).resolve(SOURCE, Link("wiki", "same", "same")) == "entries/a.md"
    assert LinkResolver(reversed(pairs)).resolve(SOURCE, Link("wiki", "same", "same")) == "entries/a.md"


def test_not_wikilinks() -> None:
    assert read_links("[[]] [[ ]] [[#only heading]] [[a\nb]] [[unclosed") == []


def test_links_inside_a_wikilink_label_and_nested_markup() -> None:
    body = "**bold [[Notes]]** and [see *the* plan](2024-01-08-a-plan-for-the-year.md)"
    links = read_links(body)
    assert [(link.kind, link.target, link.text) for link in links] == [
        ("wiki", "Notes", "Notes"),
        ("markdown", "2024-01-08-a-plan-for-the-year.md", "see the plan"),
    ]


@given(st.text(max_size=300))
def test_reading_never_raises(text: str) -> None:
    assert isinstance(read_links(text), list)
    resolve_links(SOURCE, text, RESOLVER)


TITLE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="[]|#"),
    min_size=1,
    max_size=40,
)


@given(TITLE, st.one_of(st.none(), TITLE), st.one_of(st.none(), TITLE))
def test_generated_wikilinks_round_trip(title: str, heading: str | None, label: str | None) -> None:
    target = " ".join(title.split())
    assume(target)
    written = (
        f"[[{title}{'#' + heading if heading is not None else ''}{'|' + label if label is not None else ''}]]"
    )
    links = read_links(f"Before {written} after.")
    assert len(links) == 1
    link = links[0]
    assert link.kind == "wiki"
    assert link.target == target
    assert link.heading == (" ".join(heading.split()) if heading is not None else "")
    if label is not None and label.split():
        assert link.text == " ".join(label.split())
    assert LinkResolver([("entries/x.md", title)]).resolve(SOURCE, link) == "entries/x.md"
