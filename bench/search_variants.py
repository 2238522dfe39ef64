"""Where Broadsheet's search departs from Whoosh's defaults, both ways measured side by side.

    .venv/bin/python bench/search_variants.py [--sizes 10000,100000] [--repeats 5]

1. Totals. For each query of bench/run.py's fixed set, on the indexes bench/run.py built: the true number
of matches (every document the query's matcher yields), the total and CPU time of Whoosh's
default ``TopCollector`` (block-quality skipping, matchers replaced every ten matches, then a
second pass to count), and the same for the collector index/search.py uses (every match scored
once, ``replace=0``). Both return the same top ten when both see every match. CPU time, not wall
time, so that other work on the machine disturbs the comparison less.

2. Fuzzy terms. For a few fuzzy queries: total, top ten and CPU time of ``Library.search`` with
the fuzzy terms left to Whoosh (``widen_prefixes`` only) and expanded once (``expand_fuzzy``).

Writes bench/results/search_variants.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from whoosh.collectors import TopCollector

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import QUERIES  # noqa: E402
from index import Library, Query  # noqa: E402
from index import search as search_module  # noqa: E402
from index.engines.whoosh.expansion import widen_prefixes  # noqa: E402
from index.engines.whoosh.language import parse_query  # noqa: E402
from index.engines.whoosh.search import _prepare  # noqa: E402

FUZZY_QUERIES = ("goverment~", "goverment~2", "blaer~ OR brwn~", '"prime minister" goverment~', "growht~")


def default_collector(searcher, q) -> tuple[int, list[int]]:
    results = searcher.search(q, limit=10)
    return len(results), [hit.docnum for hit in results]


def one_pass(searcher, q) -> tuple[int, list[int]]:
    collector = TopCollector(limit=10, usequality=False, replace=0)
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return len(results), [hit.docnum for hit in results]


def compare(corpus: Path, index_dir: Path, repeats: int) -> dict:
    rows = {}
    with Library.open(corpus, index_dir=index_dir) as library, library.reader() as reader:
        searcher = reader.searcher
        for label, query in QUERIES.items():
            q = _prepare(searcher, searcher.schema, Query(query))
            truth = sum(1 for _ in searcher.docs_for_query(q))
            row: dict = {"query": query, "matches": truth}
            for name, collect in (("whoosh_default", default_collector), ("one_pass", one_pass)):
                times = []
                for _ in range(repeats):
                    started = time.process_time()
                    total, top = collect(searcher, q)
                    times.append(time.process_time() - started)
                row[name] = {"total": total, "cpu_ms": statistics.median(times) * 1000, "top": top}
            row["same_top"] = row["whoosh_default"].pop("top") == row["one_pass"].pop("top")
            rows[label] = row
    return rows


def whoosh_fuzzy(searcher, schema, query):
    return widen_prefixes(parse_query(schema, query.text), searcher.reader())


def compare_fuzzy(corpus: Path, index_dir: Path, repeats: int) -> dict:
    rows = {}
    with Library.open(corpus, index_dir=index_dir) as library:
        for query in FUZZY_QUERIES:
            row = {}
            for name in ("whoosh", "expanded"):
                prepare = search_module._prepare
                if name == "whoosh":
                    search_module._prepare = whoosh_fuzzy
                try:
                    times = []
                    for _ in range(repeats):
                        started = time.process_time()
                        result = library.search(query, limit=10)
                        times.append(time.process_time() - started)
                finally:
                    search_module._prepare = prepare
                row[name] = {
                    "total": result.total,
                    "cpu_ms": statistics.median(times) * 1000,
                    "top": [hit.id for hit in result.hits],
                }
            row["same_top"] = row["whoosh"].pop("top") == row["expanded"].pop("top")
            rows[query] = row
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search_variants.json")
    args = parser.parse_args()
    results = {}
    for size in args.sizes.split(","):
        name = f"syn{int(size) // 1000}k"
        rows = compare(args.work / f"syn-{size}", args.work / f"index-{name}", args.repeats)
        results[name] = rows
        print(f"{name}: query, matches, Whoosh default total / CPU ms, one pass total / CPU ms, same top 10")
        for label, row in rows.items():
            default, mine = row["whoosh_default"], row["one_pass"]
            print(
                f"  {label:14s} {row['matches']:>8,}  {default['total']:>8,} {default['cpu_ms']:8.1f}"
                f"  {mine['total']:>8,} {mine['cpu_ms']:8.1f}  {row['same_top']}"
            )
        summed = [sum(row[k]["cpu_ms"] for row in rows.values()) for k in ("whoosh_default", "one_pass")]
        print(f"  summed CPU ms: Whoosh default {summed[0]:,.0f}, one pass {summed[1]:,.0f}")
        fuzzy = compare_fuzzy(args.work / f"syn-{size}", args.work / f"index-{name}", args.repeats)
        results[f"{name}-fuzzy"] = fuzzy
        print(f"{name}: fuzzy query, Whoosh total / CPU ms, expanded once total / CPU ms, same top 10")
        for query, row in fuzzy.items():
            whoosh, mine = row["whoosh"], row["expanded"]
            print(
                f"  {query:30s} {whoosh['total']:>8,} {whoosh['cpu_ms']:8.1f}"
                f"  {mine['total']:>8,} {mine['cpu_ms']:8.1f}  {row['same_top']}"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"JSON written to {args.out}")


if __name__ == "__main__":
    main()
