"""Timings of the TUI on generated journals. Prints figures; asserts nothing.

    .venv/bin/python bench/tui_bench.py            # 10,000 entries, plus 100,000 for search
    .venv/bin/python bench/tui_bench.py --big 0    # skip the 100,000-entry journal

1. Process start to first usable screen (list filled, navigator built) for a 10,000-entry journal with an
   up-to-date index, against a bare Textual app with the same widgets and no data, in the same run.
2. Keystroke in the search box to the first results on screen, at 10,000 and 100,000 entries.
3. Selecting a 20,000-word entry to the viewer showing its first screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.widget import Widget

from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.query import complete_last_word

WORDS = [
    "gradient",
    "descent",
    "loss",
    "tensor",
    "matrix",
    "vector",
    "model",
    "training",
    "validation",
    "overfitting",
    "regularisation",
    "attention",
    "transformer",
    "embedding",
    "token",
    "batch",
    "epoch",
    "learning",
    "rate",
    "optimiser",
    "adam",
    "momentum",
    "dropout",
    "convolution",
    "pooling",
    "kernel",
    "feature",
    "label",
    "dataset",
    "split",
    "bias",
    "variance",
    "precision",
    "recall",
    "accuracy",
    "probability",
    "distribution",
    "bayes",
    "likelihood",
    "entropy",
    "logistic",
    "regression",
    "tree",
    "forest",
    "boosting",
    "cluster",
]
TAGS = (
    "python",
    "numpy",
    "pytorch",
    "statistics",
    "deep learning",
    "nlp",
    "vision",
    "til",
    "math",
    "sklearn",
)
TOPICS = ("linear-algebra", "calculus", "probability", "regression", "neural-networks", "transformers")
ROADMAP = """\
title: Bench
topics:
  - id: maths
    title: Maths
    children:
      - {id: linear-algebra, title: Linear algebra}
      - {id: calculus, title: Calculus}
      - {id: probability, title: Probability}
  - id: ml
    title: Machine learning
    children:
      - {id: regression, title: Regression}
      - {id: neural-networks, title: Neural networks}
      - {id: transformers, title: Transformers}
"""
BIG_ENTRY = "entries/2024/06/2024-06-30-the-long-one.md"


def make_journal(root: Path, count: int, *, seed: int = 7) -> Journal:
    """Write `count` small entries (and one 20,000-word entry) under `root`."""
    rng = random.Random(seed)
    (root / "entries").mkdir(parents=True, exist_ok=True)
    (root / "roadmap.yaml").write_text(ROADMAP, encoding="utf-8")
    for number in range(count):
        year = 2015 + number % 10
        month = 1 + (number // 10) % 12
        day = 1 + (number // 120) % 28
        folder = root / "entries" / str(year) / f"{month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        title = " ".join(rng.choices(WORDS, k=5)).capitalize()
        tags = ", ".join(f'"{tag}"' for tag in rng.sample(TAGS, 2))
        body = "\n\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(3))
        text = (
            f"---\ntitle: {title} {number}\ndate: {year}-{month:02d}-{day:02d}\ntags: [{tags}]\n"
            f"topics: [{rng.choice(TOPICS)}]\n---\n\n{body}\n"
        )
        (folder / f"{year}-{month:02d}-{day:02d}-entry-{number}.md").write_text(text, encoding="utf-8")
    big = root / BIG_ENTRY
    big.parent.mkdir(parents=True, exist_ok=True)
    sections = []
    for section in range(100):
        paragraphs = "\n\n".join(" ".join(rng.choices(WORDS, k=50)) for _ in range(4))
        sections.append(f"## Part {section + 1}\n\n{paragraphs}\n\n```python\nloss = model(x)\n```\n")
    big.write_text(
        "---\ntitle: The long one\ndate: 2030-01-01\ntags: [long]\n---\n\n" + "\n".join(sections),
        encoding="utf-8",
    )
    return Journal(root)


def index_journal(journal: Journal) -> float:
    started = time.perf_counter()
    with Index(journal) as index:
        index.sync()
    return time.perf_counter() - started


APP_CODE = """
import sys
from pathlib import Path
from mljournal.core.journal import Journal
from mljournal.tui.app import make_app
make_app(Journal(Path(sys.argv[1])), watch=False).run(headless=True, size=(160, 45))
"""

BARE_CODE = """
from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.scroll_view import ScrollView
from textual.widgets import Footer, Header, Input, Markdown, Static, Tree

class Bare(App[None]):
    def compose(self):
        yield Header()
        with Horizontal():
            yield Tree("root")
            with Vertical():
                yield Input()
                yield ScrollView()
            with Vertical():
                yield Static("card")
                yield Markdown("")
        yield Static("")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(160, 45))
"""


def time_processes(
    commands: list[tuple[str, list[str], dict[str, str] | None]], runs: int = 9
) -> list[float]:
    """Median wall time, spawn to exit, of each `python -c code args`; the commands take turns, run after run,
    so that a machine getting busier or quieter mid-benchmark weighs on all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for slot, (code, args, env) in enumerate(commands):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code, *args], check=True, env=env, stdout=subprocess.DEVNULL
            )
            times[slot].append(time.perf_counter() - started)
    return [statistics.median(samples) for samples in times]


async def time_search_and_viewer(journal: Journal, *, viewer: bool) -> tuple[float, float | None]:
    """(keystroke → first results, select the long entry → its first screen) in a headless app."""
    from mljournal.tui.app import make_app
    from mljournal.tui.screens.main import MainScreen

    app = make_app(journal, watch=False)
    async with app.run_test(size=(160, 45)) as pilot:
        screen: MainScreen | None = None
        for _ in range(2000):
            await asyncio.sleep(0.005)
            candidate = app.screen
            if isinstance(candidate, MainScreen) and candidate.ready and candidate.viewer.rendered_path:
                screen = candidate
                break
        assert screen is not None, "the app never became ready"
        await app.workers.wait_for_complete()
        entries = screen.entry_list
        samples = []
        search_input = screen.search_bar.input
        for word in ("gradient", "attention", "numpy"):
            # Time the last keystroke of a real word: the query before it has run, as when typing.
            screen.search_bar.focus_input()
            search_input.value = word[:-1]
            before = complete_last_word(word[:-1])  # what the list searches while a word is being typed
            await _until(lambda w=before: entries.query_text == w and not entries._query_running)
            await pilot.pause()
            started = time.perf_counter()
            search_input.insert_text_at_cursor(word[-1])
            after = complete_last_word(word)
            await _until(lambda w=after: entries.query_text == w and not entries._query_running)
            await _painted(entries)  # the frame with the results (not the viewer catching up after it)
            samples.append(time.perf_counter() - started)
            await pilot.pause()
        search = statistics.median(samples)
        viewer_time: float | None = None
        if viewer:
            await pilot.press("escape")
            await _until(lambda: entries.query_text == "" and not entries._query_running)
            await _until(lambda: screen.viewer.rendered_path is not None)
            # The long entry is dated in the future, so it is the first row: move off it and back.
            entries.cursor = 1
            await _until(lambda: screen.viewer.rendered_path not in (None, BIG_ENTRY))
            started = time.perf_counter()
            entries.cursor = 0
            await _until(lambda: screen.viewer.painted_path == BIG_ENTRY)
            viewer_time = time.perf_counter() - started
        return search, viewer_time


async def _painted(widget: Widget) -> None:
    painted = asyncio.Event()
    widget.call_after_refresh(painted.set)
    await painted.wait()


async def _until(condition: object, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.001)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument(
        "--big", type=int, default=100_000, help="entries for the big search run (0 skips it)"
    )
    args = parser.parse_args()
    # Byte-compile our sources first, as an installed package is: Textual's own modules come compiled from
    # their wheel, and with PYTHONDONTWRITEBYTECODE set the app would otherwise recompile ours on every start.
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "src", quiet=1)
    with tempfile.TemporaryDirectory(prefix="mljournal-tui-bench-") as temp:
        root = Path(temp)
        started = time.perf_counter()
        journal = make_journal(root / "j10k", args.entries)
        print(f"generated {args.entries:,} entries in {time.perf_counter() - started:.1f} s")
        print(f"indexed in {index_journal(journal):.1f} s")

        env = {**os.environ, "MLJOURNAL_EXIT_WHEN_READY": "1"}
        ours, bare = time_processes([(APP_CODE, [str(journal.root)], env), (BARE_CODE, [], None)])
        print(f"start to first usable screen, {args.entries:,} entries: {ours * 1000:.0f} ms")
        print(f"start to first screen, bare Textual app, same widgets:  {bare * 1000:.0f} ms")
        print(f"ratio: {ours / bare:.2f}x (target <= 1.5x)")

        search, viewer = asyncio.run(time_search_and_viewer(journal, viewer=True))
        print(
            f"keystroke to first search results, {args.entries:,} entries: {search * 1000:.0f} ms (target < 100)"
        )
        assert viewer is not None
        print(f"20,000-word entry to its first screen in the viewer: {viewer * 1000:.0f} ms (target < 300)")

        if args.big:
            started = time.perf_counter()
            big = make_journal(root / "j100k", args.big)
            print(f"generated {args.big:,} entries in {time.perf_counter() - started:.1f} s")
            print(f"indexed in {index_journal(big):.1f} s")
            search, _ = asyncio.run(time_search_and_viewer(big, viewer=False))
            print(
                f"keystroke to first search results, {args.big:,} entries: {search * 1000:.0f} ms (target < 100)"
            )


if __name__ == "__main__":
    main()
