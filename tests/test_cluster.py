"""Indexing on a Dask cluster: the real `dask scheduler` and `dask worker` commands on 127.0.0.1,
started here and stopped at the end, and an index and entities identical to a run without them,
also when a worker is killed mid-run; a cluster that is unreachable, goes away or runs other code
is one sentence."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ENGINES, REPO
from distributed import Client

from index.cluster import Cluster, connect
from index.entities.extractor import MODEL_ENV
from index.errors import ClusterError
from index.library import Library
from index.models import Progress
from tui.cli import cli

DASK = Path(sys.executable).parent / "dask"
ARTICLES = 240
QUERIES = ("minister", "Kovacs", "bank OR court", '"per cent"', "Lisbon AND storm")

CLUSTER_ENGINE = "tantivy" if "tantivy" in ENGINES else "whoosh"
"""The engine whose sync runs on the cluster (Whoosh's runs here: its analysis is in its writer)."""
CLUSTER_PHASE = "index" if CLUSTER_ENGINE == "tantivy" else "entities"
"""The phase in which that engine's work is on the cluster, where the faults are made."""

PEOPLE = ("President Putin", "Chancellor Merkel", "Dr Maria Kovacs", "Mr Tony Blair")
PLACES = ("LISBON", "GLASGOW", "STUTTGART")
WORDS = ("minister", "bank", "court", "storm", "market", "shares", "election", "rally", "growth")


@pytest.fixture(scope="module", autouse=True)
def rules_only() -> Iterator[None]:
    """The entity phase with the rules alone (the model takes minutes here): a model that is not
    installed makes the caller fall back to them, and the cluster's workers run what the caller does."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MODEL_ENV, "no_such_model")
        yield


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles with the entities the rules find: people by their titles, datelines, money, dates."""
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(ARTICLES):
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 12))
        person, place = PEOPLE[n % len(PEOPLE)], PLACES[n % len(PLACES)]
        body = (
            f"{place}, March {n % 28 + 1} - {person} said the {words} would cost €{n},600 "
            f"by January 22, 2021, {n % 40} per cent more than planned. {words.capitalize()}."
        )
        (folder / f"{n // 50}").mkdir(exist_ok=True)
        (folder / f"{n // 50}" / f"story{n}.txt").write_text(f"Story {n}: {WORDS[n % 9]}\n\n{body}\n")
    return folder


class Processes:
    """Dask's own commands, each in its own session, stopped (and reaped) by ``stop``."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    def start(self, *args: str, pythonpath: Path = REPO) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(pythonpath)}
        process = subprocess.Popen(
            [str(DASK), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def scheduler(self) -> str:
        port = free_port()
        self.start("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
        return f"tcp://127.0.0.1:{port}"

    def worker(self, address: str, *, pythonpath: Path = REPO) -> subprocess.Popen[bytes]:
        """A worker without a nanny: killing its process kills the worker, with nothing to restart it."""
        args = ("worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1")
        worker = self.start(*args, pythonpath=pythonpath)
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 3
        for process in self.started:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_for_workers(address: str, count: int) -> None:
    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=60)


@pytest.fixture(scope="module")
def dask() -> Iterator[tuple[Processes, str]]:
    """A scheduler and two workers, running this checkout of Broadsheet."""
    processes = Processes()
    try:
        address = processes.scheduler()
        processes.worker(address)
        processes.worker(address)
        wait_for_workers(address, 2)
        yield processes, address
    finally:
        processes.stop()


@pytest.fixture
def cluster(dask: tuple[Processes, str]) -> Iterator[Cluster]:
    with connect(dask[1]) as connected:
        yield connected


def build(
    corpus: Path,
    index_dir: Path,
    cluster: Cluster | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    engine: str = CLUSTER_ENGINE,
) -> Library:
    library = Library.open(corpus, index_dir=index_dir, engine=engine)
    library.update(cluster=cluster, progress=on_progress)
    return library


def snapshot(library: Library) -> dict[str, Any]:
    """What a user sees of an index: every stored article, its entities, and some searches' hits."""
    articles = sorted(library.iter_articles(), key=lambda article: article.id)
    hits = {}
    for text in QUERIES:
        result = library.search(text, limit=300)
        hits[text] = (
            result.total,
            [(h.id, round(h.score, 6), h.snippet, h.highlights, frozenset(h.entities)) for h in result.hits],
        )
    return {
        "articles": articles,
        "entities": {article.id: library.article_entities(article.id) for article in articles},
        "refs": sorted((i, frozenset(refs)) for i, refs in library.engine.entity_refs()),
        "hits": hits,
    }


@pytest.fixture(scope="module")
def without_cluster(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The reference: each engine's index and entities of the corpus, built in this process alone."""
    built = {}
    for engine in ENGINES:
        with build(corpus, tmp_path_factory.mktemp(f"local-{engine}"), engine=engine) as library:
            built[engine] = snapshot(library)
    return built


@pytest.mark.engines
def test_an_index_built_on_the_cluster_is_the_one_built_here(
    engine: str, corpus: Path, tmp_path: Path, cluster: Cluster, without_cluster: dict[str, dict[str, Any]]
) -> None:
    with build(corpus, tmp_path / "index", cluster, engine=engine) as library:
        built = snapshot(library)
    assert len(built["articles"]) == ARTICLES
    assert sum(len(mentions) for mentions in built["entities"].values()) > 4 * ARTICLES
    assert built == without_cluster[engine]


def test_workers_sent_the_text_need_not_see_the_corpus(
    corpus: Path, tmp_path: Path, cluster: Cluster, without_cluster: dict[str, dict[str, Any]]
) -> None:
    cluster.send_files = True
    with build(corpus, tmp_path / "index", cluster) as library:
        assert snapshot(library) == without_cluster[CLUSTER_ENGINE]


def test_workers_running_other_code_are_refused(dask: tuple[Processes, str], tmp_path: Path) -> None:
    processes, address = dask
    other = tmp_path / "other"
    shutil.copytree(REPO / "index", other / "index", ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "index" / "analysis.py").open("a") as changed:
        changed.write("\n# a change on one worker only\n")
    stranger = processes.worker(address, pythonpath=other)
    try:
        wait_for_workers(address, 3)
        with pytest.raises(ClusterError) as refused:
            connect(address)
    finally:
        stranger.terminate()
        stranger.wait()
    message = str(refused.value)
    assert "runs other versions than this Broadsheet (Broadsheet 0.1.0" in message
    assert message.endswith("install the same versions on every worker.")


def test_a_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(
    dask: tuple[Processes, str], corpus: Path, tmp_path: Path, without_cluster: dict[str, dict[str, Any]]
) -> None:
    processes, address = dask
    doomed = processes.workers[1]  # one of the module's two workers: the tests after this need one

    def kill_once(step: Progress) -> None:
        if step.phase == CLUSTER_PHASE and step.done >= ARTICLES // 3 and doomed.poll() is None:
            doomed.send_signal(signal.SIGKILL)
            doomed.wait()

    with connect(address) as cluster, build(corpus, tmp_path / "index", cluster, kill_once) as library:
        assert doomed.returncode == -signal.SIGKILL
        built = snapshot(library)
        assert library.count() == ARTICLES
    assert built == without_cluster[CLUSTER_ENGINE]


def test_an_unreachable_scheduler_is_one_sentence_and_exit_1(corpus: Path, tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    command = ["index", str(corpus), "--index-dir", str(tmp_path), "--cluster", address]
    result = subprocess.run(
        [sys.executable, "-m", "tui", *command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"broadsheet: Cannot reach the Dask scheduler at {address} (")
    assert result.stderr.count("\n") == 1
    assert time.monotonic() - started < 30


def test_a_local_cluster_needs_a_number_of_workers() -> None:
    with pytest.raises(ClusterError, match="local:two names no local cluster; write local:N"):
        connect("local:two")


def test_send_files_goes_with_a_cluster(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["index", str(corpus), "--index-dir", str(tmp_path), "--send-files"])
    assert result.exit_code == 2
    assert "--send-files goes with --cluster." in result.stderr
    assert not (tmp_path / "whoosh").exists()


def test_a_scheduler_that_goes_away_ends_the_run_keeping_what_arrived(
    dask: tuple[Processes, str], corpus: Path, tmp_path: Path, without_cluster: dict[str, dict[str, Any]]
) -> None:
    processes, address = dask
    scheduler = processes.started[0]  # the module's: this test comes last

    def stop_scheduler(step: Progress) -> None:
        if step.phase == CLUSTER_PHASE and step.done >= ARTICLES // 2 and scheduler.poll() is None:
            scheduler.kill()

    with connect(address) as cluster, pytest.raises(ClusterError, match="went away; what was committed"):
        build(corpus, tmp_path / "index", cluster, stop_scheduler)
    with Library.open(corpus, index_dir=tmp_path / "index") as library:
        committed = library.count()
    if CLUSTER_PHASE == "index":  # the text phase stopped part-way, keeping what it had committed
        assert ARTICLES // 2 <= committed < ARTICLES
    with build(corpus, tmp_path / "index") as library:
        assert snapshot(library) == without_cluster[CLUSTER_ENGINE]
