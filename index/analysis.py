"""The analyser of titles and bodies, and the postings format built on it.

``NewsAnalyzer`` gives the tokens of Whoosh's ``StemmingAnalyzer(stoplist=None)`` (words,
lower-cased, Porter-stemmed) with one difference: invisible format characters inside a word
(a soft hyphen, a zero-width space or joiner, common in text pasted from the web) do not split
it, so "Naval\\u00adny" is found by "navalny" and highlighted as one word. It is a
``CompositeAnalyzer`` of the usual parts, so Whoosh, the query parser and the highlighter treat it
as they treat Whoosh's own, but ``__call__`` runs the chain as one loop with a plain dictionary as
stem cache, and ``FastPositions`` builds a document's postings straight from that loop: Whoosh's
chain of generators and Token objects costs about a third of indexing time. On text without
invisible characters, tokens and postings are identical to Whoosh's (``tests/test_analysis.py``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache
from typing import Any

from whoosh.analysis import Analyzer as Analyzer  # the type of every analyser here
from whoosh.analysis import CompositeAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter, Token
from whoosh.formats import Existence, Positions
from whoosh.lang.porter import stem as stem  # the Porter stemmer both engines index with

INVISIBLE = "\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff"
"""Characters that show as nothing inside a word: soft hyphen, joiners, zero-width spaces, marks."""

_PIECE = rf"\w(?:[\w{INVISIBLE}]*\w)?"
WORD_PATTERN = rf"{_PIECE}(?:\.{_PIECE})*"
"""Whoosh's default ``\\w+(\\.?\\w+)*``, letting invisible characters sit between word characters."""

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_WORD = re.compile(WORD_PATTERN)
_PLAIN_WORD = re.compile(r"\w+(?:\.\w+)*")
"""``WORD_PATTERN`` for a text without invisible characters: the same words, found in half the time."""

STEM_CACHE_SIZE = 200_000
"""Distinct words whose stems are kept; the cache starts afresh when full (bounded memory)."""


class NewsAnalyzer(CompositeAnalyzer):
    """``RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StemFilter()``, run as one loop."""

    def __init__(self) -> None:
        super().__init__(RegexTokenizer(WORD_PATTERN), LowercaseFilter(), StemFilter(cachesize=None))
        self._stems: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if key != "_stems"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._stems = {}

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            return self._whole(token, value, positions, chars, start_pos, start_char, no_morph)
        return self._tokens(token, value, positions, chars, keeporiginal, start_pos, start_char, no_morph)

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each stemmed word of ``value`` with its positions: what indexing needs, nothing more.

        The hot loop of indexing, hence the inlined stem cache.
        """
        stems = self._stems
        words = (match.group(0) for match in self.items[0].expression.finditer(value))
        if _INVISIBLE.search(value):
            words = (_visible(word) for word in words)
        found: defaultdict[str, list[int]] = defaultdict(list)
        for pos, word in enumerate(words):
            lowered = word.lower()
            stemmed = stems.get(lowered)
            if stemmed is None:
                stemmed = self._stem(lowered)
            found[stemmed].append(pos)
        return found

    def stemmed_spans(self, value: str) -> Iterator[tuple[str, int, int]]:
        """Each stemmed word of ``value`` with its start and end offsets: what highlighting needs."""
        invisible = _INVISIBLE.search(value) is not None
        for match in self.items[0].expression.finditer(value):
            word = _visible(match.group(0)) if invisible else match.group(0)
            yield self._stem(word.lower()), match.start(), match.end()

    def tokens_of(self, value: str, stems: AbstractSet[str]) -> Offsets:
        """The tokens of ``value`` whose stem is one of ``stems``, with their positions among all its
        tokens and their offsets: what ``token_offsets`` gives for those tokens, at a fraction of
        the cost (highlighting wants a few words of a long body). Each distinct word is stemmed
        once; the other words are passed over in one comprehension, without being stemmed."""
        invisible = _INVISIBLE.search(value) is not None
        expression = self.items[0].expression if invisible else _PLAIN_WORD
        wanted: dict[str, str] = {}
        for word in set(expression.findall(value)):
            stemmed = self._stem((_visible(word) if invisible else word).lower())
            if stemmed in stems:
                wanted[word] = stemmed
        if not wanted:
            return [], [], [], []
        found = [(pos, match) for pos, match in enumerate(expression.finditer(value)) if match[0] in wanted]
        return (
            [wanted[match[0]] for _, match in found],
            [pos for pos, _ in found],
            [match.start() for _, match in found],
            [match.end() for _, match in found],
        )

    def _stem(self, word: str) -> str:
        stems = self._stems
        stemmed = stems.get(word)
        if stemmed is None:
            if len(stems) >= STEM_CACHE_SIZE:
                stems.clear()
            stemmed = stems[word] = stem(word)
        return stemmed

    def _tokens(
        self,
        token: Token,
        value: str,
        positions: bool,
        chars: bool,
        keeporiginal: bool,
        start_pos: int,
        start_char: int,
        no_morph: bool,
    ) -> Iterator[Token]:
        invisible = _INVISIBLE.search(value) is not None
        for pos, match in enumerate(self.items[0].expression.finditer(value)):
            word = _visible(match.group(0)) if invisible else match.group(0)
            if keeporiginal:
                token.original = word
            token.text = word.lower() if no_morph else self._stem(word.lower())
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def _whole(
        self,
        token: Token,
        value: str,
        positions: bool,
        chars: bool,
        start_pos: int,
        start_char: int,
        no_morph: bool,
    ) -> Iterator[Token]:
        """``tokenize=False``: the whole value is one token (Whoosh uses it for some query terms)."""
        token.original = value
        token.text = value.lower() if no_morph else self._stem(value.lower())
        token.boost = 1.0
        token.stopped = False
        if positions:
            token.pos = start_pos
        if chars:
            token.startchar = start_char
            token.endchar = start_char + len(value)
        yield token


def _visible(word: str) -> str:
    return _INVISIBLE.sub("", word)


class FastPositions(Positions):
    """Whoosh's ``Positions`` postings, made without Token objects when the analyser allows it."""

    def word_values(
        self, value: str, analyzer: Analyzer, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(analyzer, NewsAnalyzer) or set(kwargs) - {"mode"}:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for word, positions in analyzer.positions(value).items():
            yield (word, len(positions), float(len(positions)) * boost, self.encode(positions))


def spelling_words(text: str) -> set[str]:
    """The distinct words of ``text`` as the reader shows them: lower-cased, not stemmed.

    The same words ``NewsAnalyzer`` finds (invisible characters removed), before stemming cuts
    "election" to "elect" and "governess" to "gover": what a did-you-mean suggestion may offer.
    """
    words = _WORD.findall(text)
    if _INVISIBLE.search(text):
        return {_visible(word).lower() for word in words}
    return {word.lower() for word in words}


class WordSet(Existence):
    """Existence postings of the distinct unstemmed words of a value (see ``spelling_words``)."""

    def word_values(
        self, value: str, analyzer: Analyzer, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        boost = self.field_boost
        for word in spelling_words(value):
            yield (word, 1, boost, b"")


Offsets = tuple[list[str], Sequence[int], list[int], list[int]]
"""Tokens of a text as parallel lists: text, position, start and end offsets."""


def token_offsets(text: str, analyzer: Analyzer) -> Offsets:
    """Run ``analyzer`` over ``text`` keeping offsets, as the indexer did (stop words included).

    Whoosh's generator chain costs about 10 µs a token, too slow for 50 bodies per keystroke,
    so ``NewsAnalyzer`` (titles and bodies) gives its words and offsets in one loop, and another
    tokenizer | lowercase [| stemmer] chain is replayed here with ``re.finditer`` and a stem cache;
    either yields exactly the same tokens as indexing did (a test checks). Any other analyzer goes
    through Whoosh itself.
    """
    if isinstance(analyzer, NewsAnalyzer):
        found_spans = list(analyzer.stemmed_spans(text))
        return (
            [word for word, _, _ in found_spans],
            range(len(found_spans)),
            [start for _, start, _ in found_spans],
            [end for _, _, end in found_spans],
        )
    chain = _simple_chain(analyzer)
    if chain is None:
        found = list(analyzer(text, positions=True, chars=True, removestops=False, mode="index"))
        return (
            [t.text for t in found],
            [t.pos for t in found],
            [t.startchar for t in found],
            [t.endchar for t in found],
        )
    pattern, stem, ignore = chain
    matches = list(pattern.finditer(text))
    lowered = [match.group().lower() for match in matches]
    return (
        [word if word in ignore else stem(word) for word in lowered] if stem else lowered,
        range(len(matches)),
        [match.start() for match in matches],
        [match.end() for match in matches],
    )


def _simple_chain(
    analyzer: Analyzer,
) -> tuple[re.Pattern[str], Callable[[str], str] | None, frozenset[str]] | None:
    """Pattern, stemmer and ignored words of a tokenizer | lowercase [| stemmer] chain, else None."""
    items = getattr(analyzer, "items", None)
    if not items or not isinstance(items[0], RegexTokenizer) or items[0].gaps:
        return None
    rest = [type(item) for item in items[1:]]
    if rest == [LowercaseFilter]:
        return items[0].expression, None, frozenset()
    if rest == [LowercaseFilter, StemFilter] and not items[2].lang:
        return items[0].expression, _cached(items[2].stemfn), frozenset(items[2].ignore)
    return None


@cache
def _cached(stemfn: Callable[[str], str]) -> Callable[[str], str]:
    return lru_cache(maxsize=200_000)(stemfn)


class CanonicalAnalyzer(Analyzer):
    """The analyser of a pattern label's field (``email``, ``phone``...): one token per canonical form.

    Indexing, the value is canonical forms joined by ``index.documents.ENTITY_SEPARATOR``: each is
    one token, lower-cased, and a URL's host is one more (``url:bbc.co.uk`` finds every address there).
    In a query the whole value is one token, written in the label's canonical form first, so that
    ``phone:"020 7946 0958"`` finds ``+442079460958`` and ``handle:bbcnews`` finds ``@bbcnews``.
    """

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = [(self.query_form(value), 0, len(value))] if mode == "query" else self._indexed(value)
        for pos, (word, start, end) in enumerate(words):
            if keeporiginal:
                token.original = value[start:end]
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token

    def words(self, value: str) -> list[str]:
        """The tokens a stored value is indexed as (what the tantivy engine indexes too)."""
        return [word for word, _, _ in self._indexed(value)]

    def query_form(self, value: str) -> str:
        """A query value in the label's canonical form, lower-cased (as typed if it is not one)."""
        from index.entities.patterns import CANONICAL_FORMS

        written = value.strip()
        return _one_word(CANONICAL_FORMS[self.label](written) or written)

    def _indexed(self, value: str) -> list[tuple[str, int, int]]:
        from index.documents import ENTITY_SEPARATOR
        from index.entities.labels import URL

        words = []
        start = 0
        for name in value.split(ENTITY_SEPARATOR):
            begin = start + len(name) - len(name.lstrip())
            word = _one_word(name)
            if word:
                words.append((word, begin, begin + len(name.strip())))
                host = re.split(r"[/?]", word, maxsplit=1)[0]
                if self.label == URL and host != word:
                    words.append((host, begin, begin + len(host)))
            start += len(name) + len(ENTITY_SEPARATOR)
        return words


def _one_word(text: str) -> str:
    """``text`` as one token: lower-cased, any inner whitespace as "_" (canonical forms have none,
    but a name a user gave an entity may, and the tantivy engine splits its words at spaces)."""
    return "_".join(text.lower().split())
