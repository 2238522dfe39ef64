"""TUI latency: start-up to the first painted frame, and from Enter to repainted results.

    .venv/bin/python bench/tui_latency.py                       # BBC + 100,000 synthetic articles
    .venv/bin/python bench/tui_latency.py --sizes bbc --repeats 5

First frame is measured on the real command in a real terminal (tmux): from launching
``python -m tui CORPUS`` to the first screen in the pane, and to the first results. Keystroke
latency is measured in-process with Textual's Pilot on the same index: Enter in the search box to
the results list updated and repainted. Writes bench/results/tui_latency.json and prints a table.
Targets (issue 4): first frame under 1 s, results repainted under 100 ms p95.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus as synthetic  # noqa: E402
from bench.rows import save_rows, stamp  # noqa: E402

QUERIES = [
    "election",
    "economy growth",
    '"prime minister"',
    "champion*",
    "goverment~",
    "film NOT award",
    "title:chelsea",
    "person:blair",
    "date:[2005-01-01 to 2005-03-31]",
    "",
]
"""What a user types; the empty query lists every article newest first."""

STATUS = re.compile(r"[\d,]+ articles? in")


class NoIndexer:
    """Keeps the benchmark's CPU for the UI: the index is built beforehand."""

    def __init__(self, _library: object) -> None:
        pass

    def run(self, emit: object, should_stop: object) -> None:
        return None

    def stop(self) -> None:
        return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def ensure_index(corpus: Path, index_dir: Path, engine: str) -> int:
    """Index ``corpus`` once (text only) and return its article count; an empty index is an error."""
    if not index_dir.exists():
        _index(corpus, index_dir, engine)
    from index.library import Library

    with Library.open(corpus, index_dir=index_dir) as library:
        count = library.count()
    if not count:
        raise RuntimeError(f"{index_dir} holds no articles (an older schema? delete it and run again)")
    return count


def _index(corpus: Path, index_dir: Path, engine: str) -> None:
    command = ["index", str(corpus), "--index-dir", str(index_dir), "--no-entities", "--engine", engine]
    subprocess.run(
        [sys.executable, "-m", "tui", *command],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
    )


TMUX = ["tmux", "-L", f"broadsheet-bench-{os.getpid()}"]
"""A tmux server of our own: nobody else's kill-server can end the measurement."""


def _pane(session: str) -> str:
    return subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
    ).stdout


def _sessions() -> str:
    return subprocess.run([*TMUX, "list-sessions"], capture_output=True, text=True, check=False).stdout


def first_frame(corpus: Path, index_dir: Path, code: Path = ROOT) -> tuple[float, float]:
    """Seconds from launch to the first frame in the pane, and to the first result count, running
    the code of the checkout ``code``."""
    session = f"bench-{uuid.uuid4().hex[:8]}"
    command = f"cd {code} && PYTHONPATH={code} {sys.executable} -m tui {corpus} --index-dir {index_dir}"
    started = time.perf_counter()
    subprocess.run([*TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    frame = results = None
    try:
        while time.perf_counter() - started < 60:
            pane = _pane(session)
            now = time.perf_counter() - started
            if frame is None and "Search (/)" in pane:
                frame = now
            if STATUS.search(pane):
                results = now
                break
            time.sleep(0.005)
        subprocess.run([*TMUX, "send-keys", "-t", session, "q"], check=False)
        quitting = time.perf_counter()
        while time.perf_counter() - quitting < 10 and session in _sessions():
            time.sleep(0.05)  # let the TUI stop its indexer child, or it would load the next run
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True, check=False)
    if frame is None or results is None:
        raise RuntimeError("the TUI never showed its first frame")
    return frame, results


async def keystroke_latencies(corpus: Path, index_dir: Path, repeats: int) -> dict[str, list[float]]:
    """Seconds from Enter to the results list updated, and to the screen repainted (all queries),
    and to the list updated per query (keyed by the query)."""
    from textual.widgets import Input

    from index.library import Library
    from tui.app import BroadsheetApp
    from tui.widgets.results import ResultsList

    shown: list[float] = []
    original_show = ResultsList.show

    def timed_show(self: ResultsList, result: object) -> None:
        original_show(self, result)
        shown.append(time.perf_counter())

    ResultsList.show = timed_show  # type: ignore[method-assign]
    library = Library.open(corpus, index_dir=index_dir)
    app = BroadsheetApp(opener=lambda: library, indexer=NoIndexer)
    updated: list[float] = []
    repainted: list[float] = []
    by_query: dict[str, list[float]] = {query: [] for query in QUERIES}
    async with app.run_test(size=(120, 40)) as pilot:
        while not shown:
            await pilot.pause(0.05)
        for _ in range(repeats):
            for query in QUERIES:
                await pilot.press("slash")
                box = app.screen.query_one(Input)
                box.value = query + " "  # a change the debounce would search; Enter searches at once
                await pilot.pause(0.2)
                box.value = query
                before = len(shown)
                library.forget_answers()  # each round times the engine, not the page kept from the last
                started = time.perf_counter()
                await pilot.press("enter")
                while len(shown) == before:
                    await asyncio.sleep(0.001)
                updated.append(shown[-1] - started)
                by_query[query].append(shown[-1] - started)
                await pilot.pause()
                repainted.append(time.perf_counter() - started)
    ResultsList.show = original_show  # type: ignore[method-assign]
    return {"results_updated": updated, "results_repainted": repainted, **by_query}


def corpora(sizes: list[str], work: Path) -> list[tuple[str, Path]]:
    found = []
    for size in sizes:
        if size == "bbc":
            if synthetic.BBC_DIR.exists():
                found.append(("bbc", synthetic.BBC_DIR))
        else:
            found.append((size, synthetic.build(work / f"syn-{size}", int(size))))
    return found


def bench_index(work: Path, name: str, engine: str) -> Path:
    """The index bench/run.py built for this corpus and engine if there is one (a 300k build takes
    half an hour), else this script's own."""
    run_py_name = name if name == "bbc" else f"syn{int(name) // 1000}k"
    suffix = "" if engine == "whoosh" else f"-{engine}"
    built = work / f"index-{run_py_name}{suffix}"
    return built if (built / engine).is_dir() else work / f"tui-index-{name}{suffix}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bbc,100000", help="comma list: bbc and/or article counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/broadsheet-bench"))
    parser.add_argument("--repeats", type=int, default=3, help="runs per query and start-ups per corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "tui_latency.json")
    parser.add_argument("--engine", default="whoosh", help="the engine of the indexes to measure")
    args = parser.parse_args()
    console = Console()
    rows = []
    for name, corpus in corpora(args.sizes.split(","), args.work):
        index_dir = bench_index(args.work, name, args.engine)
        console.print(f"[bold]{name}[/] ({args.engine}): index in {index_dir} (built once if missing)")
        articles = ensure_index(corpus, index_dir, args.engine)
        starts = [first_frame(corpus, index_dir) for _ in range(args.repeats)] if shutil.which("tmux") else []
        keys = asyncio.run(keystroke_latencies(corpus, index_dir, args.repeats))
        rows.append(
            stamp(
                {
                    "corpus": name,
                    "engine": args.engine,
                    "articles": articles,
                    "first_frame": summary_ms([frame for frame, _ in starts]) if starts else None,
                    "first_results": summary_ms([results for _, results in starts]) if starts else None,
                    "enter_to_results": summary_ms(keys["results_updated"]),
                    "enter_to_repaint": summary_ms(keys["results_repainted"]),
                    "enter_to_results_by_query": {query: summary_ms(keys[query]) for query in QUERIES},
                    "queries": len(QUERIES) * args.repeats,
                }
            )
        )
        save_rows(args.out, rows[-1:], python=sys.version.split()[0])
    table = Table(title="Broadsheet TUI latency (median / p95 ms)")
    for column in ("corpus", "first frame", "first results", "Enter→results", "Enter→repaint"):
        table.add_column(column, justify="right")
    for row in rows:
        cells = [row["first_frame"], row["first_results"], row["enter_to_results"], row["enter_to_repaint"]]
        table.add_row(
            f"{row['corpus']} {row['engine']}",
            *(f"{cell['median_ms']:.0f} / {cell['p95_ms']:.0f}" if cell else "no tmux" for cell in cells),
        )
    console.print(table)
    console.print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
