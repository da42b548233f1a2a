"""`mljournal export`: each format on a small journal, the site's links, hostile text, and DEST safety."""

from __future__ import annotations

import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter
import pytest
from click.testing import CliRunner

from mljournal.cli import main
from mljournal.core.export.destination import MARKER

REPO_ROOT = Path(__file__).resolve().parent.parent
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_DESCRIPTION = '"><img src=x onerror=alert(1)>'

ROADMAP = """\
title: My ML path
topics:
  - id: maths
    title: Maths
    children:
      - id: linear-algebra
        title: Linear algebra
        status: done
      - id: calculus
        title: Calculus
        status: skipped
      - id: probability
        title: Probability
        status: learning
  - id: projects
    title: Projects
    status: todo
"""

FIRST = """\
---
title: First steps
date: 2024-01-10
tags: [public, math]
topics: [linear-algebra]
description: Where it starts.
---

# Intro

See [[Second post]] and [[2024-02-01-second|the second one]], the [[Draft note]] (a draft), and [[Nowhere]].
Also [second again](2024-02-01-second.md#details) and [by reference][ref], and [the web](https://example.com).
A plot: ![plot](img/plot.png) and a [missing file](img/none.png).

Math: $\\alpha + \\beta$ and a price of $5 and $6.

$$
\\sum_i x_i^2
$$

```python
def f(x):
    return x < 1
```

<script>alert("raw html")</script>

`[[Second post]]` in code stays as written.

[ref]: 2024-02-01-second.md
"""

SECOND = f"""\
---
title: "{HOSTILE_TITLE}"
date: 2024-02-01
tags: [public, "<b>bold</b>"]
topics: [probability]
description: '{HOSTILE_DESCRIPTION}'
---

## Details

Back to [[First steps#Intro]]. Evil math: $\\text{{<script>alert(2)</script>}}$.
"""

DRAFT = """\
---
title: Draft note
date: 2024-03-01
draft: true
tags: [private]
---

Not ready.
"""

OTHER = """\
---
title: Not public
date: 2024-01-20
tags: [private]
---

Links to [[First steps]].
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    root = tmp_path / "journal"
    entries = root / "entries"
    (entries / "img").mkdir(parents=True)
    (entries / "img" / "plot.png").write_bytes(b"\x89PNG fake")
    (entries / "2024-01-10-first.md").write_text(FIRST, encoding="utf-8")
    (entries / "2024-02-01-second.md").write_text(
        SECOND.replace(HOSTILE_TITLE, "Second post"), encoding="utf-8"
    )
    (entries / "2024-03-01-draft.md").write_text(DRAFT, encoding="utf-8")
    (entries / "2024-01-20-other.md").write_text(OTHER, encoding="utf-8")
    (root / "roadmap.yaml").write_text(ROADMAP, encoding="utf-8")
    return root


def run(runner: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["-j", str(root), "export", *args])
    return result.exit_code, result.output


def journal_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".mljournal" not in path.parts
    }


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def site_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def assert_internal_links_resolve(site: Path) -> int:
    """Every relative href/src of every page names a file of the site (and an id in it, for #anchors)."""
    checked = 0
    for page_path in site_pages(site):
        for tag, attrs in parse_page(page_path).tags:
            for name in ("href", "src"):
                value = attrs.get(name)
                if not value or (tag == "img" and value.startswith(("http:", "https:"))):
                    continue
                parts = urlsplit(value)
                if parts.scheme or parts.netloc:
                    continue
                target = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
                assert target.is_file(), f"{page_path.relative_to(site)} links to missing {value}"
                assert site.resolve() in target.parents, f"{value} leaves the site"
                # Same-page anchors are the writer's own (`[up](#top)`); links between pages are ours.
                if parts.fragment and parts.path and target.suffix == ".html":
                    assert unquote(parts.fragment) in parse_page(target).ids, f"{value}: no such anchor"
                checked += 1
    return checked


def test_html_site_links_all_resolve(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, output = run(runner, journal_dir, "html", str(site))
    assert code == 0, output
    assert "Exported 3 entries as html" in output
    assert str(site) in output
    assert {"index.html", "style.css", "roadmap.html", MARKER} <= {p.name for p in site.iterdir()}
    assert (site / "tags" / "index.html").is_file()
    assert (site / "tags" / "public.html").is_file()
    assert (site / "files" / "entries" / "img" / "plot.png").read_bytes() == b"\x89PNG fake"
    assert assert_internal_links_resolve(site) > 20


def test_html_wikilinks_and_relative_links_are_rewritten(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run(runner, journal_dir, "html", str(site))[0] == 0
    first = parse_page(site / "entries" / "first.html")
    links = {(attrs.get("href")) for tag, attrs in first.tags if tag == "a"}
    assert {"second.html", "second.html#details", "https://example.com"} <= links
    # The draft and the missing entry are shown as text, not as broken links.
    unlinked = [attrs for tag, attrs in first.tags if tag == "span" and attrs.get("class") == "unlinked"]
    assert len(unlinked) >= 3  # [[Draft note]], [[Nowhere]], [missing file]
    text = "".join(first.text)
    assert "Draft note" in text and "Nowhere" in text
    assert "[[Second post]]" in text  # in a code span: left as written
    second = parse_page(site / "entries" / "second.html")
    assert ("a", {"href": "first.html#intro"}) in second.tags
    # Backlinks: the second page lists the first under "Linked from".
    assert "Linked from" in "".join(second.text)


def test_html_code_is_highlighted_and_math_is_mathml(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run(runner, journal_dir, "html", str(site))[0] == 0
    page = (site / "entries" / "first.html").read_text(encoding="utf-8")
    assert '<span class="k">def</span>' in page  # Pygments
    assert "<math" in page and "&#x003B1;" in page.replace("α", "&#x003B1;")
    assert "price of $5 and $6" in page
    assert "&lt;script&gt;alert(&quot;raw html&quot;)&lt;/script&gt;" in page
    css = (site / "style.css").read_text(encoding="utf-8")
    assert "http" not in css  # nothing loaded from the network


def test_hostile_strings_stay_text(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    (journal_dir / "entries" / "2024-02-01-second.md").write_text(SECOND, encoding="utf-8")
    site = tmp_path / "site"
    code, output = run(runner, journal_dir, "html", str(site))
    assert code == 0, output
    seen_title = False
    for page_path in site_pages(site):
        page = parse_page(page_path)
        for tag, attrs in page.tags:
            assert tag not in {"script", "img"} or (
                tag == "img" and attrs.get("src", "").endswith("plot.png")
            )
            assert not any(name.startswith("on") for name in attrs), (page_path, tag, attrs)
        seen_title = seen_title or HOSTILE_TITLE in "".join(page.text)
    assert seen_title, "the hostile title should be shown, as text"
    second = (site / "entries" / "second.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in second
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in second


def test_drafts_are_left_out_unless_asked(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run(runner, journal_dir, "html", str(site))[0] == 0
    assert not (site / "entries" / "draft.html").exists()
    assert "Not ready" not in "".join(p.read_text(encoding="utf-8") for p in site_pages(site))
    code, output = run(runner, journal_dir, "html", str(site), "--drafts")
    assert code == 0, output
    assert (site / "entries" / "draft.html").is_file()
    assert assert_internal_links_resolve(site) > 0


def test_query_exports_a_subset(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, output = run(runner, journal_dir, "html", str(site), "--query", "tag:public")
    assert code == 0, output
    assert sorted(p.name for p in (site / "entries").iterdir()) == ["first.html", "second.html"]
    assert assert_internal_links_resolve(site) > 0
    code, output = run(runner, journal_dir, "json", str(tmp_path / "private.json"), "--query", "-tag:public")
    assert code == 0, output
    document = json.loads((tmp_path / "private.json").read_text(encoding="utf-8"))
    assert [entry["title"] for entry in document["entries"]] == ["Not public"]


def test_roadmap_page_has_progress_and_linked_entries(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run(runner, journal_dir, "html", str(site))[0] == 0
    roadmap = parse_page(site / "roadmap.html")
    bars = [attrs for tag, attrs in roadmap.tags if tag == "progress"]
    # Overall: linear algebra done + calculus skipped = 2 of the 4 leaves finished.
    assert {"max": "4", "value": "2"} in bars
    assert {"max": "3", "value": "2"} in bars  # the maths branch
    assert "topic-linear-algebra" in roadmap.ids
    assert ("a", {"href": "entries/first.html"}) in roadmap.tags


@pytest.mark.parametrize(
    ("engine", "path", "link", "date_key", "image"),
    [
        (
            "hugo",
            "content/posts/first.md",
            '{{< ref "posts/second.md" >}}',
            "date",
            ("static/mljournal-files/entries/img/plot.png", "/mljournal-files/entries/img/plot.png"),
        ),
        (
            "jekyll",
            "_posts/2024-01-10-first.md",
            "{% post_url 2024-02-01-second %}",
            "date",
            (
                "mljournal-files/entries/img/plot.png",
                "{{ '/mljournal-files/entries/img/plot.png' | relative_url }}",
            ),
        ),
        (
            "astro",
            "src/content/blog/first.md",
            "/blog/second/",
            "pubDatetime",
            ("public/mljournal-files/entries/img/plot.png", "/mljournal-files/entries/img/plot.png"),
        ),
    ],
)
def test_blog_formats(
    runner: CliRunner,
    journal_dir: Path,
    tmp_path: Path,
    engine: str,
    path: str,
    link: str,
    date_key: str,
    image: tuple[str, str],
) -> None:
    dest = tmp_path / engine
    code, output = run(runner, journal_dir, engine, str(dest))
    assert code == 0, output
    post = frontmatter.loads((dest / path).read_text(encoding="utf-8"))
    assert post["title"] == "First steps"
    assert str(post[date_key]) == "2024-01-10"
    assert post["tags"] == ["public", "math"]
    assert post["description"] == "Where it starts."
    body = post.content
    assert f"See [Second post]({link}) and [the second one]({link})" in body
    assert "the Draft note (a draft), and Nowhere." in body
    assert (
        f"[second again]({link.replace(' %}', ' %}#details') if engine == 'jekyll' else _anchor(link)})"
        in body
    )
    assert f"[by reference]({link})" in body
    assert "`[[Second post]]` in code stays as written." in body
    assert "$\\alpha + \\beta$" in body  # the blog engine's own math support takes it from here
    assert "[ref]: 2024-02-01-second.md" in body
    # Linked files are copied into the engine's static folder and linked there; a missing one stays as written.
    copied, url = image
    assert (dest / copied).read_bytes() == b"\x89PNG fake"
    assert f"A plot: ![plot]({url}) and a [missing file](img/none.png)." in body
    second = next(p for p in dest.rglob("*.md") if "second" in p.name)
    assert "Back to [First steps#Intro](" in second.read_text(encoding="utf-8")
    assert not any("draft" in p.name for p in dest.rglob("*.md"))


def _anchor(link: str) -> str:
    if link.startswith("{{<"):
        return link.replace('.md"', '.md#details"')
    return link + "#details"


def test_jekyll_drafts_go_to_drafts_folder(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "jekyll"
    assert run(runner, journal_dir, "jekyll", str(dest), "--drafts")[0] == 0
    assert (dest / "_drafts" / "draft.md").is_file()
    first = (dest / "_posts" / "2024-01-10-first.md").read_text(encoding="utf-8")
    assert "the Draft note (a draft)" in first  # post_url can't reach a draft: text


def test_json_has_entries_links_and_roadmap(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out.json"
    code, output = run(runner, journal_dir, "json", str(dest))
    assert code == 0, output
    document = json.loads(dest.read_text(encoding="utf-8"))
    by_title = {entry["title"]: entry for entry in document["entries"]}
    assert set(by_title) == {"First steps", "Second post", "Not public"}
    first = by_title["First steps"]
    assert first["front_matter"]["date"] == "2024-01-10"
    assert first["links"] == ["entries/2024-02-01-second.md", "entries/2024-03-01-draft.md"]
    assert {"text": "Nowhere", "target": "Nowhere"} in first["unresolved_links"]
    assert first["body"].startswith("\n# Intro")
    assert document["roadmap"]["progress"] == {"finished": 2, "total": 4, "percent": 50}
    maths = document["roadmap"]["topics"][0]
    assert maths["children"][0]["entries"] == ["entries/2024-01-10-first.md"]
    # Into a folder, it is DEST/journal.json.
    assert run(runner, journal_dir, "json", str(tmp_path / "folder"))[0] == 0
    assert (tmp_path / "folder" / "journal.json").is_file()


def test_the_journal_is_never_changed(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    before = journal_hashes(journal_dir)
    for export_format in ("html", "hugo", "jekyll", "astro", "json"):
        code, output = run(
            runner, journal_dir, export_format, str(tmp_path / f"out-{export_format}"), "--drafts"
        )
        assert code == 0, output
    assert journal_hashes(journal_dir) == before


def test_a_foreign_folder_is_not_overwritten_without_force(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "my-hugo-site"
    (dest / "content" / "posts").mkdir(parents=True)
    (dest / "hugo.toml").write_text("title = 'mine'\n", encoding="utf-8")
    (dest / "content" / "posts" / "first.md").write_text("my own post\n", encoding="utf-8")
    code, output = run(runner, journal_dir, "hugo", str(dest))
    assert code == 1
    assert "wasn't made by mljournal export" in output
    assert "Traceback" not in output
    assert (dest / "content" / "posts" / "first.md").read_text(encoding="utf-8") == "my own post\n"
    code, output = run(runner, journal_dir, "hugo", str(dest), "--force")
    assert code == 0, output
    # --force writes the posts in and removes nothing else.
    assert (dest / "hugo.toml").read_text(encoding="utf-8") == "title = 'mine'\n"
    assert "First steps" in (dest / "content" / "posts" / "first.md").read_text(encoding="utf-8")
    assert not (dest / MARKER).exists()


def test_an_earlier_export_is_replaced_whole(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run(runner, journal_dir, "html", str(site), "--drafts")[0] == 0
    assert (site / "entries" / "draft.html").is_file()
    assert run(runner, journal_dir, "html", str(site))[0] == 0
    assert not (site / "entries" / "draft.html").exists()
    assert not [p for p in tmp_path.iterdir() if "mljournal-" in p.name], "no temp folders left behind"


def test_a_foreign_json_file_is_not_overwritten(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "data.json"
    dest.write_text('{"mine": true}\n', encoding="utf-8")
    code, output = run(runner, journal_dir, "json", str(dest))
    assert code == 1 and "--force" in output
    assert dest.read_text(encoding="utf-8") == '{"mine": true}\n'
    assert run(runner, journal_dir, "json", str(dest), "--force")[0] == 0
    assert run(runner, journal_dir, "json", str(dest))[0] == 0  # now it is ours


@pytest.mark.parametrize("inside", ["entries/site", ".", ".mljournal/site"])
def test_exporting_into_the_journal_is_refused(runner: CliRunner, journal_dir: Path, inside: str) -> None:
    before = journal_hashes(journal_dir)
    code, output = run(runner, journal_dir, "hugo", str(journal_dir / inside), "--force")
    assert code == 1, output
    assert "journal" in output
    assert journal_hashes(journal_dir) == before


def test_a_query_that_picks_nothing_exports_nothing(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert run(runner, journal_dir, "html", str(site))[0] == 0
    before = journal_hashes(site)
    code, output = run(runner, journal_dir, "html", str(site), "--query", "tag:no-such-tag")
    assert code == 1
    assert "picks no entries; nothing was exported" in output
    assert journal_hashes(site) == before  # the last export is still there


def test_a_query_with_a_remark_shows_it(runner: CliRunner, journal_dir: Path, tmp_path: Path) -> None:
    code, output = run(
        runner, journal_dir, "html", str(tmp_path / "site"), "--query", "after:notadate tag:public"
    )
    assert code == 0, output
    assert 'Ignored "after:notadate"' in output
    assert "Exported 2 entries" in output


def test_progress_is_reported_in_order(journal_dir: Path, tmp_path: Path) -> None:
    from mljournal.core.export.run import export_journal
    from mljournal.core.index import Index
    from mljournal.core.journal import Journal

    journal = Journal(journal_dir)
    steps: list[tuple[int, int]] = []
    with Index(journal) as index:
        index.sync()
        report = export_journal(
            journal, index, "hugo", tmp_path / "out", progress=lambda d, t: steps.append((d, t))
        )
    assert report.entries == 3 and report.files == 4  # three posts and the image one links to
    assert steps[-1] == (6, 6)
    assert [done for done, _total in steps] == sorted(done for done, _total in steps)


def test_the_bundled_sample_journal_exports(runner: CliRunner, tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "entries", sample / "entries")
    shutil.copy2(REPO_ROOT / "roadmap.yaml", sample / "roadmap.yaml")
    before = journal_hashes(sample)
    site = tmp_path / "site"
    code, output = run(runner, sample, "html", str(site))
    assert code == 0, output
    entry_count = sum(
        1 for path in (REPO_ROOT / "entries").rglob("*.md") if "draft: true" not in path.read_text()
    )
    assert len(list((site / "entries").iterdir())) == entry_count
    assert assert_internal_links_resolve(site) > entry_count
    for export_format in ("hugo", "jekyll", "astro", "json"):
        code, output = run(runner, sample, export_format, str(tmp_path / export_format))
        assert code == 0, output
    assert journal_hashes(sample) == before


def test_template_syntax_in_notes_stays_text_in_jekyll_and_hugo(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    note = (
        "---\ntitle: Templates\ndate: 2024-04-01\n---\n\n"
        'An f-string: `f"{{x}}"`, a tag {% if x %}, a shortcode {{< youtube id >}}, and [[First steps]].\n'
    )
    (journal_dir / "entries" / "2024-04-01-templates.md").write_text(note, encoding="utf-8")
    assert run(runner, journal_dir, "jekyll", str(tmp_path / "jekyll"))[0] == 0
    jekyll = (tmp_path / "jekyll" / "_posts" / "2024-04-01-templates.md").read_text(encoding="utf-8")
    assert (
        '{% raw %}An f-string: `f"{{x}}"`, a tag {% if x %}, a shortcode {{< youtube id >}}, and {% endraw %}'
        "[First steps]({% post_url 2024-01-10-first %})" in jekyll
    )
    assert run(runner, journal_dir, "hugo", str(tmp_path / "hugo"))[0] == 0
    hugo = (tmp_path / "hugo" / "content" / "posts" / "templates.md").read_text(encoding="utf-8")
    assert 'a shortcode {{</* youtube id */>}}, and [First steps]({{< ref "posts/first.md" >}})' in hugo
    assert '`f"{{x}}"`' in hugo  # not a shortcode: left alone


def test_an_entry_with_broken_front_matter_is_exported_and_said(
    runner: CliRunner, journal_dir: Path, tmp_path: Path
) -> None:
    # The YAML is broken after the title: the post keeps what could be read and the body, and the command says
    # so on stderr instead of leaving the lost tags and topics unmentioned.
    broken = "---\ntitle: Half read\ndate: 2024-04-01\ntags: [ml, \n---\n\nThe words are all here.\n"
    (journal_dir / "entries" / "2024-04-01-broken.md").write_text(broken, encoding="utf-8")
    result = runner.invoke(main, ["-j", str(journal_dir), "export", "hugo", str(tmp_path / "blog")])
    assert result.exit_code == 0, result.output
    assert "1 entry has front-matter that could not be fully read" in result.stderr
    post = (tmp_path / "blog" / "content" / "posts").glob("*broken*.md")
    assert "The words are all here." in next(post).read_text(encoding="utf-8")
    clean = runner.invoke(
        main, ["-j", str(journal_dir), "export", "hugo", str(tmp_path / "all"), "-q", "tag:math"]
    )
    assert "could not be fully read" not in clean.stderr
