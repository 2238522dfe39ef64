"""Start-up: a whole ``broadsheet search`` process beside a bare click + Whoosh one, and the explorer's
first frame.

    .venv/bin/python bench/startup.py                   # BBC, 30 runs of each command
    .venv/bin/python bench/startup.py --repeats 50 --frames 10
    .venv/bin/python bench/startup.py --checkout /tmp/old     # also the search of another checkout

Indexes the BBC corpus (text and entities) into a folder of its own once, then times whole
processes, run in turn so that the machine's load falls on each alike:

- ``broadsheet search WORD --corpus BBC --index-dir D --json`` (an unchanged corpus: the index is
  brought up to date first, as every query does);
- ``bench/bare_search.py``: click and Whoosh's ``open_dir`` on the same index folder, the same
  query, the top 20 hits with a highlighted fragment each, printed as JSON;
- ``python -c pass``, the floor (the interpreter and site packages);
- with ``--checkout DIR``, the same search with the code of DIR (e.g. ``git archive`` of an older
  commit unpacked there), on the same index; the explorer's start-ups then alternate too.

Then the explorer's first painted frame and its first headlines in tmux (``tui_latency.first_frame``),
and one ``-X importtime`` of the search command, whose largest imports it lists. Writes
bench/results/startup.json and prints a table. Targets (issue 17): the search under 0.3 s median,
the first frame under 0.8 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus as synthetic  # noqa: E402
from bench.rows import save_rows, stamp  # noqa: E402
from bench.tui_latency import ensure_index, first_frame, percentile  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
"""Start-up as installed: with bytecode caches (without, every module of ours is compiled anew)."""
BROADSHEET = Path(sys.executable).with_name("broadsheet")
BARE = "bare click + Whoosh"


def commands(corpus: Path, index_dir: Path, word: str, checkout: Path | None) -> dict[str, list[str]]:
    search = ["search", word, "--corpus", str(corpus), "--index-dir", str(index_dir), "--json"]
    other = {f"search at {checkout}": ["env", f"PYTHONPATH={checkout}", str(BROADSHEET), *search]}
    return {
        "broadsheet search": [str(BROADSHEET), *search],
        **(other if checkout else {}),
        BARE: [
            sys.executable,
            str(ROOT / "bench" / "bare_search.py"),
            str(index_dir / "whoosh"),
            word,
        ],
        "python -c pass": [sys.executable, "-c", "pass"],
    }


def whole_process(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def interleaved(runs: dict[str, list[str]], repeats: int) -> dict[str, list[float]]:
    """Seconds of each command, run in turn (in a rotating order) ``repeats`` times each."""
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        whole_process(runs[name])  # warm the page cache and the bytecode caches
    for repeat in range(repeats):
        for name in names[repeat % len(names) :] + names[: repeat % len(names)]:
            times[name].append(whole_process(runs[name]))
    return times


def largest_imports(command: list[str], top: int) -> list[dict[str, object]]:
    """The imports of one run of ``command`` under ``-X importtime`` that took longest, counting
    what they imported in turn, outermost first: [{"module", "cumulative_ms", "self_ms", "depth"}]."""
    traced = [sys.executable, "-X", "importtime", *command]
    stderr = subprocess.run(traced, cwd=ROOT, env=ENV, capture_output=True, text=True, check=True).stderr
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append(
            {
                "module": name.strip(),
                "cumulative_ms": int(cumulative) / 1000,
                "self_ms": int(own) / 1000,
                "depth": depth,
            }
        )
    return sorted(rows, key=lambda row: -row["cumulative_ms"])[:top]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "runs": len(values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/broadsheet-bench"))
    parser.add_argument("--word", default="election")
    parser.add_argument("--repeats", type=int, default=30, help="runs of each command")
    parser.add_argument("--frames", type=int, default=10, help="explorer start-ups (0: none)")
    parser.add_argument("--checkout", type=Path, help="also time the search with the code of this folder")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "startup.json")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the explorer, started in tmux, too
    console = Console()
    corpus, index_dir = synthetic.BBC_DIR, args.work / "startup-index-bbc"
    console.print(f"BBC: index in {index_dir} (built once if missing)")
    articles = ensure_index(corpus, index_dir)
    # The entity phase too (minutes, the first time): else the explorer's indexer would run it
    # beside every start-up measured.
    subprocess.run(
        [str(BROADSHEET), "index", str(corpus), "--index-dir", str(index_dir)], check=True, env=ENV
    )
    runs = commands(corpus, index_dir, args.word, args.checkout)
    times = interleaved(runs, args.repeats)
    search, bare = statistics.median(times["broadsheet search"]), statistics.median(times[BARE])
    frames, checkout_frames = [], []
    for _ in range(args.frames if shutil.which("tmux") else 0):
        frames.append(first_frame(corpus, index_dir))
        if args.checkout:
            checkout_frames.append(first_frame(corpus, index_dir, code=args.checkout))
    imports = largest_imports(["-m", "tui", *runs["broadsheet search"][1:]], top=25)
    row = stamp(
        {
            "corpus": "bbc",
            "articles": articles,
            "word": args.word,
            "processes": {name: summary(values) for name, values in times.items()},
            "search_over_bare": round(search / bare, 2),
            "first_frame": summary([frame for frame, _ in frames]) if frames else None,
            "first_headlines": summary([headlines for _, headlines in frames]) if frames else None,
            "checkout_first_frame": summary([frame for frame, _ in checkout_frames])
            if checkout_frames
            else None,
            "checkout_first_headlines": (
                summary([headlines for _, headlines in checkout_frames]) if checkout_frames else None
            ),
            "largest_imports": imports,
        }
    )
    save_rows(args.out, [row], python=sys.version.split()[0])

    table = Table(title=f"Start-up at BBC, {args.repeats} runs each, interleaved (ms)")
    for column in ("whole process", "median", "p95"):
        table.add_column(column, justify="right" if column != "whole process" else "left")
    for name, cell in row["processes"].items():
        table.add_row(name, f"{cell['median_ms']:.0f}", f"{cell['p95_ms']:.0f}")
    table.add_row("search / bare (medians)", f"{row['search_over_bare']:.2f}", "")
    for name in ("first_frame", "first_headlines", "checkout_first_frame", "checkout_first_headlines"):
        if row[name]:
            table.add_row(
                f"explorer: {name.replace('_', ' ')}",
                f"{row[name]['median_ms']:.0f}",
                f"{row[name]['p95_ms']:.0f}",
            )
    console.print(table)
    imported = Table(title="Largest imports of `broadsheet search` (-X importtime, ms)")
    for column in ("module", "cumulative", "self"):
        imported.add_column(column, justify="left" if column == "module" else "right")
    for entry in imports[:15]:
        imported.add_row(
            "  " * int(entry["depth"]) + str(entry["module"]),
            f"{entry['cumulative_ms']:.1f}",
            f"{entry['self_ms']:.1f}",
        )
    console.print(imported)
    console.print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
