"""Where a link in the viewer goes, decided without a widget (`viewer_links.where_link_goes`)."""

from __future__ import annotations

from mljournal.tui.widgets.viewer_links import LinkTarget, where_link_goes

CURRENT = "entries/2024/note.md"


def test_each_kind_of_link() -> None:
    assert where_link_goes(CURRENT, " [[Other note#Part]] ") == LinkTarget("wiki", "Other note#Part")
    assert where_link_goes(CURRENT, "https://example.org/x") == LinkTarget("web", "https://example.org/x")
    assert where_link_goes(CURRENT, "#setup") == LinkTarget("anchor", "setup")
    assert where_link_goes(CURRENT, "other%20one.md#top") == LinkTarget(
        "entry", "entries/2024/other one.md", "top"
    )


def test_links_that_go_nowhere_are_refused_with_a_reason() -> None:
    unknown = where_link_goes(CURRENT, "javascript:alert(1)")
    assert unknown.kind == "refused" and "unknown link type" in unknown.value
    outside = where_link_goes(CURRENT, "../../../etc/passwd.md")
    assert outside.kind == "refused" and "Not an entry" in outside.value
    assert (
        where_link_goes(CURRENT, "[[]]").kind == "refused"
    )  # no name: read as a relative path, not an entry
