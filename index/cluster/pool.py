"""The engines' worker pool, run by a cluster: the interface of their local worker processes
(``send`` a job to an idle slot, ``receive`` a finished one), so that an engine's sync loop
is the same whether its files are read on this machine or on a cluster's workers."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from distributed import Future

from index.cluster.connection import Cluster, task_key
from index.cluster.tasks import Job, SentFile, with_bytes
from index.ingest.formats import size_cap

R = TypeVar("R")

JOBS_PER_THREAD = 2
"""Jobs in flight per worker thread: one running, one waiting, so that no worker waits for the caller."""


class ClusterWorkers(Generic[R]):
    """Jobs of (file, content hash) pairs run by ``function`` on the cluster, one result per file.

    A job's task is named after its files' paths and content hashes: a task whose worker dies is
    run again by Dask on another worker, and the caller takes each job's results once, whatever
    ran it how many times. Jobs are received in the order they were sent, so that the articles
    join the index in the order of the walk, as in a run without a cluster (ties in relevance are
    ranked in that order).
    """

    def __init__(self, cluster: Cluster, function: Callable[[Job], list[R]]) -> None:
        self._cluster = cluster
        self._function = function
        self._slots = JOBS_PER_THREAD * cluster.threads()
        self._running: deque[tuple[Future[list[R]], int]] = deque()

    def __len__(self) -> int:
        return self._slots

    def send(self, slot: int, job: Job) -> None:
        name = getattr(self._function, "__name__", "work")
        key = task_key(name, *(part for corpus_file, digest in job for part in (corpus_file.rel, digest)))
        if self._cluster.send_files:
            future = self._cluster.submit(with_bytes, self._function, _read(job), key=key)
        else:
            future = self._cluster.submit(self._function, job, key=key)
        self._running.append((future, slot))

    def receive(self) -> tuple[int, list[R]]:
        """Wait for the oldest job: (its slot, its files' results). Raises ClusterError if the
        cluster went away or a job failed."""
        future, slot = self._running.popleft()
        return slot, self._cluster.result(future)

    def release(self) -> None:
        """Nothing to do: the cluster's workers outlive the run."""

    def close(self) -> None:
        """Cancel the jobs still running (the run stopped early)."""
        if self._running:
            self._cluster.client.cancel([future for future, _ in self._running])
            self._running.clear()


def _read(job: Job) -> list[SentFile]:
    """Each file of the job with its bytes, up to one byte over its format's cap, which is enough
    for the worker to say it is too large (None if it cannot be read: the worker says why)."""
    read = []
    for corpus_file, digest in job:
        try:
            with open(corpus_file.location, "rb") as stream:
                data: bytes | None = stream.read(size_cap(corpus_file.rel) + 1)
        except OSError:
            data = None
        read.append((corpus_file, digest, data))
    return read
