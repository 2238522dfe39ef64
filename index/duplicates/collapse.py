"""The groups of one duplicates database, kept between queries, and result lists folded by them.

A folded list shows each group once, on the line of its first member in the list's own order
(the best-scored copy for relevance, the newest for a date sort), with ``similar``, the number of
the group's other copies among all the matching articles (not only the page). The first copy in
the list's order, rather than the oldest, keeps the order the reader asked for: the line sits where
the group's best match sits, with that copy's snippet; the oldest copy heads the group once it is
opened (members are listed oldest first).

Counting the copies of a result set is a gather and a ``bincount`` over the group number of every
article number of the text index, worked out once per index generation (as entity facets do).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import replace
from math import ceil
from pathlib import Path

import numpy as np

from index.duplicates.groups import group
from index.duplicates.models import DuplicateGroup
from index.duplicates.store import existing_db
from index.models import ArticleNumbering, Hit, MatchingArticles, SearchResult

FirstHits = Callable[[int], SearchResult]
"""The first ``n`` hits of the query being folded, in its order."""

NO_GROUP = -1


class GroupIndex:
    """The groups at one threshold: the group number of each grouped article id, and of each
    article number of an index generation."""

    def __init__(self, groups: Sequence[DuplicateGroup]) -> None:
        self.groups = list(groups)
        self.group_of = {article_id: n for n, found in enumerate(self.groups) for article_id in found.ids}
        self._by_numbering: weakref.WeakKeyDictionary[ArticleNumbering, np.ndarray] = (
            weakref.WeakKeyDictionary()
        )

    def groups_of(self, numbering: ArticleNumbering) -> np.ndarray:
        """The group number of every article number of ``numbering`` (``NO_GROUP`` if alone)."""
        found = self._by_numbering.get(numbering)
        if found is None:
            group_of = self.group_of
            found = np.fromiter(
                (group_of.get(article_id, NO_GROUP) for article_id in numbering.ids),
                dtype=np.int64,
                count=len(numbering.ids),
            )
            self._by_numbering[numbering] = found
        return found

    def sizes(self, matching: MatchingArticles) -> np.ndarray:
        """Per group number, how many of its members are among ``matching``."""
        numbers = np.asarray(matching.numbers, dtype=np.int64)
        of = self.groups_of(matching.numbering)[numbers]
        return np.bincount(of[of != NO_GROUP], minlength=len(self.groups))

    def fold(self, hits: Sequence[Hit], sizes: np.ndarray) -> list[Hit]:
        """Each group's first hit, carrying how many other members ``sizes`` counts; ungrouped hits
        as they are."""
        seen: set[int] = set()
        lines = []
        for hit in hits:
            number = self.group_of.get(hit.id, NO_GROUP)
            if number == NO_GROUP:
                lines.append(hit)
            elif number not in seen:
                seen.add(number)
                lines.append(replace(hit, similar=max(int(sizes[number]) - 1, 0)))
        return lines


class Duplicates:
    """The groups of the duplicates database at ``db_path``, worked out again when it changes."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._lock = threading.Lock()
        self._generation = -1
        self._indexes: dict[float, GroupIndex] = {}

    def index(self, threshold: float) -> GroupIndex | None:
        """The groups at ``threshold``; None before any duplicates phase."""
        db = existing_db(self._db_path)
        if db is None:
            return None
        with closing(db), self._lock:
            generation = db.generation()
            if generation != self._generation:
                self._indexes, self._generation = {}, generation
            found = self._indexes.get(threshold)
            if found is None:
                found = self._indexes[threshold] = GroupIndex(group(db.articles(), db.pairs(threshold)))
            return found

    def groups(self, threshold: float) -> list[DuplicateGroup]:
        index = self.index(threshold)
        return [] if index is None else list(index.groups)

    def collapse(
        self, matching: MatchingArticles, first_hits: FirstHits, *, limit: int, offset: int, threshold: float
    ) -> SearchResult:
        """The page at ``offset`` of the folded result list, its ``total`` counting each group once.

        The folded page needs the hits before it: the first ``offset + limit`` lines lie within the
        first ``offset + limit + hidden`` hits. Fewer are asked for first (as many more as twice the
        copies expected among them, the result's share of copies), more as needed: every hit asked
        for costs its snippet, and most results hold few copies.
        """
        wanted = offset + limit
        index = self.index(threshold)
        if index is None:
            page = first_hits(wanted)
            return replace(page, hits=page.hits[offset:wanted])
        sizes = index.sizes(matching)
        hidden = int(sizes.sum() - np.count_nonzero(sizes))
        expected = ceil(2 * wanted * hidden / max(len(matching.numbers), 1))
        fetch = min(wanted + expected, wanted + hidden)
        while True:
            page = first_hits(fetch)
            lines = index.fold(page.hits, sizes)
            if len(lines) >= wanted or fetch >= min(page.total, wanted + hidden):
                return replace(page, total=max(page.total - hidden, 0), hits=tuple(lines[offset:wanted]))
            fetch = min(fetch + max(fetch - wanted, limit, 1), wanted + hidden)
