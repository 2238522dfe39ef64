"""The entity extractor run by a cluster: chunks of article bodies go to the workers, which run the
model and the rules there and send back only the spans, in order. Each worker loads the model once
(the first chunk it gets) and keeps it for every later chunk, as the local worker processes do."""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from distributed import Future

from index.cluster.connection import Cluster, task_key
from index.entities.extractor import CombinedExtractor, Extractor, RawSpan, default_extractor
from index.entities.parallel import CHUNK_TEXTS
from index.entities.rules import RuleExtractor

_loading = threading.Lock()


class ClusterExtractor:
    """The caller's extractor, rebuilt on the cluster's workers: the model ``model_name`` plus the
    rules, or the rules alone when ``model_name`` is None."""

    def __init__(self, cluster: Cluster, model_name: str | None, name: str) -> None:
        self.cluster = cluster
        self.model_name = model_name
        self.name = name

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        in_flight: deque[Future[list[list[RawSpan]]]] = deque()
        most_in_flight = 2 * self.cluster.threads()
        stream = iter(texts)
        try:
            while chunk := list(islice(stream, CHUNK_TEXTS)):
                key = task_key("entities", self.name, *chunk)
                in_flight.append(self.cluster.submit(extract_chunk, self.model_name, chunk, key=key))
                if len(in_flight) > most_in_flight:
                    yield from self.cluster.result(in_flight.popleft())
            while in_flight:
                yield from self.cluster.result(in_flight.popleft())
        finally:
            if in_flight:
                self.cluster.client.cancel(list(in_flight))


def on_cluster(cluster: Cluster, extractor: Extractor) -> Extractor:
    """``extractor`` run by the cluster when the workers can rebuild it (the model plus the rules, or
    the rules alone); any other extractor runs here."""
    if isinstance(extractor, CombinedExtractor):
        return ClusterExtractor(cluster, extractor.model.name, extractor.name)
    if isinstance(extractor, RuleExtractor):
        return ClusterExtractor(cluster, None, extractor.name)
    return extractor


def extract_chunk(model_name: str | None, texts: list[str]) -> list[list[RawSpan]]:
    """A task: the spans of each text, by this worker's extractor."""
    return list(worker_extractor(model_name).extract(texts))


@functools.lru_cache(maxsize=2)
def _extractor(model_name: str | None) -> Extractor:
    return RuleExtractor() if model_name is None else default_extractor(model_name)


def worker_extractor(model_name: str | None) -> Extractor:
    """This worker process's extractor, loaded by the first task that needs it (a worker with more
    than one thread must not load the model twice)."""
    with _loading:
        return _extractor(model_name)
