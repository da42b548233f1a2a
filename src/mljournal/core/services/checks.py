"""`mljournal check`: every problem in the journal, in words a user understands."""

from __future__ import annotations

from mljournal.core.entries.links import Link
from mljournal.core.index import Index
from mljournal.core.journal import ROADMAP_FILE, Journal
from mljournal.core.model import Problem
from mljournal.core.text.cjk import readable


def journal_problems(journal: Journal, index: Index) -> list[tuple[str, Problem]]:
    """Problems found reading entries, in the roadmap, in links between them, and likely mojibake."""
    from mljournal.core.config import load_config
    from mljournal.core.roadmap.read import load_roadmap
    from mljournal.core.text.mojibake import find_mojibake

    problems: list[tuple[str, Problem]] = list(index.problems())
    problems.extend(load_config(journal)[1])
    roadmap, roadmap_problems = load_roadmap(journal.roadmap_path)
    problems.extend((ROADMAP_FILE, problem) for problem in roadmap_problems)
    if journal.roadmap_path.exists() and not any(
        p.code.startswith("roadmap-parse") for p in roadmap_problems
    ):
        for topic, paths in sorted(index.topic_links().items()):
            if roadmap.find(topic) is None:
                message = f"Links the roadmap topic {topic!r}, which roadmap.yaml does not have."
                problems.extend((path, Problem("unknown-topic", message)) for path in sorted(paths))
    for path, link in index.broken_links():
        message = f"Link {_as_written(link)} leads to no entry."
        problems.append((path, Problem("broken-link", message, link.line or None)))
    for path, title, body in index.conn.execute(
        "SELECT e.path, f.title, f.body FROM entries e JOIN entries_fts f ON f.rowid = e.id ORDER BY e.path"
    ):
        found = find_mojibake(readable(f"{title}\n{body}"))
        if found:
            bad, repaired = found[0]
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            message = f"Looks mis-decoded: {bad!r} is probably {repaired!r}{more}."
            problems.append((path, Problem("mojibake", message)))
    problems.sort(key=lambda item: (item[0], item[1].line or 0))
    return problems


def _as_written(link: Link) -> str:
    """The link as the user wrote it (near enough to find it in the file): `[[Foo#Bar|text]]`, `[text](x.md)`."""
    place = link.target + (f"#{link.heading}" if link.heading else "")
    if link.kind == "markdown":
        return f"[{link.text}]({place})"
    return f"[[{place}]]" if link.text in (link.target, place) else f"[[{place}|{link.text}]]"
