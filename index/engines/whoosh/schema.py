"""The Whoosh schema: one document per article.

Text fields are stemmed (a query for "protests" finds "protest") and keep stop words and
positions so that phrase queries match exactly what the reader shows. Entity fields hold the
canonical names of the entities an article mentions, one field per user-facing label plus
``entity`` for all of them, so that ``person:navalny`` and ``entity:"Alexei Navalny"`` work; the
fields of pattern labels (``email``, ``phone``...) hold each canonical form as one word
(``CanonicalAnalyzer``). ``lang`` holds the article's language code (``lang:de``); the article's
own web address is stored as ``ARTICLE_URL``, since ``url`` is the query field of the URLs it cites.
"""

from __future__ import annotations

from whoosh.analysis import Analyzer, LowercaseFilter, RegexTokenizer, StandardAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, FieldType, Schema

from index.analysis import WORD_PATTERN, CanonicalAnalyzer, FastPositions, NewsAnalyzer, WordSet
from index.documents import ARTICLE_URL, LANGUAGE_FIELD, SPELLING_FIELD
from index.entities.labels import ENTITY_FIELDS, EXACT_FIELDS

SCHEMA_VERSION = 5
"""Bumped whenever the schema or the analysers change; an index of another version is rebuilt."""

TITLE_BOOST = 2.0


def text_analyzer() -> Analyzer:
    """Analyzer of title and body: words, lower-cased, Porter-stemmed, stop words kept.

    Whoosh's ``StemmingAnalyzer(stoplist=None)``, made faster and blind to invisible characters
    inside words (see ``index.analysis``).
    """
    return NewsAnalyzer()


def _text_field(field_boost: float = 1.0) -> TEXT:
    """A stored, stemmed, positional text field whose postings are made by ``FastPositions``."""
    field = TEXT(analyzer=text_analyzer(), stored=True, phrase=True, field_boost=field_boost)
    field.format = FastPositions(field_boost=field_boost)
    return field


def name_analyzer() -> Analyzer:
    """Analyzer of names (source, author, entities): words, lower-cased, not stemmed."""
    return StandardAnalyzer(stoplist=None, minsize=1)


def entity_analyzer(field: str) -> Analyzer:
    """The analyser of an entity query field: canonical forms for a pattern label's, else names."""
    label = EXACT_FIELDS.get(field)
    return name_analyzer() if label is None else CanonicalAnalyzer(label)


def build_schema() -> Schema:
    entity_fields = {
        name: TEXT(analyzer=entity_analyzer(name), phrase=name not in EXACT_FIELDS)
        for name in ENTITY_FIELDS.values()
    }
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        path=ID(stored=True),
        title=_text_field(field_boost=TITLE_BOOST),
        body=_text_field(),
        source=TEXT(analyzer=name_analyzer(), stored=True),
        author=TEXT(analyzer=name_analyzer(), stored=True),
        date=DATETIME(stored=True, sortable=True),
        **{ARTICLE_URL: STORED(), LANGUAGE_FIELD: KEYWORD(stored=True, lowercase=True)},
        metadata=STORED(),
        entity=TEXT(analyzer=name_analyzer(), phrase=True),
        entities=STORED(),
        **{SPELLING_FIELD: FieldType(WordSet(), RegexTokenizer(WORD_PATTERN) | LowercaseFilter())},
        **entity_fields,
    )
