"""The Whoosh engine's side of the query tree: Whoosh's parse into a tree, and a tree into the
``whoosh.query`` objects that Whoosh runs. The one place where the two meet (it moves to
``index/engines/whoosh/`` with the rest of the engine).
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.util.times import datetime_to_long, long_to_datetime

from index import query_tree as qt


def from_whoosh(q: wq.Query) -> qt.Node:
    """The tree of a query that Whoosh's parser made (after ``normalize``)."""
    if isinstance(q, type(wq.NullQuery)):
        return qt.Nothing()
    boost = float(q.boost)
    if isinstance(q, wq.FuzzyTerm):
        return qt.Fuzzy(q.fieldname, q.text, q.maxdist, q.prefixlength, boost)
    if isinstance(q, wq.Prefix):
        return qt.Prefix(q.fieldname, q.text, boost)
    if isinstance(q, wq.Wildcard):
        return qt.Wildcard(q.fieldname, q.text, boost)
    if type(q) is wq.Term:
        return qt.Term(q.fieldname, q.text, boost, _typed_at(q))
    if isinstance(q, wq.Phrase):
        return qt.Phrase(q.fieldname, tuple(q.words), q.slop, boost)
    if isinstance(q, wq.NumericRange):  # the only numeric field is the date
        start, end = (None if value is None else long_to_datetime(value) for value in (q.start, q.end))
        return qt.DateRange(q.fieldname, start, end, q.startexcl, q.endexcl, boost)
    if isinstance(q, wq.TermRange):
        return qt.WordRange(q.fieldname, q.start, q.end, q.startexcl, q.endexcl, boost)
    if isinstance(q, wq.Every):
        return qt.Every(q.fieldname, boost)
    if isinstance(q, wq.Not):
        return qt.Not(from_whoosh(q.query), boost)
    if isinstance(q, wq.AndNot):
        return qt.AndNot(from_whoosh(q.a), from_whoosh(q.b), boost)
    if isinstance(q, wq.AndMaybe):
        return qt.AndMaybe(from_whoosh(q.a), from_whoosh(q.b), boost)
    if isinstance(q, wq.Require):
        return qt.Require(from_whoosh(q.a), from_whoosh(q.b), boost)
    if type(q) in (wq.And, wq.Or):
        parts = tuple(from_whoosh(child) for child in q.subqueries)
        return qt.And(parts, boost) if type(q) is wq.And else qt.Or(parts, boost)
    raise TypeError(f"No query tree node stands for Whoosh's {type(q).__name__}.")


def to_whoosh(node: qt.Node) -> wq.Query:
    """The Whoosh query that runs ``node``; ``to_whoosh(from_whoosh(q)) == q`` for what the parser makes."""
    match node:
        case qt.Term(field, text, boost, typed_at):
            term = wq.Term(field, text, boost=boost)
            if typed_at is not None:
                term.startchar, term.endchar = typed_at
            return term
        case qt.Phrase(field, words, slop, boost):
            return wq.Phrase(field, list(words), slop=slop, boost=boost)
        case qt.Prefix(field, text, boost):
            return wq.Prefix(field, text, boost=boost)
        case qt.Wildcard(field, pattern, boost):
            return wq.Wildcard(field, pattern, boost=boost)
        case qt.Fuzzy(field, text, distance, prefix, boost):
            return wq.FuzzyTerm(field, text, boost=boost, maxdist=distance, prefixlength=prefix)
        case qt.DateRange(field, start, end, start_excluded, end_excluded, boost):
            low, high = (None if value is None else datetime_to_long(value) for value in (start, end))
            return wq.NumericRange(field, low, high, start_excluded, end_excluded, boost=boost)
        case qt.WordRange(field, start, end, start_excluded, end_excluded, boost):
            return wq.TermRange(field, start, end, start_excluded, end_excluded, boost=boost)
        case qt.Every(field, boost):
            return wq.Every(field, boost=boost)
        case qt.Nothing():
            return wq.NullQuery
        case qt.And(children, boost):
            if qt.Nothing() in children:  # Whoosh's And would drop the NullQuery and match the rest
                return wq.NullQuery
            # Every article is no condition, and Whoosh's And.normalize turns an And that holds
            # one into Every, dropping the rest ("* AND NOT x" matched x too).
            narrowing = [child for child in children if child != qt.Every()] or [qt.Every()]
            if len(narrowing) == 1:
                return _boosted(to_whoosh(narrowing[0]), boost)
            return wq.And([to_whoosh(child) for child in narrowing], boost=boost)
        case qt.Or(children, boost):
            return wq.Or([to_whoosh(child) for child in children], boost=boost)
        case qt.Not(qt.Nothing(), boost):
            return wq.Every(boost=boost)  # Whoosh's Not of its NullQuery matches nothing
        case qt.Not(child, boost):
            return wq.Not(to_whoosh(child), boost=boost)
    return _binary(node)


def _boosted(q: wq.Query, boost: float) -> wq.Query:
    if boost != 1.0:
        q.boost = q.boost * boost
    return q


def _binary(node: qt.Node) -> wq.Query:
    match node:
        case qt.AndNot(positive, negative, boost):
            # Not Whoosh's AndNot: its matcher lets through articles that hold the excluded word
            # ("(regulated) ANDNOT (regulator)" kept one, tests/test_engines_agree.py). A NOT inside
            # an AND scores nothing, so the ranking is the positive side's, as AndNot's is.
            anded = qt.And((positive, qt.Not(negative)))
            q: wq.Query = to_whoosh(anded)
        case qt.AndMaybe(required, optional, boost):
            q = wq.AndMaybe(to_whoosh(required), to_whoosh(optional))
        case qt.Require(scored, required, boost):
            q = wq.Require(to_whoosh(scored), to_whoosh(required))
        case _:
            raise TypeError(f"Not a query tree node: {node!r}.")
    q.boost = boost
    return q


def _typed_at(q: wq.Term) -> qt.Span | None:
    start, end = getattr(q, "startchar", None), getattr(q, "endchar", None)
    return None if start is None or end is None else (start, end)
