"""Entity extraction throughput over the BBC corpus, and facet latency on an entity-indexed library.

Usage: python bench/entity_speed.py [--corpus ../shared/corpora/bbc] [--n-process 1 2] [--limit N]
                                    [--index-dir DIR]

Part 1 reads every article with ``index.ingest`` and times the full extraction (model + rules +
per-article normalisation) for each ``--n-process``, reporting wall and CPU seconds (this
process and its workers) and words per second. Part 2 (with ``--index-dir``, an index whose entity
phase has run) times ``Library.facets`` for a few queries: median and worst of 5 runs each.
Prints tables and writes bench/results/entity_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.entities.extractor import CombinedExtractor  # noqa: E402
from index.entities.normalise import clean_mentions  # noqa: E402
from index.entities.rules import RuleExtractor  # noqa: E402
from index.entities.spacy_model import DEFAULT_MODEL, SpacyExtractor  # noqa: E402
from index.ingest import discover, read_file  # noqa: E402
from index.library import Library  # noqa: E402
from index.models import Skip  # noqa: E402

FACET_QUERIES = ("*", "blair", "economy OR growth", "place:london", 'org:microsoft AND "mobile phone"')


def read_bodies(corpus: Path, limit: int | None) -> list[str]:
    bodies = []
    for found in discover(corpus):
        if not isinstance(found, Skip):
            bodies.extend(article.body for article in read_file(found).articles)
    return bodies[:limit] if limit else bodies


def time_extraction(bodies: list[str], n_process: int) -> dict[str, float]:
    model = SpacyExtractor(DEFAULT_MODEL, n_process=n_process)
    model.load()
    extractor = CombinedExtractor(model, RuleExtractor())
    cpu_before, started = os.times(), time.perf_counter()
    mentions = sum(len(clean_mentions(b, s)) for b, s in zip(bodies, extractor.extract(bodies), strict=True))
    wall, cpu_after = time.perf_counter() - started, os.times()
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("user", "system", "children_user"))
    words = sum(len(body.split()) for body in bodies)
    return {
        "n_process": n_process,
        "articles": len(bodies),
        "words": words,
        "mentions": mentions,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "words_per_s": round(words / wall),
    }


def time_facets(corpus: Path, index_dir: Path) -> list[dict[str, object]]:
    rows = []
    with Library.open(corpus, index_dir=index_dir) as library:
        library.facets("*")
        for query in FACET_QUERIES:
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                facets = library.facets(query)
                runs.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "query": query,
                    "facets": len(facets),
                    "median_ms": round(statistics.median(runs), 1),
                    "max_ms": round(max(runs), 1),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--n-process", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--limit", type=int, help="Only the first N articles.")
    parser.add_argument("--index-dir", type=Path, help="An entity-indexed library of the corpus, for facets.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_speed.json")
    args = parser.parse_args()

    bodies = read_bodies(args.corpus, args.limit)
    print(f"{len(bodies)} articles, {sum(len(b.split()) for b in bodies)} words, {os.cpu_count()} CPUs")
    print(f"{'n_process':>9} {'wall s':>8} {'cpu s':>8} {'words/s':>9} {'mentions':>9}")
    extraction = []
    for n_process in args.n_process:
        row = time_extraction(bodies, n_process)
        extraction.append(row)
        timing = f"{row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} {row['words_per_s']:>9}"
        print(f"{n_process:>9} {timing} {row['mentions']:>9}")
    facets = time_facets(args.corpus, args.index_dir) if args.index_dir else []
    for row in facets:
        print(f"facets {row['query']!r:<40} median {row['median_ms']:>6.1f} ms  max {row['max_ms']:>6.1f} ms")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"extraction": extraction, "facets": facets}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
