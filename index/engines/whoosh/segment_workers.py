"""Reading files and building Whoosh segments in worker processes, so indexing uses every core.

Whoosh is pure Python, so one process indexes a few hundred articles a second at best. Each
worker here owns a Whoosh ``SegmentWriter`` (without the index lock, which the parent holds),
indexes the files it is sent into a segment of its own, and on ``finish`` hands the finished
segment back; the parent adds the segments to its own commit. This is what Whoosh's ``MpWriter``
does, with differences that matter for an archive: the workers are fresh processes that inherit
no lock, and they read their jobs from a pipe that only the parent writes, so when the parent
dies, even by kill -9, they see end-of-file and exit instead of lingering as orphans.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from index.documents import document, unique_articles
from index.engines.pipes import close_quietly, pipe, worker_died
from index.engines.whoosh.codec import writing_codec
from index.errors import IndexUnusable
from index.ingest import CorpusFile, read_file
from index.models import Skip

_WORKER_MAIN = "from index.engines.whoosh.segment_workers import main; main()"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What indexing one file made: its articles' ids (now in the writer's segment) and skips."""

    corpus_file: CorpusFile
    digest: str
    ids: tuple[str, ...]
    skips: tuple[Skip, ...]


class SegmentWorkers:
    """A few worker processes; ``send`` jobs, ``receive`` results, ``finish`` for their segments.

    Workers are plain ``python -c`` subprocesses running ``main`` and talking pickles over
    their stdin and stdout: unlike multiprocessing's spawn, this never re-runs the caller's main
    script, and the workers sit in their own session, so Ctrl-C reaches only the parent.
    """

    def __init__(self, whoosh_dir: Path, count: int) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self._processes = [
            subprocess.Popen(
                [sys.executable, "-c", _WORKER_MAIN, str(whoosh_dir)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                start_new_session=True,
            )
            for _ in range(count)
        ]

    def __len__(self) -> int:
        return len(self._processes)

    def send(self, worker: int, files: list[tuple[CorpusFile, str]]) -> None:
        """Index these (file, content hash) pairs into the worker's current segment."""
        self._send(worker, ("files", files))

    def send_documents(self, worker: int, documents: list[dict[str, Any]]) -> None:
        """Add these ready-made Whoosh documents to the worker's current segment."""
        self._send(worker, ("documents", documents))

    def receive(self) -> tuple[int, Any]:
        """Wait for the next finished job: (worker, its file results or its count of documents)."""
        outputs = [pipe(process.stdout) for process in self._processes]
        # typeshed's wait takes connections, sockets and file descriptors; on POSIX it selects on any
        # object with fileno(), pipes included, and returns the very objects it was given.
        worker = outputs.index(wait(outputs)[0])  # type: ignore[arg-type]
        return worker, self._expect(worker)

    def finish(self) -> list[Any]:
        """Close every worker's segment (call when no job is outstanding); the non-empty ones."""
        for worker in range(len(self)):
            self._send(worker, ("finish", None))
        segments = [self._expect(worker) for worker in range(len(self))]
        return [segment for segment in segments if segment is not None]

    def close(self) -> None:
        """Stop the workers; a segment they had not finished is dropped (Whoosh cleans its files)."""
        for process in self._processes:
            close_quietly(process.stdin)
        for process in self._processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            close_quietly(process.stdout)

    def _send(self, worker: int, message: tuple[str, Any]) -> None:
        stream = pipe(self._processes[worker].stdin)
        try:
            pickle.dump(message, stream)
            stream.flush()
        except (BrokenPipeError, OSError):
            raise worker_died() from None

    def _expect(self, worker: int) -> Any:
        try:
            reply, payload = pickle.load(pipe(self._processes[worker].stdout))
        except (EOFError, OSError, pickle.UnpicklingError):
            raise worker_died() from None
        if reply == "error":
            raise IndexUnusable(
                f"An indexing worker failed ({payload}); the index as of the last commit is intact."
            )
        return payload


def main() -> None:
    """The worker loop: index files into a segment until told to finish it, until end-of-file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    jobs = sys.stdin.buffer
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print in a reader must not corrupt the result stream
    from whoosh import index as whoosh_index

    from index.engines.whoosh.schema import build_schema

    ix = whoosh_index.open_dir(sys.argv[1], schema=build_schema())
    writer = None
    try:
        while True:
            try:
                kind, payload = pickle.load(jobs)
            except EOFError:
                return
            try:
                if kind == "files":
                    writer = writer or _segment_writer(ix)
                    reply: Any = [index_file(writer, *job) for job in payload]
                elif kind == "documents":
                    writer = writer or _segment_writer(ix)
                    for fields in payload:
                        writer.add_document(**fields)
                    reply = len(payload)
                else:
                    reply = writer._finalize_segment() if writer is not None and writer._added else None
                    _discard(writer, keep_files=reply is not None)
                    writer = None
            except Exception as error:
                reply, kind = f"{type(error).__name__}: {error}", "error"
            pickle.dump((kind, reply), results)
            results.flush()
            if kind == "error":
                return
    finally:
        _discard(writer, keep_files=False)


def _segment_writer(ix: Any) -> Any:
    """A writer for a segment of its own, with a temp folder of its own."""
    from whoosh.writing import SegmentWriter

    writer = SegmentWriter(ix, _lk=False, codec=writing_codec())
    use_own_temp_folder(writer, ix)
    return writer


def use_own_temp_folder(writer: Any, ix: Any) -> None:
    """Give ``writer`` a temp folder named after this process.

    Whoosh names every writer's temp folder after the index and destroys it when the writer
    finishes, so writers working side by side (the workers, and the parent committing beside
    them) must not share it.
    """
    from whoosh.writing import PostingPool

    writer._tempstorage = ix.storage.temp_storage(f"{ix.indexname}.{os.getpid()}.tmp")
    writer.pool = PostingPool(writer._tempstorage, writer.newsegment)


def _discard(writer: Any, *, keep_files: bool) -> None:
    """Drop the writer's temp files (and its segment, unless kept); a full disk must not stop that."""
    if writer is None:
        return
    if not keep_files:
        with contextlib.suppress(OSError):
            writer._close_segment()
    writer._tempstorage.destroy()


def index_file(writer: Any, corpus_file: CorpusFile, digest: str) -> FileResult:
    """Read one file and add its articles to ``writer`` (a worker's, or the parent's own)."""
    result = read_file(corpus_file)
    articles = unique_articles(result.articles)
    for article in articles:
        writer.add_document(**document(article))
    return FileResult(corpus_file, digest, tuple(a.id for a in articles), tuple(result.skips))
