"""Plot how Broadsheet grows with the corpus, from the JSON that the benchmarks wrote.

.venv/bin/python bench/plot.py [RESULTS_DIR] [bench/results/growth.png]

Reads latest.json (bench/run.py), and where they exist entity_facets.json (bench/entity_facets.py)
and tui_latency.json (bench/tui_latency.py) from RESULTS_DIR (default bench/results).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[1]


def plot(results: list[dict], facets: list[dict], tui: list[dict], out: Path) -> None:
    results = sorted(results, key=lambda r: r["articles"])
    sizes = [r["articles"] for r in results]
    figure, axes = plt.subplots(1, 4, figsize=(20, 4.5))
    axes[0].plot(sizes, [r["articles_per_s"] for r in results], "o-", label="Broadsheet (Whoosh)")
    compared = [r for r in results if r.get("tantivy")]  # the 1M run may stop before tantivy
    axes[0].plot(
        [r["articles"] for r in compared],
        [r["tantivy"]["articles_per_s"] for r in compared],
        "s--",
        label="tantivy",
    )
    axes[0].set(title="Indexing throughput", ylabel="articles/s", yscale="log")
    for stat, style in (("median_ms", "o-"), ("p95_ms", "^-")):
        axes[1].plot(sizes, [r["all_queries"][stat] for r in results], style, label=f"Broadsheet {stat[:-3]}")
    axes[1].plot(
        [r["articles"] for r in compared],
        [sorted(q["median_ms"] for q in r["tantivy"]["queries"].values())[2] for r in compared],
        "s--",
        label="tantivy median",
    )
    axes[1].axhline(50, color="grey", linestyle=":", label="target p95 (50 ms)")
    axes[1].set(title="Query latency, all kinds, top 10 with highlights", ylabel="ms", yscale="log")
    axes[2].plot(sizes, [r["index_mb"] for r in results], "o-", label="index")
    axes[2].plot(sizes, [r["corpus_mb"] for r in results], "s--", label="corpus text")
    # Private memory (RssAnon): RSS also counts the index's mapped pages, which are page cache.
    for key, label, style in (
        ("peak_private_mb", "peak private memory, indexing", "^-"),
        ("search_peak_private_mb", "peak private memory, searching", "v-"),
    ):
        points = [(r["articles"], r[key]) for r in results if r.get(key)]
        if points:
            x, y = zip(*points, strict=True)
            axes[2].plot(x, y, style, label=label)
    axes[2].set(title="Size and memory", ylabel="MB", yscale="log")
    _plot_interactive(axes[3], results, facets, tui)
    for ax in axes:
        ax.set(xscale="log", xlabel="articles")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out, dpi=110)


def _plot_interactive(ax, results: list[dict], facets: list[dict], tui: list[dict]) -> None:
    """What a user waits for in the explorer: first frame, Enter to results, facets."""
    facet_points = [(r["articles"], r["facets"]["median_ms"]) for r in results if r.get("facets")]
    facet_points += [(r["articles"], r["all"]["median_ms"]) for r in facets]
    series = {
        "first frame (median)": [
            (r["articles"], r["first_frame"]["median_ms"]) for r in tui if r.get("first_frame")
        ],
        "Enter → results (median)": [(r["articles"], r["enter_to_results"]["median_ms"]) for r in tui],
        "Enter → results (p95)": [(r["articles"], r["enter_to_results"]["p95_ms"]) for r in tui],
        "facets of a query (median)": facet_points,
    }
    for (label, points), style in zip(series.items(), ("o-", "^-", "v:", "s--"), strict=True):
        if points:
            x, y = zip(*sorted(points), strict=True)
            ax.plot(x, y, style, label=label)
    ax.axhline(1000, color="grey", linestyle=":", label="first frame target (1 s)")
    ax.set(title="The explorer", ylabel="ms", yscale="log")


def _rows(path: Path) -> list[dict]:
    return json.loads(path.read_text())["results"] if path.exists() else []


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else folder / "growth.png"
    plot(
        _rows(folder / "latest.json"),
        _rows(folder / "entity_facets.json"),
        _rows(folder / "tui_latency.json"),
        out,
    )
    print(f"plot written to {out}")


if __name__ == "__main__":
    main()
