"""Find in a 1 MB article: how long the find takes, and how long the UI can be held up by it.

    .venv/bin/python bench/find.py                 # 1 MB of BBC articles, 20 repeats
    .venv/bin/python bench/find.py --repeats 5

The article is BBC bodies joined until it is 1,000,000 characters long (read from the corpus at run
time, never stored). For each find text it measures:

* ``find_all``: the worker's search (a chunk of lines at a time, marks capped at 10,000), and its
  longest chunk, the longest the worker holds the GIL (Python's ``re`` does not release it);
* the reference in the same run: one ``re.finditer`` over the whole body, as a find without chunks
  would run, whose longest call is what would freeze the UI;
* in the explorer (Pilot, fake library): from setting the bar's text to the matches marked, and the
  longest stall of the UI's event loop meanwhile (a 1 ms heartbeat), beside its longest stall over as
  long a time with nothing to do (the machine's own noise).

Writes bench/results/find.json and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table
from textual.widgets import Static

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import BBC_DIR, bbc_text  # noqa: E402
from bench.rows import stamp  # noqa: E402
from index.models import Article  # noqa: E402
from tests.tui_support import FakeLibrary, settle  # noqa: E402
from tui.app import BroadsheetApp  # noqa: E402
from tui.find import MATCH_LIMIT, find_all, find_pattern  # noqa: E402
from tui.widgets.find_bar import FindInput  # noqa: E402

SIZE = 1_000_000
FINDS = [
    ("the", False, "common word (capped)"),
    ("government", False, "word"),
    ("Blair", False, "name, case-sensitive"),
    ("prime minister", False, "phrase"),
    (r"\b\w+ing\b", True, "regex"),
    (r"(\w+\s){3}zzz", True, "slow regex, no match"),
    ("zebraquux", False, "no match"),
]
IN_APP = ["the", "government", "zebraquux"]


def bbc_body(size: int = SIZE) -> str:
    """BBC bodies, paragraphs kept, joined until the text is ``size`` characters long."""
    parts: list[str] = []
    length = 0
    while length < size:
        for path in sorted(BBC_DIR.rglob("*.txt")):
            body = bbc_text(path).partition("\n")[2].strip()
            parts.append(body)
            length += len(body) + 2
            if length >= size:
                break
    return "\n\n".join(parts)[:size]


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def longest_chunk(body: str, pattern: re.Pattern[str]) -> float:
    """The longest time between two of find_all's checks for cancellation: one chunk's search."""
    ticks: list[float] = []

    def cancelled() -> bool:
        ticks.append(time.perf_counter())
        return False

    find_all(body, pattern, cancelled=cancelled)
    ticks.append(time.perf_counter())
    return max(later - earlier for earlier, later in itertools.pairwise(ticks))


def unchunked(body: str, pattern: re.Pattern[str]) -> tuple[float, float]:
    """One finditer over the whole body, capped as find_all is: total and longest single call."""
    longest = 0.0
    start = last = time.perf_counter()
    for count, _ in enumerate(pattern.finditer(body), 1):
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
        if count == MATCH_LIMIT:
            break
    end = time.perf_counter()
    return end - start, max(longest, end - last)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def measure_search(body: str, repeats: int) -> list[dict]:
    rows = []
    for text, regex, kind in FINDS:
        pattern = find_pattern(text, regex=regex)
        assert pattern is not None
        found = find_all(body, pattern, cancelled=lambda: False)
        assert found is not None
        runs = [timed(lambda p=pattern: find_all(body, p, cancelled=lambda: False)) for _ in range(repeats)]
        chunks = [longest_chunk(body, pattern) for _ in range(repeats)]
        whole = [unchunked(body, pattern) for _ in range(repeats)]
        rows.append(
            {
                "find": text,
                "kind": kind,
                "matches": len(found.spans),
                "capped": found.capped,
                "find_all_median_ms": ms(statistics.median(runs)),
                "longest_chunk_median_ms": ms(statistics.median(chunks)),
                "unchunked_median_ms": ms(statistics.median(total for total, _ in whole)),
                "unchunked_longest_call_median_ms": ms(statistics.median(call for _, call in whole)),
            }
        )
    return rows


class Heartbeat:
    """The event loop's longest stall from now until ``stop``: a task that wakes every millisecond."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._beating = True
        self._task = asyncio.create_task(self._beat())

    async def _beat(self) -> None:
        last = time.perf_counter()
        while self._beating:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest, last = max(self.longest, now - last), now

    async def stop(self) -> float:
        self._beating = False
        await self._task
        return self.longest


def counted(app: BroadsheetApp) -> bool:
    """Whether the find bar shows a count ("3/17") or "no match": the find is over."""
    state = str(app.screen.query_one("#find-state", Static).render())
    return "/" in state or "no match" in state


async def measure_in_app(body: str, repeats: int) -> list[dict]:
    """From the bar's text set to the matches marked, and the event loop's longest stall meanwhile."""
    article = Article(
        id="big.txt", path="big.txt", title="One megabyte", body=body, date=dt.datetime(2030, 1, 1)
    )
    library = FakeLibrary.fixture(extra=[article])
    app = BroadsheetApp(opener=lambda: library, show_timing=False)
    rows = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        bar_input = app.screen.query_one(FindInput)
        for text in IN_APP:
            times, stalls, idle = [], [], []
            for _ in range(repeats):
                bar_input.value = ""
                await settle(pilot)
                heartbeat = Heartbeat()
                start = time.perf_counter()
                bar_input.value = text
                while not counted(app):  # polled each millisecond: Pilot's waits are coarser
                    await asyncio.sleep(0.001)
                times.append(time.perf_counter() - start)
                stalls.append(await heartbeat.stop())
                heartbeat = Heartbeat()
                await asyncio.sleep(times[-1])
                idle.append(await heartbeat.stop())
            rows.append(
                {
                    "find": text,
                    "marked_median_ms": ms(statistics.median(times)),
                    "ui_longest_stall_median_ms": ms(statistics.median(stalls)),
                    "ui_longest_stall_max_ms": ms(max(stalls)),
                    "idle_longest_stall_median_ms": ms(statistics.median(idle)),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "find.json")
    args = parser.parse_args()
    body = bbc_body()
    search = measure_search(body, args.repeats)
    in_app = asyncio.run(measure_in_app(body, max(3, args.repeats // 4)))
    result = stamp({"article_chars": len(body), "repeats": args.repeats, "search": search, "in_app": in_app})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    console = Console()
    table = Table(title=f"find in a {len(body):,}-character article (medians, ms)")
    for column in ("find", "matches", "find_all", "longest chunk", "unchunked", "unchunked longest call"):
        table.add_column(column, justify="left" if column == "find" else "right")
    for row in search:
        matches = f"{row['matches']:,}" + ("+" if row["capped"] else "")
        table.add_row(
            f"{row['find']} ({row['kind']})",
            matches,
            str(row["find_all_median_ms"]),
            str(row["longest_chunk_median_ms"]),
            str(row["unchunked_median_ms"]),
            str(row["unchunked_longest_call_median_ms"]),
        )
    console.print(table)
    app_table = Table(title="in the explorer: text set → matches marked (ms)")
    columns = (
        "find",
        "marked (median)",
        "UI longest stall (median)",
        "(max)",
        "idle: longest stall (median)",
    )
    for column in columns:
        app_table.add_column(column, justify="left" if column == "find" else "right")
    for row in in_app:
        app_table.add_row(
            row["find"],
            str(row["marked_median_ms"]),
            str(row["ui_longest_stall_median_ms"]),
            str(row["ui_longest_stall_max_ms"]),
            str(row["idle_longest_stall_median_ms"]),
        )
    console.print(app_table)
    console.print(f"load average {result['load_average']}, written to {args.out}")


if __name__ == "__main__":
    main()
