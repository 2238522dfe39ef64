"""Articles to Whoosh documents and back: the one place that knows which field holds what."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

from index.entities.labels import ENTITY_FIELDS
from index.models import Article, EntityRef

SPELLING_FIELD = "spelling"
"""The unstemmed words of title and body with their document frequencies: what "did you mean"
suggests from. Not a field users search (the query language's ``searchable_fields`` leaves it out)."""

ENTITY_SEPARATOR = " _ "
"""Joins entity names in a field: ``_`` is a token, so a phrase query cannot span two names."""

ARTICLE_URL = "article_url"
"""The stored field of the article's own web address (``url`` is the query field of the URLs it cites)."""
LANGUAGE_FIELD = "lang"
"""The article's language, an ISO 639-1 code where the language has one (``lang:de``)."""

TEXT_FIELDS = (
    "id", "path", "title", "body", "source", "author", "date", ARTICLE_URL, LANGUAGE_FIELD, "metadata",
)  # fmt: skip
"""The fields a sync writes; the entity fields are written afterwards by ``Store.write_entities``."""


def document(article: Article) -> dict[str, Any]:
    """The Whoosh fields of an article's text (no entity fields: those come later)."""
    fields: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.body,
        SPELLING_FIELD: spelling_text(article.title, article.body),
    }
    for name, value in (
        ("source", article.source),
        ("author", article.author),
        (ARTICLE_URL, article.url),
        (LANGUAGE_FIELD, article.language),
    ):
        if value:
            fields[name] = value
    if article.date is not None:
        # Only writers get here; ``dates`` compiles its patterns on import, which a search need not pay.
        from index.ingest.dates import naive_utc

        fields["date"] = naive_utc(article.date)  # Whoosh DATETIME fields hold naive datetimes
    if article.metadata:
        fields["metadata"] = dict(article.metadata)
    return fields


def unique_articles(articles: list[Article]) -> list[Article]:
    """A file yields each id once; a reader bug must not put the same id twice in the index."""
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def entity_fields(refs: Sequence[EntityRef]) -> dict[str, Any]:
    """Entity query fields and the stored ``entities`` list (most mentioned first)."""
    ordered = sorted(refs, key=_most_mentioned_first)
    fields: dict[str, Any] = {"entities": [[ref.canonical, ref.label, ref.mentions] for ref in ordered]}
    if ordered:
        fields["entity"] = ENTITY_SEPARATOR.join(ref.canonical for ref in ordered)
    for label, name in ENTITY_FIELDS.items():
        names = [ref.canonical for ref in ordered if ref.label == label]
        if names:
            fields[name] = ENTITY_SEPARATOR.join(names)
    return fields


def text_fields(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The text fields of a document, from its stored fields (to rewrite it with new entities)."""
    fields = {name: stored[name] for name in TEXT_FIELDS if stored.get(name) is not None}
    fields[SPELLING_FIELD] = spelling_text(stored.get("title", ""), stored.get("body", ""))
    return fields


def spelling_text(title: str, body: str) -> str:
    """What the spelling field indexes: the words of title and body, unstemmed (did-you-mean)."""
    return f"{title}\n{body}"


@overload
def as_text(value: str | bytes) -> str: ...
@overload
def as_text(value: None) -> None: ...
def as_text(value: str | bytes | None) -> str | None:
    """Text that Whoosh may hand back as UTF-8 bytes (a term, a column value) as ``str``."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def article_from_stored(stored: Mapping[str, Any]) -> Article:
    """An Article from a document's stored fields (``original`` is not stored: it is left empty)."""
    return Article(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title", ""),
        body=stored.get("body", ""),
        source=stored.get("source"),
        author=stored.get("author"),
        date=stored.get("date"),
        url=stored.get(ARTICLE_URL),
        metadata=dict(stored.get("metadata") or {}),
        language=stored.get(LANGUAGE_FIELD),
    )


def entity_refs(stored: Mapping[str, Any]) -> tuple[EntityRef, ...]:
    """The entities of a document, most mentioned first, from its stored ``entities`` list."""
    refs = [EntityRef(name, label, mentions) for name, label, mentions in stored.get("entities") or ()]
    return tuple(sorted(refs, key=_most_mentioned_first))


def _most_mentioned_first(ref: EntityRef) -> tuple[int, str]:
    return -ref.mentions, ref.canonical
