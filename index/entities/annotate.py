"""Entities of a handful of articles in one go, with no index: for ``broadsheet extract`` and tests.

The entity phase (``phase``) does the same work in resumable batches over a whole corpus.
"""

from __future__ import annotations

from collections.abc import Mapping

from index.entities.canonical import Entity, Resolver
from index.entities.extractor import Extractor, default_extractor
from index.entities.normalise import Found, clean_mentions
from index.models import Mention


def annotate(
    bodies: Mapping[str, str], extractor: Extractor | None = None, *, region: str | None = None
) -> dict[str, list[Mention]]:
    """Article id -> its mentions in body order, normalised across the given articles; national
    phone numbers are read in ``region`` (default: ``patterns.phone_region()``)."""
    extractor = extractor or default_extractor()
    ids = list(bodies)
    spans_per_article = extractor.extract(bodies[article_id] for article_id in ids)
    found = {
        article_id: clean_mentions(bodies[article_id], spans, region)
        for article_id, spans in zip(ids, spans_per_article, strict=True)
    }
    resolver = Resolver()
    for mentions in found.values():
        resolver.add_all(mentions)
    entities = resolver.resolve()
    return {article_id: to_mentions(mentions, entities) for article_id, mentions in found.items()}


def to_mentions(found: list[Found], entities: Mapping[str, Entity]) -> list[Mention]:
    """Public mentions: each clean mention with its entity's canonical name and corpus label."""
    return [
        Mention(
            text=f.text,
            label=entities[f.key].label,
            start=f.start,
            end=f.end,
            canonical=entities[f.key].canonical,
        )
        for f in found
    ]
