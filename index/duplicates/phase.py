"""The duplicates phase: after the text index is written, sign the articles not yet signed (or
changed since), pair them with their near copies, and forget the articles that left the index.

Incremental and resumable like the entity phase: an article counts as signed once its batch is
committed with the hash of its clean body, so a killed run resumes with the next article and an
unchanged article is never signed again; adding an article compares it with the few articles that
share a band key, never with the whole archive. When the index has not changed since the last
complete phase, nothing is read at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Protocol

from index.duplicates.signatures import content_hash, signature
from index.duplicates.store import DuplicateDB, Signed
from index.models import Article, Progress, ProgressCallback, StopCheck

PHASE = "duplicates"
BATCH_ARTICLES = 500
"""Articles per commit of the duplicates database: the most work a killed run can lose (a second)."""


class IndexedArticles(Protocol):
    """The text index as the duplicates phase sees it."""

    def version(self) -> str | None:
        """Which commit the index is at (changes with every commit); None while there is none."""
        ...

    def articles(self) -> Iterator[Article]:
        """Every indexed article, from a snapshot."""
        ...


def iso_date(moment: dt.datetime | None) -> str | None:
    """A date that sorts as text: aware dates in UTC, every date without its zone."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


def run_duplicates_phase(
    index: IndexedArticles,
    db_path: Path,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    batch_articles: int = BATCH_ARTICLES,
) -> int:
    """Sign and pair the articles of ``index`` that need it, in the database at ``db_path``;
    returns how many were signed. ``should_stop`` is checked between batches; a stopped run keeps
    what it committed."""
    report = progress or (lambda _: None)
    stop = should_stop or (lambda: False)
    with DuplicateDB(db_path) as db:
        version = index.version()
        if version is not None and db.synced_version() == version:
            report(Progress(PHASE, 0, 0))
            return 0
        pending = _plan(index, db)
        total = len(pending)
        report(Progress(PHASE, 0, total))
        done = 0
        articles = (article for article in index.articles() if article.id in pending)
        while batch := list(islice(articles, batch_articles)):
            db.save(Signed(a.id, pending[a.id], iso_date(a.date), signature(a.body)) for a in batch)
            done += len(batch)
            report(Progress(PHASE, done, total, batch[-1].id))
            if stop():
                return done
        db.set_synced_version(version)
        report(Progress(PHASE, done, total))
    return done


def _plan(index: IndexedArticles, db: DuplicateDB) -> dict[str, str]:
    """The articles to sign (id -> body hash); forgets the articles that left the index and
    redates those whose date alone changed."""
    signed = db.signed()
    pending: dict[str, str] = {}
    redated: dict[str, str | None] = {}
    present: set[str] = set()
    for article in index.articles():
        present.add(article.id)
        digest, date = content_hash(article.body), iso_date(article.date)
        known = signed.get(article.id)
        if known is None or known[0] != digest:
            pending[article.id] = digest
        elif known[1] != date:
            redated[article.id] = date
    gone = [article_id for article_id in signed if article_id not in present]
    if gone:
        db.forget(gone)
    if redated:
        db.redate(redated)
    return pending
