"""The explorer's search session: what is searched for, the way back, the result and its pages,
the article being read, and the moves between them.

A plain object with no widget and no thread, so that every move can be tested without a screen.
The screen tells it what the user did; it calls ``start`` with each ``Search`` to run (the screen
runs it in a worker) and ``moved`` with each new ``SearchState`` (the screen shows its filters).
Answers come back with the ``Search`` they answer, and one that a newer search superseded is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from index.models import (
    Article,
    DateFilter,
    EntityFilter,
    Facet,
    Hit,
    IndexReport,
    Mention,
    Query,
    SearchResult,
    SortOrder,
    StopCheck,
)

if TYPE_CHECKING:
    from index.api import LibraryAPI

FIRST_PAGE = 15
"""Hits fetched per search: a screenful (12 to 15 hits at 40 to 48 rows). Each hit carries its
highlights, which cost time between Enter and the results; the list asks for the next page as soon
as it shows these (the first page is shorter than its prefetch margin)."""
SECOND_PAGE = FIRST_PAGE
"""Hits of the page asked for as soon as the first is shown: with it the list holds what the first
page alone used to (30), so a search costs no more work in all than it did."""
PAGE_SIZE = 50
"""Hits fetched per further page, as the user scrolls towards the end of the list."""
REFRESH_WHILE_INDEXING = 2.0
"""Seconds between re-listing an empty first run while the indexer commits articles."""


@dataclass(frozen=True, slots=True)
class SearchState:
    """Everything that decides the result list; the explorer keeps a history of them for "back"."""

    text: str = ""
    filters: tuple[EntityFilter, ...] = ()
    sort: SortOrder = SortOrder.RELEVANCE
    like_id: str | None = None
    like_title: str | None = field(default=None, compare=False)
    collapse: bool = False
    """Copies of one story shown as one hit ("+N similar")."""
    dates: DateFilter | None = None
    """The days the articles are dated within, chosen on the date histogram (None: any day)."""

    @property
    def query(self) -> Query:
        return Query(self.text, self.filters, self.dates, sort=self.sort)

    @property
    def chips(self) -> tuple[EntityFilter | DateFilter, ...]:
        """Every filter in force, as the filter bar shows them: the entities, then the dates."""
        return (*self.filters, *((self.dates,) if self.dates else ()))

    def with_text(self, text: str) -> SearchState:
        return replace(self, text=text, like_id=None, like_title=None)

    def with_filter(self, entity: EntityFilter) -> SearchState:
        if entity in self.filters:
            return self
        return replace(self, filters=(*self.filters, entity), like_id=None, like_title=None)

    def without_filter(self, removed: EntityFilter | DateFilter) -> SearchState:
        if isinstance(removed, DateFilter):
            return replace(self, dates=None) if removed == self.dates else self
        return replace(self, filters=tuple(f for f in self.filters if f != removed))

    def with_dates(self, dates: DateFilter) -> SearchState:
        return replace(self, dates=dates, like_id=None, like_title=None)

    def with_next_sort(self) -> SearchState:
        order = list(SortOrder)
        return replace(self, sort=order[(order.index(self.sort) + 1) % len(order)])

    def with_collapse_toggled(self) -> SearchState:
        return replace(self, collapse=not self.collapse)

    def like(self, article_id: str, title: str) -> SearchState:
        return replace(self, like_id=article_id, like_title=title)


@dataclass(frozen=True, slots=True)
class Search:
    """One search for a worker thread to run; ``generation`` tells its answers from a newer search's."""

    library: LibraryAPI
    state: SearchState
    generation: int
    keep_position: bool = False
    """Keep the cursor where it is (the same search again, say after indexing added articles)."""

    @property
    def is_more_like_this(self) -> bool:
        """A "more like this" search lists one page of similar articles: no more pages, months or facets."""
        return self.state.like_id is not None

    def first_page(self, should_stop: StopCheck) -> SearchResult:
        if self.state.like_id is not None:
            return self.library.more_like_this(self.state.like_id, limit=FIRST_PAGE)
        return self.library.search(
            self.state.query, limit=FIRST_PAGE, should_stop=should_stop, collapse=self.state.collapse
        )

    def page(self, offset: int, limit: int, should_stop: StopCheck) -> SearchResult:
        return self.library.search(
            self.state.query,
            limit=limit,
            offset=offset,
            should_stop=should_stop,
            collapse=self.state.collapse,
        )

    def date_histogram(self, should_stop: StopCheck) -> list[tuple[str, int]]:
        return self.library.date_histogram(self.state.query, should_stop=should_stop)

    def facets(self, should_stop: StopCheck) -> list[Facet]:
        return self.library.facets(self.state.query, should_stop=should_stop)


@dataclass(frozen=True, slots=True)
class Page:
    """The ``limit`` hits of ``search`` from rank ``offset`` on."""

    search: Search
    offset: int
    limit: int

    def fetch(self, should_stop: StopCheck) -> SearchResult:
        return self.search.page(self.offset, self.limit, should_stop)


class SearchSession:
    """The search, its history for "back", its result, and the article open from it."""

    def __init__(self, start: Callable[[Search], None], moved: Callable[[SearchState], None]) -> None:
        self._start = start
        self._moved = moved
        self.library: LibraryAPI | None = None
        self.state = SearchState()
        self.history: list[SearchState] = []
        """The states left by a move the user may want to undo, the latest last."""
        self.current: Search | None = None
        """The latest search started; None until the library is open."""
        self._submitted = -1
        """The generation of the last search started by Enter in the search box."""
        self.result: SearchResult | None = None
        """The first page of the current search's answer; None until it arrives."""
        self.hit: Hit | None = None
        """The hit whose article is open, with the query's highlights in it."""
        self.article: Article | None = None
        self.mentions: Sequence[Mention] = ()
        """The entities mentioned in the open article (none until the entity phase reaches it)."""
        self.facets_mode = False
        """The sidebar counts the entities of the whole result, not those of the open article."""
        self._last_refresh = 0.0
        """When an empty first run was last listed again, on the monotonic clock."""

    # Searching ------------------------------------------------------------------------------------

    def open(self, library: LibraryAPI) -> None:
        """The library is ready: run the search the user may already have typed."""
        self.library = library
        self.search()

    def search(self, *, keep_position: bool = False) -> None:
        """Start the current state's search (again, if nothing changed: the index may have)."""
        if self.library is None:
            return
        generation = self.current.generation + 1 if self.current else 1
        self.current = Search(self.library, self.state, generation, keep_position)
        self._start(self.current)

    def is_current(self, search: Search) -> bool:
        """Whether ``search`` is the latest: the answers of any other are out of date."""
        return self.current is not None and search.generation == self.current.generation

    def was_submitted(self, search: Search) -> bool:
        """Whether ``search`` was started by Enter, so that its error sends the user back to the query."""
        return search.generation == self._submitted

    def searched(self, search: Search, result: SearchResult) -> bool:
        """Keep ``result`` if ``search`` is still the current one; whether it was."""
        if self.is_current(search):
            self.result = result
            return True
        return False

    def page_at(self, offset: int, *, before: bool) -> Page | None:
        """The page that starts at rank ``offset``, or ``before``: the one that ends there; None if
        the current search has no further pages."""
        if self.current is None or self.current.is_more_like_this:
            return None
        if before:
            start = max(0, offset - PAGE_SIZE)
            return Page(self.current, start, offset - start)
        return Page(self.current, offset, SECOND_PAGE if offset == FIRST_PAGE else PAGE_SIZE)

    # Moving ---------------------------------------------------------------------------------------

    def go(self, state: SearchState, *, remember: bool = True) -> None:
        """Move to ``state`` and search for it; ``remember``: "back" returns to the state left."""
        if state == self.state:
            return
        if remember:
            self.history.append(self.state)
        self.state = state
        self._moved(state)
        self.search()

    def enter_text(self, text: str, *, submitted: bool = False) -> None:
        """The query text settled (``submitted``: by Enter). Typing is not remembered for "back";
        the same text again searches again, keeping the cursor, for what was indexed since."""
        if text != self.state.text or self.state.like_id is not None:
            self.go(self.state.with_text(text), remember=False)
        else:
            self.search(keep_position=True)
        if submitted and self.current is not None:
            self._submitted = self.current.generation

    def choose_suggestion(self, text: str) -> None:
        self.go(self.state.with_text(text))

    def add_entity_filter(self, label: str, canonical: str) -> None:
        self.go(self.state.with_filter(EntityFilter(label, canonical)))

    def filter_dates(self, dates: DateFilter) -> None:
        """Keep only the articles dated within ``dates`` (in place of any date filter before)."""
        self.go(self.state.with_dates(dates))

    def remove_filter(self, removed: EntityFilter | DateFilter) -> None:
        self.go(self.state.without_filter(removed))

    def remove_last_filter(self) -> None:
        """Remove the filter shown last: the dates, else the entity chosen last."""
        if self.state.chips:
            self.remove_filter(self.state.chips[-1])

    def cycle_sort(self) -> None:
        self.go(self.state.with_next_sort(), remember=False)

    def toggle_collapse(self) -> None:
        self.go(self.state.with_collapse_toggled(), remember=False)

    def reopen(self, query: Query, *, collapse: bool) -> None:
        """Move to a saved search: its text, filters, dates and sort, and folding."""
        state = SearchState(query.text, query.filters, query.sort, collapse=collapse, dates=query.dates)
        self.go(state)

    def more_like_this(self) -> bool:
        """List the articles like the open one; False if none is open."""
        if self.article is None:
            return False
        self.go(self.state.like(self.article.id, self.article.title))
        return True

    def back(self) -> bool:
        """Return to the state before the last remembered move; False if there is none."""
        if not self.history:
            return False
        self.go(self.history.pop(), remember=False)
        return True

    # Indexing -------------------------------------------------------------------------------------

    def synced(self, report: IndexReport) -> None:
        """The index caught up with the corpus: if articles changed, search again where the user is."""
        if report.added or report.updated or report.removed:
            self.search(keep_position=True)

    def copies_grouped(self) -> None:
        """The duplicates phase is done: a folded list is folded again by the groups it found (``c``
        pressed while indexing folded nothing yet)."""
        if self.state.collapse:
            self.search(keep_position=True)

    def indexer_progressed(self, now: float) -> None:
        """The indexer is at work (``now`` on the monotonic clock). A first run starts with an empty
        list: list what is indexed so far, every few seconds, until the list has articles."""
        empty = self.result is not None and self.result.total == 0 and self.state.query.is_everything
        if empty and now - self._last_refresh >= REFRESH_WHILE_INDEXING:
            self._last_refresh = now
            self.search()

    # Reading and the sidebar ----------------------------------------------------------------------

    def read(self, hit: Hit | None, article: Article | None, mentions: Sequence[Mention]) -> bool:
        """Open ``article`` (None: no article) found by ``hit``; whether it was open already, found
        by the same hit, so that only its ``mentions`` are new (a new search's hit brings new
        highlights, even in the article already open)."""
        same = (
            article is not None
            and self.article is not None
            and article.id == self.article.id
            and hit == self.hit
        )
        self.hit, self.article, self.mentions = hit, article, mentions
        return same

    def toggle_facets(self) -> None:
        self.facets_mode = not self.facets_mode

    def facets_search(self) -> Search | None:
        """The search whose facets the sidebar lists; None if it has none (no search yet, or
        "more like this")."""
        if self.current is None or self.current.is_more_like_this:
            return None
        return self.current
