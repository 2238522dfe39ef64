"""A point-in-time Whoosh searcher as an ``index.engines.base.EngineReader``."""

from __future__ import annotations

from typing import Any

from whoosh.index import Index

from index.documents import article_from_stored, as_text
from index.engines.whoosh import search
from index.models import Article, HitPages, MatchingArticles, Query, SearchResult, StopCheck


class WhooshReader:
    """The searcher of one generation of a Whoosh index, answering in ``index.models`` values."""

    def __init__(self, ix: Index) -> None:
        self._index = ix
        self.searcher: Any = ix.searcher()
        """The Whoosh searcher itself, for the benchmarks and tests that profile Whoosh."""

    def up_to_date(self) -> bool:
        return bool(self.searcher.up_to_date())

    def close(self) -> None:
        self.searcher.close()

    def count(self) -> int:
        return int(self.searcher.doc_count())

    def search(self, query: Query, *, limit: int, offset: int, should_stop: StopCheck) -> SearchResult:
        return search.run_search(
            self.searcher, self.searcher.schema, query, limit=limit, offset=offset, should_stop=should_stop
        )

    def hit_pages(self, query: Query, *, page_size: int, snippets: bool, should_stop: StopCheck) -> HitPages:
        return search.hit_pages(
            self.searcher,
            self.searcher.schema,
            query,
            page_size=page_size,
            snippets=snippets,
            should_stop=should_stop,
        )

    def more_like_this(self, article_id: str, *, limit: int) -> SearchResult:
        return search.more_like_this(self.searcher, self.searcher.schema, article_id, limit=limit)

    def article(self, article_id: str) -> Article | None:
        stored = self.searcher.document(id=article_id)
        return None if stored is None else article_from_stored(stored)

    def matching_articles(self, query: Query, should_stop: StopCheck) -> MatchingArticles:
        return search.matching_articles(self.searcher, self.searcher.schema, query, should_stop)

    def date_histogram(self, query: Query, should_stop: StopCheck) -> list[tuple[str, int]]:
        return search.date_histogram(self.searcher, self.searcher.schema, query, should_stop)

    def months_of(self, articles: MatchingArticles) -> list[tuple[str, int]] | None:
        return search.months_of(self.searcher, articles)

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        reader = self.searcher.reader()
        if field not in reader.schema:
            return []
        return [
            (as_text(word), int(reader.doc_frequency(field, word)))
            for word in reader.expand_prefix(field, prefix)
        ]
