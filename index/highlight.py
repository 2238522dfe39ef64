"""Where a query matched inside an article: character offsets of every matched word, and a snippet.

A reader highlights by offsets, never by re-analysing, so the offsets here must be exact: for each
span, running the field's analyzer over ``text[start:end]`` gives one of the query's terms. We get
there by analysing the stored text with the very analyzer that indexed it (``chars=True`` gives
offsets) and keeping the tokens whose (stemmed) text is in the query's term set. Wildcards, fuzzy
terms and ranges are first expanded against the index's own terms, so ``protest*`` highlights
"protesters" exactly when the index maps that word to a term the wildcard matched. Phrases
highlight only where the whole phrase occurs; words under NOT are never highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from index.analysis import Analyzer, NewsAnalyzer, token_offsets
from index.documents import ARTICLE_URL, entity_refs
from index.models import Hit, Span

HIGHLIGHT_FIELDS = ("title", "body")
"""The fields whose matched words a hit marks (the stemmed text fields a reader shows)."""

SNIPPET_CHARS = 160
"""Target length of a snippet line; a long word at either edge may stretch it a little."""

SNIPPET_LEAD = 40
"""How much context a snippet shows before its first matched word."""

_SPACE = re.compile(r"\s+")
_ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class PhraseTerms:
    """The analysed words of one phrase and how far apart (in positions) neighbours may be."""

    words: tuple[str, ...]
    slop: int = 1


@dataclass(slots=True)
class QueryTerms:
    """The positive terms of a query, by field: single words and phrases, already analysed."""

    words: dict[str, set[str]] = field(default_factory=dict)
    phrases: dict[str, list[PhraseTerms]] = field(default_factory=dict)

    def covers(self, fieldname: str) -> bool:
        return bool(self.words.get(fieldname) or self.phrases.get(fieldname))

    def add_word(self, fieldname: str, text: str) -> None:
        self.words.setdefault(fieldname, set()).add(text)

    def add_phrase(self, fieldname: str, phrase: PhraseTerms) -> None:
        self.phrases.setdefault(fieldname, []).append(phrase)


@dataclass(frozen=True, slots=True)
class _Tokens:
    """The analysed tokens of a text as parallel lists: text, position, start and end offsets."""

    texts: list[str]
    positions: Sequence[int]
    starts: list[int]
    ends: list[int]


def find_spans(
    text: str, analyzer: Analyzer, words: set[str], phrases: list[PhraseTerms]
) -> tuple[Span, ...]:
    """Offsets of every token of ``text`` that is one of ``words`` or part of a whole phrase."""
    if not text or not (words or phrases):
        return ()
    tokens = analyse(text, analyzer, words.union(*(phrase.words for phrase in phrases)))
    spans = {(tokens.starts[i], tokens.ends[i]) for i, token in enumerate(tokens.texts) if token in words}
    for phrase in phrases:
        spans.update(_phrase_spans(tokens, phrase))
    return tuple(sorted(spans))


def analyse(text: str, analyzer: Analyzer, only: AbstractSet[str] | None = None) -> _Tokens:
    """Run ``analyzer`` over ``text`` keeping offsets, as the indexer did (stop words included):
    ``index.analysis.token_offsets``, as parallel lists. With ``only``, tokens of other words may
    be left out (the positions of those kept stay those among all tokens): ``NewsAnalyzer`` then
    skips them without stemming, which makes highlighting a body several times cheaper."""
    if only is not None and isinstance(analyzer, NewsAnalyzer):
        texts, positions, starts, ends = analyzer.tokens_of(text, only)
    else:
        texts, positions, starts, ends = token_offsets(text, analyzer)
    return _Tokens(texts, positions, starts, ends)


def _phrase_spans(tokens: _Tokens, phrase: PhraseTerms) -> Iterator[Span]:
    first, rest = phrase.words[0], phrase.words[1:]
    texts = tokens.texts
    for index, token in enumerate(texts):
        if token != first:
            continue
        matched = [index]
        for word in rest:
            cursor = _next_within(tokens, matched[-1], word, phrase.slop)
            if cursor is None:
                break
            matched.append(cursor)
        else:
            for hit in matched:
                yield (tokens.starts[hit], tokens.ends[hit])


def _next_within(tokens: _Tokens, index: int, word: str, slop: int) -> int | None:
    """Index of the next token equal to ``word`` at most ``slop`` positions after token ``index``."""
    limit = tokens.positions[index] + slop
    for cursor in range(index + 1, len(tokens.texts)):
        if tokens.positions[cursor] > limit:
            return None
        if tokens.texts[cursor] == word:
            return cursor
    return None


def make_snippet(body: str, spans: tuple[Span, ...]) -> tuple[str, tuple[Span, ...]]:
    """One line of about :data:`SNIPPET_CHARS` around the densest run of matches, whitespace collapsed.

    Returns the snippet and the offsets of the matched words inside it.
    """
    start, end = _window(body, spans)
    inside = [(s, e) for s, e in spans if s >= start and e <= end]
    pieces: list[tuple[str, bool]] = []
    cursor = start
    for s, e in inside:
        pieces.append((_SPACE.sub(" ", body[cursor:s]), False))
        pieces.append((body[s:e], True))
        cursor = e
    pieces.append((_SPACE.sub(" ", body[cursor:end]), False))
    if not pieces[0][1]:
        pieces[0] = (pieces[0][0].lstrip(), False)
    if not pieces[-1][1]:
        pieces[-1] = (pieces[-1][0].rstrip(), False)
    prefix = _ELLIPSIS if body[:start].strip() else ""
    suffix = _ELLIPSIS if body[end:].strip() else ""
    snippet, offsets = prefix, []
    for piece, is_match in pieces:
        if is_match:
            offsets.append((len(snippet), len(snippet) + len(piece)))
        snippet += piece
    return snippet + suffix, tuple(offsets)


def _window(body: str, spans: tuple[Span, ...]) -> Span:
    """The character window of the snippet, snapped outwards to word boundaries."""
    if spans:
        anchor = _densest_start(spans)
        start = max(0, anchor - SNIPPET_LEAD)
    else:
        start = 0
    end = min(len(body), start + SNIPPET_CHARS)
    if end == len(body):
        start = max(0, end - SNIPPET_CHARS)
    return _snap_start(body, start, spans), _snap_end(body, end, spans)


def _densest_start(spans: tuple[Span, ...]) -> int:
    """Start of the match that begins the window holding the most matches."""
    best_start, best_count = spans[0][0], 0
    span_width = SNIPPET_CHARS - SNIPPET_LEAD
    right = 0
    for left, (start, _) in enumerate(spans):
        while right < len(spans) and spans[right][1] <= start + span_width:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    return best_start


def _snap_start(body: str, start: int, spans: tuple[Span, ...]) -> int:
    if start == 0 or body[start - 1].isspace():
        return start
    space = body.rfind(" ", 0, start)
    stretched = space + 1 if space >= 0 and start - space < 20 else start
    return _outside_spans(stretched, spans, towards_start=True)


def _snap_end(body: str, end: int, spans: tuple[Span, ...]) -> int:
    if end >= len(body) or body[end].isspace():
        return end
    space = body.find(" ", end)
    stretched = space if space >= 0 and space - end < 20 else end
    return _outside_spans(stretched, spans, towards_start=False)


def _outside_spans(offset: int, spans: tuple[Span, ...], *, towards_start: bool) -> int:
    """Move ``offset`` so that it does not cut a matched word in two."""
    for s, e in spans:
        if s < offset < e:
            return s if towards_start else e
    return offset


def hit_from_stored(stored: Mapping[str, Any], score: float, terms: QueryTerms, analyzer: Analyzer) -> Hit:
    """A result line from an article's stored fields: its title and body spans of ``terms``, found
    with ``analyzer`` (the one that indexed title and body), and a snippet around the densest."""
    title = stored.get("title", "")
    body = stored.get("body", "")
    title_spans = _field_spans(analyzer, "title", title, terms)
    body_spans = _field_spans(analyzer, "body", body, terms)
    snippet, snippet_spans = make_snippet(body, body_spans)
    return Hit(
        id=stored["id"],
        path=stored.get("path", ""),
        title=title,
        source=stored.get("source"),
        date=stored.get("date"),
        score=score,
        snippet=snippet,
        snippet_highlights=snippet_spans,
        title_highlights=title_spans,
        highlights=body_spans,
        entities=entity_refs(stored),
        author=stored.get("author"),
        url=stored.get(ARTICLE_URL),
    )


def _field_spans(analyzer: Analyzer, field: str, text: str, terms: QueryTerms) -> tuple[Span, ...]:
    if field not in HIGHLIGHT_FIELDS or not terms.covers(field):
        return ()
    return find_spans(text, analyzer, terms.words.get(field, set()), terms.phrases.get(field, []))
