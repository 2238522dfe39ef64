"""The one object the command line and the TUI use: a corpus, its index, and the questions they ask.

Opening a library is cheap (no index is built, no model loaded) so that the TUI can draw its first
frame at once; ``update`` builds or refreshes the text index and then its entities, the way every
client brings an index up to date (``sync`` and ``extract_entities`` are its two phases).
Searches may run on other threads while a sync writes: one searcher is shared under a lock and
refreshed after each commit (and whenever another process has committed).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar

from index import engines, paths
from index.errors import ArticleNotFound
from index.models import (
    Article,
    ArticleNotes,
    ArticleNumbering,
    ArticleStatus,
    CoMentions,
    EntityFilter,
    Facet,
    Hit,
    HitPages,
    IndexReport,
    MatchingArticles,
    Mention,
    ProgressCallback,
    Query,
    SearchResult,
    StopCheck,
    UpdateReport,
)

if TYPE_CHECKING:
    from index.cluster import Cluster
    from index.duplicates import Copy, DuplicateGroup
    from index.duplicates.collapse import Duplicates
    from index.engines.base import Engine, EngineReader
    from index.entities.facets import EntityFacets
    from index.export import Export, ExportRow
    from index.notebook.curation import Curation, CurationOp
    from index.notebook.searches import SavedSearch
    from index.notebook.store import Notebook

SyncedCallback = Callable[[IndexReport], None]

RECENT_RESULTS = 32
"""Pages of results kept per index version (a page of 50 hits with snippets is a few tens of KB)."""
RECENT_MATCHING = 4
"""Matching sets kept per index version (up to 8 bytes an article each: 8 MB at a million)."""

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _never() -> bool:
    return False


class Library:
    """A corpus and its index. Create with ``Library.open``; close when done (or use ``with``)."""

    def __init__(self, corpus: Path, index_dir: Path, engine: str = engines.DEFAULT_ENGINE) -> None:
        self.corpus = corpus
        self.index_dir = index_dir
        self.engine: Engine = engines.open_engine(index_dir, corpus, engine, on_commit=self._mark_stale)
        self._lock = threading.RLock()
        self._reader: EngineReader | None = None
        # Answers of the current reader, dropped with it: the explorer asks again for the page it
        # shows when the sort flips back, the facets ask for the matches the histogram just read.
        self._results: Recent[tuple[Query, int, int], SearchResult] = Recent(RECENT_RESULTS)
        self._matching: Recent[Query, MatchingArticles] = Recent(RECENT_MATCHING)
        self._stale = False
        self._entity_facets: EntityFacets | None = None
        self._notebook: Notebook | None = None
        self._notebook_path: Path | None = None
        self._duplicates: Duplicates | None = None

    @classmethod
    def open(
        cls, corpus: Path | None = None, *, index_dir: Path | None = None, engine: str | None = None
    ) -> Library:
        """Open ``corpus`` (None: the bundled seeds). Checks the index folder but builds nothing.

        ``engine`` ("whoosh", "tantivy") is the engine a new index is built with; an existing index
        is opened with the engine that built it, and asking for another raises IndexUnusable.
        """
        corpus_path, folder = paths.locate(corpus, index_dir)
        return cls(corpus_path, folder, engines.chosen_engine(folder, corpus_path, engine))

    @property
    def engine_name(self) -> str:
        """The engine that keeps this index: "whoosh" or "tantivy"."""
        return self.engine.name

    @property
    def is_indexed(self) -> bool:
        """True once a text index exists (it may be partial if a run was interrupted)."""
        return self.engine.exists()

    def count(self) -> int:
        """How many articles the index holds (0 before the first sync)."""
        with self._reading() as reader:
            return 0 if reader is None else reader.count()

    def update(
        self,
        *,
        entities: bool = True,
        progress: ProgressCallback | None = None,
        on_synced: SyncedCallback | None = None,
        should_stop: StopCheck | None = None,
        wait: float = 0.0,
        cluster: Cluster | None = None,
    ) -> UpdateReport:
        """Sync the text index, then (if ``entities``) run the entity phase, under one hold of the
        write lock: another writer, such as a search refreshing the index, cannot slip in between and
        make the entity phase give up as busy. ``on_synced`` hears the text phase's report as soon as
        it is done, so that its results can be shown before the entities are. Raises IndexBusyError
        if another process holds the index for longer than ``wait`` seconds. With a ``cluster``, the
        reading, analysis and entity extraction run on its workers (see ``index.cluster``)."""
        with self.engine.writing(wait=wait):
            synced = self.sync(progress=progress, should_stop=should_stop, cluster=cluster)
            if on_synced is not None:
                on_synced(synced)
            if not (should_stop or _never)():
                self.find_duplicates(progress=progress, should_stop=should_stop)
            if not entities or (should_stop or _never)():
                return UpdateReport(synced, analysed=None)
            analysed = self.extract_entities(progress=progress, should_stop=should_stop, cluster=cluster)
            return UpdateReport(synced, analysed)

    def sync(
        self,
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
        wait: float = 0.0,
        cluster: Cluster | None = None,
    ) -> IndexReport:
        """Build or refresh the text index. Raises IndexBusyError if another process holds it."""
        return self.engine.sync(wait=wait, progress=progress, should_stop=should_stop, cluster=cluster)

    def extract_entities(
        self,
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
        wait: float = 0.0,
        cluster: Cluster | None = None,
    ) -> int:
        """Run the entity phase over the indexed articles; returns how many articles it analysed."""
        from index.entities.phase import run_entity_phase

        with self.engine.writing(wait=wait):
            return run_entity_phase(
                self.engine, self._entity_db, progress=progress, should_stop=should_stop, cluster=cluster
            )

    def find_duplicates(
        self,
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
        wait: float = 0.0,
    ) -> int:
        """Run the duplicates phase over the indexed articles; returns how many articles it signed.
        ``update`` runs it between the text phase and the entity phase (unless stopped), whether
        or not it runs the entities: it is cheap, and a collapsed search needs it."""
        from index.duplicates.phase import run_duplicates_phase

        with self.engine.writing(wait=wait):
            return run_duplicates_phase(
                self.engine, self._duplicates_db, progress=progress, should_stop=should_stop
            )

    def duplicates(self, threshold: float | None = None) -> list[DuplicateGroup]:
        """The groups of copies among the indexed articles, at ``threshold`` (the estimated share of
        word shingles two near copies have in common; None: ``DEFAULT_THRESHOLD``), each oldest
        first ([] before the duplicates phase). Raises ThresholdError outside [FLOOR, 1]."""
        from index.duplicates import check_threshold

        return self._duplicate_groups().groups(check_threshold(threshold))

    def copies(self, article_id: str, threshold: float | None = None) -> list[Copy]:
        """Every copy of this article's story at ``threshold`` (None: ``DEFAULT_THRESHOLD``), the
        article itself included, oldest first, each with where and when it appeared; [] when it has
        no copies (or before the duplicates phase). Raises ThresholdError outside [FLOOR, 1]."""
        from index.duplicates import Copy, check_threshold

        index = self._duplicate_groups().index(check_threshold(threshold))
        number = None if index is None else index.group_of.get(article_id)
        if index is None or number is None:
            return []
        copies = []
        with self._reading() as reader:
            for member in index.groups[number].ids:
                article = None if reader is None else reader.article(member)
                if article is not None:  # gone from the index since the last duplicates phase
                    copies.append(Copy(member, article.path, article.title, article.source, article.date))
        return copies if len(copies) > 1 else []

    def iter_articles(self) -> Iterator[Article]:
        """Every indexed article, in index order.

        Reads a private snapshot of the index, so commits made while iterating (entity writes)
        neither disturb the iteration nor wait for it.
        """
        return self.engine.articles()

    def search(
        self,
        query: Query | str,
        *,
        limit: int = 50,
        offset: int = 0,
        should_stop: StopCheck | None = None,
        collapse: bool = False,
    ) -> SearchResult:
        """One page of the articles matching ``query`` (a plain text: ``Query.of``), in its order.
        With ``collapse``, copies of one story are one line (``index.duplicates.collapse``), each
        hit's ``similar`` saying how many copies it stands for. Raises QueryError for a malformed
        query, Cancelled if ``should_stop`` returns True before it is done."""
        started = time.perf_counter()
        if collapse:
            collapsed = self._collapsed(Query.of(query), limit=limit, offset=offset, should_stop=should_stop)
            return replace(collapsed, elapsed=time.perf_counter() - started)
        query, curation = self._noted_query(Query.of(query))
        with self._reading() as reader:
            if reader is None:
                return SearchResult(query=query.shown, total=0, hits=(), sort=query.sort)
            key = (query, limit, offset)
            cached = self._results.get(key)
            if cached is None:
                cached = reader.search(query, limit=limit, offset=offset, should_stop=should_stop or _never)
                self._results.put(key, cached)
                return _curated_hits(cached, curation)
        return _curated_hits(replace(cached, elapsed=time.perf_counter() - started), curation)

    def article(self, article_id: str) -> Article:
        """The stored article with this id. Raises ArticleNotFound."""
        with self._reading() as reader:
            article = None if reader is None else reader.article(article_id)
        if article is None:
            raise ArticleNotFound(f"No article has the id {article_id!r}.")
        return article

    def more_like_this(self, article_id: str, *, limit: int = 20) -> SearchResult:
        """Articles similar to this one. Raises ArticleNotFound."""
        with self._reading() as reader:
            if reader is None:
                raise ArticleNotFound(f"No article has the id {article_id!r}.")
            similar = reader.more_like_this(article_id, limit=limit)
        return _curated_hits(similar, self.curation())

    def date_histogram(
        self, query: Query | str, *, should_stop: StopCheck | None = None
    ) -> list[tuple[str, int]]:
        """("YYYY-MM", count) of the dated articles matching ``query``, oldest month first.
        Cancelled if ``should_stop`` returns True before it is done."""
        noted = self._noted_query(Query.of(query))[0]
        with self._reading() as reader:
            if reader is None:
                return []
            return reader.date_histogram(noted, should_stop or _never)

    def article_entities(self, article_id: str) -> list[Mention]:
        """The entity mentions of one article, in body order ([] before the entity phase), as the
        user's curation shows them."""
        from index.entities.store import mentions_for

        return self.curation().mentions(mentions_for(self._entity_db, article_id))

    def facets(
        self,
        query: Query | str,
        *,
        label: str | None = None,
        limit: int = 20,
        should_stop: StopCheck | None = None,
    ) -> list[Facet]:
        """The top entities across the articles matching ``query`` ([] before the entity phase).
        Cancelled if ``should_stop`` returns True before it is done."""
        from index.entities.facets import as_stored

        stop = should_stop or _never
        query, curation = self._noted_query(Query.of(query))
        curated = curation.shown if curation else as_stored
        return self._facets().top(query, label=label, limit=limit, should_stop=stop, curated=curated)

    def comentions(
        self,
        query: Query | str,
        entity: EntityFilter,
        *,
        limit: int = 20,
        should_stop: StopCheck | None = None,
    ) -> CoMentions:
        """``entity`` across the articles matching ``query``: how many mention it and how often, the
        ``limit`` entities most often mentioned in the same articles, and its articles per month, or
        per year for a long span (``index.periods``); counted as the user's curation shows
        entities. Nothing found before the entity phase or for an entity no matching article names.
        Raises QueryError for a malformed query, Cancelled if ``should_stop`` returns True first."""
        from index.entities.comentions import co_mentioned
        from index.entities.facets import as_stored
        from index.periods import by_period

        stop = should_stop or _never
        query = Query.of(query)
        noted, curation = self._noted_query(query)
        curated = curation.shown if curation else as_stored
        counted = co_mentioned(self._facets(), noted, entity, limit=limit, should_stop=stop, curated=curated)
        timeline: list[tuple[str, int]] = []
        if counted.articles:
            timeline = by_period(
                self._months_of(counted.mentioning) or self._months_with(query, entity, stop)
            )
        return CoMentions(
            entity, counted.articles, counted.mentions, tuple(counted.comentioned), tuple(timeline)
        )

    def _months_of(self, articles: MatchingArticles | None) -> list[tuple[str, int]] | None:
        """The month histogram of these articles, from their dates in the index; None if they were
        numbered by an older view of it (or are every article)."""
        if articles is None:
            return None
        with self._reading() as reader:
            return None if reader is None else reader.months_of(articles)

    def _months_with(self, query: Query, entity: EntityFilter, stop: StopCheck) -> list[tuple[str, int]]:
        """The month histogram of the articles matching ``query`` that mention ``entity``, by a search."""
        narrowed = query if entity in query.filters else replace(query, filters=(*query.filters, entity))
        return self.date_histogram(narrowed, should_stop=stop)

    def matching_ids(self, query: Query | str, *, should_stop: StopCheck | None = None) -> list[str]:
        """The ids of every article matching ``query``, in id order (batch search: no ranking, no
        snippets). Raises QueryError for a malformed query."""
        matching = self._matching_articles(self._noted_query(Query.of(query))[0], should_stop or _never)
        ids = matching.numbering.ids
        return sorted(ids[number] for number in matching.numbers)

    # Export ---------------------------------------------------------------------------------------

    def export(
        self,
        query: Query | str,
        *,
        entities: bool = False,
        notes: bool = False,
        snippets: bool = False,
        should_stop: StopCheck | None = None,
    ) -> Export:
        """Every article matching ``query``, in its order, as rows to write (``index.export``): the
        stored fields, score and tags of each, its entities and note if asked, and its snippet (else
        the start of its body: much faster). Reads its own view of the index a page at a time, so
        that searches on other threads do not wait for it and commits meanwhile do not change it;
        close it when done. Raises QueryError for a malformed query."""
        from index.export import PAGE_SIZE, Export, export_row

        query, curation = self._noted_query(Query.of(query))
        notebook = self._existing_notebook()
        stop = should_stop or _never

        def row(hit: Hit) -> ExportRow:
            noted = None if notebook is None else notebook.article_notes(hit.id)
            refs = curation.refs(hit.entities) if entities else None
            return export_row(hit, noted, entities=refs, with_notes=notes)

        if not self.engine.exists():
            nothing = HitPages(query.shown, 0, query.sort, iter(()))
            return Export(nothing, row, entities=entities, notes=notes)
        reader = self.engine.reader()
        try:
            hits = reader.hit_pages(query, page_size=PAGE_SIZE, snippets=snippets, should_stop=stop)
        except BaseException:
            reader.close()
            raise
        return Export(hits, row, close=reader.close, entities=entities, notes=notes)

    def notebook(self) -> Notebook:
        """The user's notebook of this corpus (curation, notes), created on first use."""
        from index.notebook.store import Notebook

        with self._lock:
            if self._notebook is None:
                self._notebook = Notebook.open(self.corpus)
            return self._notebook

    def curation(self) -> Curation:
        """The user's entity curation of this corpus as it stands (empty if they made none)."""
        from index.notebook.curation import Curation

        notebook = self._existing_notebook()
        return Curation() if notebook is None else notebook.curation()

    def annotate(
        self,
        article_id: str,
        *,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        note: str | None = None,
    ) -> ArticleNotes | None:
        """Star or unstar an article, tag or untag it, replace its note (None: unchanged), in the
        notebook, on its current text; returns what the notebook now holds of it (None: nothing).
        Raises ArticleNotFound, NotebookError (a tag with a space)."""
        from index.entities.phase import body_hash

        digest = body_hash(self.article(article_id).body)
        return self.notebook().annotate(
            article_id, digest, starred=starred, add_tags=add_tags, remove_tags=remove_tags, note=note
        )

    def article_notes(self, article_id: str) -> ArticleNotes | None:
        """The star, tags and note of one article, and whether its text changed since (None: nothing)."""
        notebook = self._existing_notebook()
        found = None if notebook is None else notebook.article_notes(article_id)
        return None if found is None else self._with_status(found)

    def notes_of(self, article_ids: Iterable[str]) -> dict[str, ArticleNotes]:
        """The star, tags and note of each of these articles that has any, by id, as the notebook
        holds them (status not compared with the index: what marks a page of hits, at once)."""
        notebook = self._existing_notebook()
        return {} if notebook is None else notebook.notes_of(article_ids)

    def noted_articles(self) -> list[ArticleNotes]:
        """Every article with a star, a tag or a note, by id; those whose file is gone are kept,
        ``ORPHANED``, and those whose text changed since are ``CHANGED``."""
        notebook = self._existing_notebook()
        return [] if notebook is None else [self._with_status(found) for found in notebook.noted_articles()]

    # Curation and searches, as the explorer changes them ----------------------------------------
    # Answers that curation changes are not kept past it: the query an answer is kept under holds
    # the notebook's aliases and marks, which a change to the notebook replaces.

    def curate(self, op: CurationOp) -> None:
        """Add an entity correction (``index.notebook.curation``) to the notebook."""
        self.notebook().curate(op)

    def undo_curation(self) -> CurationOp:
        """Drop the last entity correction and return it. Raises NotebookError if there is none."""
        return self.notebook().undo()

    def save_search(self, search: SavedSearch) -> None:
        """Keep ``search`` under its name (in place of any search saved under it)."""
        self.notebook().save_searches([search])

    def saved_searches(self) -> list[SavedSearch]:
        """The saved searches, by name."""
        notebook = self._existing_notebook()
        return [] if notebook is None else notebook.saved_searches()

    def delete_saved_search(self, name: str) -> None:
        """Forget the search saved as ``name``. Raises NotebookError, naming the nearest names, if
        none is."""
        from index.notebook.searches import find_saved

        found = find_saved(name, self.saved_searches())
        self.notebook().delete_saved_search(found.name)

    def record_search(self, text: str) -> None:
        """Add a query text to the history of searches (not one the same as the latest)."""
        self.notebook().record_search(text)

    def search_history(self) -> list[str]:
        """The query texts searched, oldest first, in this process and earlier ones."""
        notebook = self._existing_notebook()
        return [] if notebook is None else notebook.search_history()

    def _with_status(self, noted: ArticleNotes) -> ArticleNotes:
        from index.entities.phase import body_hash

        with self._reading() as reader:
            article = None if reader is None else reader.article(noted.article_id)
        if article is None:
            return replace(noted, status=ArticleStatus.ORPHANED)
        if body_hash(article.body) != noted.body_hash:
            return replace(noted, status=ArticleStatus.CHANGED)
        return noted

    def _existing_notebook(self) -> Notebook | None:
        """The notebook if one was ever written (reads create none)."""
        from index.notebook.location import notebook_path
        from index.notebook.store import Notebook

        with self._lock:
            if self._notebook is None:
                # Where it would be is worked out (and checked) once: each search asks, most often
                # of a corpus that has no notebook, and the path's checks cost more than the search
                # of a field. Once the file is there, it is opened with every check.
                if self._notebook_path is None:
                    self._notebook_path = notebook_path(self.corpus)
                if self._notebook_path.is_file():
                    self._notebook = Notebook.existing(self.corpus)
            return self._notebook

    def _noted_query(self, query: Query) -> tuple[Query, Curation]:
        """``query`` with what the notebook adds to it (the curation's aliases, the stars, tags and
        notes it reads), and the curation that shows its entities."""
        from index.notebook.curation import Curation

        notebook = self._existing_notebook()
        if notebook is None:
            return query, Curation()
        curation = notebook.curation()
        return replace(query, aliases=curation.aliases, marks=notebook.marked()), curation

    def reader(self) -> _Reading:
        """The shared engine reader, as a context manager that holds the library's lock (None while
        there is no index).

        For the benchmarks and tests that profile an engine itself: clients use the methods above,
        and the modules of ``index`` are handed what they need (the entity code its matching
        articles, see ``_facets``).
        """
        return self._reading()

    def forget_answers(self) -> None:
        """Drop the kept pages and matching sets (benchmarks that time the engine, not the memory)."""
        with self._lock:
            self._results.clear()
            self._matching.clear()

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
            self._reader = None
            if self._notebook is not None:
                self._notebook.close()
            self._notebook = None

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def _entity_db(self) -> Path:
        from index.entities.store import DB_NAME

        return self.index_dir / DB_NAME

    @property
    def _duplicates_db(self) -> Path:
        from index.duplicates.store import DB_NAME

        return self.index_dir / DB_NAME

    def _duplicate_groups(self) -> Duplicates:
        from index.duplicates.collapse import Duplicates

        with self._lock:
            if self._duplicates is None:
                self._duplicates = Duplicates(self._duplicates_db)
            return self._duplicates

    def _collapsed(
        self, query: Query, *, limit: int, offset: int, should_stop: StopCheck | None
    ) -> SearchResult:
        from index.duplicates import DEFAULT_THRESHOLD

        def first_hits(count: int) -> SearchResult:
            return self.search(query, limit=count, should_stop=should_stop)

        noted, _ = self._noted_query(query)  # the same articles that search finds (starred:, tag:...)
        matching = self._matching_articles(noted, should_stop or _never)
        return self._duplicate_groups().collapse(
            matching, first_hits, limit=limit, offset=offset, threshold=DEFAULT_THRESHOLD
        )

    def _facets(self) -> EntityFacets:
        """The entity facets of this index, made on first use (they keep their arrays between queries)."""
        from index.entities.facets import EntityFacets

        with self._lock:
            if self._entity_facets is None:
                self._entity_facets = EntityFacets(self._entity_db, self._matching_articles)
            return self._entity_facets

    def _matching_articles(self, query: Query, should_stop: StopCheck) -> MatchingArticles:
        with self._reading() as reader:
            if reader is None:
                return MatchingArticles((), ArticleNumbering(()))
            matching = self._matching.get(query)
            if matching is None:
                matching = reader.matching_articles(query, should_stop)
                self._matching.put(query, matching)
            return matching

    def _mark_stale(self) -> None:
        self._stale = True

    def _reading(self) -> _Reading:
        return _Reading(self)

    def _current_reader(self) -> EngineReader | None:
        """Open, or reopen if a commit happened since; None while there is no index."""
        if self._reader is None:
            if not self.engine.exists():
                return None
            self._reader = self.engine.reader()
        elif self._stale or not self._reader.up_to_date():
            self._reader.close()
            self._reader = None
            self.forget_answers()
            self._reader = self.engine.reader()
        self._stale = False
        return self._reader


def _curated_hits(result: SearchResult, curation: Curation) -> SearchResult:
    """``result`` with each hit's entities as the curation shows them."""
    if not curation:
        return result
    hits = tuple(replace(hit, entities=curation.refs(hit.entities)) for hit in result.hits)
    return replace(result, hits=hits)


class Recent(Generic[K, V]):
    """The last ``size`` answers, by key; the oldest goes first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._answers: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: K, answer: V) -> None:
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)

    def clear(self) -> None:
        self._answers.clear()


class _Reading:
    """``with library.reader() as r``: the current engine reader (or None) under the library's lock."""

    def __init__(self, library: Library) -> None:
        self._library = library

    def __enter__(self) -> EngineReader | None:
        self._library._lock.acquire()
        try:
            return self._library._current_reader()
        except BaseException:
            self._library._lock.release()
            raise

    def __exit__(self, *_: object) -> None:
        self._library._lock.release()
