"""Answering queries over an open Whoosh index: ranked or dated pages of hits with highlights.

The :class:`~index.library.Library` owns the index and its searcher; these functions take that
searcher and the schema and return the plain values of :mod:`index.models`, so neither the CLI
nor the TUI ever sees a Whoosh object.
"""

from __future__ import annotations

import heapq
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from whoosh import query as wq
from whoosh.collectors import Collector, ScoredCollector, TopCollector, WrappingCollector
from whoosh.fields import Schema
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.times import long_to_datetime

from index import query_tree as qt
from index.documents import as_text
from index.engines.whoosh.expansion import ReaderWords, expand_fuzzy, query_terms, widen_prefixes
from index.engines.whoosh.language import ReadQuery, parse_query, read
from index.engines.whoosh.translate import to_whoosh
from index.errors import ArticleNotFound, Cancelled, QueryError
from index.highlight import HIGHLIGHT_FIELDS, QueryTerms, hit_from_stored
from index.models import (
    ArticleNumbering,
    Hit,
    HitPages,
    MatchingArticles,
    Query,
    SearchResult,
    SortOrder,
    StopCheck,
)
from index.tree_terms import FEW_HITS, suggest

if TYPE_CHECKING:  # numpy is imported by the exports that rank every match, not by a search
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "date_histogram",
    "hit_pages",
    "matching_articles",
    "matching_docnums",
    "more_like_this",
    "parse_query",
    "run_search",
]

UNDATED = 2**64 - 1
"""What Whoosh's unsigned 64-bit DATETIME column holds for an article without a date."""

UNDATED_KEY = 0
"""Sort key of an article without a date: older than every dated one."""

_DATE_KEYS: WeakKeyDictionary[IndexReader, list[int]] = WeakKeyDictionary()
_NUMBERINGS: WeakKeyDictionary[IndexReader, ArticleNumbering] = WeakKeyDictionary()

MORE_LIKE_TERMS = 12
"""How many key terms of an article the "more like this" query is built from."""

CHECK_EVERY = 4096
"""Matches between two calls of ``should_stop``: a superseded search on a million articles
stops within a few milliseconds instead of holding the library for seconds."""

def _never() -> bool:
    return False


def run_search(
    searcher: Searcher,
    schema: Schema,
    query: Query | str,
    *,
    limit: int = 50,
    offset: int = 0,
    should_stop: StopCheck = _never,
) -> SearchResult:
    """One page (``offset``, ``limit``) of the articles matching ``query`` (text: ``Query.of``), the total.

    A query of every article (``*``, no filters) lists them newest first. Raises :class:`QueryError`
    for a query that cannot be parsed, :class:`Cancelled` once ``should_stop`` returns True.
    """
    started = time.perf_counter()
    query = Query.of(query)
    q, parsed = _read(searcher, schema, query)
    everything = query.is_everything
    by_date = query.sort is SortOrder.DATE or everything
    rank = _newest_first if by_date else _best_first
    total, ranked = rank(searcher, q, offset + limit, should_stop)
    terms = query_terms(q, searcher.reader(), HIGHLIGHT_FIELDS)
    hits = tuple(
        hit_from_stored(searcher.stored_fields(docnum), score, terms, schema["body"].analyzer)
        for docnum, score in ranked[offset:]
    )
    suggestion = None if everything or total >= FEW_HITS else _suggest(searcher, query, parsed.tree, total)
    return SearchResult(
        query=query.shown,
        total=total,
        hits=hits,
        sort=SortOrder.DATE if by_date else SortOrder.RELEVANCE,
        elapsed=time.perf_counter() - started,
        suggestion=suggestion,
        notes=parsed.notes,
    )


def hit_pages(
    searcher: Searcher,
    schema: Schema,
    query: Query,
    *,
    page_size: int,
    snippets: bool,
    should_stop: StopCheck = _never,
) -> HitPages:
    """Every article matching ``query`` in ``run_search``'s order, ``page_size`` at a time.

    One pass over the matches ranks them all (scores, or date keys, and document numbers in numpy
    arrays: 24 bytes a match), where paging with ``run_search`` would score every match again for
    each page. Each page then reads its articles' stored fields. Raises QueryError at once.
    """
    q, _ = _read(searcher, schema, query)
    by_date = query.sort is SortOrder.DATE or query.is_everything
    docnums, scores = (_every_newest_first if by_date else _every_best_first)(searcher, q, should_stop)
    terms = query_terms(q, searcher.reader(), HIGHLIGHT_FIELDS) if snippets else QueryTerms()
    analyzer = schema["body"].analyzer

    def pages() -> Iterator[tuple[Hit, ...]]:
        for start in range(0, len(docnums), page_size):
            if should_stop():
                raise Cancelled
            page = slice(start, start + page_size)
            ranked = zip(docnums[page].tolist(), scores[page].tolist(), strict=True)
            yield tuple(
                hit_from_stored(searcher.stored_fields(docnum), score, terms, analyzer)
                for docnum, score in ranked
            )

    order = SortOrder.DATE if by_date else SortOrder.RELEVANCE
    return HitPages(query.shown, len(docnums), order, pages())


def more_like_this(searcher: Searcher, schema: Schema, article_id: str, *, limit: int = 20) -> SearchResult:
    """Articles that share the most distinctive words of one article (never the article itself).

    ``total`` is the number of hits returned: beyond the best few, "similar" means little.
    Raises :class:`ArticleNotFound` for an unknown id.
    """
    started = time.perf_counter()
    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        raise ArticleNotFound(f"No article has the id {article_id!r}.")
    stored = searcher.stored_fields(docnum)
    title = stored.get("title", "")
    text = f"{title}\n{stored.get('body', '')}"
    key_terms = searcher.key_terms_from_text("body", text, numterms=MORE_LIKE_TERMS, normalize=True)
    q = wq.Or([wq.Term("body", word, boost=weight) for word, weight in key_terms])
    hits: tuple[Hit, ...] = ()
    if key_terms:
        results = searcher.search(q, limit=max(limit, 1), mask={docnum})
        terms = query_terms(q, searcher.reader(), HIGHLIGHT_FIELDS)
        hits = tuple(
            hit_from_stored(hit.fields(), float(hit.score or 0.0), terms, schema["body"].analyzer)
            for hit in results[:limit]
        )
    return SearchResult(
        query=f"more like: {title}",
        total=len(hits),
        hits=hits,
        elapsed=time.perf_counter() - started,
    )


def matching_docnums(
    searcher: Searcher, schema: Schema, query: Query | str, should_stop: StopCheck = _never
) -> list[int]:
    """The document numbers of every article matching ``query``, ascending (for facets)."""
    return _docnums(searcher, _prepare(searcher, schema, Query.of(query)), should_stop)


def matching_articles(
    searcher: Searcher, schema: Schema, query: Query | str, should_stop: StopCheck = _never
) -> MatchingArticles:
    """The articles matching ``query``, as document numbers with the id of every number (for facets).

    The numbering is read once per index reader and kept while it is open: one per generation.
    """
    docnums = matching_docnums(searcher, schema, query, should_stop)
    reader = searcher.reader()
    numbering = _NUMBERINGS.get(reader)
    if numbering is None:
        numbering = _NUMBERINGS[reader] = ArticleNumbering([as_text(value) for value in _ids(reader)])
    return MatchingArticles(docnums, numbering)


def date_histogram(
    searcher: Searcher, schema: Schema, query: Query | str, should_stop: StopCheck = _never
) -> list[tuple[str, int]]:
    """How many matching articles fall in each month, as ``("YYYY-MM", count)`` in month order.

    Articles without a date are left out.
    """
    docnums = _docnums(searcher, _prepare(searcher, schema, Query.of(query)), should_stop)
    return _by_month(_date_keys(searcher), docnums)


def months_of(searcher: Searcher, articles: MatchingArticles) -> list[tuple[str, int]] | None:
    """``date_histogram`` of articles this reader numbered (``matching_articles``); None if another did."""
    if _NUMBERINGS.get(searcher.reader()) is not articles.numbering:
        return None
    return _by_month(_date_keys(searcher), articles.numbers)


def _by_month(keys: list[int], docnums: Iterable[int]) -> list[tuple[str, int]]:
    per_day = Counter(keys[docnum] for docnum in docnums)
    months: Counter[str] = Counter()
    for key, count in per_day.items():
        if key != UNDATED_KEY:
            date = long_to_datetime(key)
            months[f"{date.year:04d}-{date.month:02d}"] += count
    return sorted(months.items())


def _prepare(searcher: Searcher, schema: Schema, query: Query) -> wq.Query:
    """The query to run, with prefixes widened to the stems in this index and fuzzy terms expanded."""
    return _read(searcher, schema, query)[0]


def _read(searcher: Searcher, schema: Schema, query: Query) -> tuple[wq.Query, ReadQuery]:
    """``_prepare``, with the query as read (its tree and the notes on how its text was read)."""
    reader = searcher.reader()
    parsed = read(schema, query)
    q = to_whoosh(parsed.tree).normalize()
    return expand_fuzzy(widen_prefixes(q, reader), reader), parsed


Ranked = list[tuple[int, float]]
"""Document numbers with their scores, best first."""


def _best_first(searcher: Searcher, q: wq.Query, count: int, should_stop: StopCheck) -> tuple[int, Ranked]:
    """The exact number of matches and the ``count`` best by BM25F, in one pass over every match.

    Whoosh's default collector is not used: every ten matches it swaps in "more efficient" matchers
    pruned by the score the top ``count`` already need, and for NOT queries those skip matching
    articles near the end of a segment. Its total then comes out short (1,635 instead of 1,636 for
    ``film NOT award`` on 10,000 articles), and a skipped article can never be a hit. Scoring every
    match is exact, and side by side it was faster overall (bench/README.md, "Exact totals").
    """
    collector = TopCollector(limit=max(count, 1), usequality=False, replace=0)
    try:
        searcher.search_with_collector(q, _Stoppable(collector, should_stop))
    except Cancelled:
        raise
    except Exception as error:  # e.g. a wildcard that expands past what Whoosh can run
        raise QueryError(f"The query could not be run: {error}.") from error
    results = collector.results()
    shown = min(count, results.scored_length())
    return len(results), [(results.docnum(n), float(results.score(n) or 0.0)) for n in range(shown)]


def _newest_first(searcher: Searcher, q: wq.Query, count: int, should_stop: StopCheck) -> tuple[int, Ranked]:
    """The exact number of matches and the ``count`` newest; undated ones last, ties in index order.

    One pass over the matching document numbers gives both, with the dates read from a cached
    copy of the date column: Whoosh's own sorting calls back into Python for every match.
    """
    keys = _date_keys(searcher)
    docnums = _docnums(searcher, q, should_stop)
    newest = heapq.nlargest(count, docnums, key=lambda docnum: (keys[docnum], -docnum))
    return len(docnums), [(docnum, 0.0) for docnum in newest]


Every = tuple["npt.NDArray[np.int64]", "npt.NDArray[np.float64]"]
"""Document numbers and their scores (0 by date), in the order of a search."""


def _every_best_first(searcher: Searcher, q: wq.Query, should_stop: StopCheck) -> Every:
    """Every match by BM25F, best first, ties in document order: ``_best_first``'s order."""
    import numpy as np

    collector = _EveryScore()
    try:
        searcher.search_with_collector(q, _Stoppable(collector, should_stop))
    except Cancelled:
        raise
    except Exception as error:
        raise QueryError(f"The query could not be run: {error}.") from error
    scores = np.frombuffer(collector.scores, dtype=np.float64)
    order = np.argsort(-scores, kind="stable")  # matches come in document order
    return np.frombuffer(collector.docnums, dtype=np.int64)[order], scores[order]


def _every_newest_first(searcher: Searcher, q: wq.Query, should_stop: StopCheck) -> Every:
    """Every match newest first, undated last, ties in document order: ``_newest_first``'s order."""
    import numpy as np

    keys = _date_keys(searcher)
    docnums = np.array(_docnums(searcher, q, should_stop), dtype=np.int64)
    dates = np.array([keys[docnum] for docnum in docnums.tolist()], dtype=np.uint64)
    ranked = docnums[np.lexsort((docnums, np.iinfo(np.uint64).max - dates))]  # last key first
    return ranked, np.zeros(len(ranked), dtype=np.float64)


class _EveryScore(ScoredCollector):
    """Collects the score of every match, in document order, into two compact arrays."""

    def __init__(self) -> None:
        super().__init__(replace=0)  # as _best_first: no pruned matchers, every match scored
        self.scores = array("d")
        self.docnums = array("q")

    def _collect(self, global_docnum: int, score: float) -> float:
        self.scores.append(score)
        self.docnums.append(global_docnum)
        return 0 - score


def _docnums(searcher: Searcher, q: wq.Query, should_stop: StopCheck = _never) -> list[int]:
    try:
        return list(_checking(searcher.docs_for_query(q), should_stop))
    except Cancelled:
        raise
    except Exception as error:
        raise QueryError(f"The query could not be run: {error}.") from error


def _checking(docnums: Iterable[int], should_stop: StopCheck) -> Iterator[int]:
    """``docnums``, raising :class:`Cancelled` when ``should_stop`` says so (asked every few thousand)."""
    for count, docnum in enumerate(docnums):
        if count % CHECK_EVERY == 0 and should_stop():
            raise Cancelled
        yield docnum


class _Stoppable(WrappingCollector):
    """Collects like the collector it wraps, raising :class:`Cancelled` when ``should_stop`` says so."""

    def __init__(self, child: Collector, should_stop: StopCheck) -> None:
        super().__init__(child)
        self.should_stop = should_stop

    def collect_matches(self) -> None:
        collect = self.child.collect
        for sub_docnum in _checking(self.child.matches(), self.should_stop):
            collect(sub_docnum)


def _date_keys(searcher: Searcher) -> list[int]:
    """Every document's date as a sortable integer (``UNDATED_KEY`` if none), by document number.

    Read once per index reader (about 70 ms for 100,000 articles) and kept while it is open,
    so that date sorting and histograms cost one list lookup per match.
    """
    reader = searcher.reader()
    keys = _DATE_KEYS.get(reader)
    if keys is None:
        keys = _DATE_KEYS[reader] = [
            key for leaf, _ in reader.leaf_readers() for key in _segment_date_keys(leaf)
        ]
    return keys


def _segment_date_keys(segment: IndexReader) -> list[int]:
    """Date keys of one segment; a segment where no article has a date has no date column at all."""
    count = segment.doc_count_all()
    if not segment.has_column("date"):
        return [UNDATED_KEY] * count
    values = [
        UNDATED_KEY if value == UNDATED else value for value in segment.column_reader("date", translate=False)
    ]
    return values + [UNDATED_KEY] * (count - len(values))


def _ids(reader: IndexReader) -> Iterator[str | bytes]:
    """The id of every document of ``reader``, segment by segment, in document-number order."""
    for leaf, _ in reader.leaf_readers():
        if leaf.has_column("id"):
            yield from leaf.column_reader("id")
        else:
            for docnum in range(leaf.doc_count_all()):
                yield leaf.stored_fields(docnum).get("id")


def _suggest(searcher: Searcher, query: Query, tree: qt.Node, total: int) -> str | None:
    """``index.tree_terms.suggest`` over this searcher's words (the query's ``tree`` as read)."""

    def count(corrected: Query) -> int:
        return len(_docnums(searcher, _prepare(searcher, searcher.schema, corrected)))

    return suggest(query, tree, total, ReaderWords(searcher.reader()), count)
