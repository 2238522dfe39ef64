"""Reading a user's query: its text, parsed in the query language (Whoosh's syntax), and its typed
filters, into one engine-independent tree (``index.query_tree``), or one clear sentence saying why not.

Whoosh's parser is lenient: it silently drops unknown fields, closes unbalanced parentheses,
treats a lone quote as a word and hides bad dates inside error nodes. A journalist who typed
``titel:navalny`` or ``"social networks`` deserves to be told, not to get quietly different
results, so :func:`parse_query` checks the string and the parse tree and raises
:class:`~index.errors.QueryError` instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, MultifieldParser, QueryParser, syntax

from index import query_tree as qt
from index.documents import SPELLING_FIELD
from index.engines.whoosh.aliases import with_aliases
from index.engines.whoosh.marks import notebook_fields, with_marks
from index.engines.whoosh.translate import from_whoosh
from index.entities.labels import ENTITY_FIELDS
from index.errors import QueryError
from index.models import EVERYTHING, DateFilter, EntityFilter, Query

DEFAULT_FIELDS: tuple[str, ...] = ("title", "body")
"""Fields that words without a ``field:`` prefix search; the schema's field boost favours titles."""

DATE_FORMS = "write dates as YYYY, YYYY-MM or YYYY-MM-DD, e.g. date:[2021-01-01 to 2021-01-31]"

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

MAX_QUERY_CHARS = 1000
"""The longest query accepted: a pasted paragraph (about 150 words) fits; parsing it takes about
a tenth of a second, and every later stage grows with the length of the query or of its words."""

MAX_NESTING = 100
"""Brackets nested deeper than this are refused: Whoosh's parser recurses once per level."""

MAX_FUZZY_WORD = 30
"""Fuzzy terms (``word~``) longer than this are refused: comparing a word with every index word
costs the product of their lengths, and no real word is this long."""

MAX_STARS = 3
"""``*`` per wildcard term: each one more multiplies the time to match a word against it."""

# A field prefix as Whoosh's FieldsPlugin sees one: a word and a colon, not the start of a URL.
_FIELD_PREFIX = re.compile(r"(?<![\w:])(\w+):(?!//)")
_DATE_FIELD = re.compile(r"\bdate:")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {")", "]", "}"}


def searchable_fields(schema: Schema) -> tuple[str, ...]:
    """Names of the schema's indexed fields: the ones a ``field:`` prefix may name."""
    return tuple(
        sorted(name for name, field in schema.items() if field.format is not None and name != SPELLING_FIELD)
    )


def is_everything(text: str) -> bool:
    """True when the query text asks for every article (``*``, empty or only whitespace)."""
    return text.strip() in EVERYTHING


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A parsed query and the quiet notes on how the text was read (``said:`` is not a field)."""

    query: wq.Query
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadQuery:
    """What a query asks for, as a tree any engine can run, and the quiet notes on reading its text."""

    tree: qt.Node
    notes: tuple[str, ...] = ()


@functools.cache
def language_schema() -> Schema:
    """The fields and analysers of the query language, whichever engine runs the query: the Whoosh
    schema's (both engines index the same tokens, so a word is analysed the same way for either)."""
    from index.engines.whoosh.schema import build_schema

    return build_schema()


def read(schema: Schema, query: Query) -> ReadQuery:
    """The tree of ``query``: its text (if it has any) and every filter, all required, with its
    entity clauses widened to the names the user's curation joined (``Query.aliases``) and its
    notebook clauses (``tag:``, ``starred:``, ``note:``) made the articles they find (``Query.marks``).

    Raises :class:`QueryError` for text that the parser would otherwise guess at.
    """
    parts = tuple(_entity_node(schema, entity) for entity in query.filters)
    if query.dates is not None:
        parts += (_date_node(query.dates),)
    notes: tuple[str, ...] = ()
    if query.has_text:
        parsed = read_query(with_notebook_fields(schema), query.text)
        parts, notes = (from_whoosh(parsed.query), *parts), parsed.notes
    tree = with_aliases(schema, qt.all_of(parts), query.aliases)
    return ReadQuery(with_marks(schema, tree, query.marks), notes)


def with_notebook_fields(schema: Schema) -> Schema:
    """``schema`` and the fields of the user's notebook (``tag:``...), which a query may name.

    Made once per schema and kept while that schema lives: building a schema of twenty fields for
    each search cost a field query a third of its time."""
    kept = _WIDENED.get(id(schema))
    if kept is not None and kept[0]() is schema:
        return kept[1]
    widened = Schema(**dict(schema.items()), **notebook_fields(schema))
    _WIDENED[id(schema)] = (weakref.ref(schema), widened)
    return widened


_WIDENED: dict[int, tuple[weakref.ref[Schema], Schema]] = {}
"""By the identity of the schema widened (Whoosh's schemas cannot be hashed); the weak reference
tells a schema from a later one at the same address. There are one or two schemas a process."""


def _entity_node(schema: Schema, entity: EntityFilter) -> qt.Node:
    """The articles that mention ``entity``: its name's words, as a phrase, in its label's field."""
    field = ENTITY_FIELDS.get(entity.label, "entity")
    words = tuple(schema[field].process_text(entity.canonical, mode="query"))
    if not words:
        return qt.Nothing()
    return qt.Term(field, words[0]) if len(words) == 1 else qt.Phrase(field, words)


def _date_node(dates: DateFilter) -> qt.Node:
    """The articles dated from the first day's start to the last day's end."""
    if dates.first is not None and dates.last is not None and dates.first > dates.last:
        raise QueryError("The date range ends before it starts.")
    start = None if dates.first is None else dt.datetime.combine(dates.first, dt.time.min)
    end = None if dates.last is None else dt.datetime.combine(dates.last, dt.time.max)
    return qt.DateRange("date", start, end)


def parse_query(schema: Schema, text: str) -> wq.Query:
    """Parse ``text`` in the Whoosh query language over title and body.

    Returns :class:`whoosh.query.Every` for ``*`` and the empty query. Raises
    :class:`QueryError` for anything the parser would otherwise guess at.
    """
    return read_query(schema, text).query


def read_query(schema: Schema, text: str) -> ParsedQuery:
    """``parse_query``, with notes on what was read differently from how it looks.

    A word followed by a colon that names no field (``Blair said: we will win``, pasted text) is
    searched as a word, and a note says so; fields keep their meaning.
    """
    if is_everything(text):
        return ParsedQuery(wq.Every())
    _check_text(text)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is {len(text):,} characters long; shorten it to {MAX_QUERY_CHARS:,} or fewer."
        )
    fields = searchable_fields(schema)
    text, notes = _words_for_unknown_fields(text, fields)
    return ParsedQuery(_parse(schema, text, fields), notes)


def _parse(schema: Schema, text: str, fields: tuple[str, ...]) -> wq.Query:
    parser = _parser(schema)
    try:
        nodes = parser.process(text)
        _check_syntax(nodes, fields)
        raw = nodes.query(parser)
    except QueryError:
        raise
    except Exception as error:  # Whoosh raises bare ValueError/TimeError/Exception on bad field values
        raise QueryError(_bad_value_message(text, error)) from error
    _check_query(raw, text)
    parsed = raw.normalize() if raw else wq.NullQuery
    if parsed is wq.NullQuery:
        raise QueryError(f"The query {_shown(text)} has no words to search for.")
    parsed = parsed.accept(_fuzzy_keeps_first_letter)
    _check_patterns(parsed)
    return parsed


def _check_patterns(q: wq.Query) -> None:
    """Refuse fuzzy and wildcard terms whose matching would cost far more than their worth."""
    for sub in _walk_queries(q):
        if isinstance(sub, wq.FuzzyTerm) and len(sub.text) > MAX_FUZZY_WORD:
            raise QueryError(f"A fuzzy word (~) can be at most {MAX_FUZZY_WORD} characters long.")
        if isinstance(sub, wq.Wildcard) and sub.text.count("*") > MAX_STARS:
            raise QueryError(f"A wildcard word can hold at most {MAX_STARS} '*'.")


def _fuzzy_keeps_first_letter(q: wq.Query) -> wq.Query:
    """``word~`` matches words that share its first letter, unless the user wrote ``word~n/m``.

    Misspellings rarely change the first letter, and the restriction makes fuzzy terms about
    an order of magnitude cheaper to expand over a large vocabulary.
    """
    if isinstance(q, wq.FuzzyTerm) and q.prefixlength == 0:
        return wq.FuzzyTerm(q.fieldname, q.text, boost=q.boost, maxdist=q.maxdist, prefixlength=1)
    return q


def _parser(schema: Schema) -> QueryParser:
    """A fresh parser per query: building one costs microseconds and keeps threads apart."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


def _check_text(text: str) -> None:
    """Reject what the parser would silently repair: open quotes and brackets."""
    if text.count('"') % 2:
        raise QueryError('The query has an unclosed quote: every phrase needs a closing ".')
    _check_brackets("".join(text.split('"')[::2]))


def _words_for_unknown_fields(text: str, fields: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``text`` with the colon after each word that names no field made a space, and a note for each.

    The text keeps its length, so the offsets of its words stay those the user typed.
    """
    chars = list(text)
    notes: dict[str, None] = {}
    start = 0
    for number, piece in enumerate(text.split('"')):
        if number % 2 == 0:  # outside phrases
            for match in _FIELD_PREFIX.finditer(piece):
                if match.group(1) not in fields:
                    chars[start + match.end(1)] = " "
                    notes[f"{match.group(0)!r} is not a field, so it was searched as a word."] = None
        start += len(piece) + 1
    return "".join(chars), tuple(notes)


def _check_brackets(text: str) -> None:
    stack: list[str] = []
    for char in text:
        if char in _OPENERS:
            stack.append(char)
            if len(stack) > MAX_NESTING:
                raise QueryError(f"The query nests brackets too deeply: at most {MAX_NESTING} levels.")
        elif char in _CLOSERS:
            if not stack:
                raise QueryError(f"The query has a {char!r} that closes nothing.")
            opener = stack.pop()
            # Whoosh allows mixed range ends such as [a to b}; only parentheses must pair exactly.
            if (opener == "(") != (char == ")"):
                raise QueryError(f"The query closes {opener!r} with {char!r}.")
    if stack:
        raise QueryError(f"The query has an unclosed {stack[-1]!r}.")


def _check_syntax(nodes: syntax.SyntaxNode, fields: tuple[str, ...]) -> None:
    for node in _walk_nodes(nodes):
        if isinstance(node, syntax.ErrorNode):
            raise QueryError(f"Cannot understand {_node_text(node)!r} in the query: {node.message}.")
        fieldname = getattr(node, "fieldname", None)
        if fieldname is not None and fieldname not in fields:
            raise QueryError(f"The field {fieldname!r} cannot be searched; use one of {', '.join(fields)}.")
        if isinstance(node, syntax.WordNode):
            if node.text == "NOT":
                raise QueryError("NOT needs a search term after it.")
            if node.text in OPERATORS:
                raise QueryError(f"{node.text} needs a search term on each side it joins.")
            if node.text.endswith(":") and node.text[:-1] in fields:
                raise QueryError(f"The field {node.text!r} needs something to search for after the colon.")


def _walk_nodes(node: syntax.SyntaxNode) -> Iterator[syntax.SyntaxNode]:
    yield node
    if isinstance(node, syntax.GroupNode):
        for child in node.nodes:
            yield from _walk_nodes(child)
    elif isinstance(node, syntax.ErrorNode) and node.node is not None:
        yield from _walk_nodes(node.node)


def _node_text(node: syntax.SyntaxNode) -> str:
    inner = getattr(node, "node", None)
    return getattr(inner, "text", None) or getattr(node, "text", None) or str(node)


def _check_query(q: wq.Query, text: str) -> None:
    """Field parsers (dates) report bad values by tagging the query with an ``error``."""
    for sub in _walk_queries(q):
        error = getattr(sub, "error", None)
        if error:
            raise QueryError(_bad_value_message(text, error))
        if isinstance(sub, wq.NumericRange) and None not in (sub.start, sub.end) and sub.start > sub.end:
            raise QueryError("The range ends before it starts.")


def _walk_queries(q: wq.Query) -> Iterator[wq.Query]:
    yield q
    for child in q.children():
        yield from _walk_queries(child)


SHOWN_QUERY_CHARS = 80
"""How much of a query an error message repeats: a pasted page must not become the message."""


def _shown(text: str) -> str:
    """The query, quoted, cut to ``SHOWN_QUERY_CHARS`` with an ellipsis."""
    if len(text) <= SHOWN_QUERY_CHARS:
        return repr(text)
    return repr(text[: SHOWN_QUERY_CHARS - 1] + "…")


def _bad_value_message(text: str, error: object) -> str:
    if _DATE_FIELD.search(text):
        return f"The query {_shown(text)} has a date that is not valid: {DATE_FORMS}."
    return f"Cannot understand the query {_shown(text)} ({str(error).strip() or type(error).__name__})."
