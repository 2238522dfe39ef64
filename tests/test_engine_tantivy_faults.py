"""The tantivy engine's index survives kill -9 at any moment: it opens and answers after each kill,
never holds an article twice, and the next sync completes it to what a clean build holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from conftest import REPO
from engine_support import write_corpus

from index.engines.tantivy import TantivyEngine
from index.models import Query

ARTICLES = 300

KILLABLE_SYNC = """
import sys, time
from dataclasses import replace
from pathlib import Path
from index.engines.tantivy import TantivyEngine

engine = TantivyEngine(Path(sys.argv[1]), Path(sys.argv[2]))
engine.batching = replace(engine.batching, articles=20, parallel_min_files=int(sys.argv[3]), job_files=2)

def report(progress):
    print(f"{progress.done}/{progress.total}", flush=True)
    time.sleep(0.01)

engine.sync(progress=report)
print("finished", flush=True)
"""


def kill_sync(corpus: Path, index_dir: Path, *, lines: int, parallel_min_files: int) -> bool:
    """Run a sync in a child and SIGKILL it after its ``lines``-th progress line; True if it was
    killed before it finished."""
    child = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_SYNC, str(index_dir), str(corpus), str(parallel_min_files)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        text=True,
    )
    assert child.stdout is not None
    finished = False
    for seen, line in enumerate(child.stdout, start=1):
        finished = line.strip() == "finished"
        if finished or seen >= lines:
            break
    workers = psutil.Process(child.pid).children(recursive=True)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    _, lingering = psutil.wait_procs(workers, timeout=10)
    assert not lingering, "worker processes outlived the killed sync"
    return not finished


def snapshot(engine: TantivyEngine) -> tuple[list[str], int]:
    reader = engine.reader()
    result = reader.search(Query("*"), limit=ARTICLES * 2, offset=0, should_stop=lambda: False)
    assert result.total == reader.count() == len(result.hits)
    for text in ("regulat* OR market", '"prime minister"~2', "goverment~ NOT blair", "date:[2004 to 2005]"):
        assert reader.search(Query(text), limit=5, offset=0, should_stop=lambda: False).total <= result.total
    return sorted(hit.id for hit in result.hits), result.total


@pytest.mark.parametrize("parallel_min_files", [1, 10_000], ids=["workers", "in-process"])
def test_kill_9_at_many_moments_never_corrupts_and_a_rerun_matches_a_clean_build(
    tmp_path: Path, parallel_min_files: int
) -> None:
    corpus = (tmp_path / "corpus").resolve()
    write_corpus(corpus, ARTICLES)
    clean = TantivyEngine(tmp_path / "clean", corpus)
    clean.sync()
    expected = sorted(clean.articles(), key=lambda article: article.id)

    index_dir = tmp_path / "killed"
    engine = TantivyEngine(index_dir, corpus)
    killed = 0
    for lines in (2, 6, 12, 20, 30):
        killed += kill_sync(corpus, index_dir, lines=lines, parallel_min_files=parallel_min_files)
        if engine.exists():
            ids, _ = snapshot(engine)
            assert not [i for i, n in Counter(ids).items() if n > 1]
        time.sleep(0.05)
    assert killed >= 4
    report = engine.sync()
    assert report.added + report.updated + report.unchanged == ARTICLES
    ids, total = snapshot(engine)
    assert total == ARTICLES and len(set(ids)) == ARTICLES
    assert sorted(engine.articles(), key=lambda article: article.id) == expected
    assert engine.sync().unchanged == ARTICLES
