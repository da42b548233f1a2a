"""Index and search benchmark: prints figures for the targets in the README; asserts nothing.

    .venv/bin/python bench/index_bench.py              # 10,000 entries
    .venv/bin/python bench/index_bench.py -n 100000    # any N

It generates a journal of N entries with a Zipf-like vocabulary (so there are rare, mid and very common words),
then measures, in one run: the floors (a plain read/split/yaml/executemany pipeline, the same with mljournal's
FTS table, and a bare scandir+stat walk) and mljournal's cold index (rounds of floor and index back to back,
medians reported), no-change and one-file re-syncs, search latency per query class, a whole
`mljournal search` process, the index size and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
ML_WORDS = """
model data training loss gradient descent learning rate batch epoch tensor matrix vector eigenvalue
regression classification feature label dataset validation overfitting underfitting bias variance
regularisation ridge lasso kernel margin tree forest boosting bagging cluster centroid neighbour distance
metric precision recall accuracy score probability distribution sample mean median variance deviation
hypothesis test prior posterior likelihood bayes network layer neuron activation sigmoid softmax relu
convolution pooling attention transformer embedding token sequence recurrent memory optimiser momentum adam
weight parameter pipeline scaler encoder decoder notebook python numpy pandas plot histogram scatter
correlation outlier missing impute category
""".split()  # noqa: SIM905 - a word list reads better as prose
TAGS = [
    "numpy", "pandas", "linear-algebra", "statistics", "visualization", "scikit-learn", "regression",
    "classification", "math", "reflection", "reading-list", "kaggle", "pytorch", "deep-learning", "til",
    "calculus", "probability", "nlp", "cnn", "transformers", "projects", "feature-engineering", "clustering",
    "evaluation", "optimisation", "data-cleaning", "eda", "matplotlib", "seaborn", "notes",
]  # fmt: skip
TOPICS = ["linear-algebra", "numpy", "pandas", "eda", "logistic-regression", "scikit-learn", "bias-variance"]


def make_vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    syllables = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ru",
        "ta",
        "vo",
        "zi",
        "be",
        "do",
        "fa",
        "gu",
        "hi",
        "jo",
        "pe",
        "sa",
    ]
    words = list(ML_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_weights(size: int, s: float = 1.07) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, size + 1)]


def generate_journal(root: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    vocabulary = make_vocabulary(rng)
    weights = zipf_weights(len(vocabulary))
    entries = root / "entries"
    entries.mkdir(parents=True)
    shutil.copy(REPO / "roadmap.yaml", root / "roadmap.yaml") if (REPO / "roadmap.yaml").exists() else None
    # Draw words in bulk: per-call random.choices is the slow part of generating 100,000 files.
    pool = rng.choices(vocabulary, weights=weights, k=400_000)
    for i in range(n):
        year = 2020 + i % 6
        month = 1 + (i // 6) % 12
        day = 1 + (i // 72) % 28
        folder = entries / str(year)
        folder.mkdir(exist_ok=True)
        start = rng.randrange(0, len(pool) - 700)
        length = rng.randint(150, 600)
        words = pool[start : start + length]
        title = " ".join(words[:5]).capitalize()
        paragraphs = [" ".join(words[j : j + 60]) + "." for j in range(5, len(words), 60)]
        tags = rng.sample(TAGS, rng.randint(1, 4))
        front = {
            "title": f"{title} {i}",
            "date": f"{year}-{month:02d}-{day:02d}",
            "description": " ".join(words[5:15]),
            "tags": tags,
        }
        if i % 3 == 0:
            front["topics"] = rng.sample(TOPICS, 1)
        body = "\n\n".join(["## Notes", *paragraphs])
        if i % 10 == 0:
            body += "\n\n```python\nimport numpy as np\nx = np.arange(10)\nprint(x.mean())\n```\n"
        text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\n" + body + "\n"
        (folder / f"{year}-{month:02d}-{day:02d}-entry-{i}.md").write_text(text, encoding="utf-8")


FTS_NAMES = ("title", "description", "tags", "body", "categories", "keywords")
PLAIN_FTS = "fts5(title, description, tags, body, tokenize='porter unicode61 remove_diacritics 2')"
"""The issue's floor: a default FTS5 table."""
SAME_FTS = (
    "fts5(title, description, tags, body, categories, keywords,"
    " tokenize='porter unicode61 remove_diacritics 2', prefix='3')"
)
"""mljournal's FTS5 table (its columns and 3-letter prefix index), for a floor that isolates everything else."""


def plain_pipeline(root: Path, db_path: Path, fts: str = PLAIN_FTS, hash_bytes: int | None = None) -> float:
    """The floor for a cold index: read, split, PyYAML's C loader, one executemany into SQLite with FTS5."""
    db_path.unlink(missing_ok=True)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, path TEXT, title TEXT, date TEXT, tags TEXT)")
    conn.execute(f"CREATE VIRTUAL TABLE fts USING {fts}")
    if hash_bytes is not None:
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('hashsize', ?)", (hash_bytes,))
    columns = 6 if "keywords" in fts else 4
    rows: list[tuple[object, ...]] = []
    fts_rows: list[tuple[object, ...]] = []
    for folder, _dirs, files in os.walk(root / "entries"):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
            _, front, body = text.split("---\n", 2)
            meta = yaml.load(front, Loader=loader)
            rowid = len(rows) + 1
            rows.append(
                (rowid, path, str(meta.get("title")), str(meta.get("date")), json.dumps(meta.get("tags")))
            )
            fts_row = (
                rowid,
                str(meta.get("title")),
                str(meta.get("description")),
                " ".join(meta.get("tags")),
                body,
            )
            fts_rows.append(fts_row + ("", "")[: columns - 4])
    with conn:
        conn.executemany("INSERT INTO entries VALUES (?,?,?,?,?)", rows)
        marks = ",".join("?" * (columns + 1))
        conn.executemany(
            f"INSERT INTO fts (rowid, {', '.join(FTS_NAMES[:columns])}) VALUES ({marks})", fts_rows
        )
    conn.close()
    seconds = time.perf_counter() - started
    db_path.unlink(missing_ok=True)
    return seconds


def _spread(values: list[float]) -> str:
    return f"(runs {min(values):.2f}-{max(values):.2f} s)"


def stat_walk(root: Path) -> float:
    """The floor for a no-change re-sync: a bare scandir + stat of every file."""
    started = time.perf_counter()
    stack = [str(root / "entries")]
    count = 0
    while stack:
        with os.scandir(stack.pop()) as scanner:
            for item in scanner:
                if item.is_dir():
                    stack.append(item.path)
                else:
                    item.stat()
                    count += 1
    return time.perf_counter() - started


def in_subprocess(code: str, *args: str) -> dict[str, float]:
    """Run `code` in a fresh Python (so peak memory is this step's own) and return what it printed as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=REPO
    )
    data: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


COLD_INDEX = """
import json, sys, time
from pathlib import Path
from mljournal.core.index import Index
from mljournal.core.journal import Journal
started = time.perf_counter()
index = Index(Journal(Path(sys.argv[1])))
report = index.sync()
seconds = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec, so a child of
# a big benchmark process would report the parent's size.
with open("/proc/self/status") as status:
    peak = int(next(line for line in status if line.startswith("VmHWM")).split()[1]) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "added": len(report.added)}))
"""


def build_queries(rng: random.Random, vocabulary: list[str]) -> list[tuple[str, str]]:
    common = vocabulary[:10]
    mid = vocabulary[200:2000]
    rare = vocabulary[15_000:29_000]
    queries: list[tuple[str, str]] = []
    for _ in range(25):
        queries.append(("rare word", rng.choice(rare)))
        queries.append(("mid word", rng.choice(mid)))
        queries.append(("very common word", rng.choice(common)))
        queries.append(("3-letter prefix", rng.choice(common + mid[:50])[:3] + "*"))
        queries.append(("tag", f"tag:{rng.choice(TAGS)}"))
        queries.append(("date", f"on:{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}"))
        queries.append(("mix", f"{rng.choice(mid)} tag:{rng.choice(TAGS)} after:2022-01-01"))
        queries.append(("two words", f"{rng.choice(common)} {rng.choice(mid)}"))
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=10_000, help="number of entries (default 10,000)")
    parser.add_argument("--keep", action="store_true", help="keep the generated journal and print its path")
    parser.add_argument(
        "--reuse", type=Path, help="a journal kept by an earlier --keep run (skips generating)"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="cold-index rounds (default 3); each runs the floors and mljournal back to back, and the"
        " medians are reported, because a shared machine's speed drifts by a third from minute to minute",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "src"))
    from mljournal.core.index import Index
    from mljournal.core.journal import Journal

    if args.reuse:
        root = args.reuse.resolve()
        workdir = root.parent
        shutil.rmtree(root / ".mljournal", ignore_errors=True)
        (workdir / "plain.sqlite").unlink(missing_ok=True)
        args.keep = True
        print(f"reusing {root}")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="mljournal-bench-"))
        root = workdir / "journal"
        t0 = time.perf_counter()
        generate_journal(root, args.n)
        print(f"generated {args.n:,} entries in {time.perf_counter() - t0:.1f} s ({root})")
    size_mb = sum(f.stat().st_size for f in (root / "entries").rglob("*.md")) / 1e6
    print(f"journal size: {size_mb:.1f} MB of Markdown")

    # Warm the page cache so both pipelines read from memory, as the second of any two runs would.
    stat_walk(root)
    for path in (root / "entries").rglob("*.md"):
        path.read_bytes()
    from mljournal.core.index import FTS_HASH_BYTES

    plains, sames, colds, peaks = [], [], [], []
    for _ in range(args.runs):
        plains.append(plain_pipeline(root, workdir / "plain.sqlite"))
        sames.append(plain_pipeline(root, workdir / "plain.sqlite", SAME_FTS, FTS_HASH_BYTES))
        shutil.rmtree(root / ".mljournal", ignore_errors=True)
        cold = in_subprocess(COLD_INDEX, str(root))
        colds.append(cold["seconds"])
        peaks.append(cold["peak_mb"])
    plain = statistics.median(plains)
    same = statistics.median(sames)
    ratios = sorted(c / p for c, p in zip(colds, plains, strict=True))
    same_ratios = sorted(c / p for c, p in zip(colds, sames, strict=True))
    walk = min(stat_walk(root) for _ in range(3))
    print(f"\n== floors (median of {args.runs} rounds, each: plain, same-FTS plain, mljournal back to back)")
    print(f"plain pipeline (read, split, CSafeLoader, executemany+FTS5): {plain:.2f} s  {_spread(plains)}")
    print(f"  the same with mljournal's FTS table (6 columns, prefix):   {same:.2f} s  {_spread(sames)}")
    print(f"bare scandir + stat walk:                                    {walk * 1000:.0f} ms")

    index = Index(Journal(root))
    nochange = []
    for _ in range(3):
        started = time.perf_counter()
        report = index.sync()
        nochange.append(time.perf_counter() - started)
        assert not report.changed, "a no-change sync changed something"
    some_file = next((root / "entries").rglob("*.md"))
    some_file.write_text(some_file.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    started = time.perf_counter()
    report = index.sync()
    one_file = time.perf_counter() - started
    print("\n== indexing")
    cold_median = statistics.median(colds)
    print(
        f"cold index:            {cold_median:.2f} s  {_spread(colds)}; {statistics.median(ratios):.2f}x the plain"
        f" pipeline, round by round {', '.join(f'{r:.2f}' for r in ratios)} (target <= 1.2x);"
        f" {statistics.median(same_ratios):.2f}x the same-FTS plain pipeline"
    )
    print(f"peak memory (cold):    {max(peaks):.0f} MB  (target < 250 MB at 100,000)")
    print(
        f"no-change re-sync:     {min(nochange) * 1000:.0f} ms  ({min(nochange) / walk:.2f}x the stat walk;"
        " target <= 2x)"
    )
    print(
        f"one-file re-sync:      {one_file * 1000:.0f} ms  (target < 200 ms at 10,000)  {len(report.updated)} updated"
    )
    index_bytes = sum(p.stat().st_size for p in (root / ".mljournal").glob("index.sqlite*") if p.is_file())
    print(f"index size:            {index_bytes / 1e6:.1f} MB")

    rng = random.Random(11)
    vocabulary = make_vocabulary(random.Random(7))
    queries = build_queries(rng, vocabulary)
    by_class: dict[str, list[float]] = {}
    by_class_count: dict[str, list[float]] = {}
    for _ in range(1):  # one warm-up pass
        for _label, text in queries[:20]:
            index.search(text, limit=50)
    for label, text in queries:
        started = time.perf_counter()
        prepared = index.prepare(text)
        index.page(prepared, 0, 50)
        by_class.setdefault(label, []).append(time.perf_counter() - started)
        started = time.perf_counter()
        index.count(prepared)
        by_class_count.setdefault(label, []).append(time.perf_counter() - started)
    print(
        f"\n== search, first page of 50 ({len(queries)} queries; target p95 < 20 ms at 10k, < 50 ms at 100k)"
    )
    print(f"{'class':18} {'p50 ms':>8} {'p95 ms':>8}   {'count p50':>9} {'count p95':>9}")
    every = []
    for label, times in by_class.items():
        every.extend(times)
        counts = by_class_count[label]
        print(
            f"{label:18} {percentile(times, 0.5) * 1000:8.1f} {percentile(times, 0.95) * 1000:8.1f}"
            f"   {percentile(counts, 0.5) * 1000:9.1f} {percentile(counts, 0.95) * 1000:9.1f}"
        )
    print(f"{'all':18} {percentile(every, 0.5) * 1000:8.1f} {percentile(every, 0.95) * 1000:8.1f}")
    index.close()

    exe = str(Path(sys.executable).with_name("mljournal"))
    process_times = []
    for word in ["model", vocabulary[500], "tag:numpy", "lea*"]:
        started = time.perf_counter()
        subprocess.run([exe, "-j", str(root), "search", word], capture_output=True, check=True)
        process_times.append(time.perf_counter() - started)
    print("\n== whole process")
    print(
        f"`mljournal search`:    median {statistics.median(process_times) * 1000:.0f} ms,"
        f" max {max(process_times) * 1000:.0f} ms  (target < 200 ms)"
    )
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process peaked at {own_peak:.0f} MB)")
    if args.keep:
        print(f"\nkept: {root}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
