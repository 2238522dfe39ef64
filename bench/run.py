"""Broadsheet benchmark: indexing throughput, query latency, index size and peak memory,
with ripgrep and tantivy measured side by side in the same run.

    .venv/bin/python bench/run.py                      # BBC + 100,000 synthetic articles, both engines
    .venv/bin/python bench/run.py --sizes bbc,10000    # quicker
    .venv/bin/python bench/run.py --engines tantivy    # one engine

Prints a table and updates bench/results/latest.json: each corpus measured replaces its own row,
so a 1M run can be added to an earlier run of the smaller sizes (each row says when it was
measured). Synthetic corpora are built from the BBC set under --work (default: a folder in /tmp),
never inside the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus as synthetic  # noqa: E402
from bench.references import ripgrep_latencies, tantivy_build, tantivy_latencies  # noqa: E402
from bench.rows import row_key, save_rows, stamp  # noqa: E402

QUERIES: dict[str, str] = {
    "single term": "election",
    "AND": "economy growth",
    "phrase": '"prime minister"',
    "wildcard": "champion*",
    "fuzzy": "goverment~",
    "NOT": "film NOT award",
    "title field": "title:chelsea",
    "entity filter": "person:blair",
    "date range": "date:[2005-01-01 to 2005-03-31]",
}
"""The fixed query set: one of each kind the query language offers."""

FACET_QUERIES = ("*", "election", "economy growth")
"""Queries whose entity facets are timed (on corpora whose entities were extracted)."""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {"median_ms": statistics.median(values) * 1000, "p95_ms": percentile(values, 0.95) * 1000}


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, tuple[int, int | None], str]:
    """Run a Python child that prints its peak RSS and peak private memory (MB) last; return
    (wall s, (peak RSS, peak private), stdout)."""
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{proc.stderr}")
    total, private = proc.stdout.strip().splitlines()[-1].split()
    return elapsed, (int(total), None if private == "None" else int(private)), proc.stdout


INDEX_CHILD = """
import sys
from pathlib import Path
from bench.memory import PeakMemory
memory = PeakMemory()
from index import Library
lib = Library.open(Path(sys.argv[1]), index_dir=Path(sys.argv[2]), engine=sys.argv[4])
report = lib.sync()
if sys.argv[3] == "entities":
    lib.extract_entities()
print(report.added, report.updated, report.removed, report.unchanged, len(report.skipped))
print(memory.total_mb(), memory.private_mb())
"""


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


QUERY_CHILD = """
import json, sys, time
from pathlib import Path
from bench.memory import PeakMemory
memory = PeakMemory()
from bench.run import FACET_QUERIES, QUERIES
from index import Library
corpus, index_dir = Path(sys.argv[1]), Path(sys.argv[2])
repeats, facets = int(sys.argv[3]), sys.argv[4] == "facets"
library = Library.open(corpus, index_dir=index_dir, engine=sys.argv[5])
library.search("warm up", limit=10)
timings = {}
for label, query in QUERIES.items():
    runs = []
    for _ in range(repeats):
        library.forget_answers()  # the engine's time, not the kept page's
        start = time.perf_counter()
        library.search(query, limit=10)
        runs.append(time.perf_counter() - start)
    timings[label] = runs
facet_runs = []
for _ in range(repeats if facets else 0):
    for query in FACET_QUERIES:
        library.forget_answers()
        start = time.perf_counter()
        library.facets(query)
        facet_runs.append(time.perf_counter() - start)
top_ten = {label: [hit.id for hit in library.search(q, limit=10).hits] for label, q in QUERIES.items()}
totals = {label: library.search(query, limit=1).total for label, query in QUERIES.items()}
peaks = {"peak_mb": memory.total_mb(), "private_mb": memory.private_mb()}
print(json.dumps({"timings": timings, "facets": facet_runs, "top_ten": top_ten, "totals": totals, **peaks}))
"""


def bench_corpus(
    name: str,
    corpus: Path,
    work: Path,
    repeats: int,
    entities: bool,
    save,
    previous: dict | None,
    engine: str,
    references: bool,
) -> dict:
    """Measure one corpus; ``save(result)`` runs once Broadsheet's figures are in, and again at the end.

    With ``previous`` (``--queries-only``), the index is not rebuilt: its figures are kept from that
    row and only the queries are measured again, with the code as it is now.
    """
    index_dir = work / (f"index-{name}" if engine == "whoosh" else f"index-{name}-{engine}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if previous is None:
        shutil.rmtree(index_dir, ignore_errors=True)
        child = [sys.executable, "-c", INDEX_CHILD, str(corpus), str(index_dir)]
        elapsed, (peak_mb, private_mb), out = run_child([*child, "text", engine], env)
        added = int(out.split()[0])
        again, _, _ = run_child([*child, "text", engine], env)
        entity_seconds = None
        if entities:
            entity_seconds, (entity_peak, entity_private), _ = run_child([*child, "entities", engine], env)
            peak_mb = max(peak_mb, entity_peak)
            private_mb = max(private_mb or 0, entity_private or 0) or None
        result = {
            "corpus": name,
            "engine": engine,
            "articles": added,
            "index_seconds": elapsed,
            "articles_per_s": added / elapsed,
            "reindex_unchanged_seconds": again,
            "entity_seconds": entity_seconds,
            "index_mb": folder_mb(index_dir),
            "corpus_mb": folder_mb(corpus),
            "peak_rss_mb": peak_mb,
            "peak_private_mb": private_mb,
            "tantivy": None,
            "ripgrep": None,
        }
    else:
        result = dict(previous)
    facets = entities or (previous is not None and previous.get("facets") is not None)
    arguments = [str(corpus), str(index_dir), str(repeats), "facets" if facets else "-", engine]
    done = subprocess.run(
        [sys.executable, "-c", QUERY_CHILD, *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"queries on {name} failed:\n{done.stderr}")
    measured = json.loads(done.stdout)
    query_timings = measured["timings"]
    all_runs = [t for runs in query_timings.values() for t in runs]
    result = stamp(result)
    result.update(
        {
            "search_peak_rss_mb": measured["peak_mb"],
            "search_peak_private_mb": measured["private_mb"],
            "queries": {label: summary_ms(runs) for label, runs in query_timings.items()},
            "all_queries": summary_ms(all_runs),
            "facets": summary_ms(measured["facets"]) if measured["facets"] else None,
            "top_ten": measured["top_ten"],
            "totals": measured["totals"],
        }
    )
    save(result)
    if previous is not None or not references:
        return result

    docs = _docs_for_tantivy(corpus)
    tantivy_index, tantivy_seconds, tantivy_count = tantivy_build(docs, work / f"tantivy-{name}")
    tantivy_runs = tantivy_latencies(tantivy_index, repeats)
    rg_runs = ripgrep_latencies(corpus, max(3, repeats // 10))
    result["tantivy"] = {
        "index_seconds": tantivy_seconds,
        "articles_per_s": tantivy_count / tantivy_seconds,
        "queries": {label: summary_ms(runs) for label, runs in tantivy_runs.items()},
    }
    if rg_runs is not None:
        result["ripgrep"] = {label: summary_ms(runs) for label, runs in rg_runs.items()}
    save(result)
    return result


def _docs_for_tantivy(corpus: Path):
    from index.ingest import CorpusFile, discover, read_file

    for item in discover(corpus):
        if isinstance(item, CorpusFile):
            for article in read_file(item).articles:
                yield article.id, article.title, article.body


def agreement(results: list[dict]) -> dict[str, dict[str, float | bool]]:
    """Per corpus measured with both engines: do the totals agree on every query, and how much of
    each top ten is shared (mean over the query set; the two BM25s normalise lengths differently)."""
    by_corpus: dict[str, dict[str, dict]] = {}
    for result in results:
        by_corpus.setdefault(result["corpus"], {})[result.get("engine", "whoosh")] = result
    agreed = {}
    for corpus, engines in by_corpus.items():
        whoosh, tantivy = engines.get("whoosh"), engines.get("tantivy")
        if not whoosh or not tantivy or "top_ten" not in whoosh or "top_ten" not in tantivy:
            continue
        overlaps = [
            len(set(whoosh["top_ten"][label]) & set(tantivy["top_ten"][label]))
            / max(1, len(whoosh["top_ten"][label]))
            for label in QUERIES
        ]
        agreed[corpus] = {
            "same_totals": whoosh["totals"] == tantivy["totals"],
            "top_ten_overlap": statistics.mean(overlaps),
        }
    return agreed


def print_table(results: list[dict], console: Console) -> None:
    table = Table(title="Broadsheet benchmark (medians; p95 in brackets; ms unless stated)")
    table.add_column("measure")
    for result in results:
        engine = result.get("engine", "whoosh")
        table.add_column(f"{result['corpus']} ({result['articles']:,}) {engine}", justify="right")

    def row(label: str, cell) -> None:
        table.add_row(label, *[cell(r) for r in results])

    row("index: articles/s", lambda r: f"{r['articles_per_s']:,.0f}")
    row("index: seconds", lambda r: f"{r['index_seconds']:.1f}")
    row("re-index unchanged: s", lambda r: f"{r['reindex_unchanged_seconds']:.2f}")
    row("entities: s", lambda r: "-" if r["entity_seconds"] is None else f"{r['entity_seconds']:.1f}")
    row("index size: MB (corpus MB)", lambda r: f"{r['index_mb']:.0f} ({r['corpus_mb']:.0f})")
    row("peak RSS (private) indexing: MB", lambda r: f"{r['peak_rss_mb']} ({r.get('peak_private_mb')})")
    row(
        "peak RSS (private) searching: MB",
        lambda r: f"{r['search_peak_rss_mb']} ({r.get('search_peak_private_mb')})",
    )

    def latency(stats: dict[str, float]) -> str:
        return f"{stats['median_ms']:.1f} [{stats['p95_ms']:.1f}]"

    for label in QUERIES:
        row(f"query {label}", lambda r, k=label: latency(r["queries"][k]))
    row("query: all kinds", lambda r: latency(r["all_queries"]))
    row("facets", lambda r: "-" if r["facets"] is None else latency(r["facets"]))
    row(
        "bare tantivy index: articles/s",
        lambda r: "-" if not r.get("tantivy") else f"{r['tantivy']['articles_per_s']:,.0f}",
    )
    for label in ("single term", "phrase"):
        row(
            f"bare tantivy {label}",
            lambda r, k=label: (
                "-" if not r.get("tantivy") else f"{r['tantivy']['queries'][k]['median_ms']:.2f}"
            ),
        )
        row(
            f"ripgrep {label}",
            lambda r, k=label: "-" if not r.get("ripgrep") else f"{r['ripgrep'][k]['median_ms']:.0f}",
        )
    console.print(table)
    for corpus, agreed in agreement(results).items():
        console.print(
            f"{corpus}: whoosh and tantivy totals "
            f"{'agree' if agreed['same_totals'] else 'DIFFER'} on every query; "
            f"top-ten overlap {agreed['top_ten_overlap']:.0%} (mean over the query set)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description="Broadsheet benchmark")
    parser.add_argument("--sizes", default="bbc,100000", help="comma list: bbc and/or article counts")
    parser.add_argument("--repeats", type=int, default=30, help="runs of each query")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--entities", action="store_true", help="time the entity phase (BBC only)")
    parser.add_argument("--engines", default="whoosh,tantivy", help="comma list of engines to measure")
    parser.add_argument(
        "--no-references", action="store_true", help="skip the bare tantivy and ripgrep reference runs"
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="measure the queries again on the indexes of an earlier run, keeping its other figures",
    )
    args = parser.parse_args()
    earlier = json.loads(args.out.read_text())["results"] if args.out.exists() else []
    earlier_rows = {row_key(row): row for row in earlier}
    args.work.mkdir(parents=True, exist_ok=True)
    console = Console()
    results: list[dict] = []

    def save(result: dict) -> None:
        """Replace this corpus's row in ``--out``, keeping rows of sizes this run did not measure."""
        machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
        save_rows(args.out, [result], machine=machine)

    for size in args.sizes.split(","):
        if size == "bbc":
            name, corpus = "bbc", synthetic.BBC_DIR
        else:
            name, corpus = f"syn{int(size) // 1000}k", synthetic.build(args.work / f"syn-{size}", int(size))
        console.print(f"[bold]{name}[/]: {corpus}")
        for number, engine in enumerate(args.engines.split(",")):
            entities = args.entities and size == "bbc"
            previous = earlier_rows.get((name, engine)) if args.queries_only else None
            if args.queries_only and previous is None:
                raise SystemExit(f"--queries-only: {args.out} has no row for {name} with {engine}")
            references = number == 0 and not args.no_references  # the references once per corpus
            results.append(
                bench_corpus(
                    name, corpus, args.work, args.repeats, entities, save, previous, engine, references
                )
            )
    print_table(results, console)
    console.print(f"JSON written to {args.out} (rows of other sizes kept)")


if __name__ == "__main__":
    main()
