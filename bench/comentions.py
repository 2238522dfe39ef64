"""Co-mentions of one entity across a 20,000-article result at 100,000 articles (issue 14: < 200 ms).

    .venv/bin/python bench/comentions.py [--repeats 20] [--index-dirs index-syn100k,index-syn100k-tantivy]

Runs over the synthetic corpus and indexes that ``bench/run.py`` built in ``--work``, whose entities
``bench/entity_facets.py`` analysed (an index without an entity database is reported and skipped).
The query is ``election`` (19,819 of the 100,000 articles) and the entity ``--entity``. Per index, in
one run, interleaved: the facets of the same result (the reference: what the sidebar asks for the
same articles), the co-mentions as the explorer asks for them right after (the result's matching set
is kept by the library), the same with the matching set read again (``Library.forget_answers``), and
the way the timeline was first drawn, by a second search (the month histogram of the result narrowed
to the entity), which the dates of the counted articles replaced. Writes bench/results/comentions.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.rows import save_rows, stamp  # noqa: E402
from bench.run import percentile  # noqa: E402
from index import EntityFilter, Library, Query  # noqa: E402
from index.entities.store import DB_NAME  # noqa: E402

QUERY = "election"
SIZE = 100_000


def timed(runs: list[float], call: Callable[[], object]) -> None:
    started = time.perf_counter()
    call()
    runs.append(time.perf_counter() - started)


def bench_index(library: Library, entity: EntityFilter, repeats: int) -> dict:
    narrowed = Query(QUERY, (entity,))
    runs: dict[str, list[float]] = {
        "facets": [],
        "comentions": [],
        "comentions_cold": [],
        "second_search": [],
    }
    library.comentions(QUERY, entity)  # the facet index and the numbering, once per index version
    for _ in range(repeats):
        library.forget_answers()
        timed(runs["facets"], lambda: library.facets(QUERY))
        timed(runs["comentions"], lambda: library.comentions(QUERY, entity))
        library.forget_answers()
        timed(runs["comentions_cold"], lambda: library.comentions(QUERY, entity))
        timed(runs["second_search"], lambda: library.date_histogram(narrowed))
    found = library.comentions(QUERY, entity, limit=5)
    return {
        "matches": library.search(QUERY, limit=1).total,
        "entity": {"canonical": entity.canonical, "label": entity.label},
        "entity_articles": found.articles,
        "periods": len(found.timeline),
        "top": [(facet.canonical, facet.label, facet.articles) for facet in found.comentioned],
        **{
            name: {"median_ms": statistics.median(values) * 1000, "p95_ms": percentile(values, 0.95) * 1000}
            for name, values in runs.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    parser.add_argument("--index-dirs", default="index-syn100k,index-syn100k-tantivy")
    parser.add_argument("--entity", default="Tony Blair", help="a PERSON of the corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "comentions.json")
    args = parser.parse_args()
    corpus = args.work / f"syn-{SIZE}"
    entity = EntityFilter("PERSON", args.entity)
    rows, lines = [], []
    for name in args.index_dirs.split(","):
        index_dir = Path(name) if Path(name).is_absolute() else args.work / name
        if not (index_dir / DB_NAME).is_file():
            print(f"{index_dir}: no entity database (run bench/entity_facets.py on it first); skipped")
            continue
        with Library.open(corpus, index_dir=index_dir) as library:
            row = stamp({"corpus": "syn100k", "articles": SIZE, "engine": library.engine_name})
            row.update(bench_index(library, entity, args.repeats))
        rows.append(row)
        lines.append(row)
    header = (
        "index",
        "matches",
        "entity in",
        "facets",
        "co-mentions",
        "co-mentions, cold",
        "timeline by a 2nd search",
    )
    print(" | ".join(header))
    for row in lines:
        cells = [
            f"{row[key]['median_ms']:.0f} [{row[key]['p95_ms']:.0f}]"
            for key in ("facets", "comentions", "comentions_cold", "second_search")
        ]
        print(" | ".join([row["engine"], f"{row['matches']:,}", f"{row['entity_articles']:,}", *cells]))
    print(
        f"median [p95] ms over {args.repeats} runs; load average {lines[0]['load_average'] if lines else '-'}"
    )
    save_rows(args.out, rows, query=QUERY)
    print(f"JSON written to {args.out}")


if __name__ == "__main__":
    main()
