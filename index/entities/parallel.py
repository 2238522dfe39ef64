"""Entity extraction in worker processes, so that a large entity phase uses every core.

spaCy's own ``nlp.pipe(n_process=2)`` sends every parsed Doc back to the parent as bytes, which
costs about as much as it saves here; these workers instead run the whole extractor (model and
rules) and send back only the spans. Workers are spawned, not forked: the TUI runs the entity
phase on a thread, and forking a threaded process is unsafe. Each worker loads the model once,
and exits as soon as the process that started it is gone, even killed with -9: a worker holds
both ends of its job queue, so it would otherwise wait for jobs forever.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from index.entities.extractor import Extractor, RawSpan, default_extractor
from index.lifeline import exit_with_parent

CHUNK_TEXTS = 32
"""Texts per job: big enough to amortise the round trip, small enough to stop promptly."""

_worker_extractor: Extractor | None = None


def _start_worker(model_name: str) -> None:
    global _worker_extractor
    # Ctrl-C is the parent's to handle: it stops feeding work and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    assert parent is not None
    exit_with_parent(parent.sentinel)
    _worker_extractor = default_extractor(model_name)


def _extract_chunk(texts: list[str]) -> list[list[RawSpan]]:
    assert _worker_extractor is not None
    return list(_worker_extractor.extract(texts))


class ParallelExtractor:
    """The default extractor of ``model_name``, run in ``processes`` workers; spans come back in order."""

    def __init__(self, model_name: str, name: str, *, processes: int = 2) -> None:
        self.model_name = model_name
        self.name = name
        self.processes = processes

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            self.processes, mp_context=context, initializer=_start_worker, initargs=(self.model_name,)
        )
        in_flight: deque[Future[list[list[RawSpan]]]] = deque()
        stream = iter(texts)
        try:
            while chunk := list(islice(stream, CHUNK_TEXTS)):
                in_flight.append(pool.submit(_extract_chunk, chunk))
                if len(in_flight) > 2 * self.processes:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
