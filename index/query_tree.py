"""What a query asks for, as a tree that any search engine can run: the engine-independent form of the
query language that the README documents (Whoosh's syntax).

``index.engines.whoosh.language`` parses the user's text into this tree (the query language is Whoosh's,
parsed by Whoosh's parser for both engines); each engine turns it into its own query objects
(``index.engines.whoosh.translate`` for Whoosh). Words are held ANALYSED, as they are indexed:
``Term("body", "protest")`` for "Protests", the ``NewsAnalyzer``'s stem. An engine that indexes the same
tokens matches the same articles without analysing anything again.

Boosts: the title's weight over the body is the schema's (a field boost), not the query's; ``boost`` on
a node is what the user wrote (``word^2``, ``(a b)^3``), 1.0 when nothing was written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Term:
    """Articles whose ``field`` holds the (analysed) word ``text``."""

    field: str
    text: str
    boost: float = 1.0
    typed_at: Span | None = dataclasses.field(default=None, compare=False)
    """Where the word was typed in the query text, for "did you mean"; None if it was not typed."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """Articles whose ``field`` holds ``words`` in order, at most ``slop`` positions apart
    (``"social networks"`` is slop 1; ``"social networks"~3`` slop 3)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Prefix:
    """Articles with a word of ``field`` that starts with ``text`` (``regulat*``)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Wildcard:
    """Articles with a word of ``field`` that fits ``pattern``: ``*`` any letters, ``?`` one (``te?t``)."""

    field: str
    pattern: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Fuzzy:
    """Articles with a word of ``field`` within ``distance`` edits of ``text`` that shares its first
    ``prefix`` letters (``goverment~``, ``goverment~2/3``)."""

    field: str
    text: str
    distance: int = 1
    prefix: int = 1
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class DateRange:
    """Articles dated from ``start`` to ``end`` (None: open-ended); ``date:[2021-01 to 2021-03]`` covers
    whole days, so its ``end`` is the last microsecond of March."""

    field: str
    start: dt.datetime | None
    end: dt.datetime | None
    start_excluded: bool = False
    end_excluded: bool = False
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class WordRange:
    """Articles with a word of ``field`` between ``start`` and ``end`` in alphabetical order
    (``title:[apple to banana]``); None is open-ended."""

    field: str
    start: str | None
    end: str | None
    start_excluded: bool = False
    end_excluded: bool = False
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Every:
    """Every article; with ``field``, every article that has a word in that field (``title:*``)."""

    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Nothing:
    """No article (an entity filter whose name has no words, say)."""


@dataclass(frozen=True, slots=True)
class And:
    """Articles that match every child; scored by all of them."""

    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Or:
    """Articles that match any child."""

    children: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Not:
    """Articles that do not match ``child`` (``NOT word``); it scores nothing."""

    child: Node
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AndNot:
    """Articles that match ``positive`` and not ``negative`` (``a ANDNOT b``)."""

    positive: Node
    negative: Node
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class AndMaybe:
    """Articles that match ``required``, ranked higher when they also match ``optional``
    (``a ANDMAYBE b``)."""

    required: Node
    optional: Node
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Require:
    """Articles that match both, scored by ``scored`` alone (``a REQUIRE b``)."""

    scored: Node
    required: Node
    boost: float = 1.0


Node = (
    Term | Phrase | Prefix | Wildcard | Fuzzy | DateRange | WordRange | Every | Nothing
    | And | Or | Not | AndNot | AndMaybe | Require
)  # fmt: skip
"""Any node of a query tree."""


def all_of(parts: tuple[Node, ...]) -> Node:
    """Articles matching every part: the part itself if it is alone, ``Every`` if there is none."""
    if not parts:
        return Every()
    if len(parts) == 1:
        return parts[0]
    return And(parts)
