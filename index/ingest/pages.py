"""Pages of an article read from a paged format (PDF): where each starts in the body.

A reader stores the offsets in ``Article.metadata`` as one compact string ("0,1830,4012"), the
form every article's metadata takes in the index; this module reads it back without loading the
reader that wrote it.
"""

from __future__ import annotations

import bisect

from index.models import Article

PAGES_KEY = "pages"
"""The metadata key of the page offsets: where each page starts in the body, comma-separated."""


def page_starts(article: Article) -> tuple[int, ...]:
    """Where each page starts in ``article.body``; empty for an article of a format without pages."""
    pages = article.metadata.get(PAGES_KEY, "")
    return tuple(int(start) for start in pages.split(",") if start.isdigit())


def page_at(starts: tuple[int, ...], offset: int) -> int | None:
    """The 1-based page that holds ``offset`` of the body, or None for an article without pages."""
    if not starts:
        return None
    return max(1, bisect.bisect_right(starts, offset))
