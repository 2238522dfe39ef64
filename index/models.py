"""The typed values that flow through Broadsheet: files -> articles -> index -> results.

Everything here is plain data (frozen dataclasses) so that the CLI, the TUI and the tests
can share it without touching Whoosh or spaCy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from index.entities.labels import ENTITY_FIELDS

Span = tuple[int, int]
"""A half-open character range ``[start, end)`` into a string."""


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned and ready to index.

    ``id`` is stable: the corpus-relative POSIX path, plus ``#N`` (1-based record number)
    for articles that come from a JSON array or a JSONL file.
    ``body`` is the clean body that every offset (highlights, entity mentions) indexes into;
    ``original`` is the decoded source text (control characters stripped) kept for display.
    ``language`` is what ``index.language`` detects at ingest: an ISO 639-1 code ("en", "de"), or
    None when the text is too short or too mixed to tell.
    """

    id: str
    path: str
    title: str
    body: str
    original: str = ""
    source: str | None = None
    author: str | None = None
    date: dt.datetime | None = None
    url: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    language: str | None = None


class SkipReason(str, Enum):
    """Why a file (or a record inside one) was not indexed."""

    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too large"
    UNREADABLE = "unreadable"
    MALFORMED = "malformed"
    NO_TEXT = "no text"
    SCANNED = "no text (scanned?)"
    ENCRYPTED = "encrypted"
    UNSUPPORTED = "unsupported format"
    SYMLINK_LOOP = "symlink loop"
    OUTSIDE_CORPUS = "outside corpus"


@dataclass(frozen=True, slots=True)
class Skip:
    """A file, or a record inside a file, that was skipped, and why."""

    path: str
    reason: SkipReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: offsets into ``Article.body`` and the canonical entity it names."""

    text: str
    label: str
    start: int
    end: int
    canonical: str


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity of one article: canonical name, label and how often the article mentions it."""

    canonical: str
    label: str
    mentions: int = 1


@dataclass(frozen=True, slots=True)
class Facet:
    """An entity across a set of articles: how many of them mention it, and how often in all."""

    canonical: str
    label: str
    articles: int
    mentions: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article in a result list."""

    id: str
    path: str
    title: str
    source: str | None
    date: dt.datetime | None
    score: float
    snippet: str
    snippet_highlights: tuple[Span, ...] = ()
    title_highlights: tuple[Span, ...] = ()
    highlights: tuple[Span, ...] = ()
    entities: tuple[EntityRef, ...] = ()
    similar: int = 0
    """In a collapsed result (``search(collapse=True)``): how many other copies of this article's
    story match the query too, folded into this line."""
    author: str | None = None
    url: str | None = None


class SortOrder(str, Enum):
    RELEVANCE = "relevance"
    DATE = "date"


EVERYTHING = frozenset({"", "*"})
"""Query texts (after stripping) that mean "every article"."""


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """Keep only the articles that mention one entity: a chip in the explorer."""

    label: str
    canonical: str

    @property
    def shown(self) -> str:
        """How the chip reads: the query-language clause of the same meaning, ``person:"Alexei Navalny"``."""
        name = " ".join(self.canonical.replace('"', " ").split())
        return f'{ENTITY_FIELDS.get(self.label, "entity")}:"{name}"'


@dataclass(frozen=True, slots=True)
class DateFilter:
    """Keep only the articles dated within these days, both included (None: open-ended)."""

    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def shown(self) -> str:
        """The query-language range of the same days: ``date:[2021-01-01 to 2021-01-31]``."""
        first = f"{self.first.isoformat()} " if self.first else ""
        last = f" {self.last.isoformat()}" if self.last else ""
        return f"date:[{first}to{last}]"


@dataclass(frozen=True, eq=False)
class MarkedArticles:
    """The user's stars, tags and notes, as a query reads them (``starred:yes``, ``tag:``, ``note:``).

    One object per change of the notebook, compared by identity: a query that holds it is a new
    query (a new cache key) after every star, tag or note.
    """

    starred: frozenset[str] = frozenset()
    tags: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Tag, case-folded -> the ids of the articles that carry it."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """Article id -> its note, as typed."""


class ArticleStatus(str, Enum):
    """How an article with notes stands against the index."""

    CURRENT = "current"
    CHANGED = "changed since noted"
    """Its text is not the text it had when it was last noted."""
    ORPHANED = "orphaned"
    """No article has its id any more (its file was removed or renamed); its notes are kept."""


@dataclass(frozen=True, slots=True)
class ArticleNotes:
    """What the user made of one article: a star, tags and a note, with the hash of the body they
    were made on, and how that stands against the index now."""

    article_id: str
    body_hash: str
    noted: dt.datetime
    starred: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""
    status: ArticleStatus = ArticleStatus.CURRENT


@dataclass(frozen=True, slots=True)
class Query:
    """One search: the text the user typed, in the query language, and the typed filters and sort
    around it. The text stays text until the library searches: reading it into a tree
    (``index.engines.whoosh.language.read``) takes the index's fields and analysers, and the notes and
    errors of reading it belong to the search that does. "More like this" is no ``Query``: it starts
    from an article, not from words, and takes no filters (``Library.more_like_this``)."""

    text: str = ""
    filters: tuple[EntityFilter, ...] = ()
    dates: DateFilter | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    aliases: tuple[tuple[EntityFilter, ...], ...] = ()
    """Entities that the user's curation made one (each group: the entity shown, then the names it
    stands for), so that a query for one name finds them all; added by the library, not typed."""
    marks: MarkedArticles | None = None
    """The user's stars, tags and notes, that ``starred:``, ``tag:`` and ``note:`` read; added by
    the library, not typed (None: no article is starred, tagged or noted)."""

    @classmethod
    def of(cls, query: Query | str) -> Query:
        """``query`` itself, or the query of a plain text (the tests' and the benchmarks' form)."""
        return query if isinstance(query, Query) else cls(query)

    @property
    def has_text(self) -> bool:
        """True unless the text asks for every article (``*``, empty or only whitespace)."""
        return self.text.strip() not in EVERYTHING

    @property
    def is_everything(self) -> bool:
        """True when nothing narrows the search: every article matches."""
        return not self.has_text and not self.filters and self.dates is None

    @property
    def shown(self) -> str:
        """The query as a person reads it (result headers): the text, then each filter's clause."""
        text = self.text.strip()
        narrowed = bool(self.filters) or self.dates is not None
        parts = [f"({text})" if text and narrowed else text, *(f.shown for f in self.filters)]
        if self.dates is not None:
            parts.append(self.dates.shown)
        return " AND ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The answer to one query: the total count and one page of hits.

    ``query`` is the query as a person reads it (``Query.shown``): its text, then its filters.

    ``notes`` are quiet remarks on how the query was read (``'said:' is not a field, ...``).
    """

    query: str
    total: int
    hits: tuple[Hit, ...]
    sort: SortOrder = SortOrder.RELEVANCE
    elapsed: float = 0.0
    suggestion: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HitPages:
    """Every hit of one query in its order, a page at a time (an export): ``pages`` is read once,
    and only the page being read is held."""

    query: str
    """The query as a person reads it (``Query.shown``)."""
    total: int
    sort: SortOrder
    pages: Iterator[tuple[Hit, ...]]


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[Skip, ...] = ()
    elapsed: float = 0.0


@dataclass(frozen=True, slots=True)
class UpdateReport:
    """What ``Library.update`` did: the text phase, and how many articles the entity phase analysed
    (None when it did not run: not asked for, or stopped before it began)."""

    synced: IndexReport
    analysed: int | None


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress report from a long operation (indexing or entity extraction)."""

    phase: str
    done: int
    total: int | None
    current: str = ""


ProgressCallback = Callable[[Progress], None]
"""Told of each step of a long operation."""
StopCheck = Callable[[], bool]
"""Asked now and then during a long operation: True means stop, the caller no longer wants it."""


@dataclass(frozen=True, eq=False)
class ArticleNumbering:
    """The engine's dense numbers of the articles of one index generation: number ``n`` is the
    article ``ids[n]``. One object per generation, so that what is worked out from it (such as the
    facet rows of every number) is kept by identity until the index changes."""

    ids: Sequence[str]


@dataclass(frozen=True, slots=True)
class MatchingArticles:
    """The articles that match a query, as numbers of ``numbering``, ascending (for facets)."""

    numbers: Sequence[int]
    numbering: ArticleNumbering


@dataclass(frozen=True, slots=True)
class CoMentions:
    """One entity across a set of articles: how many mention it and how often, when (articles per
    period, ``index.periods``), and the entities most often mentioned in the same articles, each
    counted over the articles that mention both."""

    entity: EntityFilter
    articles: int
    mentions: int
    comentioned: tuple[Facet, ...] = ()
    timeline: tuple[tuple[str, int], ...] = ()
    """(period, articles of the set that mention the entity), oldest first, without gaps."""
