"""Entity facets at scale: the entity phase and facet time on the synthetic corpora.

    .venv/bin/python bench/entity_facets.py --sizes 10000 [--repeats 20]   # one size per run: own peak memory

The spaCy model would need about 1.7 hours for 100,000 articles on two cores, so the entity phase
here runs with a *lookup extractor*: every surface form the real extractor (model + rules) found
in the BBC articles, with the label it voted for, matched word-aligned in the synthetic text.
The synthetic articles are made of BBC sentences, so they get about the entity density the model
would give them. Everything after extraction is Broadsheet's own code, unchanged: clean-up,
corpus-wide resolution, the entity database, the index rewrite and the facet queries.

The surface forms come from the BBC entity database that ``bench/run.py --sizes bbc --entities``
leaves in ``--work``. The synthetic corpora and their indexes are the ones ``bench/run.py`` built
there. Writes bench/results/entity_facets.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.memory import PeakMemory  # noqa: E402
from bench.rows import row_key, save_rows, stamp  # noqa: E402
from bench.run import FACET_QUERIES, percentile  # noqa: E402
from index import Library  # noqa: E402
from index.entities.extractor import RawSpan  # noqa: E402
from index.entities.phase import run_entity_phase  # noqa: E402
from index.entities.store import DB_NAME  # noqa: E402

MEMORY = PeakMemory()
"""Peaks of this process so far: run one size per process for a size's own peak."""

TOKEN = re.compile(r"\w+|[^\w\s]")
LONGEST = 6
"""The most tokens a surface form may span."""


class LookupExtractor:
    """Finds, word-aligned and longest first, the surface forms another extractor found elsewhere."""

    name = "bench-lookup"

    def __init__(self, surfaces: dict[str, str]) -> None:
        self.surfaces = surfaces

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        for text in texts:
            tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
            spans, i = [], 0
            while i < len(tokens):
                for j in range(min(len(tokens), i + LONGEST) - 1, i - 1, -1):
                    label = self.surfaces.get(text[tokens[i][0] : tokens[j][1]])
                    if label is not None:
                        spans.append(RawSpan(tokens[i][0], tokens[j][1], label))
                        i = j
                        break
                i += 1
            yield spans


def bbc_surfaces(entity_db: Path) -> dict[str, str]:
    """Each surface form of the BBC entity database with the label most of its mentions voted."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    with sqlite3.connect(f"file:{entity_db}?mode=ro", uri=True) as conn:
        for text, vote, count in conn.execute(
            "SELECT text, vote, COUNT(*) FROM mentions GROUP BY text, vote"
        ):
            votes[text][vote] += count
    return {text: counter.most_common(1)[0][0] for text, counter in votes.items()}


def bench_size(
    work: Path, size: int, surfaces: dict[str, str], repeats: int, previous: dict | None, engine: str
) -> dict:
    """Measure one size. An index whose entities were analysed by an earlier run is not analysed
    again (the phase is incremental): its row keeps that run's phase figures and says when."""
    name = f"syn{size // 1000}k"
    suffix = "" if engine == "whoosh" else f"-{engine}"
    corpus, index_dir = work / f"syn-{size}", work / f"index-{name}{suffix}"
    if not (index_dir / engine).is_dir():
        build = f"bench/run.py --sizes {size} --engines {engine}"
        raise SystemExit(f"No {engine} index in {index_dir}: run {build} first.")
    with Library.open(corpus, index_dir=index_dir) as library:
        started = time.perf_counter()
        analysed = run_entity_phase(library.engine, index_dir / DB_NAME, extractor=LookupExtractor(surfaces))
        phase_seconds = time.perf_counter() - started
        started = time.perf_counter()
        library.facets("*")
        first = time.perf_counter() - started
        runs: dict[str, list[float]] = {query: [] for query in FACET_QUERIES}
        for _ in range(repeats):
            for query in FACET_QUERIES:
                library.forget_answers()  # the matching set read again each time, as a new search does
                started = time.perf_counter()
                library.facets(query)
                runs[query].append(time.perf_counter() - started)
        matches = {query: library.search(query, limit=1).total for query in FACET_QUERIES}
        top = [(facet.canonical, facet.label, facet.articles) for facet in library.facets("*")[:5]]
    every = [t for values in runs.values() for t in values]
    phase = {"analysed": analysed, "entity_phase_seconds": phase_seconds, "entity_phase_measured": None}
    if analysed == 0 and previous is not None and previous.get("analysed"):
        phase = {
            "analysed": previous["analysed"],
            "entity_phase_seconds": previous["entity_phase_seconds"],
            "entity_phase_measured": previous.get("entity_phase_measured") or previous["measured"],
        }
    return stamp(
        {
            "corpus": name,
            "engine": engine,
            "articles": size,
            **phase,
            "first_facets_ms": first * 1000,
            "facets": {
                query: {
                    "matches": matches[query],
                    "median_ms": statistics.median(values) * 1000,
                    "p95_ms": percentile(values, 0.95) * 1000,
                }
                for query, values in runs.items()
            },
            "all": {"median_ms": statistics.median(every) * 1000, "p95_ms": percentile(every, 0.95) * 1000},
            "top": top,
            "peak_rss_mb": MEMORY.total_mb(),
            "peak_private_mb": MEMORY.private_mb(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "entity_facets.json")
    parser.add_argument("--engine", default="whoosh", help="the engine of the synthetic indexes")
    args = parser.parse_args()
    entity_db = args.work / "index-bbc" / "entities.sqlite"
    if not entity_db.is_file():
        raise SystemExit(
            f"No BBC entity database at {entity_db}: run bench/run.py --sizes bbc --entities first."
        )
    surfaces = bbc_surfaces(entity_db)
    print(f"{len(surfaces):,} surface forms from {entity_db}")
    earlier = json.loads(args.out.read_text())["results"] if args.out.exists() else []
    earlier_rows = {row_key(row): row for row in earlier}
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        previous = earlier_rows.get((f"syn{size // 1000}k", args.engine))
        result = bench_size(args.work, size, surfaces, args.repeats, previous, args.engine)
        results.append(result)
        print(
            f"{result['corpus']} ({args.engine}): entity phase {result['entity_phase_seconds']:.1f} s for "
            f"{result['analysed']:,} articles; first facets {result['first_facets_ms']:.0f} ms"
        )
        if result["entity_phase_measured"]:
            print(f"  (entities were already analysed: phase figures from {result['entity_phase_measured']})")
        for query, stats in result["facets"].items():
            print(
                f"  facets of {query!r} ({stats['matches']:,} matches): "
                f"median {stats['median_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms"
            )
        save_rows(args.out, [result])
    print(f"JSON written to {args.out}")


if __name__ == "__main__":
    main()
