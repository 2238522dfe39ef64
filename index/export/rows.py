"""The rows of an export: every hit of one query, read from the index a page at a time.

An ``Export`` is handed the two things it reads, the hits of the query a page at a time (an
engine's ``hit_pages``, from one point-in-time view of the index, so that pages never overlap or
skip) and a function that turns a hit into its row; it holds one page at a time, so memory stays
flat however many articles match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from index.cleaning import sanitize
from index.errors import Cancelled
from index.models import ArticleNotes, EntityRef, Hit, HitPages, SearchResult, SortOrder, Span, StopCheck

PAGE_SIZE = 500
"""Hits read per page: a page with its snippets is a few hundred KB at most."""

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
    noted: ArticleNotes | None,
    *,
    entities: Sequence[EntityRef] | None = None,
    with_notes: bool = False,
) -> ExportRow:
    """The row of ``hit``, with the tags and note of ``noted`` and ``entities`` (None: not asked
    for) grouped by label."""
    return ExportRow(
        id=sanitize(hit.id),
        path=sanitize(hit.path),
        title=sanitize(hit.title),
        source=_clean(hit.source),
        author=_clean(hit.author),
        date=hit.date,
        url=_clean(hit.url),
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
    """Every hit of one query, in the query's order, as rows: ``total`` is known once it is made
    (a malformed query has failed by then, before any file is opened), and iterating ``rows`` reads
    the hits a page at a time. Close it when done (or use ``with``)."""

    def __init__(
        self,
        hits: HitPages,
        row: RowMaker,
        *,
        close: Callable[[], None] = _nothing,
        entities: bool = False,
        notes: bool = False,
    ) -> None:
        self._hits = hits
        self._row = row
        self._close = close
        self.query = hits.query
        """The query as a person reads it (``Query.shown``)."""
        self.total = hits.total
        self.sort: SortOrder = hits.sort
        self.entities = entities
        """Whether each row carries its entities."""
        self.notes = notes
        """Whether each row carries the user's note."""

    def rows(self, on_page: PageCallback | None = None) -> Iterator[ExportRow]:
        """Each row in turn (once: rows are not kept), read a page at a time; raises Cancelled once
        the ``should_stop`` the hits were read with says so. ``on_page`` hears the count of rows
        read so far after each page."""
        done = 0
        for page in self._hits.pages:
            for hit in page:
                yield self._row(hit)
            done += len(page)
            if on_page is not None:
                on_page(done)

    def close(self) -> None:
        self._close()

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def paged(read: PageReader, page_size: int = PAGE_SIZE, should_stop: StopCheck | None = None) -> HitPages:
    """The hits of a query read with ``read(offset, limit)``, a page of search results at a time:
    for a library that has nothing better (an engine ranks every match once instead). Reads the
    first page now, so that a malformed query fails here."""
    first = read(0, page_size)
    stop = should_stop or _never

    def pages() -> Iterator[tuple[Hit, ...]]:
        page, done = first, 0
        while page.hits:
            yield page.hits
            done += len(page.hits)
            if done >= first.total or len(page.hits) < page_size:
                return
            if stop():
                raise Cancelled
            page = read(done, page_size)

    return HitPages(first.query, first.total, first.sort, pages())
