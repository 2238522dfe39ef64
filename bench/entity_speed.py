"""Entity extraction throughput over the BBC corpus, and facet latency on an entity-indexed library.

Usage: python bench/entity_speed.py [--corpus ../shared/corpora/bbc] [--modes serial workers spacy2]
                                    [--limit N] [--index-dir DIR]

Part 1 reads every article with ``index.ingest`` and times the full extraction (model + rules +
per-article normalisation) in each mode: ``serial`` (one process, what small runs use),
``workers`` (two spawned worker processes returning spans, what the entity phase uses for 1000+
articles) and ``spacy2`` (spaCy's own ``nlp.pipe(n_process=2)``, for reference). It reports wall
and CPU seconds (this process and its workers, start-up included) and words per second; the load
average is printed too, since other processes on the machine slow every mode down.
Part 2 (with ``--index-dir``, an index whose entity phase has run) times ``Library.facets`` for a
few queries: median and worst of 5 runs each.
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

from index.entities.extractor import CombinedExtractor, Extractor  # noqa: E402
from index.entities.normalise import clean_mentions  # noqa: E402
from index.entities.parallel import ParallelExtractor  # noqa: E402
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


def extractor_for(mode: str) -> Extractor:
    if mode == "workers":
        return ParallelExtractor(DEFAULT_MODEL, "workers", processes=2)
    model = SpacyExtractor(DEFAULT_MODEL, n_process=2 if mode == "spacy2" else 1)
    model.load()
    return CombinedExtractor(model, RuleExtractor())


def time_extraction(bodies: list[str], mode: str) -> dict[str, object]:
    extractor = extractor_for(mode)
    cpu_before, started = os.times(), time.perf_counter()
    mentions = sum(len(clean_mentions(b, s)) for b, s in zip(bodies, extractor.extract(bodies), strict=True))
    wall, cpu_after = time.perf_counter() - started, os.times()
    fields = ("user", "system", "children_user", "children_system")
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in fields)
    words = sum(len(body.split()) for body in bodies)
    return {
        "mode": mode,
        "load_average_1min": round(os.getloadavg()[0], 2),
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
    parser.add_argument(
        "--modes", nargs="*", choices=("serial", "workers", "spacy2"), default=["serial", "workers"]
    )
    parser.add_argument("--limit", type=int, help="Only the first N articles.")
    parser.add_argument("--index-dir", type=Path, help="An entity-indexed library of the corpus, for facets.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_speed.json")
    args = parser.parse_args()

    bodies = read_bodies(args.corpus, args.limit)
    print(f"{len(bodies)} articles, {sum(len(b.split()) for b in bodies)} words, {os.cpu_count()} CPUs")
    print(f"{'mode':>9} {'wall s':>8} {'cpu s':>8} {'words/s':>9} {'mentions':>9} {'load':>5}")
    extraction = []
    for mode in args.modes:
        row = time_extraction(bodies, mode)
        extraction.append(row)
        timing = f"{row['wall_s']:>8.1f} {row['cpu_s']:>8.1f} {row['words_per_s']:>9}"
        print(f"{mode:>9} {timing} {row['mentions']:>9} {row['load_average_1min']:>5}")
    facets = time_facets(args.corpus, args.index_dir) if args.index_dir else []
    for row in facets:
        print(f"facets {row['query']!r:<40} median {row['median_ms']:>6.1f} ms  max {row['max_ms']:>6.1f} ms")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"extraction": extraction, "facets": facets}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
