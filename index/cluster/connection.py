"""The connection to a Dask cluster: a running scheduler (``tcp://HOST:PORT``) or a local cluster of
worker processes started for one run (``local:N``), checked for its versions before any work."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import warnings
from collections.abc import Callable
from concurrent.futures import CancelledError
from types import TracebackType
from typing import Any, TypeVar

from distributed import Client, Future, KilledWorker, LocalCluster, Worker, WorkerPlugin
from distributed.comm import parse_address
from distributed.comm.addressing import parse_host_port

from index.cluster.versions import Fingerprint, check_worker, fingerprint, mismatch
from index.errors import ClusterError

LOCAL_PREFIX = "local:"
CONNECT_SECONDS = 10.0
"""How long to try to reach the scheduler before saying it cannot be reached."""
WORKERS_SECONDS = 30.0
"""How long to wait for a scheduler without workers to get one."""

R = TypeVar("R")


class Cluster:
    """A Dask client whose workers run Broadsheet's per-article work for this process.

    ``send_files``: the caller reads each file and sends its bytes with the task, for workers that
    do not see the corpus at the same path (see bench/README.md for what that costs).
    """

    def __init__(self, client: Client, address: str, model_name: str, local: LocalCluster | None = None):
        self.client = client
        self.address = address
        self.model_name = model_name
        self.expected: Fingerprint = fingerprint(model_name)
        self.send_files = False
        self._local = local

    def threads(self) -> int:
        """How many tasks the workers run at once (their threads, summed)."""
        return max(1, int(sum(self.client.nthreads().values())))

    def submit(self, function: Callable[..., R], *args: Any, key: str) -> Future[R]:
        """Run ``function(*args)`` on a worker whose versions are checked first. The key names the
        work (what it reads, by content hash): the same work submitted twice is done once."""
        with warnings.catch_warnings():
            # Files sent with their tasks (``send_files``) make large tasks, which is the point.
            warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
            return self.client.submit(_checked, self.expected, self.model_name, function, *args, key=key)

    def result(self, future: Future[R]) -> R:
        """The task's result; a failure of the cluster or of the task becomes one sentence."""
        try:
            return future.result()
        except ClusterError:
            raise
        except (CancelledError, OSError) as error:
            if self.client.status != "running":
                raise self.lost() from error
            raise self._failed(error) from error
        except KilledWorker as error:
            raise ClusterError(
                f"Dask workers of {self.address} died running the same articles ({future.key}); "
                "what was committed is kept."
            ) from error
        except Exception as error:
            raise self._failed(error) from error

    def _failed(self, error: BaseException) -> ClusterError:
        return ClusterError(
            f"A Dask worker of {self.address} failed ({type(error).__name__}: {_reason(error)}); "
            "what was committed is kept."
        )

    def lost(self) -> ClusterError:
        return ClusterError(
            f"The Dask scheduler at {self.address} went away; what was committed is kept, "
            "and the next run goes on from there."
        )

    def close(self) -> None:
        self.client.close(timeout=5)
        if self._local is not None:
            self._local.close(timeout=5)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def connect(address: str, model_name: str | None = None) -> Cluster:
    """Connect to the scheduler at ``address`` (``tcp://HOST:PORT``), or start ``local:N`` worker
    processes; check that the workers run the caller's versions (``model_name`` being the entity
    model, by default the one this process would load). Raises ClusterError with one sentence when
    the cluster cannot be used."""
    # Dask logs a lost connection with tracebacks; the caller says it in one sentence instead.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    local = _local_cluster(address) if address.startswith(LOCAL_PREFIX) else None
    try:
        if local is None:
            _knock(address)
        client = Client(local or address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, ValueError) as error:
        if local is not None:
            local.close()
        raise ClusterError(
            f"Cannot reach the Dask scheduler at {address} ({_reason(error)}); "
            "start one with `dask scheduler` or check the address."
        ) from None
    cluster = Cluster(client, address, model_name or _default_model(), local)
    try:
        if local is not None:
            client.register_plugin(CtrlCIgnored())
        _check_workers(cluster)
    except BaseException:
        cluster.close()
        raise
    return cluster


def _knock(address: str) -> None:
    """Raise OSError at once if nothing listens at a TCP ``address``: Dask's client would try again
    and again until its timeout."""
    protocol, location = parse_address(address)
    if protocol == "tcp":
        with socket.create_connection(parse_host_port(location), timeout=CONNECT_SECONDS):
            pass


def _local_cluster(address: str) -> LocalCluster:
    """N worker processes of this machine, with a scheduler in this process. They are started as
    multiprocessing's spawn does, which imports the main module again: a script that connects to
    ``local:N`` must guard its work with ``if __name__ == "__main__"``."""
    count = address.removeprefix(LOCAL_PREFIX)
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"{address} names no local cluster; write local:N, N being how many workers.")
    try:
        return LocalCluster(
            n_workers=int(count),
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",  # its HTTP server, on a free port (None is the default, 8787)
            host="127.0.0.1",
            silence_logs=logging.CRITICAL,
        )
    except (OSError, RuntimeError) as error:
        raise ClusterError(f"Could not start {count} local Dask workers ({_reason(error)}).") from None


class CtrlCIgnored(WorkerPlugin):
    """Local workers ignore Ctrl-C: a terminal sends it to the whole process group, and it is the
    caller's to handle (it stops the run and the workers), not theirs to die of with a traceback."""

    def setup(self, worker: Worker) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_workers(cluster: Cluster) -> None:
    try:
        cluster.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except TimeoutError:
        raise ClusterError(
            f"The Dask scheduler at {cluster.address} has no workers; start some with "
            f"`dask worker {cluster.address}`."
        ) from None
    try:
        found = cluster.client.run(fingerprint, cluster.model_name)
    except Exception as error:
        raise ClusterError(
            f"The Dask workers of {cluster.address} cannot run Broadsheet ({_reason(error)}); "
            "install the same Broadsheet on every worker."
        ) from None
    for worker, versions in sorted(found.items()):
        received = tuple((str(name), str(version)) for name, version in versions)
        if received != cluster.expected:
            raise ClusterError(mismatch(worker, cluster.expected, received))


def task_key(kind: str, *parts: str) -> str:
    """A task's name from what its result depends on (paths and content hashes, or texts)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return f"broadsheet-{kind}-{digest.hexdigest()}"


def _checked(expected: Fingerprint, model_name: str, function: Callable[..., R], *args: Any) -> R:
    """A task: refuse on a worker whose versions are not the caller's, else run ``function``."""
    check_worker(expected, model_name)
    return function(*args)


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _default_model() -> str:
    """The entity model this process would load (see ``index.entities.extractor.default_extractor``)."""
    from index.entities.extractor import MODEL_ENV
    from index.entities.spacy_model import DEFAULT_MODEL

    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL
