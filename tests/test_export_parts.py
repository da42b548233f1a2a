"""Pieces of the export on their own: MathML checking, heading ids, and the destination's whole-folder swap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mljournal.core.entries.links import LinkResolver, ResolvedLinks
from mljournal.core.export.blog import blog_files
from mljournal.core.export.collect import ExportEntry, ExportSet
from mljournal.core.export.destination import MARKER, ExportError, check_destination, write_export
from mljournal.core.export.html_render import heading_anchor, mathml
from mljournal.core.journal import Journal
from mljournal.core.model import Entry


def test_mathml_for_ordinary_tex() -> None:
    markup = mathml("\\frac{a}{b} + \\alpha", display=False)
    assert markup.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert "<mfrac>" in markup


@pytest.mark.parametrize(
    "tex",
    [
        "\\text{<script>alert(1)</script>}",
        "\\text{<img src=x onerror=alert(1)>}",
        "\\text{</mtext><script>x</script><mtext>}",
        "\\begin{aligned} a &= b \\end{aligned}",  # latex2mathml leaves a bare `&`: not well-formed
    ],
)
def test_mathml_that_is_not_clean_falls_back_to_escaped_source(tex: str) -> None:
    markup = mathml(tex, display=True)
    assert "<script" not in markup and "<img" not in markup
    if not markup.startswith("<math"):
        assert markup.startswith('<code class="math-source">')


def test_heading_ids() -> None:
    assert heading_anchor("The `code` part!") == "the-code-part"
    assert heading_anchor("Größe und Form") == "größe-und-form"
    assert heading_anchor('"><script>') == "script"


def test_a_failed_export_leaves_the_previous_one_in_place(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    write_export(dest, [("index.html", b"old")], replace_whole=True, export_format="html")
    assert (dest / MARKER).is_file()

    def failing() -> Iterator[tuple[str, bytes]]:
        yield "index.html", b"new"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_export(dest, failing(), replace_whole=True, export_format="html")
    assert (dest / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the half-built folder is gone


def test_paths_that_climb_out_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_export(tmp_path / "site", [("../escape.html", b"x")], replace_whole=True, export_format="html")
    assert not (tmp_path / "escape.html").exists()


def test_check_destination(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal")
    journal.entries_dir.mkdir(parents=True)
    assert check_destination(journal, tmp_path / "new", force=False) is True
    (tmp_path / "empty").mkdir()
    assert check_destination(journal, tmp_path / "empty", force=False) is True
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="--force"):
        check_destination(journal, tmp_path / "mine", force=False)
    assert check_destination(journal, tmp_path / "mine", force=True) is False
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        check_destination(journal, tmp_path / "file", force=True)
    with pytest.raises(ExportError, match="holds the journal"):
        check_destination(journal, tmp_path, force=True)


LINKY = st.lists(
    st.sampled_from(
        ["[a](b.md)", "[web](https://x.y/a.md)", "![i](p.png)", "[r][ref]", "\n[ref]: gone.md\n", "`[c](d.md)`",
         "```\n[e](f.md)\n```\n", "> ", "- ", "\n", "\n\n", " ", "text", "*", "|", "$x$", "\r\n", "\\[", "]"]
    )
    | st.text(alphabet=st.characters(blacklist_characters="[", blacklist_categories=("Cs",)), max_size=8),
    max_size=25,
).map("".join)  # fmt: skip


@given(LINKY)
def test_a_blog_post_keeps_every_byte_of_a_body_whose_links_lead_nowhere(body: str) -> None:
    # No entry or file to link to: nothing is rewritten, so the post's body is the entry's, byte for byte
    # (less the blank lines around it, which the front-matter writer sets).
    entry = Entry(path="entries/x.md", title="X", date="2024-01-01", day="2024-01-01", body=body)
    export = ExportSet([ExportEntry(entry, {}, "x", ResolvedLinks([], []))], None, LinkResolver([]))
    [(_path, data)] = list(
        blog_files(Journal(Path("/nonexistent-journal")), export, "astro", today=date(2024, 1, 1))
    )
    written = data.decode("utf-8").split("---\n", 2)[2]
    assert written.strip("\r\n") == body.strip("\r\n").rstrip()
