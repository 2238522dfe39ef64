"""The entity phase: after the text index is written, find the entities of the articles not yet
analysed, save them batch by batch, then resolve entities corpus-wide and update the index.

Resumable by construction: an article counts as analysed once its batch is committed to the
entity database with the hash of its body and the extractor's name, so a killed run resumes with
the next article, and an unchanged article is never analysed again (articles analysed by the
rules alone, when the model was missing, are analysed again once the model is there). Search is
never blocked: the text index is already usable and each write of entity fields is a short batch.

The text index is reached only through ``IndexedArticles``, what the phase needs of it.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index.entities.canonical import Resolver
from index.entities.extractor import CombinedExtractor, Extractor, default_extractor
from index.entities.normalise import clean_mentions
from index.entities.parallel import ParallelExtractor
from index.entities.rules import RuleExtractor
from index.entities.store import Analysed, EntityDB
from index.models import Article, EntityRef, Progress, ProgressCallback, StopCheck

if TYPE_CHECKING:
    from index.cluster import Cluster

BATCH_ARTICLES = 100
"""Articles per commit of the entity database: the most work a killed run can lose."""
PARALLEL_MIN_ARTICLES = 1000
"""Below this many articles, starting worker processes costs more than it saves."""
MAX_WORKERS = 2
WORKERS_ENV = "BROADSHEET_ENTITY_WORKERS"
WRITE_BATCH = 5000
"""Articles per commit of the text index when the entity fields are pushed to it."""
READ_CHUNK = 2000
"""Articles whose indexed and wanted entities are compared at a time."""


class IndexedArticles(Protocol):
    """The text index as the entity phase sees it."""

    def version(self) -> str | None:
        """Which commit the index is at (changes with every commit); None while there is none."""
        ...

    def count(self) -> int:
        """How many articles the index holds; raises IndexUnusable if some of it cannot be read."""
        ...

    def articles(self) -> Iterator[Article]:
        """Every indexed article, from a snapshot that the phase's own writes do not disturb."""
        ...

    def entity_refs(self) -> Iterator[tuple[str, tuple[EntityRef, ...]]]:
        """(article id, the entities its document holds) of every article, from such a snapshot."""
        ...

    def write_entities(self, batch: Mapping[str, Sequence[EntityRef]]) -> int:
        """Give these articles these entity fields (one commit); returns how many were found."""
        ...


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def run_entity_phase(
    index: IndexedArticles,
    db_path: Path,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    extractor: Extractor | None = None,
    batch_articles: int = BATCH_ARTICLES,
    cluster: Cluster | None = None,
) -> int:
    """Analyse the articles of ``index`` that need it, saving them in the entity database at
    ``db_path``, then refresh canonical entities and the index's entity fields.

    Returns how many articles were analysed. ``should_stop`` is checked between batches; a stopped
    run keeps what it committed and leaves the corpus-wide step to the next run. ``extractor``
    defaults to the model plus rules, loaded only if some article needs analysing. With a
    ``cluster``, its workers run the extractor (each loads the model once).
    """
    report = progress or (lambda _: None)
    stop = should_stop or (lambda: False)
    with EntityDB(db_path) as db:
        if _up_to_date(index, db):
            report(Progress("entities", 0, 0))
            return 0
        pending, extractor = _plan(index, db, extractor, cluster)
        total = len(pending)
        report(Progress("entities", 0, total))
        done = 0
        if pending:
            assert extractor is not None

            def analysed(in_batch: int, article_id: str) -> None:
                report(Progress("entities", done + in_batch, total, article_id))

            for batch in _analyse(extractor, _articles(index, pending), batch_articles, analysed):
                db.save(batch)
                done += len(batch)
                if stop():
                    return done
        if db.unresolved():
            _resolve(db)
        _push(index, db)
        db.set_pushed_version(index.version())
        report(Progress("entities", done, total))
    return done


def _up_to_date(index: IndexedArticles, db: EntityDB) -> bool:
    """Nothing to do: the index has not changed since the last complete phase, which used the model.

    Checking article by article reads and hashes every body and compares every document's entity
    fields: 8 s for 10,000 articles, on every ``broadsheet`` run, for nothing.
    """
    version = index.version()
    unchanged = (
        version is not None
        and db.pushed_version() == version
        and not db.unresolved()
        and not db.analysed_by(RuleExtractor.name)
    )
    if unchanged:
        index.count()  # opens every segment: a damaged index is still reported, as a full run did
    return unchanged


def _plan(
    index: IndexedArticles, db: EntityDB, extractor: Extractor | None, cluster: Cluster | None
) -> tuple[dict[str, str], Extractor | None]:
    """The articles to analyse (id -> body hash) and the extractor (loaded only if needed);
    forgets the articles that left the index."""
    analysed = db.analysed()
    present: dict[str, str] = {article.id: body_hash(article.body) for article in index.articles()}
    db.forget([article_id for article_id in analysed if article_id not in present])
    pending = {
        article_id: digest
        for article_id, digest in present.items()
        if analysed.get(article_id, ("", ""))[0] != digest
    }
    by_rules_only = {
        article_id: digest
        for article_id, digest in present.items()
        if article_id not in pending and analysed[article_id][1] == RuleExtractor.name
    }
    if pending or by_rules_only:
        extractor = extractor or default_extractor()
        if extractor.name != RuleExtractor.name:
            pending.update(by_rules_only)
        if cluster is not None:
            from index.cluster import on_cluster

            extractor = on_cluster(cluster, extractor)
        elif extractor.name != RuleExtractor.name:
            extractor = _parallel_if_worth_it(extractor, len(pending))
    return pending, extractor


def _parallel_if_worth_it(extractor: Extractor, articles: int) -> Extractor:
    """Worker processes for a large run on a machine with cores to spare (each worker costs a few
    seconds to start and a model's memory); $BROADSHEET_ENTITY_WORKERS overrides the count."""
    workers = int(os.environ.get(WORKERS_ENV) or min(os.cpu_count() or 1, MAX_WORKERS))
    if workers < 2 or articles < PARALLEL_MIN_ARTICLES or not isinstance(extractor, CombinedExtractor):
        return extractor
    return ParallelExtractor(extractor.model.name, extractor.name, processes=workers)


def _articles(index: IndexedArticles, pending: dict[str, str]) -> Iterator[tuple[Article, str]]:
    for article in index.articles():
        digest = pending.get(article.id)
        if digest is not None:
            yield article, digest


def _analyse(
    extractor: Extractor,
    articles: Iterable[tuple[Article, str]],
    size: int,
    on_analysed: Callable[[int, str], None],
) -> Iterator[list[Analysed]]:
    """Batches of analysed articles; the extractor streams over all texts (nlp.pipe batches them).

    ``on_analysed(n, id)`` hears of each article as it is analysed, the ``n``th of its batch: a
    batch of a hundred takes seconds, too long for a progress bar to sit still.
    """
    queue: deque[tuple[Article, str]] = deque()

    def texts() -> Iterator[str]:
        for article, digest in articles:
            queue.append((article, digest))
            yield article.body

    results = extractor.extract(texts())
    try:
        while True:
            batch = []
            for spans in islice(results, size):
                article, digest = queue.popleft()
                batch.append(
                    Analysed(article.id, digest, extractor.name, clean_mentions(article.body, spans))
                )
                on_analysed(len(batch), article.id)
            if not batch:
                return
            yield batch
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _resolve(db: EntityDB) -> None:
    resolver = Resolver()
    resolver.add_all(db.found())
    db.replace_entities(resolver.resolve())


def _push(index: IndexedArticles, db: EntityDB) -> None:
    """Write the entity fields of the articles whose entities differ from what the index holds.

    Both sides are read a chunk of articles at a time: holding every article's entities twice,
    as wanted and as indexed, took 800 MB at 100,000 articles.
    """
    changed: dict[str, tuple[EntityRef, ...]] = {}
    for indexed in _indexed_refs(index):
        wanted = db.article_refs(list(indexed))
        for article_id, refs in indexed.items():
            if frozenset(wanted.get(article_id, ())) != frozenset(refs):
                changed[article_id] = wanted.get(article_id, ())
                if len(changed) >= WRITE_BATCH:
                    index.write_entities(changed)
                    changed = {}
    if changed:
        index.write_entities(changed)


def _indexed_refs(index: IndexedArticles) -> Iterator[dict[str, tuple[EntityRef, ...]]]:
    """Article id -> the entities its index document holds now, a chunk of articles at a time
    (from a snapshot from before this push, whatever the push writes)."""
    refs = index.entity_refs()
    while chunk := list(islice(refs, READ_CHUNK)):
        yield dict(chunk)
