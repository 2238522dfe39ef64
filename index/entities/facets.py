"""Entity facets: the top people, organisations, places... of the articles matching a query.

The entity database is turned once per change into flat arrays: entities numbered, and per
article its entities each once with their mention counts (article row ``r`` owns
``entity[offsets[r]:offsets[r + 1]]`` and the same slice of ``mentions``). For each generation of
the text index, the article row of every number the index gives its articles is worked out once.
Counting the facets of a result set is then a gather and two ``bincount`` calls in numpy, whatever
its size: the per-article tuples and ``Counter`` this replaces took 0.7 s for 20,000 matching
articles, plus 0.6 s to look up their ids one by one.

The text index is reached only through ``MatchArticles``, the one question facets ask of it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from itertools import islice
from pathlib import Path

import numpy as np

from index.entities.labels import ENTITY_LABELS
from index.entities.store import existing_db
from index.models import ArticleNumbering, Facet, MatchingArticles, Query, StopCheck

MatchArticles = Callable[[Query, StopCheck], MatchingArticles]
"""The articles of the text index that match a query (Cancelled if the check says stop)."""

Curated = Callable[[str, str], "tuple[str, str] | None"]
"""The (name, label) a stored entity is shown as, None if the user hid it (their curation)."""


def as_stored(canonical: str, label: str) -> tuple[str, str] | None:
    """No curation: every entity as the entity phase stored it."""
    return (canonical, label)


NO_ROW = -1
"""The row of an article number whose article the entity phase has not analysed (yet)."""


class FacetIndex:
    """The entities of every analysed article, as flat arrays (see the module docstring)."""

    def __init__(
        self,
        key_entities: Iterable[tuple[int, str, str]] = (),
        key_counts: Iterable[tuple[str, bytes, bytes]] = (),
        curated: Curated = as_stored,
    ) -> None:
        numbers: dict[tuple[str, str], int] = {}
        entity_of_key: dict[int, int] = {}
        for key, canonical, label in key_entities:
            shown = curated(canonical, label)
            if shown is not None:  # a hidden entity's keys stay NO_ROW: never counted
                entity_of_key[key] = numbers.setdefault(shown, len(numbers))
        self.entities = list(numbers)
        """Number -> (canonical name, label)."""
        self.number_of = numbers
        """(canonical name, label) -> number."""
        lookup = np.full(max(entity_of_key, default=0) + 1, NO_ROW, dtype=np.int64)
        lookup[list(entity_of_key)] = list(entity_of_key.values())
        self.row_of: dict[str, int] = {}
        parts = [_per_article(lookup, chunk, len(numbers), self.row_of) for chunk in _chunks(key_counts)]
        self.entity = np.concatenate([np.zeros(0, dtype=np.int32), *(part[1] for part in parts)])
        self.mentions = np.concatenate([np.zeros(0, dtype=np.int32), *(part[2] for part in parts)])
        lengths = np.concatenate([np.zeros(0, dtype=np.int64), *(part[0] for part in parts)])
        self.offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.offsets[1:])
        self.label_of = np.array([ENTITY_LABELS.index(label) for _, label in self.entities], dtype=np.int64)
        self.everything: dict[tuple[str | None, int], list[Facet]] = {}
        """Facets of every article, by (label, limit): they change only with the database."""
        self.rows_by_numbering: weakref.WeakKeyDictionary[ArticleNumbering, np.ndarray] = (
            weakref.WeakKeyDictionary()
        )
        """Per numbering of the text index, the article row of each number (``NO_ROW`` if none)."""

    def count(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per entity number, in how many of these article rows it appears and how often."""
        positions, _ = self.positions(rows)
        found = self.entity[positions]
        size = len(self.entities)
        articles = np.bincount(found, minlength=size)
        mentions = np.bincount(found, weights=self.mentions[positions], minlength=size).astype(np.int64)
        return articles, mentions

    def positions(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the entities of these article rows are in ``entity`` and ``mentions``, and for each
        position the index in ``rows`` of the row it belongs to (``NO_ROW`` rows have none)."""
        kept = np.flatnonzero(rows != NO_ROW)
        starts = self.offsets[rows[kept]]
        lengths = self.offsets[rows[kept] + 1] - starts
        # Each row's start, then consecutive.
        before = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))
        return positions, np.repeat(kept, lengths)

    def rows_of(self, numbering: ArticleNumbering) -> np.ndarray:
        """The article row of every number of ``numbering``, worked out once per numbering."""
        rows = self.rows_by_numbering.get(numbering)
        if rows is None:
            found = [self.row_of.get(article_id, NO_ROW) for article_id in numbering.ids]
            rows = self.rows_by_numbering[numbering] = np.array(found, dtype=np.int64)
        return rows


class EntityFacets:
    """The entity facets of one index: its entity database (at ``db_path``) as a ``FacetIndex``,
    rebuilt when the database changes, and ``matching``, the text index's articles of a query."""

    def __init__(self, db_path: Path, matching: MatchArticles) -> None:
        self._db_path = db_path
        self._matching = matching
        self._lock = threading.Lock()
        self._generation = -1
        self._curated: Curated = as_stored
        self._index = FacetIndex()

    def index(self, curated: Curated = as_stored) -> FacetIndex | None:
        """The facet index, rebuilt if the entity database or the curation has changed; None before
        any entity phase."""
        db = existing_db(self._db_path)
        if db is None:
            return None
        with closing(db), self._lock:
            generation = db.generation()
            if generation != self._generation or curated != self._curated:
                self._index = FacetIndex(db.key_entities(), db.key_counts(), curated)
                self._generation, self._curated = generation, curated
            return self._index

    def top(
        self,
        query: Query,
        *,
        label: str | None,
        limit: int,
        should_stop: StopCheck,
        curated: Curated = as_stored,
    ) -> list[Facet]:
        """The top entities of the articles matching ``query``: ``limit`` per label, labels in sidebar order.

        With ``label``, only that label's. Ranked by articles, then mentions, then name. A query of every
        article (``*`` or no text, no filter) needs no search: it is every article the entity phase
        analysed, and its facets are kept until the entity database changes. Entities are counted as
        ``curated`` shows them: merged ones as one, hidden ones not at all.
        """
        index = self.index(curated)
        if index is None:
            return []
        if query.is_everything:
            key = (label, limit)
            if key not in index.everything:
                index.everything[key] = _ranked(index, self.rows(index, query, should_stop), label, limit)
            return list(index.everything[key])
        return _ranked(index, self.rows(index, query, should_stop), label, limit)

    def rows(self, index: FacetIndex, query: Query, should_stop: StopCheck) -> np.ndarray:
        """The article rows of ``index`` of the articles matching ``query`` (``NO_ROW`` for those
        the entity phase has not analysed)."""
        return self.matching_rows(index, query, should_stop)[0]

    def matching_rows(
        self, index: FacetIndex, query: Query, should_stop: StopCheck
    ) -> tuple[np.ndarray, MatchingArticles | None]:
        """``rows``, and the text index's articles they are, in the same order; a query of every
        article needs no search (and gives no articles)."""
        if query.is_everything:
            return np.arange(len(index.row_of), dtype=np.int64), None
        matching = self._matching(query, should_stop)
        numbers = np.array(matching.numbers, dtype=np.int64)
        return index.rows_of(matching.numbering)[numbers], matching


CHUNK = 20_000
"""Articles turned into arrays at a time, bounding the temporary arrays whatever the corpus size."""


def _chunks(key_counts: Iterable[tuple[str, bytes, bytes]]) -> Iterator[list[tuple[str, bytes, bytes]]]:
    rows = iter(key_counts)
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _per_article(
    lookup: np.ndarray,
    chunk: list[tuple[str, bytes, bytes]],
    size: int,
    row_of: dict[str, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a chunk of articles (numbered on in ``row_of``): how many entities each has, then those
    entities, each once per article, and their mention counts. ``lookup`` maps key numbers to
    entity numbers (``NO_ROW`` for a key no entity resolved).

    Several keys can be one entity ("Navalny" and "Alexei Navalny"): an article counts for the
    entity once, with the mentions of all its keys.
    """
    for article_id, _, _ in chunk:
        row_of[article_id] = len(row_of)
    lengths = np.array([len(packed) // 4 for _, packed, _ in chunk], dtype=np.int64)
    key_numbers = np.frombuffer(b"".join(packed for _, packed, _ in chunk), dtype=np.uint32)
    mentioned = np.frombuffer(b"".join(packed for _, _, packed in chunk), dtype=np.uint32)
    inside = key_numbers < len(lookup)
    entity = np.where(inside, lookup[np.where(inside, key_numbers, 0)], NO_ROW)
    rows = np.repeat(np.arange(len(chunk), dtype=np.int64), lengths)
    known = entity != NO_ROW
    width = max(size, 1)
    pairs, where = np.unique(rows[known] * width + entity[known], return_inverse=True)
    summed = np.bincount(where, weights=mentioned[known], minlength=len(pairs))
    per_row = np.bincount(pairs // width, minlength=len(chunk))
    return per_row, (pairs % width).astype(np.int32), summed.astype(np.int32)


def _ranked(index: FacetIndex, rows: np.ndarray, label: str | None, limit: int) -> list[Facet]:
    articles, mentions = index.count(rows)
    ordered: list[Facet] = []
    for name in ENTITY_LABELS if label is None else (label,):
        wanted = (index.label_of == ENTITY_LABELS.index(name)) & (articles > 0)
        ordered.extend(
            Facet(index.entities[n][0], name, int(articles[n]), int(mentions[n]))
            for n in ranked_numbers(np.flatnonzero(wanted), articles, mentions, index, limit)
        )
    return ordered


def ranked_numbers(
    numbers: np.ndarray, articles: np.ndarray, mentions: np.ndarray, index: FacetIndex, limit: int
) -> list[int]:
    """The ``limit`` entities with most articles, then mentions, then by name.

    Ranks by name only the candidates that can make the cut (those with at least as many articles
    as the ``limit``-th), because comparing names is costly over tens of thousands of entities.
    """
    if len(numbers) == 0 or limit <= 0:
        return []
    counts = articles[numbers]
    cut = (
        np.partition(counts, len(counts) - limit)[len(counts) - limit]
        if len(counts) > limit
        else counts.min()
    )
    candidates = [int(n) for n in numbers[counts >= cut]]
    candidates.sort(key=lambda n: (-articles[n], -mentions[n], index.entities[n][0]))
    return candidates[:limit]
