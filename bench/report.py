"""The tables of bench/README.md, in Markdown, from the JSON the benchmarks wrote.

.venv/bin/python bench/report.py [RESULTS_DIR] [--readme bench/README.md]

Reads latest.json (bench/run.py), entity_facets.json (bench/entity_facets.py) and tui_latency.json
(bench/tui_latency.py); a size a file has no row for shows as "–". Printing the tables from the
results, instead of copying figures by hand, keeps the README and the JSON in agreement.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import QUERIES  # noqa: E402

NONE = "–"


def _rows(path: Path) -> list[dict]:
    return json.loads(path.read_text())["results"] if path.exists() else []


def _label(row: dict) -> str:
    return "BBC" if row["corpus"] == "bbc" else f"{row['articles']:,}"


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return NONE
    return f"{value:,.{digits}f}" if digits or value >= 10 or value == 0 else f"{value:,.1f}"


def _ms(stats: dict | None) -> str:
    if not stats:
        return NONE
    return f"{_number(stats['median_ms'], 1 if stats['median_ms'] < 10 else 0)} [{_number(stats['p95_ms'])}]"


def _when(row: dict) -> str:
    """When a row was measured, and the load average then (rows from before these were kept: "–")."""
    return f"{row.get('measured', NONE)} ({row.get('load_average', NONE)})"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def scale_table(results: list[dict]) -> str:
    results = sorted(results, key=lambda r: r["articles"])

    def row(label: str, cell) -> list[str]:
        return [label, *(cell(r) for r in results)]

    def tantivy(r: dict, label: str) -> str:
        return _ms((r.get("tantivy") or {}).get("queries", {}).get(label))

    lines = [
        row("measured (load average)", _when),
        row("index: articles/s", lambda r: _number(r["articles_per_s"])),
        row("index: seconds", lambda r: _number(r["index_seconds"], 1)),
        row("re-index, nothing changed: s", lambda r: _number(r["reindex_unchanged_seconds"], 2)),
        row("entity phase (spaCy): s", lambda r: _number(r.get("entity_seconds"), 1)),
        row(
            "index size MB (corpus MB)", lambda r: f"{_number(r['index_mb'])} ({_number(r.get('corpus_mb'))})"
        ),
        row(
            "indexing: peak private MB (RSS)",
            lambda r: f"{_number(r.get('peak_private_mb'))} ({_number(r['peak_rss_mb'])})",
        ),
        row(
            "searching: peak private MB (RSS)",
            lambda r: f"{_number(r.get('search_peak_private_mb'))} ({_number(r.get('search_peak_rss_mb'))})",
        ),
    ]
    lines += [
        row(f"{label} `{query}`", lambda r, label=label: _ms(r["queries"].get(label)))
        for label, query in QUERIES.items()
    ]
    lines += [
        row("**all kinds**", lambda r: _ms(r["all_queries"])),
        row("facets of a query (entities analysed)", lambda r: _ms(r.get("facets"))),
        row("tantivy: index articles/s", lambda r: _number((r.get("tantivy") or {}).get("articles_per_s"))),
        row("tantivy: single term", lambda r: tantivy(r, "single term")),
        row("tantivy: phrase", lambda r: tantivy(r, "phrase")),
        row("ripgrep: single term", lambda r: _ms((r.get("ripgrep") or {}).get("single term"))),
        row("ripgrep: phrase", lambda r: _ms((r.get("ripgrep") or {}).get("phrase"))),
    ]
    return _table(["measure", *(_label(r) for r in results)], lines)


def facets_table(results: list[dict]) -> str:
    results = sorted(results, key=lambda r: r["articles"])
    queries = list(results[0]["facets"]) if results else []

    def phase(r: dict) -> str:
        seconds = _number(r["entity_phase_seconds"])
        when = r.get("entity_phase_measured")
        return f"{seconds} (run of {when})" if when else seconds

    lines = [
        ["measured (load average)", *(_when(r) for r in results)],
        ["entity phase (lookup extractor): s", *(phase(r) for r in results)],
        ["first facets after opening: ms", *(_number(r["first_facets_ms"]) for r in results)],
    ]
    lines += [
        [
            f"facets of `{query}`: ms",
            *(f"{_ms(r['facets'][query])}, {r['facets'][query]['matches']:,} matches" for r in results),
        ]
        for query in queries
    ]
    lines.append(
        [
            "peak private MB (RSS)",
            *(f"{_number(r.get('peak_private_mb'))} ({_number(r.get('peak_rss_mb'))})" for r in results),
        ]
    )
    return _table(["", *(_label(r) for r in results)], lines)


def tui_table(results: list[dict]) -> str:
    results = sorted(results, key=lambda r: r["articles"])
    kinds = {
        "first painted frame": "first_frame",
        "first results on screen": "first_results",
        "Enter → results": "enter_to_results",
        "Enter → repainted": "enter_to_repaint",
    }
    lines = [["measured (load average)", *(_when(r) for r in results)]]
    lines += [[label, *(_ms(r.get(key)) for r in results)] for label, key in kinds.items()]
    return _table(["median [p95] ms", *(_label(r) for r in results)], lines)


START, END = "<!-- report:start -->", "<!-- report:end -->"
"""bench/README.md's generated part lies between these lines."""


def report(folder: Path) -> str:
    return "\n".join(
        [
            "#### Index and search (`bench/run.py`)\n",
            scale_table(_rows(folder / "latest.json")),
            "\n#### Entity facets (`bench/entity_facets.py`)\n",
            facets_table(_rows(folder / "entity_facets.json")),
            "\n#### The explorer (`bench/tui_latency.py`)\n",
            tui_table(_rows(folder / "tui_latency.json")),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--readme", type=Path, help="replace the tables between the report markers of this file"
    )
    args = parser.parse_args()
    tables = report(args.results)
    if args.readme is None:
        print(tables)
        return
    text = args.readme.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{args.readme} has no {START} ... {END} section")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    args.readme.write_text(f"{head}{START}\n{tables}\n{END}{tail}")
    print(f"tables written to {args.readme}")


if __name__ == "__main__":
    main()
