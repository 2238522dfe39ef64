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

from index.entities.facets import Curated, EntityFacets, as_stored, ranked_numbers
from index.models import EntityFilter, Facet, MatchingArticles, Query, StopCheck


@dataclass(frozen=True, slots=True)
class Counted:
    """An entity across a set of articles, and the entities mentioned most often beside it."""

    articles: int
    mentions: int
    comentioned: list[Facet]
    mentioning: MatchingArticles | None = None
    """The text index's articles of the set that mention the entity (for their dates); None for
    a set of every article, which was counted without a search."""


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
    rows, matching = facets.matching_rows(index, query, should_stop)
    positions, owners = index.positions(rows)
    # An article holds each of its entities once, so these are distinct indices of ``rows``.
    mentioning = owners[index.entity[positions] == number]
    articles, mentions = index.count(rows[mentioning])
    others = np.flatnonzero(articles)
    others = others[others != number]
    comentioned = [
        Facet(*index.entities[other], int(articles[other]), int(mentions[other]))
        for other in ranked_numbers(others, articles, mentions, index, limit)
    ]
    numbers = (
        None
        if matching is None
        else MatchingArticles(np.asarray(matching.numbers)[mentioning].tolist(), matching.numbering)
    )
    return Counted(int(articles[number]), int(mentions[number]), comentioned, numbers)
