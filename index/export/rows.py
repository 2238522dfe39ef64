"""The rows of an export: every hit of one query, read from the index a page at a time.

An ``Export`` is handed the two things it reads, a function that answers one page of the query
(from one point-in-time view of the index, so that pages never overlap or skip) and one that turns
a hit into its row; it holds one page at a time, so memory stays flat however many articles match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from index.cleaning import sanitize
from index.errors import Cancelled
from index.models import Article, ArticleNotes, EntityRef, Hit, SearchResult, SortOrder, Span, StopCheck

PAGE_SIZE = 500
"""Hits read per page: big enough that an engine runs the query few times, small enough to hold."""

PageReader = Callable[[int, int], SearchResult]
"""Answers the page of ``limit`` hits from rank ``offset`` on: ``pages(offset, limit)``."""
RowMaker = Callable[[Hit], "ExportRow"]
PageCallback = Callable[[int], None]
"""Told how many rows have been read so far, after each page."""


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One exported article: what the index stores of it, its score, the user's tags, and (when
    asked) its entities and note. Text is terminal-safe; ``snippet_highlights`` index ``snippet``."""

    id: str
    path: str
    title: str
    source: str | None
    author: str | None
    date: dt.datetime | None
    url: str | None
    score: float
    tags: tuple[str, ...]
    snippet: str
    snippet_highlights: tuple[Span, ...] = ()
    entities: Mapping[str, tuple[str, ...]] | None = None
    """Label -> canonical names, most mentioned first (None: not asked for)."""
    notes: str | None = None
    """The user's note ("" when none; None: not asked for)."""


def export_row(
    hit: Hit,
    article: Article | None,
    noted: ArticleNotes | None,
    *,
    entities: Sequence[EntityRef] | None = None,
    with_notes: bool = False,
) -> ExportRow:
    """The row of ``hit``, with the author and url of its stored ``article`` (None: gone since),
    the tags and note of ``noted``, and ``entities`` (None: not asked for) grouped by label."""
    return ExportRow(
        id=sanitize(hit.id),
        path=sanitize(hit.path),
        title=sanitize(hit.title),
        source=_clean(hit.source),
        author=_clean(article.author if article else None),
        date=hit.date,
        url=_clean(article.url if article else None),
        score=hit.score,
        tags=tuple(sanitize(tag) for tag in noted.tags) if noted else (),
        snippet=hit.snippet,
        snippet_highlights=hit.snippet_highlights,
        entities=None if entities is None else grouped(entities),
        notes=(sanitize(noted.note) if noted else "") if with_notes else None,
    )


def grouped(entities: Sequence[EntityRef]) -> dict[str, tuple[str, ...]]:
    """Label -> names, labels in alphabetical order, names most mentioned first."""
    names: dict[str, list[str]] = {}
    for ref in sorted(entities, key=lambda ref: (-ref.mentions, ref.canonical)):
        names.setdefault(sanitize(ref.label), []).append(sanitize(ref.canonical))
    return {label: tuple(names[label]) for label in sorted(names)}


def _clean(text: str | None) -> str | None:
    return None if text is None else sanitize(text)


def _never() -> bool:
    return False


def _nothing() -> None:
    """Nothing to release."""


class Export:
    """Every hit of one query, in the query's order. Making it reads the first page (so a malformed
    query fails here, with QueryError, before any file is opened) and tells ``total``; iterating
    ``rows`` reads the rest a page at a time. Close it when done (or use ``with``)."""

    def __init__(
        self,
        pages: PageReader,
        row: RowMaker,
        *,
        close: Callable[[], None] = _nothing,
        should_stop: StopCheck | None = None,
        entities: bool = False,
        notes: bool = False,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.entities = entities
        """Whether each row carries its entities."""
        self.notes = notes
        """Whether each row carries the user's note."""
        self._pages = pages
        self._row = row
        self._close = close
        self._should_stop = should_stop or _never
        self._page_size = page_size
        try:
            self._first: SearchResult | None = pages(0, page_size)
        except BaseException:
            close()
            raise
        self.query = self._first.query
        """The query as a person reads it (``Query.shown``)."""
        self.total = self._first.total
        self.sort: SortOrder = self._first.sort

    def rows(self, on_page: PageCallback | None = None) -> Iterator[ExportRow]:
        """Each row in turn (once: rows are not kept), read a page at a time; raises Cancelled
        between pages once ``should_stop`` says so. ``on_page`` hears the count of rows read so far
        after each page."""
        done, page = 0, self._first
        self._first = None  # not kept once read: the export holds one page at a time
        while page is not None and page.hits:
            for hit in page.hits:
                yield self._row(hit)
            done += len(page.hits)
            if on_page is not None:
                on_page(done)
            if done >= self.total or len(page.hits) < self._page_size:
                return
            if self._should_stop():
                raise Cancelled
            page = self._pages(done, self._page_size)

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
