"""Both engines over the same corpus: first-build rate, and the latency of the fixed query set.

    python -m bench.engines CORPUS [--repeats N] [--no-whoosh] [--json OUT]

Builds a fresh index with each engine (the Whoosh engine through ``Library``, the tantivy engine
directly), then times ``bench.run.QUERIES`` (relevance order, first page of 50 hits with snippets,
exact totals) and prints a table; the totals of both engines are printed side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bench.run import QUERIES, summary_ms
from index import Library
from index.engines.tantivy import TantivyEngine
from index.models import Query

PAGE = 50


def whoosh_engine(corpus: Path, folder: Path, repeats: int) -> dict[str, object]:
    library = Library.open(corpus, index_dir=folder)
    started = time.perf_counter()
    added = library.sync().added
    built = time.perf_counter() - started
    queries = {}
    for name, text in QUERIES.items():
        runs, total = [], 0
        for _ in range(repeats):
            start = time.perf_counter()
            total = library.search(Query(text), limit=PAGE).total
            runs.append(time.perf_counter() - start)
        queries[name] = {"total": total, **summary_ms(runs)}
    library.close()
    return {"articles": added, "build_s": built, "articles_per_s": added / built, "queries": queries}


def tantivy_engine(corpus: Path, folder: Path, repeats: int) -> dict[str, object]:
    engine = TantivyEngine(folder, corpus)
    started = time.perf_counter()
    added = engine.sync().added
    built = time.perf_counter() - started
    reader = engine.reader()
    queries = {}
    for name, text in QUERIES.items():
        runs, total = [], 0
        for _ in range(repeats):
            start = time.perf_counter()
            total = reader.search(Query(text), limit=PAGE, offset=0, should_stop=lambda: False).total
            runs.append(time.perf_counter() - start)
        queries[name] = {"total": total, **summary_ms(runs)}
    return {"articles": added, "build_s": built, "articles_per_s": added / built, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--no-whoosh", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    results: dict[str, dict[str, object]] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        results["tantivy"] = tantivy_engine(corpus, Path(scratch) / "tantivy", args.repeats)
        if not args.no_whoosh:
            results["whoosh"] = whoosh_engine(corpus, Path(scratch) / "whoosh", args.repeats)
    engines = list(results)
    print(f"{'':16}" + "".join(f"{name:>34}" for name in engines))
    print(f"{'build art/s':16}" + "".join(f"{results[n]['articles_per_s']:>34,.0f}" for n in engines))
    for query in QUERIES:
        cells = []
        for name in engines:
            row = results[name]["queries"][query]  # type: ignore[index]
            cells.append(f"{row['total']:>10,} {row['median_ms']:>9.1f} ms {row['p95_ms']:>7.1f} ms p95")
        print(f"{query:16}" + "".join(f"{cell:>34}" for cell in cells))
    # On a shared machine the load average says how far to trust the times.
    print(f"load average (1 min) {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    if args.json:
        report = {"corpus": str(corpus), "load_average": [load_before[0], os.getloadavg()[0]], **results}
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
