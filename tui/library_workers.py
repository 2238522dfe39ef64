"""The explorer's calls to the library, each run in a worker thread of the screen.

Workers of one kind (search, page, article, facets) are exclusive: a new one cancels the one before
it, and the library, which is asked ``should_stop``, drops a search the user has typed past on the
spot. Answers reach the screen through ``call_from_thread``, which waits until the screen has taken
them, and never come from a cancelled worker (a newer one superseded it, or the app is quitting).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.screen import Screen
from textual.worker import get_current_worker

from index.duplicates import Copy
from index.errors import BroadsheetError, Cancelled, QueryError
from index.models import Article, Facet, Hit, Mention, Progress, Query, SearchResult
from tui.exporting import ExportChoice, run_export
from tui.indexer import Indexer, IndexEvent
from tui.search_session import Page, Search

if TYPE_CHECKING:
    from index.api import LibraryAPI

HISTOGRAM_DELAY = 0.25
"""Seconds to wait before the histogram, which holds the library for a while on big corpora:
a keystroke within that time cancels it instead of waiting behind it."""
PROGRESS_INTERVAL = 0.1
"""Seconds between progress repaints, so a fast indexer is not slowed by the screen."""

T = TypeVar("T")


class Answers(Protocol):
    """What the screen does with each answer, on the UI thread."""

    def library_ready(self, library: LibraryAPI) -> None: ...
    def library_failed(self, message: str) -> None: ...
    def index_event(self, event: IndexEvent) -> None: ...
    def search_done(self, search: Search, result: SearchResult) -> None: ...
    def search_failed(self, search: Search, message: str) -> None: ...
    def histogram_done(self, search: Search, histogram: list[tuple[str, int]]) -> None: ...
    def page_loaded(self, page: Page, result: SearchResult) -> None: ...
    def article_loaded(self, hit: Hit, article: Article, mentions: Sequence[Mention]) -> None: ...
    def article_failed(self, message: str) -> None: ...
    def copies_loaded(self, hit: Hit, copies: list[Copy], *, compare: bool) -> None: ...
    def facets_loaded(self, search: Search, facets: list[Facet]) -> None: ...
    def notice(self, message: str) -> None: ...
    def export_progressed(self, done: int, total: int) -> None: ...
    def export_done(self, choice: ExportChoice, written: int) -> None: ...
    def export_failed(self, message: str) -> None: ...


def _superseded() -> bool:
    """For the library's ``should_stop``: a newer call of the same kind (or quitting) cancelled this
    worker, so the library stops its work on the spot instead of finishing work nobody will see."""
    return get_current_worker().is_cancelled


class LibraryWorkers:
    """Runs the library's calls in worker threads of ``screen`` and hands the answers to ``answers``."""

    def __init__(self, screen: Screen[Any], answers: Answers) -> None:
        self._screen = screen
        self._answers = answers
        self._indexer: Indexer | None = None
        self._last_progress: tuple[str, float] = ("", 0.0)  # (phase, when it was last shown)

    def _run(self, job: Callable[[], None], name: str, group: str, *, exclusive: bool = True) -> None:
        self._screen.run_worker(
            job, name=name, group=group, exclusive=exclusive, exit_on_error=False, thread=True
        )

    def _deliver(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback`` on the UI thread unless this worker was cancelled (e.g. on quit)."""
        if not get_current_worker().is_cancelled:
            self._screen.app.call_from_thread(callback, *args)

    def open_library(
        self, opener: Callable[[], LibraryAPI], indexer: Callable[[LibraryAPI], Indexer]
    ) -> None:
        """Open the library, then keep its index up to date until the indexer is done or stopped."""
        self._run(partial(self._open_library, opener, indexer), "open_library", "library", exclusive=False)

    def stop_indexing(self) -> None:
        if self._indexer is not None:
            self._indexer.stop()

    def search(self, search: Search) -> None:
        # A page of the search before would only slow this one down: its hits are no longer wanted.
        self._screen.workers.cancel_group(self._screen, "page")
        self._run(partial(self._search, search), "search", "search")

    def page(self, page: Page) -> None:
        self._run(partial(self._page, page), "page", "page")

    def article(self, library: LibraryAPI, hit: Hit) -> None:
        self._run(partial(self._article, library, hit), "article", "article")

    def facets(self, search: Search) -> None:
        self._run(partial(self._facets, search), "facets", "facets")

    def copies(self, library: LibraryAPI, hit: Hit, *, compare: bool) -> None:
        """The copies of ``hit``'s story, to list under it or (``compare``) to compare side by side."""
        self._run(partial(self._copies, library, hit, compare), "copies", "copies")

    def notebook(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run ``job`` (a read or change of the notebook: curation, saved searches, history) and hand
        its answer to ``done``; a BroadsheetError it raises (an unknown name) goes to ``notice``."""
        self._run(partial(self._notebook, job, done), "notebook", "notebook", exclusive=False)
    def export(self, library: LibraryAPI, query: Query, choice: ExportChoice) -> None:
        """Write every hit of ``query`` where ``choice`` says, reporting progress; a new export
        cancels the one before (its file is not left half written)."""
        self._run(partial(self._export, library, query, choice), "export", "export")

    # In the worker threads ----------------------------------------------------------------------

    def _notebook(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        try:
            answer = job()
        except BroadsheetError as error:
            self._deliver(self._answers.notice, str(error))
            return
        self._deliver(done, answer)

    def _open_library(
        self, opener: Callable[[], LibraryAPI], indexer: Callable[[LibraryAPI], Indexer]
    ) -> None:
        try:
            library = opener()
        except BroadsheetError as error:
            self._deliver(self._answers.library_failed, str(error))
            return
        self._deliver(self._answers.library_ready, library)
        worker = get_current_worker()
        self._indexer = indexer(library)
        self._indexer.run(self._index_event, lambda: worker.is_cancelled)

    def _index_event(self, event: IndexEvent) -> None:
        if isinstance(event, Progress):
            # At most one report per interval, but always a phase's first and last: a phase that
            # starts right after the other ended must say so at once, not at its next report.
            now, (phase, shown) = time.monotonic(), self._last_progress
            if event.phase == phase and now - shown < PROGRESS_INTERVAL and event.done != event.total:
                return
            self._last_progress = (event.phase, now)
        self._deliver(self._answers.index_event, event)

    def _search(self, search: Search) -> None:
        """The first page at once, then the month histogram (slower: it reads every match's date)."""
        try:
            result = search.first_page(_superseded)
        except QueryError as error:
            self._deliver(self._answers.search_failed, search, str(error))
            return
        except Cancelled:
            return
        self._deliver(self._answers.search_done, search, result)
        if search.is_more_like_this:
            self._deliver(self._answers.histogram_done, search, [])
            return
        time.sleep(HISTOGRAM_DELAY)
        if _superseded():  # typed past: reading the query again would only slow the next search
            return
        with suppress(Cancelled):
            self._deliver(self._answers.histogram_done, search, search.date_histogram(_superseded))

    def _page(self, page: Page) -> None:
        with suppress(QueryError, Cancelled):
            self._deliver(self._answers.page_loaded, page, page.fetch(_superseded))

    def _article(self, library: LibraryAPI, hit: Hit) -> None:
        try:
            article = library.article(hit.id)
            mentions = library.article_entities(hit.id)
        except BroadsheetError as error:
            self._deliver(self._answers.article_failed, str(error))
            return
        self._deliver(self._answers.article_loaded, hit, article, mentions)

    def _copies(self, library: LibraryAPI, hit: Hit, compare: bool) -> None:
        try:
            copies = library.copies(hit.id)
        except BroadsheetError as error:
            self._deliver(self._answers.article_failed, str(error))
            return
        self._deliver(partial(self._answers.copies_loaded, compare=compare), hit, copies)

    def _export(self, library: LibraryAPI, query: Query, choice: ExportChoice) -> None:
        shown = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal shown
            if time.monotonic() - shown >= PROGRESS_INTERVAL or done == total:
                shown = time.monotonic()
                self._deliver(self._answers.export_progressed, done, total)

        try:
            written = run_export(library, query, choice, progress, _superseded)
        except BroadsheetError as error:
            self._deliver(self._answers.export_failed, str(error))
        except Cancelled:
            return
        else:
            self._deliver(self._answers.export_done, choice, written)

    def _facets(self, search: Search) -> None:
        with suppress(QueryError, Cancelled):
            self._deliver(self._answers.facets_loaded, search, search.facets(_superseded))
