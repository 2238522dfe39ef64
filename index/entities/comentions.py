"""Co-mentions: the entities most often mentioned in the same articles as one entity, across the
articles matching a query.

Counted from the facet index's flat arrays (``index.entities.facets``), as facets are: the rows of
the matching articles whose entities hold the one asked about, then the facets of those rows. Two
gathers and two ``bincount`` calls, whatever the size of the result; entities are counted as the
user's curation shows them (merged names as one, hidden ones not at all).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.entities.facets import Curated, EntityFacets, FacetIndex, as_stored, ranked_numbers
from index.models import EntityFilter, Facet, Query, StopCheck


@dataclass(frozen=True, slots=True)
class Counted:
    """An entity across a set of articles, and the entities mentioned most often beside it."""

    articles: int
    mentions: int
    comentioned: list[Facet]


NOT_FOUND = Counted(0, 0, [])


def co_mentioned(
    facets: EntityFacets,
    query: Query,
    entity: EntityFilter,
    *,
    limit: int,
    should_stop: StopCheck,
    curated: Curated = as_stored,
) -> Counted:
    """``entity`` (as ``curated`` shows it) across the articles matching ``query``, with the
    ``limit`` entities that most of the same articles mention (ranked by those articles, then
    mentions, then name). Nothing when the entity phase has not run or no article mentions it."""
    index = facets.index(curated)
    if index is None or (number := index.number_of.get((entity.canonical, entity.label))) is None:
        return NOT_FOUND
    return _counted(index, facets.rows(index, query, should_stop), number, limit)


def _counted(index: FacetIndex, rows: np.ndarray, number: int, limit: int) -> Counted:
    positions, owners = index.positions(rows)
    # An article holds each of its entities once, so these rows are distinct.
    articles, mentions = index.count(owners[index.entity[positions] == number])
    others = np.flatnonzero(articles)
    others = others[others != number]
    comentioned = [
        Facet(*index.entities[other], int(articles[other]), int(mentions[other]))
        for other in ranked_numbers(others, articles, mentions, index, limit)
    ]
    return Counted(int(articles[number]), int(mentions[number]), comentioned)
