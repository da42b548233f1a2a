"""The text of a new roadmap.yaml: the machine-learning roadmap shipped with the package, or a blank one."""

from __future__ import annotations

from importlib import resources
from typing import Final

from mljournal.core.roadmap.model import RoadmapError

TEMPLATES: Final = ("ml", "blank")


def default_roadmap_text(template: str = "ml") -> str:
    """The text of a new roadmap.yaml: "ml" (the machine-learning roadmap) or "blank" (empty, explained)."""
    if template not in TEMPLATES:
        raise RoadmapError(f"Unknown roadmap template {template!r}; choose one of {', '.join(TEMPLATES)}.")
    if template == "blank":
        return _BLANK_TEMPLATE
    return (
        resources.files("mljournal.core").joinpath("templates", "roadmap_ml.yaml").read_text(encoding="utf-8")
    )


_BLANK_TEMPLATE = """\
# Your learning roadmap: an ordered tree of topics.
#
# Each topic has an `id` (entries link to it with `topics: [id]` in their front-matter; keep it stable),
# a `title`, a `status` (todo, learning, done or skipped), and optionally `notes`, `resources`
# (each with a `title`, an optional `url` and its own `status`) and `children` (more topics).
# Progress of a topic is the share of the topics at the bottom of its branch that are done or skipped.
#
# Example:
#
# topics:
#   - id: foundations
#     title: Foundations
#     status: learning
#     children:
#       - id: python
#         title: Python
#         status: done
#         notes: Comfortable with the language; practise NumPy next.
#         resources:
#           - title: The official Python tutorial
#             url: https://docs.python.org/3/tutorial/
#             status: done
#
# `mljournal roadmap add - "A title"` adds a top-level topic; edit this file by hand whenever you like,
# comments and formatting are kept when the app changes it.

topics: []
"""
