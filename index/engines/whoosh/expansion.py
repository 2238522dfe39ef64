"""Readying a Whoosh query for this index: prefixes widened to the stems the index holds, fuzzy
terms replaced by the words within reach, and the words a hit highlights.

The engine-independent rules are ``index.tree_terms``'s (the tantivy engine applies them to the
query tree); these apply the same rules to Whoosh's own query objects, with Whoosh's reader, and
tests/test_engines_agree.py holds the two to the same words.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

from index import tree_terms
from index.documents import as_text
from index.engines.whoosh.language import DEFAULT_FIELDS
from index.errors import QueryError
from index.highlight import PhraseTerms, QueryTerms


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
            for length in range(max(tree_terms.MIN_STEM, len(text) - tree_terms.STEM_SLACK), len(text))
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

    A fuzzy, prefix or wildcard term that stands for more than ``tree_terms.MAX_EXPANDED_TERMS`` words
    raises :class:`QueryError`.
    """
    if isinstance(q, wq.FuzzyTerm):
        if q.fieldname not in reader.schema:
            return wq.NullQuery
        words = sorted(words_within(reader, q.fieldname, q.text, q.maxdist, q.prefixlength))
        if len(words) > tree_terms.MAX_EXPANDED_TERMS:
            raise QueryError(tree_terms.too_many_words(f"{q.text}~"))
        if not words:
            return wq.NullQuery
        if len(words) == 1:
            return wq.Term(q.fieldname, words[0])
        return wq.Or([wq.Term(q.fieldname, word) for word in words], boost=q.boost)
    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        beyond = itertools.islice(q.expanded_terms(reader), tree_terms.MAX_EXPANDED_TERMS, None)
        if next(beyond, None) is not None:
            raise QueryError(tree_terms.too_many_words(q.text + ("*" if isinstance(q, wq.Prefix) else "")))
        return q
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_fuzzy(child, reader))


class ReaderWords:
    """The words of a Whoosh reader as ``index.tree_terms`` reads them (a ``Vocabulary``)."""

    def __init__(self, reader: IndexReader) -> None:
        self._reader = reader

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        return [(word, self.doc_frequency(field, word)) for word in self.words_with_prefix(field, prefix)]

    def words_with_prefix(self, field: str, prefix: str) -> list[str]:
        if field not in self._reader.schema:
            return []
        return [as_text(word) for word in self._reader.expand_prefix(field, prefix)]

    def doc_frequency(self, field: str, word: str) -> int:
        return int(self._reader.doc_frequency(field, word))


def words_within(reader: IndexReader, fieldname: str, text: str, maxdist: int, prefix: int) -> dict[str, int]:
    """The index words of ``fieldname`` within ``maxdist`` edits of ``text`` (transpositions count
    one) that share its first ``prefix`` letters, each with its distance.

    One pass over the words with that prefix; a word whose length alone puts it out of reach is
    skipped before the edit distance (which costs the product of the two lengths) is computed.
    """
    field = reader.schema[fieldname]
    found = {}
    for btext in reader.expand_prefix(fieldname, text[:prefix]):
        word = field.from_bytes(btext)
        if abs(len(word) - len(text)) <= maxdist:
            edits = distance(word, text, limit=maxdist)
            if edits <= maxdist:
                found[word] = edits
    return found


def query_terms(q: wq.Query, reader: IndexReader, fields: Iterable[str]) -> QueryTerms:
    """Collect the terms that can be highlighted in ``fields``, expanding multi-term queries."""
    wanted = frozenset(fields)
    terms = QueryTerms()
    for leaf in _positive_leaves(q):
        fieldname = getattr(leaf, "fieldname", None)
        if fieldname not in wanted:
            continue
        if isinstance(leaf, wq.Phrase):
            terms.add_phrase(fieldname, PhraseTerms(tuple(leaf.words), max(1, leaf.slop)))
        elif isinstance(leaf, wq.Term):
            terms.add_word(fieldname, as_text(leaf.text))
        elif isinstance(leaf, wq.MultiTerm):
            for _, btext in leaf.expanded_terms(reader):
                terms.add_word(fieldname, as_text(btext))
    return terms


def _positive_leaves(q: wq.Query) -> Iterator[wq.Query]:
    """Leaves of the query tree that a matching document must or may contain (not NOT-ed ones)."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_leaves(q.a)
        return
    if isinstance(q, wq.Phrase) or q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)
