"""The viewer shows TeX math as readable Unicode, and leaves prices and code alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mljournal.core.journal import Journal
from mljournal.tui.data import load_entry_view

MATH_ENTRY = """---
title: Gradients
date: 2024-05-01
---

The update is $\\theta \\leftarrow \\theta - \\eta \\nabla_\\theta L$, which cost $5 and $6 to learn.

$$
L = \\sum_i x_i^2
$$

`$\\alpha$` is code.
"""


def test_the_viewer_body_has_readable_math(
    tmp_path: Path, make_journal: Callable[[Path, dict[str, str]], Journal]
) -> None:
    journal = make_journal(tmp_path / "journal", {"entries/2024-05-01-gradients.md": MATH_ENTRY})
    view = load_entry_view(journal, "entries/2024-05-01-gradients.md")
    shown = view.first + view.rest
    assert "θ ← θ \\- η ∇\\_θ L" in shown
    assert "cost $5 and $6" in shown
    assert "L \\= ∑ᵢ xᵢ²" in shown
    assert "`$\\alpha$` is code." in shown
    assert not view.truncated
