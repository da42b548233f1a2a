"""Dashboard benchmark: prints the figures for the learner's dashboard targets; asserts nothing.

    .venv/bin/python bench/stats_bench.py                  # 100,000 entries (generated, then indexed)
    .venv/bin/python bench/stats_bench.py -n 10000 --keep  # keep the journal; --reuse DIR next time

It measures, on a journal indexed once beforehand:
- the figures themselves (`collect_stats`: days, months, streaks, phases, this week) in process;
- a whole `mljournal stats --json` process, start to exit;
- the review queue (`review_queue`) in process;
- the dashboard's first paint in a headless app: from pressing `s` to the frame with the heatmap drawn.
Targets (issue 11): `mljournal stats` and the dashboard's first paint each under 200 ms at 100,000 entries.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index_bench import generate_journal

from mljournal.core.index import Index
from mljournal.core.journal import Journal
from mljournal.core.roadmap import load_roadmap
from mljournal.core.roadmap.review import review_queue
from mljournal.core.services.stats import collect_stats


def median_ms(samples: list[float]) -> str:
    return f"{1000 * statistics.median(samples):.1f} ms (min {1000 * min(samples):.1f}, max {1000 * max(samples):.1f})"


def time_in_process(journal: Journal, runs: int) -> tuple[list[float], list[float]]:
    roadmap, _problems = load_roadmap(journal.roadmap_path)
    stats_times, review_times = [], []
    with Index(journal) as index:
        for _ in range(runs):
            started = time.perf_counter()
            collect_stats(index.conn, roadmap, today=date.today())
            stats_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            review_queue(index.conn, roadmap, today=date.today())
            review_times.append(time.perf_counter() - started)
    return stats_times, review_times


def time_processes(journal: Journal, runs: int) -> list[float]:
    command = [str(Path(sys.executable).parent / "mljournal"), "-j", str(journal.root), "stats", "--json"]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return samples


async def time_first_paint(journal: Journal, runs: int) -> list[float]:
    from mljournal.tui.app import make_app
    from mljournal.tui.screens.dashboard import DashboardScreen
    from mljournal.tui.screens.main import MainScreen

    app = make_app(journal, watch=False)
    samples = []
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(4000):
            await asyncio.sleep(0.005)
            if isinstance(app.screen, MainScreen) and app.screen.ready:
                break
        await app.workers.wait_for_complete()
        for _ in range(runs):
            # The key's action, called directly: `pilot.press` adds its own settling waits (about 0.3 s
            # here) that a person pressing `s` never sees.
            started = time.perf_counter()
            app.screen.action_dashboard()
            while not (isinstance(app.screen, DashboardScreen) and app.screen.stats is not None):
                await asyncio.sleep(0.001)
            painted = asyncio.Event()
            app.screen.call_after_refresh(painted.set)
            await painted.wait()
            samples.append(time.perf_counter() - started)
            await pilot.press("escape")
            await pilot.pause()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=100_000, help="number of entries (default 100,000)")
    parser.add_argument("--runs", type=int, default=7, help="samples per figure (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the generated journal and print its path")
    parser.add_argument("--reuse", type=Path, help="a journal kept by an earlier run (skips generating)")
    args = parser.parse_args()

    if args.reuse:
        root = args.reuse
    else:
        root = Path(tempfile.mkdtemp(prefix="mljournal-stats-bench-")) / "journal"
        started = time.perf_counter()
        generate_journal(root, args.n)
        print(f"generated {args.n:,} entries in {time.perf_counter() - started:.1f} s")
    journal = Journal(root)
    started = time.perf_counter()
    with Index(journal) as index:
        index.sync()
        total = index.total()
    print(f"index ready ({total:,} entries) in {time.perf_counter() - started:.1f} s")

    stats_times, review_times = time_in_process(journal, args.runs)
    print(f"collect_stats, in process:        {median_ms(stats_times)}")
    print(f"review_queue, in process:         {median_ms(review_times)}")
    print(
        f"`mljournal stats --json` process: {median_ms(time_processes(journal, args.runs))}   target < 200 ms"
    )
    paint = asyncio.run(time_first_paint(journal, args.runs))
    print(f"dashboard first paint (s → drawn): {median_ms(paint)}   target < 200 ms")

    if args.keep or args.reuse:
        print(f"journal kept at {root}")
    else:
        shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("MLJOURNAL_CONFIG", os.devnull)  # the user's own settings don't enter the figures
    main()
