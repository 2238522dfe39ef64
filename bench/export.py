"""``broadsheet export`` at 100,000 articles: rows per second and peak memory, per engine and format.

    python -m bench.export [--work /tmp/broadsheet-bench] [--queries '*' said] [--formats csv jsonl]
                           [--engines whoosh tantivy] [--naive '*'] [--json bench/results/export.json]

Each export runs in a child process of its own (its own peak memory) over the synthetic corpus
``syn-100000`` and its two indexes (``index-syn100k``, Whoosh; ``index-syn100k-tantivy``), written
to a file in a temporary folder. Memory is sampled as in ``bench.memory``: the peak of private memory
(``RssAnon``) and of RSS (mapped index pages included), and the private memory once the export is
made (its first page read), so that the growth over the whole export shows whether rows are held.
The reference, for the query given to ``--naive`` (default ``*``; ``--naive ''`` for none): the
same rows from one ``search`` of every hit, held in a list and then written, as an export that does
not stream would do (CSV; with snippets, as ``search`` always makes them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INDEXES = {"whoosh": "index-syn100k", "tantivy": "index-syn100k-tantivy"}
CORPUS = "syn-100000"
REPO = Path(__file__).resolve().parents[1]

CHILD = """
import io, json, sys, time
from pathlib import Path
from bench.memory import PeakMemory
memory = PeakMemory()
from index import Library
from index.export import ExportFormat, write_export_file
from index.export.spreadsheet import write_csv
from index.export.header import ExportHeader
from index.export.rows import export_row
import datetime as dt

corpus, index_dir, query, form, out, naive = sys.argv[1:7]
library = Library.open(Path(corpus), index_dir=Path(index_dir))
started = time.perf_counter()
if naive == "naive":
    result = library.search(query, limit=library.count())
    rows = [export_row(hit, None) for hit in result.hits]
    made_mb = memory.private_mb()
    with open(out, "w", encoding="utf-8", newline="") as stream:
        written = write_csv(rows, stream, ExportHeader(result.query, result.total, dt.datetime.now()))
else:
    with library.export(query) as export:
        time.sleep(0.05)  # one sample of the memory with the first page read
        made_mb = memory.private_mb()
        written = write_export_file(export, ExportFormat(form), Path(out))
elapsed = time.perf_counter() - started
time.sleep(0.05)
print(json.dumps({"rows": written, "seconds": elapsed, "made_private_mb": made_mb,
                  "peak_private_mb": memory.private_mb(), "peak_rss_mb": memory.total_mb(),
                  "file_mb": Path(out).stat().st_size / 1e6}))
"""


def run_export(work: Path, engine: str, query: str, form: str, naive: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / f"export.{form}"
        args = [str(work / CORPUS), str(work / INDEXES[engine]), query, form, str(out)]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, *args, "naive" if naive else "stream"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise SystemExit(f"export of {query!r} as {form} with {engine} failed:\n{proc.stderr}")
    measured: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    rows, seconds = measured["rows"], measured["seconds"]
    assert isinstance(rows, int) and isinstance(seconds, float)
    return {"engine": engine, "query": query, "format": "csv (naive)" if naive else form,
            **measured, "rows_per_s": rows / seconds}  # fmt: skip


def print_table(runs: list[dict[str, object]]) -> None:
    print(f"{'engine':8} {'query':8} {'format':12} {'rows':>8} {'rows/s':>8} {'s':>7} "
          f"{'private MB (made → peak)':>25} {'peak RSS MB':>12}")  # fmt: skip
    for run in runs:
        private = f"{run['made_private_mb']} → {run['peak_private_mb']}"
        print(
            f"{run['engine']:8} {run['query']!s:8} {run['format']!s:12} {run['rows']:>8,} "
            f"{run['rows_per_s']:>8,.0f} {run['seconds']:>7.1f} {private:>25} {run['peak_rss_mb']:>12}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/broadsheet-bench"))
    parser.add_argument("--queries", nargs="+", default=["*", "said"])
    parser.add_argument("--formats", nargs="+", default=["csv", "jsonl"])
    parser.add_argument("--engines", nargs="+", default=list(INDEXES))
    parser.add_argument("--naive", default="*", help="the query of the reference: every hit in a list")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "export.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    runs = []
    for engine in args.engines:
        for query in args.queries:
            for form in args.formats:
                runs.append(run_export(args.work, engine, query, form, naive=False))
                print_table(runs[-1:])
            if query == args.naive:
                runs.append(run_export(args.work, engine, query, "csv", naive=True))
                print_table(runs[-1:])
    print()
    print_table(runs)
    args.json.write_text(
        json.dumps(
            {
                "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "corpus": CORPUS,
                "load_before": load_before,
                "load_after": os.getloadavg(),
                "runs": runs,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
