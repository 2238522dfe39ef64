"""What the explorer asks of a library, as a protocol: ``Library`` is one implementation and the TUI
tests' ``FakeLibrary`` (tests/tui_support.py) another. The TUI holds its library as a ``LibraryAPI``.

``mypy`` (run by ``make test``) holds all three together: the TUI may call only what is listed here,
``Library`` and ``FakeLibrary`` must each accept every call listed here, and ``_library_is_the_api``
below fails when ``Library`` accepts a call that this protocol does not list (a new keyword of
``search``, say), so that neither the protocol nor the double can fall behind the real library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from index.duplicates.models import Copy, DuplicateGroup
from index.models import (
    Article,
    ArticleNotes,
    CoMentions,
    EntityFilter,
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
    from index.notebook.curation import CurationOp
    from index.notebook.searches import SavedSearch

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

    # The notebook: entity curation, saved searches and the history of searches.

    def curate(self, op: CurationOp) -> None: ...

    def undo_curation(self) -> CurationOp: ...

    def save_search(self, search: SavedSearch) -> None: ...

    def saved_searches(self) -> list[SavedSearch]: ...

    def delete_saved_search(self, name: str) -> None: ...

    def record_search(self, text: str) -> None: ...

    def search_history(self) -> list[str]: ...

    # The notebook's stars, tags and notes (the explorer's *, t and a) ---------------------------

    def annotate(
        self,
        article_id: str,
        *,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        note: str | None = None,
    ) -> ArticleNotes | None: ...

    def article_notes(self, article_id: str) -> ArticleNotes | None: ...

    def notes_of(self, article_ids: Iterable[str]) -> dict[str, ArticleNotes]: ...

    # Every hit of a query, streamed (`broadsheet export`, the explorer's E) -------------------

    def export(
        self,
        query: Query | str,
        *,
        entities: bool = False,
        notes: bool = False,
        snippets: bool = False,
        should_stop: StopCheck | None = None,
    ) -> Export: ...

    # Co-mentions (issue 14) ---------------------------------------------------------------------

    def comentions(
        self,
        query: Query | str,
        entity: EntityFilter,
        *,
        limit: int = 20,
        should_stop: StopCheck | None = None,
    ) -> CoMentions: ...


if TYPE_CHECKING:
    from index.export import Export
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
        _accepts_what(library.curate)(api.curate)
        _accepts_what(library.undo_curation)(api.undo_curation)
        _accepts_what(library.save_search)(api.save_search)
        _accepts_what(library.saved_searches)(api.saved_searches)
        _accepts_what(library.delete_saved_search)(api.delete_saved_search)
        _accepts_what(library.record_search)(api.record_search)
        _accepts_what(library.search_history)(api.search_history)
        _accepts_what(library.annotate)(api.annotate)
        _accepts_what(library.article_notes)(api.article_notes)
        _accepts_what(library.notes_of)(api.notes_of)
        _accepts_what(library.export)(api.export)
        _accepts_what(library.comentions)(api.comentions)
        return library
