"""The tantivy engine and the Whoosh engine give the same answers: random queries of the query
language over a generated corpus match the same articles, with the same total, the same highlights
and snippets, and the same words to highlight."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import WORDS, write_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Library
from index.engines.tantivy import TantivyEngine
from index.engines.tantivy.reading import SearcherVocabulary, TantivyReader, read_query
from index.engines.whoosh.expansion import query_terms as whoosh_query_terms
from index.errors import QueryError
from index.models import DateFilter, EntityFilter, Hit, Query, SearchResult, SortOrder
from index.tree_terms import expand, query_terms

ARTICLES = 150
EVERY_HIT = 1000
MISSPELT = ("goverment", "electon", "markt", "protset", "minster", "blare", "tset")


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, TantivyReader]]:
    root = tmp_path_factory.mktemp("agree")
    corpus = root / "corpus"
    entities = write_corpus(corpus, ARTICLES)
    library = Library.open(corpus, index_dir=root / "whoosh-index")
    library.sync()
    library.engine.write_entities(entities)
    engine = TantivyEngine(root / "tantivy-index", corpus.resolve())
    engine.sync()
    engine.write_entities(entities)
    reader = engine.reader()
    yield library, reader
    reader.close()
    library.close()


def _word() -> st.SearchStrategy[str]:
    return st.sampled_from(WORDS + MISSPELT)


@st.composite
def _atom(draw: st.DrawFn) -> str:
    word = draw(_word())
    kind = draw(st.sampled_from(
        ["word", "word", "prefix", "wildcard", "fuzzy", "phrase", "field", "dates", "range", "every"]
    ))  # fmt: skip
    if kind == "prefix":
        text = word[: draw(st.integers(2, max(2, len(word))))] + "*"
    elif kind == "wildcard":
        at = draw(st.integers(1, max(1, len(word) - 1)))
        text = word[:at] + draw(st.sampled_from(["?", "*", "?*"])) + word[at + 1 :]
    elif kind == "fuzzy":
        text = word + draw(st.sampled_from(["~", "~2", "~1/2", "~2/0"]))
    elif kind == "phrase":
        words = " ".join(draw(st.lists(_word(), min_size=2, max_size=3)))
        text = f'"{words}"' + draw(st.sampled_from(["", "", "~2", "~3"]))
    elif kind == "field":
        field = draw(st.sampled_from(["title", "body", "source", "author", "person", "place", "entity"]))
        name = draw(st.sampled_from(["blair", "brown", "lee", "glasgow", "news", "herald", '"tony blair"']))
        text = f"{field}:{word if field in ('title', 'body') else name}"
    elif kind == "dates":
        text = draw(st.sampled_from(
            ["date:[2004 to 2005]", "date:[2003-06 to]", "date:[to 2004-02-15]", "date:2004",
             "date:{2004 to 2005]"]
        ))  # fmt: skip
    elif kind == "range":
        text = draw(st.sampled_from(["title:[b to m]", "body:[gro to prime]", "title:{share to }"]))
    elif kind == "every":
        text = draw(st.sampled_from(["title:*", "*"]))
    else:
        text = word.upper() if draw(st.booleans()) and len(word) > 3 else word
    return text + draw(st.sampled_from(["", "", "", "^2"]))


JOINS = [" ", " AND ", " OR ", " ANDMAYBE ", " REQUIRE ", " NOT ", " ANDNOT "]


@st.composite
def _query(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(_atom())
    left, right = draw(_query(depth - 1)), draw(_query(depth - 1))
    join = draw(st.sampled_from(JOINS))
    text = f"{left}{join}{right}"
    return f"({text})" if draw(st.booleans()) else text


def _outcome(search: object) -> SearchResult | str:
    try:
        return search()  # type: ignore[operator,no-any-return]
    except QueryError:
        return "QueryError"


def _by_id(result: SearchResult) -> dict[str, Hit]:
    return {hit.id: hit for hit in result.hits}


def _without_score(hit: Hit) -> tuple[object, ...]:
    return (hit.id, hit.title, hit.path, hit.source, hit.date, hit.snippet, hit.snippet_highlights,
            hit.title_highlights, hit.highlights, hit.entities)  # fmt: skip


def assert_same_answers(engines: tuple[Library, TantivyReader], query: Query) -> None:
    library, reader = engines
    whoosh = _outcome(lambda: library.search(query, limit=EVERY_HIT))
    tantivy = _outcome(lambda: reader.search(query, limit=EVERY_HIT, offset=0, should_stop=lambda: False))
    if isinstance(whoosh, str) or isinstance(tantivy, str):
        assert whoosh == tantivy, (query, whoosh, tantivy)
        return
    assert tantivy.total == whoosh.total, query
    whoosh_hits, tantivy_hits = _by_id(whoosh), _by_id(tantivy)
    assert set(tantivy_hits) == set(whoosh_hits), query
    for article_id, hit in whoosh_hits.items():
        assert _without_score(tantivy_hits[article_id]) == _without_score(hit), query
    assert tantivy.suggestion == whoosh.suggestion, query
    assert tantivy.notes == whoosh.notes


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_query(), by_date=st.booleans())
def test_random_queries_match_the_same_articles_with_the_same_highlights(
    engines: tuple[Library, TantivyReader], text: str, by_date: bool
) -> None:
    assert_same_answers(engines, Query(text, sort=SortOrder.DATE if by_date else SortOrder.RELEVANCE))


@pytest.mark.parametrize(
    "text",
    [
        "election", "regulat*", "governm*", "te?t", "goverment~", "growht~", '"prime minister"',
        '"market rally"~3', "title:brown", "election NOT labour", "NOT election",
        "bank ANDMAYBE court", "bank REQUIRE court", "title:*", "title:[b to m]", "date:[2004 to 2005]",
        "person:blair", 'person:"tony blair"', "place:glasgow", "source:herald", "blare", "electon markt",
        "brown^3 OR blair", "* NOT election", "* AND NOT election", "* ANDNOT election",
    ],
)  # fmt: skip
def test_chosen_queries_match_the_same_articles(engines: tuple[Library, TantivyReader], text: str) -> None:
    assert_same_answers(engines, Query(text))


@pytest.mark.parametrize(
    "query",
    [
        Query("market", filters=(EntityFilter("PERSON", "Tony Blair"),)),
        Query("*", filters=(EntityFilter("PLACE", "New York"), EntityFilter("PERSON", "Ann Lee"))),
        Query("bank OR court", dates=DateFilter(dt.date(2004, 2, 1), dt.date(2004, 11, 30))),
        Query("", dates=DateFilter(None, dt.date(2003, 6, 30)), sort=SortOrder.DATE),
        Query("growth", filters=(EntityFilter("ORG", "..."),)),
    ],
)
def test_entity_and_date_filters_match_the_same_articles(
    engines: tuple[Library, TantivyReader], query: Query
) -> None:
    assert_same_answers(engines, query)


def test_date_order_lists_the_same_articles_newest_first_with_undated_last(
    engines: tuple[Library, TantivyReader],
) -> None:
    library, reader = engines
    query = Query("market OR bank", sort=SortOrder.DATE)
    whoosh = library.search(query, limit=EVERY_HIT)
    tantivy = reader.search(query, limit=EVERY_HIT, offset=0, should_stop=lambda: False)
    assert [hit.date for hit in tantivy.hits] == [hit.date for hit in whoosh.hits]
    assert tantivy.hits[-1].date is None and tantivy.hits[0].date is not None


def test_pages_of_every_article_are_the_same_in_both_engines(engines: tuple[Library, TantivyReader]) -> None:
    library, reader = engines
    whoosh = library.search(Query("*"), limit=10, offset=20)
    tantivy = reader.search(Query("*"), limit=10, offset=20, should_stop=lambda: False)
    assert tantivy.total == whoosh.total == ARTICLES
    assert [hit.date for hit in tantivy.hits] == [hit.date for hit in whoosh.hits]


def test_month_histograms_and_facet_matches_agree(engines: tuple[Library, TantivyReader]) -> None:
    library, reader = engines
    for text in ("market", "date:[2004 to 2005] OR bank", "*"):
        query = Query(text)
        assert reader.date_histogram(query, lambda: False) == library.date_histogram(query)
        whoosh = library._matching_articles(query, lambda: False)
        tantivy = reader.matching_articles(query, lambda: False)
        assert sorted(tantivy.numbering.ids[n] for n in tantivy.numbers) == sorted(
            whoosh.numbering.ids[n] for n in whoosh.numbers
        )
        assert list(tantivy.numbers) == sorted(tantivy.numbers)


def _ids(engines: tuple[Library, TantivyReader], text: str) -> tuple[set[str], set[str]]:
    library, reader = engines
    whoosh = library.search(text, limit=EVERY_HIT)
    tantivy = reader.search(Query(text), limit=EVERY_HIT, offset=0, should_stop=lambda: False)
    return {hit.id for hit in whoosh.hits}, {hit.id for hit in tantivy.hits}


def test_andnot_excludes_what_it_says(engines: tuple[Library, TantivyReader]) -> None:
    """Whoosh's own ANDNOT matcher let through an article holding the excluded word ("regulate",
    stem "regul"); both engines now match what the query asks for: the positive side's articles less
    those that also hold the excluded word."""
    whoosh, tantivy = _ids(engines, "(regulated) ANDNOT (regulator)")
    positive, _ = _ids(engines, "regulated")
    excluded, _ = _ids(engines, "regulator")
    assert whoosh == tantivy == positive - excluded
    assert positive & excluded, "the fixture should hold an article with both words"
    whoosh, tantivy = _ids(engines, "protest ANDNOT regulator regulator")
    assert whoosh == tantivy == set()


@pytest.mark.parametrize(
    "text",
    ["regulat* OR te?t", "goverment~ NOT blair", '"prime minister"~2 title:brown', "title:[b to m] AND bank"],
)
def test_the_words_to_highlight_are_the_whoosh_engines(
    engines: tuple[Library, TantivyReader], text: str
) -> None:
    from index.engines.whoosh.search import HIGHLIGHT_FIELDS, _read

    library, reader = engines
    query = Query(text)
    with library.reader() as whoosh_reader:
        searcher = whoosh_reader.searcher
        whoosh_query, _ = _read(searcher, searcher.schema, query)
        expected = whoosh_query_terms(whoosh_query, searcher.reader(), HIGHLIGHT_FIELDS)
    vocabulary = SearcherVocabulary(reader._searcher)
    found = query_terms(expand(read_query(query).tree, vocabulary), vocabulary)
    assert found.words == expected.words
    assert found.phrases == expected.phrases
    assert found.words, "the query should have words to highlight"


def test_a_fixture_corpus_really_has_the_word_forms_the_queries_look_for(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", 20)
    text = (tmp_path / "c" / "feed.jsonl").read_text(encoding="utf-8")
    assert "regulat" in text and "govern" in text
