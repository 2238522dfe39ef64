"""A query tree (``index.query_tree``), expanded (``index.tree_terms.expand``), as a tantivy query.

Matches exactly what the Whoosh engine matches:

- A phrase of slop ``k`` (neighbours in order, at most ``k`` positions apart) is the union of the
  exact phrases with each gap from 1 to ``k``: tantivy's own slop also accepts words out of order.
- ``NOT a`` on its own is every article but those matching ``a``.
- ``title:*`` (``Every`` of a field) is every article with a word in that field.
- A word range is the set of the index words in it.

Title clauses get the title's field boost, as Whoosh's BM25F gives it.
"""

from __future__ import annotations

import datetime as dt
import itertools

import tantivy

from index import query_tree as qt
from index.engines.tantivy.schema import date_key
from index.engines.whoosh.schema import TITLE_BOOST
from index.tree_terms import Vocabulary, word_ranges

MAX_PHRASE_GAPS = 256
"""Past this many gap combinations a sloppy phrase falls back to tantivy's slop, which also
matches its words out of order (``"a b c d e"~5`` would be 625 phrases)."""

Q = tantivy.Query
MUST, SHOULD, MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


class Translator:
    """Turns expanded trees into tantivy queries over one schema and vocabulary."""

    def __init__(self, schema: tantivy.Schema, vocabulary: Vocabulary) -> None:
        self.schema = schema
        self.vocabulary = vocabulary

    def query(self, node: qt.Node) -> tantivy.Query:
        match node:
            case qt.Term(field, text, boost):
                return _boosted(Q.term_query(self.schema, field, text), _field_boost(field) * boost)
            case qt.Phrase(field, words, slop, boost):
                return _boosted(self._phrase(field, words, slop), _field_boost(field) * boost)
            case qt.DateRange(_, start, end, start_excluded, end_excluded, boost):
                return _boosted(self._dates(start, end, start_excluded, end_excluded), boost)
            case qt.WordRange(field, _, _, _, _, boost):
                in_range = word_ranges(node, self.vocabulary)
                if not in_range:
                    return Q.empty_query()
                return _boosted(Q.term_set_query(self.schema, field, in_range), _field_boost(field) * boost)
            case qt.Every(None, boost):
                return _boosted(Q.all_query(), boost)
            case qt.Every(str(field), boost):
                return _boosted(Q.regex_query(self.schema, field, ".+"), boost)
            case qt.Nothing():
                return Q.empty_query()
        return self._compound(node)

    def _compound(self, node: qt.Node) -> tantivy.Query:
        match node:
            case qt.And(children, boost):
                if not children or qt.Nothing() in children:
                    return Q.empty_query()
                return _boosted(Q.boolean_query([(MUST, self.query(child)) for child in children]), boost)
            case qt.Or(children, boost):
                if not children:
                    return Q.empty_query()
                return _boosted(Q.boolean_query([(SHOULD, self.query(child)) for child in children]), boost)
            case qt.Not(child, boost):
                return _boosted(
                    Q.boolean_query([(MUST, Q.all_query()), (MUST_NOT, self.query(child))]), boost
                )
            case qt.AndNot(positive, negative, boost):
                clauses = [(MUST, self.query(positive)), (MUST_NOT, self.query(negative))]
                return _boosted(Q.boolean_query(clauses), boost)
            case qt.AndMaybe(required, optional, boost):
                clauses = [(MUST, self.query(required)), (SHOULD, self.query(optional))]
                return _boosted(Q.boolean_query(clauses), boost)
            case qt.Require(scored, required, boost):
                clauses = [(MUST, self.query(scored)), (MUST, Q.const_score_query(self.query(required), 0.0))]
                return _boosted(Q.boolean_query(clauses), boost)
        raise TypeError(f"Not a query tree node: {node!r}.")

    def _phrase(self, field: str, words: tuple[str, ...], slop: int) -> tantivy.Query:
        if slop < 1:
            return Q.empty_query()  # Whoosh's phrase needs each word after the one before
        if len(words) == 1:
            return Q.term_query(self.schema, field, words[0])
        if slop == 1:
            return Q.phrase_query(self.schema, field, list(words))
        if slop ** (len(words) - 1) > MAX_PHRASE_GAPS:
            return Q.phrase_query(self.schema, field, list(words), slop - 1)
        phrases = []
        for gaps in itertools.product(range(1, slop + 1), repeat=len(words) - 1):
            offsets = itertools.accumulate(gaps, initial=0)
            phrases.append(
                (SHOULD, Q.phrase_query(self.schema, field, list(zip(offsets, words, strict=True))))
            )
        return Q.boolean_query(phrases)

    def _dates(
        self, start: dt.datetime | None, end: dt.datetime | None, start_excluded: bool, end_excluded: bool
    ) -> tantivy.Query:
        if start is None and end is None:
            return Q.exists_query("date")
        low = None if start is None else date_key(start)
        high = None if end is None else date_key(end)
        return Q.range_query(
            self.schema,
            "date",
            tantivy.FieldType.Integer,
            low,
            high,
            include_lower=start is None or not start_excluded,
            include_upper=end is None or not end_excluded,
        )


def _field_boost(field: str) -> float:
    return TITLE_BOOST if field == "title" else 1.0


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else Q.boost_query(query, boost)
