"""Reading and analysing files in worker processes, while the parent feeds tantivy.

Tantivy indexes in native threads, but reading, cleaning and analysing an article is Python and
takes most of a build's time, so it runs in worker processes; the parent keeps the lock and the
writer and adds the workers' ``Prepared`` articles. As in the Whoosh engine's ``segment_workers``, the
workers are plain ``python -c`` subprocesses in their own session reading pickled jobs from a pipe that
only the parent writes: Ctrl-C reaches only the parent, and when the parent dies, even by kill -9,
they see end-of-file and exit.
"""

from __future__ import annotations

import functools
import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from index.documents import unique_articles
from index.engines.pipes import close_quietly, pipe, worker_died
from index.engines.tantivy.schema import Analyser, Prepared
from index.errors import IndexUnusable
from index.ingest.corpus import CorpusFile
from index.models import Skip

_WORKER_MAIN = "from index.engines.tantivy.workers import main; main()"

Job = list[tuple[CorpusFile, str]]
"""Files to read, each with its content hash."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """One file read and analysed: its articles and the skips it caused."""

    corpus_file: CorpusFile
    digest: str
    articles: list[Prepared]
    skips: tuple[Skip, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(article.id for article in self.articles)


def analyse_file(analyser: Analyser, corpus_file: CorpusFile, digest: str) -> FileResult:
    """Read one file and analyse its articles (in a worker, or in the parent for small runs)."""
    from index.ingest.reading import read_file

    result = read_file(corpus_file)
    articles = [analyser.prepare(article) for article in unique_articles(result.articles)]
    return FileResult(corpus_file, digest, articles, tuple(result.skips))


@functools.lru_cache(maxsize=1)
def _analyser() -> Analyser:
    return Analyser()


def analyse_job(job: Job) -> list[FileResult]:
    """Read and analyse a job's files with this process's analyser (a task on a cluster's worker)."""
    return [analyse_file(_analyser(), corpus_file, digest) for corpus_file, digest in job]


class AnalysisWorkers:
    """A few worker processes: ``send`` a job to an idle one, ``receive`` the next finished job."""

    def __init__(self, count: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self._processes = [
            subprocess.Popen(
                [sys.executable, "-c", _WORKER_MAIN],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                start_new_session=True,
            )
            for _ in range(count)
        ]

    def __len__(self) -> int:
        return len(self._processes)

    def send(self, worker: int, job: Job) -> None:
        stream = pipe(self._processes[worker].stdin)
        try:
            pickle.dump(job, stream, protocol=pickle.HIGHEST_PROTOCOL)
            stream.flush()
        except OSError as error:
            raise worker_died() from error

    def receive(self) -> tuple[int, list[FileResult]]:
        """Wait for the next finished job: (worker, its files' results).

        Send a worker its next job only after its last result is received: a second result could
        sit in the pipe reader's buffer, where ``wait`` does not see it (a sync hung so).
        """
        outputs = [pipe(process.stdout) for process in self._processes]
        # On POSIX, wait selects on any object with fileno() and returns the objects it was given.
        worker = outputs.index(wait(outputs)[0])  # type: ignore[arg-type]
        try:
            kind, payload = pickle.load(outputs[worker])
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            raise worker_died() from error
        if kind == "error":
            raise IndexUnusable(
                f"An indexing worker failed ({payload}); the index as of the last commit is intact."
            )
        results: list[FileResult] = payload
        return worker, results

    def release(self) -> None:
        """Tell the workers to exit once their job is done (end-of-file on their input)."""
        for process in self._processes:
            close_quietly(process.stdin)

    def close(self) -> None:
        """Stop the workers and wait for them to exit (a job in progress is dropped)."""
        self.release()
        for process in self._processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            close_quietly(process.stdout)


def main() -> None:
    """The worker loop: read and analyse each job's files until end-of-file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    jobs = sys.stdin.buffer
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print in a reader must not corrupt the result stream
    analyser = Analyser()
    while True:
        try:
            job: Job = pickle.load(jobs)
        except EOFError:
            return
        reply: tuple[str, Any]
        try:
            reply = ("files", [analyse_file(analyser, corpus_file, digest) for corpus_file, digest in job])
        except Exception as error:
            reply = ("error", f"{type(error).__name__}: {error}")
        pickle.dump(reply, results, protocol=pickle.HIGHEST_PROTOCOL)
        results.flush()
        if reply[0] == "error":
            return
