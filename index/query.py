"""Turning a user's query string into a Whoosh query, or one clear sentence saying why not.

Whoosh's parser is lenient: it silently drops unknown fields, closes unbalanced parentheses,
treats a lone quote as a word and hides bad dates inside error nodes. A journalist who typed
``titel:navalny`` or ``"social networks`` deserves to be told, not to get quietly different
results, so :func:`parse_query` checks the string and the parse tree and raises
:class:`~index.errors.QueryError` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, MultifieldParser, QueryParser, syntax
from whoosh.reading import IndexReader

from index.errors import QueryError

DEFAULT_FIELDS: tuple[str, ...] = ("title", "body")
"""Fields that words without a ``field:`` prefix search; the schema's field boost favours titles."""

EVERYTHING = frozenset({"", "*"})
"""Query strings (after stripping) that mean "every article"."""

DATE_FORMS = "write dates as YYYY, YYYY-MM or YYYY-MM-DD, e.g. date:[2021-01-01 to 2021-01-31]"

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

# A field prefix as Whoosh's FieldsPlugin sees one: a word and a colon, not the start of a URL.
_FIELD_PREFIX = re.compile(r"(?<![\w:])(\w+):(?!//)")
_DATE_FIELD = re.compile(r"\bdate:")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {")", "]", "}"}


def searchable_fields(schema: Schema) -> tuple[str, ...]:
    """Names of the schema's indexed fields: the ones a ``field:`` prefix may name."""
    return tuple(sorted(name for name, field in schema.items() if field.format is not None))


def is_everything(text: str) -> bool:
    """True when the query asks for every article (``*``, empty or only whitespace)."""
    return text.strip() in EVERYTHING


def parse_query(schema: Schema, text: str) -> wq.Query:
    """Parse ``text`` in the Whoosh query language over title and body.

    Returns :class:`whoosh.query.Every` for ``*`` and the empty query. Raises
    :class:`QueryError` for anything the parser would otherwise guess at.
    """
    if is_everything(text):
        return wq.Every()
    _check_text(text, searchable_fields(schema))
    parser = _parser(schema)
    try:
        nodes = parser.process(text)
        _check_syntax(nodes, searchable_fields(schema))
        raw = nodes.query(parser)
    except QueryError:
        raise
    except Exception as error:  # Whoosh raises bare ValueError/TimeError/Exception on bad field values
        raise QueryError(_bad_value_message(text, error)) from error
    _check_query(raw, text)
    parsed = raw.normalize() if raw else wq.NullQuery
    if parsed is wq.NullQuery:
        raise QueryError(f"The query {_shown(text)} has no words to search for.")
    return parsed.accept(_fuzzy_keeps_first_letter)


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


def _check_text(text: str, fields: tuple[str, ...]) -> None:
    """Reject what the parser would silently repair: open quotes, brackets and unknown fields."""
    if text.count('"') % 2:
        raise QueryError('The query has an unclosed quote: every phrase needs a closing ".')
    outside_phrases = text.split('"')[::2]
    _check_brackets("".join(outside_phrases))
    for part in outside_phrases:
        for match in _FIELD_PREFIX.finditer(part):
            if match.group(1) not in fields:
                raise QueryError(
                    f"Unknown field {match.group(1)!r}: search one of {', '.join(fields)} "
                    f"(put text with a colon in quotes)."
                )


def _check_brackets(text: str) -> None:
    stack: list[str] = []
    for char in text:
        if char in _OPENERS:
            stack.append(char)
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


STEM_SLACK = 3
"""How much shorter than a typed prefix an index term may be and still count as its stem."""

MIN_STEM = 4


def widen_prefixes(q: wq.Query, reader: IndexReader, fields: tuple[str, ...] = DEFAULT_FIELDS) -> wq.Query:
    """Let ``regulat*`` find "regulator" although the index holds that word as the stem "regul".

    Stemming can cut a word shorter than the prefix a user types, so a prefix query on a
    stemmed field also accepts the index terms that are slightly shorter than the prefix and
    start it.
    """
    if isinstance(q, wq.Prefix) and q.fieldname in fields:
        text = q.text
        stems = [
            wq.Term(q.fieldname, text[:length])
            for length in range(max(MIN_STEM, len(text) - STEM_SLACK), len(text))
            if (q.fieldname, text[:length]) in reader
        ]
        return wq.Or([q, *stems]) if stems else q
    if q.is_leaf():
        return q
    return q.apply(lambda child: widen_prefixes(child, reader, fields))


def expand_fuzzy(q: wq.Query, reader: IndexReader) -> wq.Query:
    """Replace each fuzzy term (``goverment~``) by the index words within its edit distance.

    Whoosh finds those words again for each segment's matcher, for the size estimate and for the
    highlighter: pure-Python walks of the term dictionary that took two thirds of a fuzzy query's
    time. And it finds different words: a segment's automaton ignores transpositions, while the
    reader over several segments counts them as Whoosh documents (Damerau-Levenshtein), so
    ``growht~`` found no "growth" in the articles and highlighted it anyway. Here the words are
    found once, transpositions included, on any index; the query built from them is the one
    Whoosh's matcher builds, so scores are unchanged.
    """
    if isinstance(q, wq.FuzzyTerm):
        if q.fieldname not in reader.schema:
            return wq.NullQuery
        found = IndexReader.terms_within(reader, q.fieldname, q.text, q.maxdist, prefix=q.prefixlength)
        words = sorted(set(found))
        if not words:
            return wq.NullQuery
        if len(words) == 1:
            return wq.Term(q.fieldname, words[0])
        return wq.Or([wq.Term(q.fieldname, word) for word in words], boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_fuzzy(child, reader))
