"""The explorer's calls to the notebook (stars, tags, notes), one after another in worker threads.

The notebook is a SQLite file that another process (the command line) may hold for a moment, so
its calls leave the UI thread; they run in the order they were asked for, so that a star toggled
twice is toggled twice and the marks of a page read before a star come back before that star's
answer. A job asked for with a ``key`` while another with that very key still waits is not queued
again: a note's save writes the latest text when it runs, so one waiting save carries every edit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen
from textual.worker import get_current_worker

from index.errors import BroadsheetError

if TYPE_CHECKING:
    from index.api import LibraryAPI
    from index.models import ArticleNotes

T = TypeVar("T")


class NotebookWorkers:
    """Runs notebook calls in worker threads of ``screen``, one at a time, in the order asked; a
    ``BroadsheetError``'s sentence goes to ``failed``."""

    def __init__(self, screen: Screen[Any], failed: Callable[[str], None]) -> None:
        self._screen = screen
        self._failed = failed
        self._waiting: deque[tuple[Callable[[], Any], Callable[[Any], None], object]] = deque()
        self._running = False

    def run(self, job: Callable[[], T], then: Callable[[T], None], *, key: object = None) -> None:
        """Run ``job`` once the calls asked for before it are done, then hand its answer to ``then``
        on the UI thread; nothing if a job with this ``key`` (the same object) is still waiting."""
        if key is not None and any(waiting[2] is key for waiting in self._waiting):
            return
        self._waiting.append((job, then, key))
        self._start_next()

    def _start_next(self) -> None:
        if self._running or not self._waiting:
            return
        job, then, _ = self._waiting.popleft()
        self._running = True
        self._screen.run_worker(
            partial(self._work, job, then),
            name="notebook",
            group="notebook",
            exclusive=False,
            exit_on_error=False,
            thread=True,
        )

    def _finished(self) -> None:
        self._running = False
        self._start_next()

    def _work(self, job: Callable[[], T], then: Callable[[T], None]) -> None:
        """In the worker thread: the call, then its answer (or its error) and the next call."""
        try:
            answer = job()
        except BroadsheetError as error:
            self._deliver(self._failed, str(error))
        else:
            self._deliver(then, answer)
        finally:
            self._deliver(self._finished)

    def _deliver(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback`` on the UI thread unless the worker was cancelled (the app is quitting)."""
        if not get_current_worker().is_cancelled:
            self._screen.app.call_from_thread(callback, *args)


def toggle_star(library: LibraryAPI, article_id: str) -> ArticleNotes | None:
    """Star the article if it has no star, else take its star away; what the notebook then holds."""
    held = library.article_notes(article_id)
    return library.annotate(article_id, starred=held is None or not held.starred)
