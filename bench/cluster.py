"""The heavy phases with and without a Dask cluster: a first build and the entity phase, in articles/s,
and the per-article costs that predict a cluster of N machines.

Usage: python bench/cluster.py [--corpus ../shared/corpora/bbc] [--engines whoosh tantivy]
                               [--modes none local:2 cluster cluster-text] [--model-corpus DIR]

Modes: ``none`` (no cluster: the engines' and the entity phase's own worker processes, as today),
``local:2`` (``--cluster local:2``), ``cluster`` (a `dask scheduler` and two `dask worker` processes
on this machine, started here, reading the corpus by its path) and ``cluster-text`` (the same, sent
each file's bytes instead). For each engine and mode: a first build of the corpus (``sync``), then the
entity phase with the rules alone (the lookup extractor); with ``--model-corpus``, the entity phase
with the spaCy model too, over that (smaller) corpus, without and with the cluster.

Per-article costs are CPU time: the caller's (the one writer: it bounds what any cluster can do) and
the workers' (what each added core takes over). Wall times on a shared machine are inflated; CPU
times much less. Prints a table and writes bench/results/cluster.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from distributed import Client  # noqa: E402

from index.cluster import Cluster, connect  # noqa: E402
from index.entities.extractor import MODEL_ENV  # noqa: E402
from index.library import Library  # noqa: E402

DASK = Path(sys.executable).parent / "dask"
MODES = ("none", "local:2", "cluster", "cluster-text")


def worker_cpu() -> float:
    """CPU seconds of this process so far (run on each worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> tuple[float, float]:
    """(this process's CPU seconds, its reaped children's): the caller and its local worker processes."""
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


@contextmanager
def dask_processes(workers: int) -> Iterator[str]:
    """A `dask scheduler` and ``workers`` `dask worker` processes on 127.0.0.1, stopped on leaving."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {
        "env": env,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
        "start_new_session": True,
    }
    scheduler = [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
    worker = [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
    processes = [subprocess.Popen(scheduler, **quiet)]
    processes += [subprocess.Popen(worker, **quiet) for _ in range(workers)]
    try:
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def connected(mode: str, address: str | None) -> Any:
    if mode == "none":
        return nullcontext(None)
    cluster = connect(mode if mode.startswith("local:") else str(address))
    cluster.send_files = mode == "cluster-text"
    return cluster


def timed(run: Callable[[], int], cluster: Cluster | None) -> dict[str, float]:
    """Wall and CPU seconds of ``run`` (which returns how many articles it did), per article too."""
    workers_before = sum(cluster.client.run(worker_cpu).values()) if cluster else 0.0
    caller_before, children_before = own_cpu()
    started = time.perf_counter()
    articles = run()
    wall = time.perf_counter() - started
    caller_after, children_after = own_cpu()
    workers = sum(cluster.client.run(worker_cpu).values()) - workers_before if cluster else 0.0
    workers += children_after - children_before
    caller = caller_after - caller_before
    return {
        "articles": articles,
        "wall_s": round(wall, 2),
        "articles_per_s": round(articles / wall, 1) if wall else 0.0,
        "caller_cpu_ms_per_article": round(1000 * caller / articles, 2) if articles else 0.0,
        "worker_cpu_ms_per_article": round(1000 * workers / articles, 2) if articles else 0.0,
    }


def measure(corpus: Path, engine: str, mode: str, address: str | None, *, rules: bool) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-cluster-{engine}-"))
    if rules:
        os.environ[MODEL_ENV] = "no_such_model"  # the model cannot load: the rules alone
    else:
        os.environ.pop(MODEL_ENV, None)
    started = time.perf_counter()
    with connected(mode, address) as cluster:
        start_s = time.perf_counter() - started
        with Library.open(corpus, index_dir=folder, engine=engine) as library:

            def build() -> int:
                report = library.sync(cluster=cluster)
                return report.added

            built = timed(build, cluster)
            entities = timed(lambda: library.extract_entities(cluster=cluster), cluster)
    subprocess.run(["rm", "-rf", str(folder)], check=False)
    return {
        "engine": engine,
        "mode": mode,
        "extractor": "rules" if rules else "spacy+rules",
        "cluster_start_s": round(start_s, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "build": built,
        "entities": entities,
    }


def show(row: dict[str, Any]) -> None:
    build, entities = row["build"], row["entities"]
    print(
        f"{row['engine']:>8} {row['mode']:>12} {row['extractor']:>11} "
        f"{build['articles_per_s']:>9.1f} {build['caller_cpu_ms_per_article']:>8.2f} "
        f"{build['worker_cpu_ms_per_article']:>8.2f} {entities['articles_per_s']:>9.1f} "
        f"{entities['caller_cpu_ms_per_article']:>8.2f} {entities['worker_cpu_ms_per_article']:>8.2f} "
        f"{row['load_average_1min']:>5}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "bbc")
    parser.add_argument("--engines", nargs="*", default=["whoosh", "tantivy"])
    parser.add_argument("--modes", nargs="*", choices=MODES, default=list(MODES))
    parser.add_argument(
        "--model-corpus", type=Path, help="Also time the spaCy entity phase over this corpus."
    )
    parser.add_argument("--repeats", type=int, default=1, help="Runs of each engine and mode.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "cluster.json")
    args = parser.parse_args()

    print(f"{os.cpu_count()} CPUs; per-article costs in CPU ms (caller | workers)")
    print(
        f"{'engine':>8} {'mode':>12} {'extractor':>11} {'build/s':>9} {'caller':>8} {'workers':>8} "
        f"{'ents/s':>9} {'caller':>8} {'workers':>8} {'load':>5}"
    )
    rows = []
    needs_dask = any(mode.startswith("cluster") for mode in args.modes)
    with dask_processes(2) if needs_dask else nullcontext(None) as address:
        for engine in args.engines:
            for _ in range(args.repeats):
                for mode in args.modes:
                    rows.append(measure(args.corpus, engine, mode, address, rules=True))
                    show(rows[-1])
        if args.model_corpus is not None:
            for mode in ("none", "cluster"):
                rows.append(measure(args.model_corpus, args.engines[0], mode, address, rules=False))
                show(rows[-1])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"corpus": str(args.corpus), "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
