"""Helpers for the fault and hostile-input tests: a generated news corpus, the CLI as a child
process, and checks that output is safe to print on a terminal."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psutil
from conftest import REPO

from index import Library
from index.paths import CACHE_ENV

PEOPLE = (
    "Maria Kovacs", "John Whitfield", "Amara Okafor", "Lena Hoffmann", "Diego Alvarez",
    "Yuki Tanaka", "Priya Raman", "Tomasz Nowak", "Fatima Haddad", "Oliver Grant",
)  # fmt: skip
PLACES = (
    "Lisbon", "Nairobi", "Glasgow", "Osaka", "Montreal", "Krakow", "Lagos", "Valparaiso",
    "Bergen", "Adelaide",
)  # fmt: skip
ORGS = (
    "the Harbour Authority", "Northwind Energy", "the Ministry of Transport", "Bluefield Bank",
    "the Red Cross", "Atlas Mining",
)  # fmt: skip
TOPICS = ("flood", "strike", "election", "merger", "festival", "trial", "storm", "budget")

KILLABLE_CLI = """
import functools, sys, time
import index.entities.phase as phase
import tui.cli
import tui.cli.updating
from index.engines.whoosh.store import Store

tui.cli.updating.PlainProgress.interval = 0
if len(sys.argv) > 2 and sys.argv[2].startswith("--step-delay="):
    delay = float(sys.argv.pop(2).partition("=")[2])
    report = tui.cli.updating.PlainProgress.__call__

    def slow_report(self, progress):
        time.sleep(delay)
        report(self, progress)

    tui.cli.updating.PlainProgress.__call__ = slow_report
Store.batch_articles = 20
Store.parallel_min_files = int(sys.argv[1])
phase.WRITE_BATCH = 40
phase.run_entity_phase = functools.partial(phase.run_entity_phase, batch_articles=10)
sys.argv = ["broadsheet", *sys.argv[2:]]
tui.cli.main()
"""
"""The real ``broadsheet`` command with a progress line per step and small batches, so that
there are many commits to be killed between (and the kills can be keyed on progress).
Arguments: PARALLEL_MIN_FILES [--step-delay=SECONDS] then the command line."""

UNSAFE_OUTPUT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters (ESC and BEL among them); tab, newline and CR are allowed."""


def news_corpus(folder: Path, count: int, *, seed: int = 7) -> Path:
    """``count`` short fictional news stories with people, places and organisations to find."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        person, other = rng.sample(PEOPLE, 2)
        place, org, topic = rng.choice(PLACES), rng.choice(ORGS), rng.choice(TOPICS)
        title = f"{place} {topic}: {person} speaks out"
        body = (
            f"{person} said on Monday that the {topic} in {place} had affected thousands of people. "
            f"Officials from {org} met {other} to discuss the response, story number {n}. "
            f"Residents of {place} told reporters they expected more news from {org} next week."
        )
        sub = folder / f"desk{n % 4}"
        sub.mkdir(exist_ok=True)
        (sub / f"story{n:04}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def cli_env(cache: Path) -> dict[str, str]:
    """The environment for a ``broadsheet`` child process: the repo importable, a private cache."""
    return {**os.environ, "PYTHONPATH": str(REPO), CACHE_ENV: str(cache), "COLUMNS": "120"}


def run_cli(args: list[str], cache: Path, *, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m tui ARGS`` to completion and return its raw output."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        env=cli_env(cache),
        timeout=timeout,
        check=False,
    )


def ids_and_count(library: Library) -> tuple[list[str], int]:
    """Every id a match-all search returns, and the index's own count."""
    total = library.count()
    result = library.search("*", limit=max(total, 1) * 2 + 10)
    assert result.total == total == len(result.hits)
    return [hit.id for hit in result.hits], total


def duplicates(ids: list[str]) -> list[str]:
    return [article_id for article_id, n in Counter(ids).items() if n > 1]


def facet_table(library: Library) -> list[tuple[str, str, int, int]]:
    """Every facet of the whole corpus, as comparable tuples."""
    return sorted((f.canonical, f.label, f.articles, f.mentions) for f in library.facets("*", limit=100_000))


def assert_terminal_safe(output: bytes) -> str:
    """The output decodes as UTF-8 and holds no control character (no ESC, no BEL)."""
    text = output.decode("utf-8")
    found = UNSAFE_OUTPUT.findall(text)
    assert not found, f"control characters in output: {found[:5]!r}"
    return text


def json_safe(value: object) -> None:
    """No string anywhere in a decoded JSON value holds a control character (other than \\t\\n\\r)."""
    if isinstance(value, str):
        assert not UNSAFE_OUTPUT.search(value), repr(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            json_safe(key)
            json_safe(item)
    elif isinstance(value, list):
        for item in value:
            json_safe(item)


def load_json(output: bytes) -> object:
    value = json.loads(output.decode("utf-8"))
    json_safe(value)
    return value


def command_line(process: psutil.Process) -> str:
    """The command line of ``process``, or "" once it is gone."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def is_entity_worker(process: psutil.Process) -> bool:
    """A spaCy worker of the entity phase (a multiprocessing child of the indexer)."""
    return "--multiprocessing-fork" in command_line(process)


def is_segment_worker(process: psutil.Process) -> bool:
    """A worker process of the text phase, building index segments."""
    return "index.engines.whoosh.segment_workers" in command_line(process)
