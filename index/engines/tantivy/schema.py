"""The tantivy schema, and articles to tantivy documents and back.

Every word field holds the words of the very analysers the Whoosh engine indexes with
(``NewsAnalyzer`` for title and body, the name analyser for source, author and entities), so both
engines hold the same words at the same positions. Those words never hold whitespace, so each field
is given as its words joined by spaces, split again by tantivy's ``whitespace`` tokenizer: positions
are the words' numbers, as Whoosh's, and no Python object is made per word (a ``tantivy.Token`` each
took most of the writing process's time). What rebuilds the article is stored as one JSON record.

Articles are analysed into ``Prepared`` values (plain strings, cheap to pickle: analysis runs in
worker processes) and become tantivy documents in the process that writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tantivy

from index.analysis import INVISIBLE, STEM_CACHE_SIZE, WORD_PATTERN, CanonicalAnalyzer, stem
from index.documents import (
    ARTICLE_URL,
    LANGUAGE_FIELD,
    SPELLING_FIELD,
    article_from_stored,
    entity_fields,
    entity_refs,
)
from index.entities.labels import ENTITY_FIELDS, EXACT_FIELDS
from index.models import Article, EntityRef

TEXT_FIELDS = ("title", "body")
NAME_FIELDS = ("source", "author", "entity", *sorted(set(ENTITY_FIELDS.values())))
"""Fields of names: lower-cased words, not stemmed."""
ENTITY_NAME_FIELDS = NAME_FIELDS[2:]

ID_KEY = "id_key"
"""A fast column of ``id_key(id)``: what numbers the articles of a searcher without reading their
documents (tantivy 0.27's Python API reads only numeric columns, and sorting 100,000 documents by
their text id took 3 s)."""

RECORD = "record"
"""A stored-only JSON field with everything that rebuilds the article."""

WORDS_TOKENIZER = "whitespace"

EPOCH = dt.datetime(1970, 1, 1)

_WORD = re.compile(WORD_PATTERN)
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in (*TEXT_FIELDS, *NAME_FIELDS, LANGUAGE_FIELD):
        builder.add_text_field(name, tokenizer_name=WORDS_TOKENIZER)
    builder.add_text_field(SPELLING_FIELD, tokenizer_name=WORDS_TOKENIZER, index_option="basic")
    builder.add_integer_field("date", indexed=True, fast=True)
    builder.add_integer_field("month", fast=True)
    builder.add_integer_field(ID_KEY, fast=True)
    builder.add_bytes_field(RECORD, stored=True)
    return builder.build()


def date_key(value: dt.datetime) -> int:
    """A naive UTC datetime as microseconds since 1970: what the ``date`` field holds."""
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def id_key(article_id: str) -> int:
    """A stable 63-bit number of an article id."""
    digest = hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def month_key(value: dt.datetime) -> int:
    """``YYYYMM``: what the month histogram counts."""
    return value.year * 100 + value.month


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article analysed for indexing: each word field's words joined by spaces, the date, and
    the stored record."""

    id: str
    words: dict[str, str]
    date: dt.datetime | None
    record: bytes


class Analyser:
    """Analyses articles into ``Prepared`` values (one per process: it keeps a stem cache)."""

    def __init__(self) -> None:
        from index.engines.whoosh.schema import name_analyzer

        self._stems: dict[str, str] = {}
        self._names = name_analyzer()
        self._canonical = {field: CanonicalAnalyzer(label) for field, label in EXACT_FIELDS.items()}

    def prepare(self, article: Article, refs: Sequence[EntityRef] = ()) -> Prepared:
        from index.ingest.dates import naive_utc

        date = None if article.date is None else naive_utc(article.date)
        entities = entity_fields(refs)
        record = {
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "body": article.body,
            "source": article.source,
            "author": article.author,
            "date": None if date is None else date.isoformat(),
            ARTICLE_URL: article.url,
            LANGUAGE_FIELD: article.language,
            "metadata": dict(article.metadata),
            "entities": entities["entities"],
        }
        title, body = self.plain_words(article.title), self.plain_words(article.body)
        words = {
            "title": self.stemmed(title),
            "body": self.stemmed(body),
            "source": self.name_words(article.source or ""),
            "author": self.name_words(article.author or ""),
            SPELLING_FIELD: " ".join(sorted({*title, *body})),
            LANGUAGE_FIELD: article.language or "",
        }
        for name in ENTITY_NAME_FIELDS:
            words[name] = self.entity_words(name, entities.get(name, ""))
        return Prepared(
            id=article.id,
            words={name: value for name, value in words.items() if value},
            date=date,
            record=json.dumps(record, ensure_ascii=False).encode("utf-8"),
        )

    @staticmethod
    def plain_words(text: str) -> list[str]:
        """The words ``NewsAnalyzer`` finds in ``text``, lower-cased, before stemming (invisible
        characters removed): ``index.analysis.spelling_words`` in order and with repeats."""
        words = _WORD.findall(text)
        if _INVISIBLE.search(text):
            words = [_INVISIBLE.sub("", word) for word in words]
        return [word.lower() for word in words]

    def stemmed(self, words: list[str]) -> str:
        """The stems of ``words`` as ``NewsAnalyzer`` makes them, joined by spaces (its own stem
        loop, inlined: the hot loop of indexing)."""
        stems = self._stems
        if len(stems) >= STEM_CACHE_SIZE:
            stems.clear()
        get = stems.get
        found = [get(word) or self._stem(word) for word in words]
        return " ".join(found)

    def _stem(self, word: str) -> str:
        stemmed: str = stem(word)
        self._stems[word] = stemmed
        return stemmed

    def entity_words(self, field: str, text: str) -> str:
        """The words of an entity field as the Whoosh schema's analyser for it makes them."""
        canonical = self._canonical.get(field)
        return self.name_words(text) if canonical is None else " ".join(canonical.words(text))

    def name_words(self, text: str) -> str:
        if not text:
            return ""
        return " ".join(token.text for token in self._names(text, mode="index"))


def to_document(prepared: Prepared) -> tantivy.Document:
    document = tantivy.Document()
    document.add_text("id", prepared.id)
    document.add_integer(ID_KEY, id_key(prepared.id))
    for name, words in prepared.words.items():
        document.add_text(name, words)
    if prepared.date is not None:
        document.add_integer("date", date_key(prepared.date))
        document.add_integer("month", month_key(prepared.date))
    document.add_bytes(RECORD, prepared.record)
    return document


def match_count(found: tantivy.SearchResult) -> int:
    """How many documents matched a search made with ``count=True``."""
    return int(found.count)  # type: ignore[attr-defined]  # tantivy 0.27's stubs leave it out


def stored_fields(document: Mapping[str, list[Any]]) -> dict[str, Any]:
    """A tantivy document's stored record in the Whoosh engine's stored-fields form (what
    ``index.documents`` reads)."""
    record: dict[str, Any] = json.loads(bytes(document[RECORD][0]).decode("utf-8"))
    date = record.pop("date", None)
    record["date"] = None if date is None else dt.datetime.fromisoformat(date)
    return record


def article_of(document: Mapping[str, list[Any]]) -> Article:
    return article_from_stored(stored_fields(document))


def refs_of(document: Mapping[str, list[Any]]) -> tuple[EntityRef, ...]:
    return entity_refs(stored_fields(document))
