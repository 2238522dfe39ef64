"""Index the BBC corpus (or a synthetic corpus built from it) and time index.engines.whoosh.search's queries.

Run it with the Python of any virtualenv that has a Whoosh distribution installed, to compare
distributions on the same work (see bench/whoosh-choice.md):

    PYTHONPATH=. /tmp/w-reloaded/bin/python bench/whoosh_compare.py --count 0 --index /tmp/ix-bbc

``--count 0`` indexes the 2,225 BBC articles; ``--count N`` indexes N synthetic articles from
bench/corpus.py. Prints one JSON object: Whoosh version, indexing time, index size and query
latency (median and p95 over the fixed query set, highlights of the top 10 included), both as
wall-clock and as CPU time of this process (the CPU figures are steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import whoosh
from whoosh import index as whoosh_index

from bench.corpus import BBC_DIR, bbc_text, load_bbc, synthetic_article
from index.engines.whoosh.schema import build_schema
from index.engines.whoosh.search import date_histogram, matching_docnums, more_like_this, run_search

QUERIES = (
    "government",
    "economy growth",
    "prime minister",
    '"interest rates"',
    "film OR music",
    "election NOT labour",
    "champion*",
    "regulat*",
    "olympc~",
    "title:brown",
    "source:sport AND england",
    "date:[2004-03-01 to 2004-05-31] oil",
    "the",
    "*",
)


def bbc_documents() -> Iterator[dict]:
    first_day = dt.datetime(2004, 1, 1)
    for number, path in enumerate(sorted(BBC_DIR.rglob("*.txt"))):
        title, _, body = bbc_text(path).partition("\n")
        rel = path.relative_to(BBC_DIR).as_posix()
        yield {
            "id": rel,
            "path": rel,
            "title": title.strip(),
            "body": body.strip(),
            "source": path.parent.name,
            "date": first_day + dt.timedelta(days=number % 731),
        }


def synthetic_documents(count: int) -> Iterator[dict]:
    bbc = load_bbc()
    rng = random.Random(2005)
    for number in range(count):
        title, _, rest = synthetic_article(rng, bbc, count).partition("\n\n")
        date_line, _, body = rest.partition("\n\n")
        yield {
            "id": f"{number:07d}.txt",
            "path": f"{number:07d}.txt",
            "title": title,
            "body": body.strip(),
            "source": ("sport", "business", "tech", "politics", "entertainment")[number % 5],
            "date": dt.datetime.strptime(date_line, "%B %d, %Y"),
        }


def build(folder: Path, documents: Iterator[dict]) -> tuple[int, float, float]:
    """Index ``documents`` afresh; returns the count, wall seconds and CPU seconds."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    ix = whoosh_index.create_in(folder, build_schema())
    count = 0
    with ix.writer(limitmb=256) as writer:
        for document in documents:
            writer.add_document(**document)
            count += 1
    return count, time.perf_counter() - started, time.process_time() - cpu_started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_queries(folder: Path, repeats: int) -> dict:
    ix = whoosh_index.open_dir(folder)
    with ix.searcher() as searcher:
        for query in QUERIES:  # warm the caches once, as a long-running TUI would be
            run_search(searcher, searcher.schema, query, limit=10)
        latencies: dict[str, list[float]] = {query: [] for query in QUERIES}
        cpu: list[float] = []
        totals = {}
        for _ in range(repeats):
            for query in QUERIES:
                started, cpu_started = time.perf_counter(), time.process_time()
                result = run_search(searcher, searcher.schema, query, limit=10)
                latencies[query].append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
                totals[query] = result.total
        every = [value for values in latencies.values() for value in values]
        first_hit = run_search(searcher, searcher.schema, QUERIES[0], limit=1).hits[0].id
        extras = {}
        for name, call in (
            ("matching_docnums(the)", lambda: matching_docnums(searcher, searcher.schema, "the")),
            ("date_histogram(*)", lambda: date_histogram(searcher, searcher.schema, "*")),
            ("more_like_this", lambda: more_like_this(searcher, searcher.schema, first_hit)),
            ("did you mean (governmnet)", lambda: run_search(searcher, searcher.schema, "governmnet")),
        ):
            started = time.perf_counter()
            call()
            extras[name] = round((time.perf_counter() - started) * 1000, 1)
    return {
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
        "per_query_median_ms": {q: round(statistics.median(v), 2) for q, v in latencies.items()},
        "totals": totals,
        "other_ms": extras,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=0, help="synthetic articles; 0 = the BBC corpus")
    parser.add_argument("--index", type=Path, required=True, help="index folder (rebuilt unless --reuse)")
    parser.add_argument("--reuse", action="store_true", help="time queries on an existing index")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    report: dict = {"whoosh": whoosh.versionstring(), "python": sys.version.split()[0]}
    if not args.reuse:
        documents = synthetic_documents(args.count) if args.count else bbc_documents()
        count, seconds, cpu_seconds = build(args.index, documents)
        report |= {
            "articles": count,
            "index_s": round(seconds, 1),
            "index_cpu_s": round(cpu_seconds, 1),
            "articles_per_cpu_s": round(count / cpu_seconds),
        }
    report["index_mb"] = round(sum(f.stat().st_size for f in args.index.iterdir()) / 1e6, 1)
    report |= time_queries(args.index, args.repeats)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
