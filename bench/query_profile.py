"""Where a query's time goes: cProfile of ``Library.search`` on an index bench/run.py built.

    .venv/bin/python bench/query_profile.py --size 100000 [--top 18]

For each query of the fixed set (bench/run.py): one warm-up, the best of three unprofiled runs,
then one profiled run, whose functions are listed by own time (``tottime``) with the module they
belong to, and a line that sums the share of Whoosh's code, Broadsheet's and the rest. cProfile
inflates pure-Python code several times over: read the proportions, not the seconds.
Writes bench/results/query_profile_<corpus>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import QUERIES  # noqa: E402
from index import Library  # noqa: E402


def owner(filename: str) -> str:
    """Which code a profiled function belongs to: whoosh, broadsheet or other."""
    if "/whoosh/" in filename:
        return "whoosh"
    if filename.startswith(str(ROOT)) and "/.venv/" not in filename:
        return "broadsheet"
    return "other"


def profile_query(library: Library, query: str, top: int) -> list[str]:
    library.search(query, limit=10)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        result = library.search(query, limit=10)
        runs.append(time.perf_counter() - started)
    profiler = cProfile.Profile()
    profiler.runcall(library.search, query, limit=10)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tottime for _, _, tottime, _, _ in stats.values()) or 1.0
    shares: dict[str, float] = {}
    for (filename, _, _), (_, _, tottime, _, _) in stats.items():
        shares[owner(filename)] = shares.get(owner(filename), 0.0) + tottime / total
    lines = [
        f"=== {query!r}: {result.total:,} matches; best of 3 unprofiled: {min(runs) * 1000:.0f} ms",
        "own time by code: " + ", ".join(f"{name} {share:.0%}" for name, share in sorted(shares.items())),
        f"{'own s':>8} {'cum s':>8} {'calls':>9}  function",
    ]
    ranked = sorted(stats.items(), key=lambda item: -item[1][2])[:top]
    for (filename, line, name), (_, calls, tottime, cumtime, _) in ranked:
        where = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        lines.append(f"{tottime:8.3f} {cumtime:8.3f} {calls:9,}  {where}:{line}({name})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100000", help="an article count bench/run.py built, or bbc")
    parser.add_argument("--top", type=int, default=18, help="functions listed per query")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    args = parser.parse_args()
    name = "bbc" if args.size == "bbc" else f"syn{int(args.size) // 1000}k"
    corpus = ROOT.parent / "shared" / "corpora" / "bbc" if name == "bbc" else args.work / f"syn-{args.size}"
    index_dir = args.work / f"index-{name}"
    if not (index_dir / "whoosh").is_dir():
        raise SystemExit(f"No index in {index_dir}: run bench/run.py --sizes {args.size} first.")
    started = time.perf_counter()
    with Library.open(corpus, index_dir=index_dir) as library:
        library.search("warm up", limit=10)
        opened = time.perf_counter() - started
        with library.reader() as reader:
            segments = len(reader.searcher.reader().leaf_readers())
        index_mb = sum(p.stat().st_size for p in (index_dir / "whoosh").iterdir()) / 1e6
        header = [
            f"# Library.search(query, limit=10) on {name}: {library.count():,} articles, "
            f"{segments} segments, {index_mb:,.0f} MB of Whoosh files",
            f"# open + first query {opened:.2f} s; made by: python bench/query_profile.py --size {args.size}",
            f"# measured {time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.1f}",
        ]
        body = [line for query in QUERIES.values() for line in ["", *profile_query(library, query, args.top)]]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    header.append(f"# peak RSS of this process: {peak} MB")
    out = ROOT / "bench" / "results" / f"query_profile_{name}.txt"
    out.write_text("\n".join(header + body) + "\n")
    print("\n".join(header + body))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
