"""What a search engine must do for Broadsheet: the one seam between the library and an engine.

An engine keeps one corpus's index in its own folder (``Engine``) and answers queries from a
snapshot of it (``EngineReader``). Everything above this seam is engine-independent: the corpus
walk and the manifest, reading and cleaning, the ``NewsAnalyzer``'s tokens, the typed ``Query`` and
its tree, highlighting, snippets, the entity phase and its store. Only the engine's own package
imports the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

from index.models import (
    Article,
    EntityRef,
    HitPages,
    IndexReport,
    MatchingArticles,
    ProgressCallback,
    Query,
    SearchResult,
    StopCheck,
)

if TYPE_CHECKING:
    from index.cluster import Cluster


class EngineReader(Protocol):
    """A point-in-time view of an index: what every search, facet and article lookup reads.

    Commits made after it was opened are not seen until the library opens a new one (it asks
    ``up_to_date`` before each use). Not thread-safe: the library holds it under its lock.
    """

    def up_to_date(self) -> bool:
        """False once the index has been committed since this reader was opened."""
        ...

    def close(self) -> None: ...

    def count(self) -> int:
        """How many articles this view holds."""
        ...

    def search(self, query: Query, *, limit: int, offset: int, should_stop: StopCheck) -> SearchResult:
        """One page of the matching articles in the query's order (relevance, or newest first for
        ``SortOrder.DATE`` and for a query of every article), the exact total, each hit with its
        snippet and highlight spans. Raises QueryError for a malformed query, Cancelled once
        ``should_stop`` returns True."""
        ...

    def hit_pages(self, query: Query, *, page_size: int, snippets: bool, should_stop: StopCheck) -> HitPages:
        """Every matching article in the order of ``search`` (ties too), ``page_size`` hits at a time,
        in memory that does not grow with each page read: an export. Without ``snippets`` a hit's
        snippet is the start of its body and it has no highlights (much faster). Raises QueryError
        for a malformed query at once, Cancelled once ``should_stop`` returns True."""
        ...

    def more_like_this(self, article_id: str, *, limit: int) -> SearchResult:
        """Articles sharing the most distinctive words of this one (never itself).
        Raises ArticleNotFound."""
        ...

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        ...

    def matching_articles(self, query: Query, should_stop: StopCheck) -> MatchingArticles:
        """Every matching article as a dense number of this view, ascending (facets)."""
        ...

    def date_histogram(self, query: Query, should_stop: StopCheck) -> list[tuple[str, int]]:
        """("YYYY-MM", count) of the dated matching articles, oldest month first."""
        ...

    def months_of(self, articles: MatchingArticles) -> list[tuple[str, int]] | None:
        """``date_histogram`` of these articles (co-mentions), if this view numbered them; None if
        another view did (the index changed since)."""
        ...

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        """The indexed words of ``field`` that start with ``prefix``, each with the number of
        articles that hold it (wildcards, fuzzy terms, did-you-mean), in word order."""
        ...


class Engine(Protocol):
    """One corpus's index folder, written and read by one search engine."""

    name: ClassVar[str]
    """What ``--engine`` and the index folder's marker call it: "whoosh", "tantivy"."""

    format_version: ClassVar[int]
    """Bumped whenever what the engine writes changes: an index of another version is rebuilt."""

    index_dir: Path
    corpus: Path

    def exists(self) -> bool:
        """True if an index of this engine and version is there to search (it may be partial)."""
        ...

    def version(self) -> str | None:
        """Changes with every commit (and differs after a rebuild); None while there is no index."""
        ...

    def count(self) -> int:
        """How many articles the index holds; raises IndexUnusable if some of it cannot be read."""
        ...

    def writing(self, *, wait: float = 0.0) -> AbstractContextManager[object]:
        """Hold the index folder's write lock (re-entrant) for a run of writes; raises IndexBusyError
        if another process holds it for longer than ``wait`` seconds."""
        ...

    def sync(
        self,
        *,
        wait: float = 0.0,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
        cluster: Cluster | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus: add new and changed files, remove gone ones,
        commit in batches so that a killed run keeps what was committed and the next run completes
        it; stop soon after ``should_stop`` returns True. With a ``cluster``, an engine whose
        analysis can run apart from its writer has its files read and analysed on the cluster's
        workers (tantivy); a ClusterError then ends the run once what arrived is committed."""
        ...

    def write_entities(self, batch: Mapping[str, Sequence[EntityRef]], *, wait: float = 0.0) -> int:
        """Give these articles these entity fields (an empty sequence clears them); returns how many
        of the ids were in the index."""
        ...

    def articles(self) -> Iterator[Article]:
        """Every indexed article, from a snapshot that writes made meanwhile do not disturb."""
        ...

    def entity_refs(self) -> Iterator[tuple[str, tuple[EntityRef, ...]]]:
        """(article id, the entities its document holds) of every article, from such a snapshot."""
        ...

    def reader(self) -> EngineReader:
        """A new point-in-time view of the index; the index must exist (``exists``)."""
        ...


EngineFactory = Callable[..., Engine]
