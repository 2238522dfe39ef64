"""Broadsheet's library: a corpus of news articles, its full-text index, search and entities.

Clients (the command line, the TUI) use ``Library`` and the plain values below; nothing else.
The TUI holds its library as a ``LibraryAPI``, the protocol of what it asks (index/api.py).
"""

from index.api import LibraryAPI
from index.errors import (
    ArticleNotFound,
    BroadsheetError,
    Cancelled,
    CorpusError,
    IndexBusyError,
    IndexUnusable,
    QueryError,
)
from index.models import (
    Article,
    DateFilter,
    EntityFilter,
    EntityRef,
    Facet,
    Hit,
    IndexReport,
    Mention,
    Progress,
    Query,
    SearchResult,
    Skip,
    SkipReason,
    SortOrder,
    Span,
    UpdateReport,
)


def __getattr__(name: str) -> object:
    # ``Library`` pulls in Whoosh and the readers: loaded on first use, so that the explorer can
    # import the plain values and errors and draw its first frame before any of that.
    if name == "Library":
        from index.library import Library

        return Library
    raise AttributeError(f"module 'index' has no attribute {name!r}")


__all__ = [
    "Article",
    "ArticleNotFound",
    "BroadsheetError",
    "Cancelled",
    "CorpusError",
    "DateFilter",
    "EntityFilter",
    "EntityRef",
    "Facet",
    "Hit",
    "IndexBusyError",
    "IndexReport",
    "IndexUnusable",
    "Library",
    "LibraryAPI",
    "Mention",
    "Progress",
    "Query",
    "QueryError",
    "SearchResult",
    "Skip",
    "SkipReason",
    "SortOrder",
    "Span",
    "UpdateReport",
]
