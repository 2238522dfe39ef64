"""Faults: the indexer killed at any moment, a full disk, folders that vanish or cannot be
written, files that change while read, and two processes on one corpus.

A journalist's archive must never be lost or corrupted by any of these: the index always opens
and answers, no article appears twice, and the next run completes the work.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner, Result
from conftest import write_article
from fault_support import cli_env, duplicates, facet_table, ids_and_count, news_corpus, run_cli

import whoosh.filedb.filestore
from index import BroadsheetError, CorpusError, IndexBusyError, IndexError_, Library, QueryError
from index.entities.store import DB_NAME, EntityDB
from index.ingest import reading
from index.paths import CACHE_ENV
from tui.cli import cli

ARTICLES = 240
IN_PROCESS, IN_WORKERS = 10_000, 1
QUERIES = ("*", "flood", "Lisbon", '"Maria Kovacs"', "stor*", "harbour~", "title:storm AND NOT glasgow")

KILLABLE_CLI = """
import functools, sys
import index.entities.phase as phase
import tui.cli
from index.store import Store

tui.cli._PlainProgress.interval = 0
Store.batch_articles = 20
Store.parallel_min_files = int(sys.argv[1])
phase.WRITE_BATCH = 40
phase.run_entity_phase = functools.partial(phase.run_entity_phase, batch_articles=10)
sys.argv = ["broadsheet", *sys.argv[2:]]
tui.cli.main()
"""
"""The real ``broadsheet`` command with a progress line per step and small batches, so that
there are many commits to be killed between (and the kills can be keyed on progress)."""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="broadsheet")


def assert_one_sentence_error(result: Result, status: int, *fragments: str) -> None:
    assert result.exit_code == status, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return news_corpus(tmp_path_factory.mktemp("news") / "corpus", ARTICLES)


@pytest.fixture(scope="module")
def clean_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list]:
    """The ids and facets of an uninterrupted run of ``broadsheet index`` in its own index folder."""
    base = tmp_path_factory.mktemp("clean")
    done = run_cli(["index", str(corpus), "--index-dir", str(base / "index")], base / "cache")
    assert done.returncode == 0, done.stderr.decode()
    with Library.open(corpus, index_dir=base / "index") as library:
        ids, count = ids_and_count(library)
        assert count == ARTICLES
        return sorted(ids), facet_table(library)


def kill_indexer(
    corpus: Path, index_dir: Path, cache: Path, kill: Kill
) -> int:
    """Start ``broadsheet index`` and SIGKILL it at the kill point; return its exit status.

    The kill point is ``kill.delay`` seconds after the ``kill.lines``-th progress line of
    ``kill.phase`` (or, with ``lines`` None, its first line reporting done == total), or after
    the first line of a later phase if the requested one ended sooner.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_CLI, str(kill.parallel_min_files), "index", str(corpus),
         "--index-dir", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=cli_env(cache),
        text=True,
    )
    assert child.stderr is not None
    seen = 0
    for line in child.stderr:
        assert "Traceback" not in line
        phase, _, counts = line.strip().partition(": ")
        if phase != kill.phase:
            if PHASES.index(phase) > PHASES.index(kill.phase):
                break
            continue
        seen += 1
        done, _, total = counts.partition("/")
        if (seen >= kill.lines) if kill.lines else done == total:
            break
    time.sleep(kill.delay)
    workers = psutil.Process(child.pid).children(recursive=True)
    child.send_signal(signal.SIGKILL)
    status = child.wait(timeout=30)
    _, lingering = psutil.wait_procs(workers, timeout=10)
    assert not lingering, "worker processes outlived the killed indexer"
    return status


def assert_index_sound(corpus: Path, index_dir: Path) -> int:
    """The index opens, every query answers, no article appears twice; returns the count."""
    with Library.open(corpus, index_dir=index_dir) as library:
        ids, count = ids_and_count(library)
        assert not duplicates(ids)
        assert count <= ARTICLES
        for query in QUERIES:
            assert library.search(query, limit=5).total <= count
        library.facets("*")
        if ids:
            assert library.article(ids[0]).id == ids[0]
        return count


@dataclass(frozen=True)
class Kill:
    phase: str
    lines: int | None
    delay: float = 0.0
    parallel_min_files: int = IN_PROCESS


PHASES = ("index", "entities")

# Chained on one index folder, so each run resumes what the previous kills left. Text-phase kills
# land before, between and during batch commits (20 articles each; two runs in worker processes)
# and during the final commit; entity-phase kills land after the model loads, between and during
# analysis batches (10 articles), before the corpus-wide resolution and during the entity push.
KILLS = [
    Kill("index", 1, 0.0, IN_WORKERS),
    Kill("index", 2, 0.0, IN_WORKERS),
    Kill("index", 1),
    Kill("index", 12),
    Kill("index", 21),
    Kill("index", 23, 0.01),
    Kill("index", 2),
    Kill("index", 41, 0.01),
    Kill("index", None),
    Kill("index", None, 0.01),
    Kill("entities", 1),
    Kill("entities", 1, 0.3),
    Kill("entities", 2),
    Kill("entities", 3, 0.01),
    Kill("entities", 2, 0.02),
    Kill("entities", 5),
    Kill("entities", 4, 0.01),
    Kill("entities", None),
    Kill("entities", None, 0.02),
    Kill("entities", None, 0.05),
    Kill("entities", None, 0.1),
    Kill("entities", None, 0.15),
    Kill("entities", None, 0.2),
]


def analysed(index_dir: Path) -> int:
    """How many articles the entity database records as analysed."""
    if not (index_dir / DB_NAME).exists():
        return 0
    with EntityDB(index_dir / DB_NAME) as db:
        return len(db.analysed())


@pytest.mark.timeout(240)
def test_kill_9_at_23_moments_never_corrupts_and_a_rerun_matches_a_clean_run(
    corpus: Path, clean_run: tuple[list[str], list], tmp_path: Path
) -> None:
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    killed, indexed_counts, analysed_counts = [], set(), set()
    for kill in KILLS:
        if kill_indexer(corpus, index_dir, cache, kill) == -signal.SIGKILL:
            killed.append(kill)
        if index_dir.exists():
            indexed_counts.add(assert_index_sound(corpus, index_dir))
            analysed_counts.add(analysed(index_dir))
    assert len(killed) >= 20, killed
    assert {kill.phase for kill in killed} == set(PHASES)
    assert len({n for n in indexed_counts if 0 < n < ARTICLES}) >= 3, indexed_counts
    assert len({n for n in analysed_counts if 0 < n < ARTICLES}) >= 3, analysed_counts

    finished = run_cli(["index", str(corpus), "--index-dir", str(index_dir)], cache)
    assert finished.returncode == 0, finished.stderr.decode()
    clean_ids, clean_facets = clean_run
    with Library.open(corpus, index_dir=index_dir) as library:
        ids, count = ids_and_count(library)
        assert count == ARTICLES
        assert sorted(ids) == clean_ids
        assert facet_table(library) == clean_facets
