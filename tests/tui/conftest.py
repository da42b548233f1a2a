"""A small hand-made journal for the TUI tests: fixed content, so Pilot tests and snapshots are stable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import journal_factory
import pytest

from mljournal.core.journal import Journal

FIXED_NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

ROADMAP = """\
# Test roadmap: comments must survive edits made by the app.
title: Machine learning
topics:
  - id: foundations
    title: Foundations
    status: todo
    children:
      - id: linear-algebra
        title: Linear algebra
        status: learning
      - id: probability
        title: Probability
        status: done
  - id: deep-learning
    title: Deep learning
    status: todo
    children:
      - id: backprop
        title: Backpropagation
        status: todo
"""

ENTRIES: dict[str, str] = {
    "entries/2024-01-08-plan.md": """\
---
title: "A plan for the year"
date: 2024-01-08
description: "What I want to learn, in what order."
tags: [planning, meta]
topics: [foundations]
---

# A plan for the year

Start with [the vectors entry](2024-02-03-vectors.md) and the maths, then deep learning.

See also <https://example.com/course> for the course.
""",
    "entries/2024-02-03-vectors.md": """\
---
title: "Vectors and matrices"
date: 2024-02-03
tags: [linear-algebra, numpy]
topics: [linear-algebra]
---

# Vectors and matrices

Broadcasting made matrix shapes click.

## Dot products

```python
import numpy as np
print(np.dot([1, 2], [3, 4]))
```

<details>
<summary>Why the shapes must match</summary>

Because each output element pairs one row with one column.
</details>
""",
    "entries/2024-02-14-probability.md": """\
---
title: "Probability refresher"
date: 2024-02-14
tags: [probability, statistics]
topics: [probability]
---

Bayes' rule, conditional probability and a few distributions.

| distribution | mean |
| --- | --- |
| Bernoulli | p |
| Normal | μ |
""",
    "entries/2024-03-09-regression.md": """\
---
title: "Linear regression from scratch"
date: 2024-03-09
tags: [regression, numpy, deep learning]
---

Gradient descent on a line, then the normal equations.
""",
    "entries/2024-03-20-hostile.md": """\
---
title: "[bold]not bold[/bold] [@click=app.quit]click me[/] \\e]0;pwned\\a"
date: 2024-03-20
tags: ["[red]tag[/red]"]
---

Markup in a title must be shown literally.
""",
    "entries/2024-04-02-backprop.md": """\
---
title: "Backprop by hand"
date: 2024-04-02
tags: [deep learning]
topics: [backprop]
---

The chain rule, one node at a time.
""",
}


def write_journal(root: Path, entries: dict[str, str] | None = None) -> Journal:
    """Write the fixture journal under `root` and build its index; return the journal."""
    # The hostile title carries a real ESC/BEL pair, which YAML's double quotes spell as \e and \a.
    return journal_factory.make_journal(root, entries or ENTRIES, roadmap=ROADMAP, index=True)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    """The fixture journal in a fresh folder named `journal` (the name shows in the header)."""
    return write_journal(tmp_path / "journal")


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: FIXED_NOW


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio through anyio's pytest plugin (no pytest-asyncio needed)."""
    return "asyncio"


@pytest.fixture
def make_journal() -> Callable[[Path, dict[str, str]], Journal]:
    """Write the fixture journal plus `extra` entries under a folder; for tests that need more files."""

    def make(root: Path, extra: dict[str, str]) -> Journal:
        return write_journal(root, {**ENTRIES, **extra})

    return make
