"""A/B of `Library.search` between two checkouts on one index: each query's median, rounds alternated.

    .venv/bin/python bench/search_ab.py BEFORE_CHECKOUT AFTER_CHECKOUT CORPUS INDEX_DIR [--rounds 4]

Each round runs one child per checkout (the first, then the second), each child timing 15 runs of
every query of the set and an unchanged sync; the medians of the rounds are compared. Both children
open the same index folder, so it must be one both versions read (same schema version). Writes
bench/results/search_ab.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import QUERIES  # noqa: E402

CHILD = """
import json, statistics, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from index import Library
queries = json.loads(sys.argv[4])
library = Library.open(Path(sys.argv[2]), index_dir=Path(sys.argv[3]))
library.search("warm up", limit=10)
medians = {}
for query in queries:
    runs = []
    for _ in range(15):
        if hasattr(library, "forget_answers"):
            library.forget_answers()
        started = time.perf_counter()
        library.search(query, limit=10)
        runs.append(time.perf_counter() - started)
    medians[query] = statistics.median(runs) * 1000
started = time.perf_counter()
for _ in range(3):
    library.sync()
medians["unchanged sync"] = (time.perf_counter() - started) / 3 * 1000
print(json.dumps(medians))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search_ab.json")
    args = parser.parse_args()
    queries = json.dumps(list(QUERIES.values()))
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        for side, code in (("before", args.before), ("after", args.after)):
            child = [sys.executable, "-c", CHILD, str(code), str(args.corpus), str(args.index_dir), queries]
            done = subprocess.run(child, capture_output=True, text=True, check=True)
            runs[side].append(json.loads(done.stdout))
    rows = {}
    for key in runs["before"][0]:
        before = statistics.median(run[key] for run in runs["before"])
        after = statistics.median(run[key] for run in runs["after"])
        rows[key] = {"before_ms": before, "after_ms": after, "ratio": after / before}
        print(f"{key:36} {before:8.2f} ms -> {after:8.2f} ms  x{after / before:.2f}")
    payload = {"before": str(args.before), "after": str(args.after), "rows": rows}
    args.out.write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
