"""The whole export as one JSON document: every entry (front-matter, body, links) and the roadmap."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from mljournal.core.export.collect import ExportEntry, ExportSet
from mljournal.core.roadmap import Roadmap, Topic, progress_dict, resource_dict

GENERATOR = "mljournal export"
"""The document's `generator`: how a later export knows it may replace the file."""


def json_document(export: ExportSet) -> bytes:
    """The export as UTF-8 JSON, pretty-printed, keys in a stable order."""
    document = {
        "generator": GENERATOR,
        "version": 1,
        "entries": [_entry(item) for item in export.entries],
        "roadmap": _roadmap(export.roadmap, export) if export.roadmap is not None else None,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n").encode("utf-8")


def _entry(item: ExportEntry) -> dict[str, Any]:
    entry = item.entry
    return {
        "path": entry.path,
        "slug": item.slug,
        "title": entry.title,
        "date": entry.date,
        "date_inferred": entry.date_inferred,
        "updated": entry.updated,
        "description": entry.description,
        "tags": entry.tags,
        "topics": entry.topics,
        "categories": entry.categories,
        "draft": entry.draft,
        "word_count": entry.word_count,
        "front_matter": item.metadata,
        "body": entry.body,
        "links": item.links.targets,
        "unresolved_links": [{"text": link.text, "target": link.target} for link in item.links.unresolved],
    }


def _roadmap(roadmap: Roadmap, export: ExportSet) -> dict[str, Any]:
    def topic(node: Topic) -> dict[str, Any]:
        progress = roadmap.progress_of(node)
        return {
            "id": node.id,
            "title": node.title,
            "status": node.status,
            "notes": node.notes,
            "resources": [resource_dict(resource) for resource in node.resources],
            "progress": progress_dict(progress),
            "entries": [item.path for item in export.topic_entries(node.id)],
            "children": [topic(child) for child in node.children],
        }

    overall = roadmap.overall_progress()
    return {
        "title": roadmap.title,
        "progress": {"finished": overall.finished, "total": overall.total, "percent": overall.percent},
        "topics": [topic(root) for root in roadmap.roots],
    }


def _plain(value: Any) -> Any:
    """Front-matter values JSON has no type for: dates as ISO text, anything else as its text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
