"""The tantivy schema, and articles to tantivy documents and back.

Every word field is given pre-tokenised, from the very analysers the Whoosh engine indexes with
(``NewsAnalyzer`` for title and body, the name analyser for source, author and entities), so both
engines hold the same words at the same positions. Articles are analysed into ``Prepared`` values
(plain data, cheap to pickle: analysis runs in worker processes) and turned into tantivy documents
in the process that writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tantivy

from index.analysis import NewsAnalyzer, spelling_words
from index.documents import article_from_stored, entity_fields, entity_refs
from index.entities.labels import ENTITY_FIELDS
from index.models import Article, EntityRef
from index.tree_terms import SPELLING_FIELD

TEXT_FIELDS = ("title", "body")
NAME_FIELDS = ("source", "author", "entity", *sorted(set(ENTITY_FIELDS.values())))
"""Fields of names: lower-cased words, not stemmed."""

RECORD = "record"
"""A stored-only JSON field with what rebuilds the article besides title and body."""

EPOCH = dt.datetime(1970, 1, 1)

Tokens = list[tuple[str, int, int, int]]
"""(word, position, start, end) of each token of a value."""


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw")
    for name in NAME_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_text_field(SPELLING_FIELD, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("date", indexed=True, fast=True)
    builder.add_integer_field("month", fast=True)
    builder.add_bytes_field(RECORD, stored=True)
    return builder.build()


def date_key(value: dt.datetime) -> int:
    """A naive UTC datetime as microseconds since 1970: what the ``date`` field holds."""
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def month_key(value: dt.datetime) -> int:
    """``YYYYMM``: what the month histogram counts."""
    return value.year * 100 + value.month


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article analysed for indexing: every field's tokens, ready to become a document."""

    id: str
    title: str
    body: str
    title_tokens: Tokens
    body_tokens: Tokens
    names: dict[str, Tokens]
    spelling: list[str]
    date: dt.datetime | None
    record: dict[str, Any]


class Analyser:
    """Analyses articles into ``Prepared`` values (one per process: it keeps a stem cache)."""

    def __init__(self) -> None:
        from index.schema import name_analyzer

        self._text = NewsAnalyzer()
        self._names = name_analyzer()

    def prepare(self, article: Article, refs: Sequence[EntityRef] = ()) -> Prepared:
        from index.ingest.dates import naive_utc

        date = None if article.date is None else naive_utc(article.date)
        record: dict[str, Any] = {
            "path": article.path,
            "source": article.source,
            "author": article.author,
            "date": None if date is None else date.isoformat(),
            "url": article.url,
            "metadata": dict(article.metadata),
            **entity_fields(refs),
        }
        names = {name: self.name_tokens(value) for name, value in self._name_values(article, record).items()}
        return Prepared(
            id=article.id,
            title=article.title,
            body=article.body,
            title_tokens=self.text_tokens(article.title),
            body_tokens=self.text_tokens(article.body),
            names={name: tokens for name, tokens in names.items() if tokens},
            spelling=sorted(spelling_words(f"{article.title}\n{article.body}")),
            date=date,
            record=record,
        )

    @staticmethod
    def _name_values(article: Article, record: dict[str, Any]) -> dict[str, str]:
        values = {"source": article.source or "", "author": article.author or ""}
        for name in NAME_FIELDS[2:]:
            values[name] = record.pop(name, "")
        return values

    def text_tokens(self, text: str) -> Tokens:
        return [(word, pos, start, end) for pos, (word, start, end) in enumerate(self._text.stemmed_spans(text))]

    def name_tokens(self, text: str) -> Tokens:
        if not text:
            return []
        return [
            (token.text, token.pos, token.startchar, token.endchar)
            for token in self._names(text, positions=True, chars=True, mode="index")
        ]


def to_document(prepared: Prepared) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("id", prepared.id)
    _add_tokens(document, "title", prepared.title, prepared.title_tokens)
    _add_tokens(document, "body", prepared.body, prepared.body_tokens)
    for name, tokens in prepared.names.items():
        _add_tokens(document, name, "", tokens)
    if prepared.spelling:
        spelling = [tantivy.Token(word, pos, 0, 0) for pos, word in enumerate(prepared.spelling)]
        document.add_pre_tokenized_text(SPELLING_FIELD, tantivy.PreTokenizedString("", spelling))
    if prepared.date is not None:
        document.add_integer("date", date_key(prepared.date))
        document.add_integer("month", month_key(prepared.date))
    document.add_bytes(RECORD, json.dumps(prepared.record, ensure_ascii=False).encode("utf-8"))
    return document


def _add_tokens(document: tantivy.Document, field: str, text: str, tokens: Tokens) -> None:
    token = tantivy.Token
    document.add_pre_tokenized_text(
        field, tantivy.PreTokenizedString(text, [token(word, pos, start, end) for word, pos, start, end in tokens])
    )


def stored_fields(document: Mapping[str, list[Any]]) -> dict[str, Any]:
    """A tantivy document's stored values in the Whoosh engine's stored-fields form (what
    ``index.documents`` reads)."""
    record = json.loads(bytes(document[RECORD][0]).decode("utf-8"))
    date = record.pop("date", None)
    return {
        **record,
        "id": document["id"][0],
        "title": _first(document, "title"),
        "body": _first(document, "body"),
        "date": None if date is None else dt.datetime.fromisoformat(date),
    }


def _first(document: Mapping[str, list[Any]], field: str) -> str:
    values = document.get(field)
    return str(values[0]) if values else ""


def article_of(document: Mapping[str, list[Any]]) -> Article:
    return article_from_stored(stored_fields(document))


def refs_of(document: Mapping[str, list[Any]]) -> tuple[EntityRef, ...]:
    return entity_refs(stored_fields(document))

