"""Offsets and snippets without an index: index.highlight over plain strings."""

from __future__ import annotations

from dataclasses import astuple

from hypothesis import example, given, settings
from hypothesis import strategies as st

from index.engines.whoosh.schema import text_analyzer
from index.highlight import SNIPPET_CHARS, PhraseTerms, _phrase_spans, analyse, find_spans, make_snippet

ANALYZER = text_analyzer()


def words_at(text: str, spans: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_stemmed_terms_match_every_form_of_the_word() -> None:
    text = "Protesters protested; one protest, many protests."
    spans = find_spans(text, ANALYZER, {"protest"}, [])
    assert words_at(text, spans) == ["Protesters", "protested", "protest", "protests"]


def test_offsets_survive_non_ascii_text() -> None:
    text = "Café owners in Zürich — «protesting» £15m rent rises 🙂 protest"
    spans = find_spans(text, ANALYZER, {"protest", "zürich"}, [])
    assert words_at(text, spans) == ["Zürich", "protesting", "protest"]


def test_phrase_highlights_only_where_the_words_are_adjacent() -> None:
    text = "Social media and networks. Social networks are busy."
    spans = find_spans(text, ANALYZER, set(), [PhraseTerms(("social", "network"))])
    assert words_at(text, spans) == ["Social", "networks"]
    assert spans[0][0] == text.index("Social networks")


def test_phrase_with_slop_allows_words_between() -> None:
    text = "social media networks"
    assert find_spans(text, ANALYZER, set(), [PhraseTerms(("social", "network"), slop=1)]) == ()
    spans = find_spans(text, ANALYZER, set(), [PhraseTerms(("social", "network"), slop=2)])
    assert words_at(text, spans) == ["social", "networks"]


def test_snippet_centres_on_the_densest_matches_and_collapses_whitespace() -> None:
    body = "Opening words. " * 30 + "The  rally\n\nin Moscow drew a rally crowd." + " Closing words." * 30
    spans = find_spans(body, ANALYZER, {"ralli"}, [])
    snippet, offsets = make_snippet(body, spans)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "\n" not in snippet and "  " not in snippet
    assert words_at(snippet, offsets) == ["rally", "rally"]
    assert len(snippet) <= SNIPPET_CHARS + 45


def test_snippet_without_matches_is_the_start_of_the_body() -> None:
    snippet, offsets = make_snippet("Short body.\nSecond line.", ())
    assert snippet == "Short body. Second line."
    assert offsets == ()


@settings(max_examples=200, deadline=None)
@given(
    body=st.text(alphabet=st.sampled_from("ab cé\n\t.£🙂"), max_size=400),
    word=st.sampled_from(["a", "ab", "b", "cé", "ba"]),
)
def test_snippet_offsets_always_point_at_the_matched_words(body: str, word: str) -> None:
    spans = find_spans(body, ANALYZER, {word}, [])
    assert all(analysed(body[start:end]) == [word] for start, end in spans)
    snippet, offsets = make_snippet(body, spans)
    assert "\n" not in snippet
    assert all(analysed(snippet[start:end]) == [word] for start, end in offsets)
    assert len(offsets) <= len(spans)


def analysed(text: str) -> list[str]:
    return [token.text for token in ANALYZER(text)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
@example("0\u00ad0")  # a soft hyphen inside a word: indexed as one word, highlighted as one
def test_fast_analysis_gives_exactly_the_tokens_whoosh_indexes(text: str) -> None:
    tokens = analyse(text, ANALYZER)
    expected = [(t.text, t.pos, t.startchar, t.endchar) for t in ANALYZER(text, positions=True, chars=True)]
    assert list(zip(tokens.texts, tokens.positions, tokens.starts, tokens.ends, strict=True)) == expected


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab cé.\u00ad\u200bAB\n"), max_size=120),
    words=st.sets(st.sampled_from(["a", "ab", "b", "cé", "ba", "a.b"]), max_size=3),
    phrase=st.lists(st.sampled_from(["a", "ab", "b", "cé"]), min_size=2, max_size=3),
    slop=st.integers(1, 3),
)
@example("AB a\u00adb ab.ab ab", {"ab"}, ["ab", "ab"], 1)
def test_highlighting_the_query_words_alone_finds_what_every_token_finds(
    text: str, words: set[str], phrase: list[str], slop: int
) -> None:
    every = analyse(text, ANALYZER)
    kept = analyse(text, ANALYZER, words | set(phrase))
    every_kept = [token for token in zip(*astuple(every), strict=True) if token[0] in words | set(phrase)]
    assert list(zip(*astuple(kept), strict=True)) == every_kept
    expected = {(s, e) for t, _, s, e in zip(*astuple(every), strict=True) if t in words}
    expected.update(_phrase_spans(every, PhraseTerms(tuple(phrase), slop)))
    assert find_spans(text, ANALYZER, words, [PhraseTerms(tuple(phrase), slop)]) == tuple(sorted(expected))
