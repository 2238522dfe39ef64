"""What every engine needs from a query tree and the index's words: wildcard, prefix and fuzzy terms
expanded into the words they stand for, the words to highlight, and "did you mean".

An engine hands its term dictionary over as a ``Vocabulary``; the rules are the Whoosh engine's
(``index.engines.whoosh.expansion``: ``widen_prefixes``, ``expand_fuzzy``, ``words_within``,
``query_terms``), so that both engines match and highlight the same words; both engines suggest
with ``suggest``."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Protocol

from index import query_tree as qt
from index.documents import SPELLING_FIELD
from index.edit_distance import edit_distance
from index.errors import QueryError
from index.highlight import PhraseTerms, QueryTerms
from index.models import Query

MAX_EXPANDED_TERMS = 1000
"""A wildcard, prefix or fuzzy term may stand for at most this many index words."""

STEM_SLACK = 3
"""How much shorter than a typed prefix an index term may be and still count as its stem."""

MIN_STEM = 4

STEMMED_FIELDS = ("title", "body")
"""Fields whose prefixes also accept the stems just shorter than them; the fields highlighted."""

FEW_HITS = 3
"""Below this many hits a query gets a "did you mean" suggestion, if a better one exists."""

EDIT_WEIGHT = 0.2
"""What one edit multiplies a suggested word's article count by: "blair", two edits from "blare"
and in 180 BBC articles, beats "blame", one edit away and in 19."""

MAX_SUGGESTED_WORD = 30
"""Longer words get no suggestion: comparing one with the index words costs the product of lengths."""

_WILDCARD_SPECIALS = frozenset("*?[")


class Vocabulary(Protocol):
    """The indexed words of an index, field by field."""

    def terms_with_prefix(self, field: str, prefix: str) -> list[tuple[str, int]]:
        """The words of ``field`` that start with ``prefix``, each with its article count, in word order."""
        ...

    def words_with_prefix(self, field: str, prefix: str) -> Iterable[str]:
        """The words of ``field`` that start with ``prefix``, in word order, without their counts
        (which cost a look-up each in a Whoosh index: fuzzy terms and did-you-mean need none)."""
        ...

    def doc_frequency(self, field: str, word: str) -> int:
        """How many articles hold ``word`` in ``field`` (0: it is not an index word)."""
        ...


def expand(node: qt.Node, vocabulary: Vocabulary) -> qt.Node:
    """``node`` with each prefix, wildcard and fuzzy term replaced by the index words it stands for.

    A prefix of a stemmed field also stands for the index words just shorter than it that start it
    (``regulat*`` finds "regul", the stem of "regulator"). Raises QueryError for a term that stands
    for more than ``MAX_EXPANDED_TERMS`` words.
    """
    match node:
        case qt.Prefix(field, text, boost):
            return _prefix(field, text, boost, vocabulary)
        case qt.Wildcard(field, pattern, boost):
            words = wildcard_words(vocabulary, field, pattern)
            if len(words) > MAX_EXPANDED_TERMS:
                raise QueryError(too_many_words(pattern))
            return _any_of(field, words, boost)
        case qt.Fuzzy(field, text, maxdist, prefix, boost):
            found = sorted(words_within(vocabulary, field, text, maxdist, prefix))
            if len(found) > MAX_EXPANDED_TERMS:
                raise QueryError(too_many_words(f"{text}~"))
            if len(found) == 1:
                return qt.Term(field, found[0])  # as Whoosh's expand_fuzzy: the boost goes
            return _any_of(field, found, boost)
        case qt.And(children, boost):
            return qt.And(tuple(expand(child, vocabulary) for child in children), boost)
        case qt.Or(children, boost):
            return qt.Or(tuple(expand(child, vocabulary) for child in children), boost)
        case qt.Not(child, boost):
            return qt.Not(expand(child, vocabulary), boost)
        case qt.AndNot(positive, negative, boost):
            return qt.AndNot(expand(positive, vocabulary), expand(negative, vocabulary), boost)
        case qt.AndMaybe(required, optional, boost):
            return qt.AndMaybe(expand(required, vocabulary), expand(optional, vocabulary), boost)
        case qt.Require(scored, required, boost):
            return qt.Require(expand(scored, vocabulary), expand(required, vocabulary), boost)
    return node


def _prefix(field: str, text: str, boost: float, vocabulary: Vocabulary) -> qt.Node:
    if not text:
        return qt.Every(field, boost)
    words = [word for word, _ in vocabulary.terms_with_prefix(field, text)]
    if len(words) > MAX_EXPANDED_TERMS:
        raise QueryError(too_many_words(f"{text}*"))
    if field in STEMMED_FIELDS:
        words += [
            text[:length]
            for length in range(max(MIN_STEM, len(text) - STEM_SLACK), len(text))
            if vocabulary.doc_frequency(field, text[:length])
        ]
    return _any_of(field, words, boost)


def _any_of(field: str, words: Iterable[str], boost: float) -> qt.Node:
    terms = tuple(qt.Term(field, word) for word in words)
    if not terms:
        return qt.Nothing()
    return qt.Or(terms, boost)


def wildcard_words(vocabulary: Vocabulary, field: str, pattern: str) -> list[str]:
    """The index words of ``field`` that fit the glob ``pattern`` (``*`` any letters, ``?`` one)."""
    matcher = re.compile(fnmatch.translate(pattern))
    return [
        word
        for word, _ in vocabulary.terms_with_prefix(field, _literal_prefix(pattern))
        if matcher.match(word)
    ]


def _literal_prefix(pattern: str) -> str:
    """The letters before the first wildcard, as Whoosh's ``PatternQuery._find_prefix`` finds them
    (which, for a pattern without any, leaves out the last letter)."""
    specials = [at for at, char in enumerate(pattern) if char in _WILDCARD_SPECIALS]
    return pattern[: specials[0] if specials else max(len(pattern) - 1, 0)]


def words_within(vocabulary: Vocabulary, field: str, text: str, maxdist: int, prefix: int) -> dict[str, int]:
    """The index words of ``field`` within ``maxdist`` edits of ``text`` (transpositions count one)
    that share its first ``prefix`` letters, each with its distance."""
    found = {}
    for word in vocabulary.words_with_prefix(field, text[:prefix]):
        if abs(len(word) - len(text)) <= maxdist:
            edits = edit_distance(word, text, limit=maxdist)
            if edits <= maxdist:
                found[word] = edits
    return found


def word_ranges(node: qt.WordRange, vocabulary: Vocabulary) -> list[str]:
    """The index words of the range's field from its start to its end, in word order."""
    words = []
    for word, _ in vocabulary.terms_with_prefix(node.field, ""):
        if node.start is not None and (word < node.start or (word == node.start and node.start_excluded)):
            continue
        if node.end is not None and (word > node.end or (word == node.end and node.end_excluded)):
            break
        words.append(word)
    return words


def query_terms(
    expanded: qt.Node, vocabulary: Vocabulary, fields: Iterable[str] = STEMMED_FIELDS
) -> QueryTerms:
    """The words and phrases of an ``expand``-ed tree to highlight in ``fields``: those a matching
    article must or may hold, never those under NOT."""
    wanted = frozenset(fields)
    terms = QueryTerms()
    for leaf in _positive_leaves(expanded):
        match leaf:
            case qt.Term(field, text) if field in wanted:
                terms.add_word(field, text)
            case qt.Phrase(field, words, slop) if field in wanted:
                terms.add_phrase(field, PhraseTerms(words, max(1, slop)))
            case qt.WordRange(field) if field in wanted:
                for word in word_ranges(leaf, vocabulary):
                    terms.add_word(field, word)
    return terms


def _positive_leaves(node: qt.Node) -> Iterator[qt.Node]:
    match node:
        case qt.Not():
            return
        case qt.AndNot(positive):
            yield from _positive_leaves(positive)
        case qt.And(children) | qt.Or(children):
            for child in children:
                yield from _positive_leaves(child)
        case qt.AndMaybe(first, second) | qt.Require(first, second):
            yield from _positive_leaves(first)
            yield from _positive_leaves(second)
        case _:
            yield node


def suggest(
    query: Query, expanded: qt.Node, total: int, vocabulary: Vocabulary, count: Callable[[Query], int]
) -> str | None:
    """The query's text with each rare typed word replaced by a close, frequent word of the index, if
    that finds more articles (``count`` tells how many a query finds); None otherwise.

    Words are compared as typed, not stemmed: "electionn" is one edit from "election", while its
    stems ("electionn", "elect") are far apart and "electron" is close. A word that is missing or
    in fewer than ``FEW_HITS`` articles is replaced by the word within one or two edits (sharing its
    first letter) that is in the most articles, each edit dividing that count by ``1 / EDIT_WEIGHT``;
    the replacement must be in more articles than the word, and the whole query must find more.
    """
    replacements: dict[tuple[int, int], str] = {}
    for start, end in _typed_spans(expanded):
        typed = query.text[start:end].lower()
        if (start, end) not in replacements and len(typed) <= MAX_SUGGESTED_WORD:
            better = likelier_word(vocabulary, typed)
            if better is not None:
                replacements[(start, end)] = better
    if not replacements:
        return None
    corrected = query.text
    for (start, end), word in sorted(replacements.items(), reverse=True):
        corrected = corrected[:start] + word + corrected[end:]
    try:
        corrected_total = count(replace(query, text=corrected))
    except QueryError:
        return None
    return corrected if corrected_total > total else None


def _typed_spans(node: qt.Node) -> Iterator[tuple[int, int]]:
    """Where each typed single word of title or body was typed, anywhere in the tree."""
    match node:
        case qt.Term(field, _, _, typed_at) if field in STEMMED_FIELDS and typed_at is not None:
            yield typed_at
        case qt.And(children) | qt.Or(children):
            for child in children:
                yield from _typed_spans(child)
        case qt.Not(child):
            yield from _typed_spans(child)
        case qt.AndNot(first, second) | qt.AndMaybe(first, second) | qt.Require(first, second):
            yield from _typed_spans(first)
            yield from _typed_spans(second)


def likelier_word(vocabulary: Vocabulary, typed: str) -> str | None:
    """The close word of the index most likely meant by ``typed``, or None if ``typed`` is common."""
    own = vocabulary.doc_frequency(SPELLING_FIELD, typed)
    if own >= FEW_HITS:
        return None
    maxdist = 1 if len(typed) <= 4 else 2
    scored = [
        (vocabulary.doc_frequency(SPELLING_FIELD, word) * EDIT_WEIGHT**edits, word)
        for word, edits in words_within(vocabulary, SPELLING_FIELD, typed, maxdist, prefix=1).items()
        if word != typed
    ]
    best = max(scored, default=None)
    if best is None or vocabulary.doc_frequency(SPELLING_FIELD, best[1]) <= own:
        return None
    return best[1]


def too_many_words(term: str) -> str:
    """The one sentence for a wildcard, prefix or fuzzy term that stands for too many words."""
    return f"{term!r} stands for more than {MAX_EXPANDED_TERMS:,} different words: make it more specific."
