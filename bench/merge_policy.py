"""Whoosh's default merge policy against a tiered one, side by side on one synthetic corpus.

    .venv/bin/python bench/merge_policy.py 50000

Each commit of a sync adds the segments its worker processes wrote (about 2,500 articles each).
Whoosh's default policy (``MERGE_SMALL``) merges, in the committing process, every segment up to a
Fibonacci bound that grows with their number. The tiered policy below merges ten small segments
into one, rewrites a segment whose articles are mostly deleted, and leaves larger segments alone.
Both indexes are built in a child process, then queried with the fixed query set of bench/run.py.
Broadsheet ships the default (see bench/README.md, "Merge policy").
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from whoosh.reading import SegmentReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus as synthetic  # noqa: E402

SMALL_SEGMENT = 10_000
"""Segments with fewer articles than this wait to be merged ten at a time."""

MERGE_FACTOR = 10


def merge_tiers(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: merge what needs it into ``writer``; return the segments kept as they are."""
    keep, merge, pending_small = [], [], []
    for segment in segments:
        live, stored = segment.doc_count(), segment.doc_count_all()
        if live == 0:
            continue
        if stored - live > stored // 2:
            merge.append(segment)
        elif stored < SMALL_SEGMENT:
            pending_small.append(segment)
        else:
            keep.append(segment)
    if len(pending_small) >= MERGE_FACTOR:
        merge.extend(pending_small)
    else:
        keep.extend(pending_small)
    for segment in merge:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return keep


INDEX_CHILD = """
import resource, sys, time
sys.path.insert(0, sys.argv[4])
if sys.argv[3] == "tiered":
    import index.store as store
    from bench.merge_policy import merge_tiers

    class Tiered(store._SegmentsWriter):
        def __init__(self, ix):
            super().__init__(ix)
            self.mergetype = merge_tiers

    store._SegmentsWriter = Tiered
from pathlib import Path
from index import Library
library = Library.open(Path(sys.argv[1]), index_dir=Path(sys.argv[2]))
started = time.perf_counter()
report = library.sync()
print(report.added, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

QUERY_CHILD = """
import json, statistics, sys, time
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from index import Library
from bench.run import QUERIES
library = Library.open(Path(sys.argv[1]), index_dir=Path(sys.argv[2]))
library.search("warm up", limit=10)
medians = {}
for label, query in QUERIES.items():
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        library.search(query, limit=10)
        runs.append(time.perf_counter() - started)
    medians[label] = statistics.median(runs) * 1000
with library.searcher() as searcher:
    segments = len(searcher.reader().leaf_readers())
print(json.dumps({"medians_ms": medians, "segments": segments}))
"""


def run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return done.stdout


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    work = Path("/tmp/broadsheet-bench")
    corpus = synthetic.build(work / f"syn-{size}", size)
    results = {}
    for policy in ("default", "tiered"):
        index_dir = work / f"index-merge-{policy}-{size}"
        shutil.rmtree(index_dir, ignore_errors=True)
        added, seconds, peak = run(INDEX_CHILD, str(corpus), str(index_dir), policy, str(ROOT)).split()
        queries = json.loads(run(QUERY_CHILD, str(corpus), str(index_dir), str(ROOT)))
        results[policy] = {
            "articles_per_s": int(added) / float(seconds),
            "index_seconds": float(seconds),
            "peak_rss_mb": int(peak),
            "index_mb": sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()) / 1e6,
            **queries,
        }
        row = results[policy]
        print(
            f"{policy:8s} {row['articles_per_s']:5.0f} articles/s  peak {row['peak_rss_mb']} MB  "
            f"index {row['index_mb']:.0f} MB  {row['segments']} segments  "
            f"query medians summed {sum(row['medians_ms'].values()):,.0f} ms",
            flush=True,
        )
    out = ROOT / "bench" / "results" / f"merge_policy_{size}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"JSON written to {out}")


if __name__ == "__main__":
    main()
