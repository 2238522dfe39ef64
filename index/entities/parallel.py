"""Entity extraction in worker processes, so that a large entity phase uses every core.

spaCy's own ``nlp.pipe(n_process=2)`` sends every parsed Doc back to the parent as bytes, which
costs about as much as it saves here; these workers instead run the whole extractor (model and
rules) and send back only the spans. Workers are spawned, not forked: the TUI runs the entity
phase on a thread, and forking a threaded process is unsafe. Each worker loads the model once.

Workers hold both ends of their job queue, so on their own they would wait for jobs forever
once the parent is gone. Each has a lifeline instead (index/lifeline.py): it exits when its
parent dies, even by kill -9, or when the parent, interrupted or stopped early, cuts it, which
does not wait for a worker still loading its model or busy with a chunk nobody will read.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from multiprocessing.connection import Connection

from index.entities.extractor import Extractor, RawSpan, default_extractor
from index.lifeline import exit_when_closed

CHUNK_TEXTS = 32
"""Texts per job: big enough to amortise the round trip, small enough to stop promptly."""

_worker_extractor: Extractor | None = None


def _start_worker(model_name: str, lifeline: Connection) -> None:
    global _worker_extractor
    # Ctrl-C is the parent's to handle: it stops feeding work and shuts the pool down. The
    # worker started with SIGINT blocked (see _ctrl_c_held); once ignored, it may be unblocked.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    exit_when_closed(lifeline)
    _worker_extractor = default_extractor(model_name)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C back while a worker may be starting, and deliver it after.

    A start interrupted half-way leaves the worker reading its orders from a closed pipe, and it
    dies with a traceback on the terminal. A terminal also sends Ctrl-C to the whole process
    group, workers included: a worker inherits this thread's blocked SIGINT, so one that is
    starting up ignores it (``_start_worker``) instead of dying with a traceback.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        with _keyboard_interrupt_deferred():
            yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def _keyboard_interrupt_deferred() -> Iterator[None]:
    """On the main thread, the only one Python interrupts: a SIGINT that arrives meanwhile (at
    another thread, which does not block it) is noted, and raised again on leaving."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    handler = signal.signal(signal.SIGINT, lambda signum, _: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
    if pressed:
        signal.raise_signal(signal.SIGINT)


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
        lifeline, cut = context.Pipe(duplex=False)
        pool = ProcessPoolExecutor(
            self.processes,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.model_name, lifeline),
        )
        in_flight: deque[Future[list[list[RawSpan]]]] = deque()
        stream = iter(texts)
        try:
            while chunk := list(islice(stream, CHUNK_TEXTS)):
                with _ctrl_c_held():  # a submit starts a worker while there are fewer than asked
                    in_flight.append(pool.submit(_extract_chunk, chunk))
                if len(in_flight) > 2 * self.processes:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        except BaseException:  # Ctrl-C, an error, or the caller stopped reading: end the workers now
            cut.close()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            cut.close()
            lifeline.close()
