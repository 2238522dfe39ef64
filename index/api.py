"""What the explorer asks of a library, as a protocol: ``Library`` is one implementation and the TUI
tests' ``FakeLibrary`` (tests/tui_support.py) another. The TUI holds its library as a ``LibraryAPI``.

``mypy`` (run by ``make test``) holds all three together: the TUI may call only what is listed here,
``Library`` and ``FakeLibrary`` must each accept every call listed here, and ``_library_is_the_api``
below fails when ``Library`` accepts a call that this protocol does not list (a new keyword of
``search``, say), so that neither the protocol nor the double can fall behind the real library.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from index.duplicates.models import Copy, DuplicateGroup
from index.models import (
    Article,
    Facet,
    IndexReport,
    Mention,
    ProgressCallback,
    Query,
    SearchResult,
    StopCheck,
    UpdateReport,
)

if TYPE_CHECKING:
    from index.cluster import Cluster

SyncedCallback = Callable[[IndexReport], None]


class LibraryAPI(Protocol):
    """The members of ``Library`` that the TUI uses, with its signatures (see its docstrings)."""

    @property
    def corpus(self) -> Path: ...

    @property
    def index_dir(self) -> Path: ...

    @property
    def engine_name(self) -> str: ...

    @property
    def is_indexed(self) -> bool: ...

    def count(self) -> int: ...

    def update(
        self,
        *,
        entities: bool = True,
        progress: ProgressCallback | None = None,
        on_synced: SyncedCallback | None = None,
        should_stop: StopCheck | None = None,
        wait: float = 0.0,
        cluster: Cluster | None = None,
    ) -> UpdateReport: ...

    def search(
        self,
        query: Query | str,
        *,
        limit: int = 50,
        offset: int = 0,
        should_stop: StopCheck | None = None,
        collapse: bool = False,
    ) -> SearchResult: ...

    def duplicates(self, threshold: float | None = None) -> list[DuplicateGroup]: ...

    def copies(self, article_id: str, threshold: float | None = None) -> list[Copy]: ...

    def more_like_this(self, article_id: str, *, limit: int = 20) -> SearchResult: ...

    def date_histogram(
        self, query: Query | str, *, should_stop: StopCheck | None = None
    ) -> list[tuple[str, int]]: ...

    def article(self, article_id: str) -> Article: ...

    def article_entities(self, article_id: str) -> list[Mention]: ...

    def facets(
        self,
        query: Query | str,
        *,
        label: str | None = None,
        limit: int = 20,
        should_stop: StopCheck | None = None,
    ) -> list[Facet]: ...


if TYPE_CHECKING:
    from index.library import Library

    _Member = TypeVar("_Member")

    def _accepts_what(real: _Member) -> Callable[[_Member], None]:
        """``_accepts_what(real)(declared)`` type-checks only if ``declared`` accepts every call that
        ``real`` does (and returns what it returns)."""
        raise NotImplementedError

    def _library_is_the_api(library: Library, api: LibraryAPI) -> LibraryAPI:
        """Never run: mypy's proof that the protocol lists Library's own signatures."""
        _accepts_what(library.count)(api.count)
        _accepts_what(library.update)(api.update)
        _accepts_what(library.search)(api.search)
        _accepts_what(library.duplicates)(api.duplicates)
        _accepts_what(library.copies)(api.copies)
        _accepts_what(library.more_like_this)(api.more_like_this)
        _accepts_what(library.date_histogram)(api.date_histogram)
        _accepts_what(library.article)(api.article)
        _accepts_what(library.article_entities)(api.article_entities)
        _accepts_what(library.facets)(api.facets)
        return library
