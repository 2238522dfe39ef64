"""Answering queries from one tantivy searcher: a point-in-time view of the index.

Queries are read into the engine-independent tree (the query language,
``index.engines.whoosh.language.read``), their wildcard, prefix and fuzzy terms expanded over this
searcher's words (``index.tree_terms``), and run as tantivy queries (``translate``). Only the page of hits
is fetched and highlighted in Python: totals, date order and the month histogram are tantivy's."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import cast

import tantivy

from index import query_tree as qt
from index.analysis import NewsAnalyzer
from index.engines.tantivy.schema import ID_KEY, article_of, id_key, match_count, stored_fields
from index.engines.tantivy.translate import Translator
from index.engines.whoosh.language import ReadQuery, language_schema, read
from index.errors import ArticleNotFound, Cancelled, QueryError
from index.highlight import QueryTerms, hit_from_stored
from index.models import (
    Article,
    ArticleNumbering,
    Hit,
    HitPages,
    MatchingArticles,
    Query,
    SearchResult,
    SortOrder,
    StopCheck,
)
from index.tree_terms import FEW_HITS, expand, query_terms, suggest

MORE_LIKE_TERMS = 12
"""How many key terms of an article the "more like this" query is built from."""

RANKED_CHUNK = 10_000
"""Ranked addresses read per native search of an export: tantivy pages by collecting the top
offset + limit each time, so few large reads cost far less than one per page of hits."""

Q = tantivy.Query


def read_query(query: Query) -> ReadQuery:
    """The tree and notes of ``query``, read in the query language (its fields and analysers)."""
    return read(language_schema(), query)


class SearcherVocabulary:
    """The words of one searcher, as ``index.tree_terms`` asks for them."""

    def __init__(self, searcher: tantivy.Searcher) -> None:
        self._searcher = searcher

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        return sorted(self._searcher.terms_with_prefix(field, prefix))

    def words_with_prefix(self, field: str, prefix: str) -> list[str]:
        return [word for word, _ in self.terms_with_prefix(field, prefix)]

    def doc_frequency(self, field: str, word: str) -> int:
        return int(self._searcher.doc_freq(field, word))


class TantivyReader:
    """One searcher of the index, with what the library asks of it (``EngineReader``)."""

    def __init__(self, index: tantivy.Index, version: str | None, current: Callable[[], str | None]) -> None:
        index.reload()
        self._searcher = index.searcher()
        self._schema = index.schema
        self._version = version
        self._current = current
        self._vocabulary = SearcherVocabulary(self._searcher)
        self._translator = Translator(self._schema, self._vocabulary)
        self._analyzer = NewsAnalyzer()
        self._numbering: tuple[ArticleNumbering, dict[tuple[int, int], int]] | None = None
        self._addresses: list[tantivy.DocAddress] = []
        """The document of each number of the numbering."""

    def up_to_date(self) -> bool:
        return self._current() == self._version

    def close(self) -> None:
        self._numbering = None
        self._addresses = []

    def count(self) -> int:
        return int(self._searcher.num_docs)

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        return self._vocabulary.terms_with_prefix(field, prefix)

    def search(self, query: Query, *, limit: int, offset: int, should_stop: StopCheck) -> SearchResult:
        started = time.perf_counter()
        read = read_query(query)
        expanded = expand(read.tree, self._vocabulary)
        by_date = query.sort is SortOrder.DATE or query.is_everything
        if should_stop():
            raise Cancelled
        total, page = self._run(self._translator.query(expanded), limit, offset, by_date=by_date)
        if should_stop():  # asked before and after the one native call, which cannot be interrupted
            raise Cancelled
        terms = query_terms(expanded, self._vocabulary)
        hits: list[Hit] = []
        for score, address in page:
            if should_stop():  # each hit's highlights cost a millisecond or two of the shared GIL
                raise Cancelled
            hits.append(self._hit(address, score, terms))
        suggestion = None
        if not query.is_everything and total < FEW_HITS:
            suggestion = suggest(query, expanded, total, self._vocabulary, self._total)
        return SearchResult(
            query=query.shown,
            total=total,
            hits=tuple(hits),
            sort=SortOrder.DATE if by_date else SortOrder.RELEVANCE,
            elapsed=time.perf_counter() - started,
            suggestion=suggestion,
            notes=read.notes,
        )

    def hit_pages(self, query: Query, *, page_size: int, snippets: bool, should_stop: StopCheck) -> HitPages:
        expanded = expand(read_query(query).tree, self._vocabulary)
        by_date = query.sort is SortOrder.DATE or query.is_everything
        q = self._translator.query(expanded)
        terms = query_terms(expanded, self._vocabulary) if snippets else QueryTerms()
        chunk = max(page_size, RANKED_CHUNK)
        total, first = self._run(q, chunk, 0, by_date=by_date)

        def pages() -> Iterator[tuple[Hit, ...]]:
            ranked, offset = first, 0
            while ranked:
                for start in range(0, len(ranked), page_size):
                    if should_stop():
                        raise Cancelled
                    yield tuple(
                        self._hit(address, score, terms)
                        for score, address in ranked[start : start + page_size]
                    )
                offset += len(ranked)
                ranked = self._run(q, chunk, offset, by_date=by_date)[1] if offset < total else []

        order = SortOrder.DATE if by_date else SortOrder.RELEVANCE
        return HitPages(query.shown, total, order, pages())

    def _run(
        self, q: tantivy.Query, limit: int, offset: int, *, by_date: bool
    ) -> tuple[int, list[tuple[float, tantivy.DocAddress]]]:
        """The exact total and the page: best first, or newest first (undated last)."""
        try:
            if by_date:
                found = self._searcher.search(q, limit, count=True, order_by_field="date", offset=offset)
                return match_count(found), [(0.0, address) for _, address in found.hits]
            found = self._searcher.search(q, limit, count=True, offset=offset)
        except ValueError as error:
            raise QueryError(f"The query could not be run: {error}.") from error
        return match_count(found), [(float(score), address) for score, address in found.hits]

    def _total(self, query: Query) -> int:
        q = self._translator.query(expand(read_query(query).tree, self._vocabulary))
        return match_count(self._searcher.search(q, 1, count=True))

    def _hit(self, address: tantivy.DocAddress, score: float, terms: QueryTerms) -> Hit:
        stored = stored_fields(self._searcher.doc(address).to_dict())
        return hit_from_stored(stored, score, terms, self._analyzer)

    def more_like_this(self, article_id: str, *, limit: int) -> SearchResult:
        started = time.perf_counter()
        address = self._address(article_id)
        if address is None:
            raise ArticleNotFound(f"No article has the id {article_id!r}.")
        stored = stored_fields(self._searcher.doc(address).to_dict())
        title = stored["title"]
        key_terms = self._key_terms(f"{title}\n{stored['body']}")
        hits: tuple[Hit, ...] = ()
        if key_terms:
            liked = Q.boolean_query(
                [(tantivy.Occur.Should, Q.boost_query(Q.term_query(self._schema, "body", word), weight))
                 for word, weight in key_terms]
                + [(tantivy.Occur.MustNot, Q.term_query(self._schema, "id", article_id))]
            )  # fmt: skip
            found = self._searcher.search(liked, max(limit, 1))
            terms = query_terms(
                qt.Or(tuple(qt.Term("body", word) for word, _ in key_terms)), self._vocabulary
            )
            hits = tuple(
                self._hit(hit_address, float(score), terms) for score, hit_address in found.hits[:limit]
            )
        return SearchResult(
            query=f"more like: {title}",
            total=len(hits),
            hits=hits,
            elapsed=time.perf_counter() - started,
        )

    def _key_terms(self, text: str) -> list[tuple[str, float]]:
        """The article's most distinctive body words (frequent in it, rare in the index), weighted
        from 1 down."""
        documents = max(self.count(), 1)
        counts = Counter(word for word, _, _ in self._analyzer.stemmed_spans(text))
        scored = []
        for word, frequency in counts.items():
            articles = self._vocabulary.doc_frequency("body", word)
            if articles:
                scored.append((frequency * math.log(1 + documents / articles), word))
        best = sorted(scored, reverse=True)[:MORE_LIKE_TERMS]
        if not best:
            return []
        top = best[0][0]
        return [(word, weight / top) for weight, word in best]

    def article(self, article_id: str) -> Article | None:
        address = self._address(article_id)
        return None if address is None else article_of(self._searcher.doc(address).to_dict())

    def _address(self, article_id: str) -> tantivy.DocAddress | None:
        found = self._searcher.search(Q.term_query(self._schema, "id", article_id), 1)
        return found.hits[0][1] if found.hits else None

    def matching_articles(self, query: Query, should_stop: StopCheck) -> MatchingArticles:
        numbering, numbers = self._numbers()
        q = self._prepared(query)
        if should_stop():
            raise Cancelled
        found = self._searcher.search(q, max(self.count(), 1), count=False)
        if should_stop():
            raise Cancelled
        matched = sorted(numbers[(address.segment_ord, address.doc)] for _, address in found.hits)
        return MatchingArticles(matched, numbering)

    def _numbers(self) -> tuple[ArticleNumbering, dict[tuple[int, int], int]]:
        """This view's numbering: number ``n`` is the ``n``-th document of a search for every
        article; its id is found from the document's id key among the ids of the term dictionary."""
        if self._numbering is None:
            found = self._searcher.search(Q.all_query(), max(self.count(), 1), count=False)
            addresses = [address for _, address in found.hits]
            ids = self._ids(addresses)
            numbers = {(address.segment_ord, address.doc): n for n, address in enumerate(addresses)}
            self._numbering, self._addresses = (ArticleNumbering(ids), numbers), addresses
        return self._numbering

    def _ids(self, addresses: list[tantivy.DocAddress]) -> list[str]:
        """The id of each document, read through the id key column; from the documents themselves
        if two ids share a key (odds of about one in 10^9 for a million ids)."""
        words = [word for word, _ in self._searcher.terms_with_prefix("id", "")]
        by_key = {id_key(word): word for word in words}
        if len(by_key) < len(words):
            return [stored_fields(self._searcher.doc(address).to_dict())["id"] for address in addresses]
        keys = cast(list[int], self._searcher.fast_field_values(ID_KEY, addresses))  # every document has one
        return [by_key[key] for key in keys]

    def date_histogram(self, query: Query, should_stop: StopCheck) -> list[tuple[str, int]]:
        q = self._prepared(query)
        if should_stop():
            raise Cancelled
        months = self._searcher.aggregate(q, {"months": {"terms": {"field": "month", "size": 1_000_000}}})
        counts = {int(bucket["key"]): int(bucket["doc_count"]) for bucket in months["months"]["buckets"]}
        return [(f"{key // 100:04d}-{key % 100:02d}", counts[key]) for key in sorted(counts)]

    def months_of(self, articles: MatchingArticles) -> list[tuple[str, int]] | None:
        if self._numbering is None or articles.numbering is not self._numbering[0]:
            return None
        addresses = [self._addresses[number] for number in articles.numbers]
        counts = Counter(key for key in self._searcher.fast_field_values("month", addresses) if key)
        return [(f"{key // 100:04d}-{key % 100:02d}", counts[key]) for key in sorted(counts)]

    def _prepared(self, query: Query) -> tantivy.Query:
        return self._translator.query(expand(read_query(query).tree, self._vocabulary))
