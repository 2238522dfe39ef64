"""Broadsheet's library: a corpus of news articles, its full-text index, search and entities.

Clients (the command line, the TUI) use ``Library`` and the plain values below; nothing else.
"""

from index.errors import (
    ArticleNotFound,
    BroadsheetError,
    CorpusError,
    IndexBusyError,
    IndexError_,
    QueryError,
)
from index.library import Library
from index.models import (
    Article,
    EntityRef,
    Facet,
    Hit,
    IndexReport,
    Mention,
    Progress,
    SearchResult,
    Skip,
    SkipReason,
    SortOrder,
    Span,
)

__all__ = [
    "Article",
    "ArticleNotFound",
    "BroadsheetError",
    "CorpusError",
    "EntityRef",
    "Facet",
    "Hit",
    "IndexBusyError",
    "IndexError_",
    "IndexReport",
    "Library",
    "Mention",
    "Progress",
    "QueryError",
    "SearchResult",
    "Skip",
    "SkipReason",
    "SortOrder",
    "Span",
]
