"""Searching a small hand-written corpus the way a journalist would, through the library, once per engine.

tests/data/search/articles.json is written out as one ``.json`` file per article (its id is the
file's path), indexed with ``Library`` and given its entities through the engine, so every test here
holds for every engine alike. What only Whoosh's own searcher shows is in test_search_whoosh.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import write_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_support import ARTICLES, WORDS, fixture_library, generated_library

from index.errors import ArticleNotFound, QueryError
from index.library import Library
from index.models import EntityRef, Hit, MatchingArticles, Query, SearchResult, SortOrder

pytestmark = pytest.mark.engines


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Library]:
    with fixture_library(tmp_path_factory.mktemp(f"search-{engine}"), engine) as opened:
        yield opened


def never() -> bool:
    return False


def search(library: Library, query: str, sort: SortOrder = SortOrder.RELEVANCE, **options) -> SearchResult:
    return library.search(Query(query, sort=sort), **options)


def matching(library: Library, query: str) -> MatchingArticles:
    with library.reader() as reader:
        assert reader is not None
        return reader.matching_articles(Query(query), never)


def matching_ids(library: Library, query: str) -> list[str]:
    found = matching(library, query)
    return [found.numbering.ids[number] for number in found.numbers]


def ids(result: SearchResult) -> set[str]:
    return {hit.id for hit in result.hits}


def body_of(article_id: str) -> str:
    return next(article["body"] for article in ARTICLES if article["id"] == article_id)


def highlighted_words(hit: Hit) -> list[str]:
    body = body_of(hit.id)
    return [body[start:end] for start, end in hit.highlights]


def test_the_indexed_articles_are_the_fixture_as_written(library: Library) -> None:
    """The highlight tests slice the fixture's bodies: reading and cleaning must leave them as written."""
    assert library.count() == len(ARTICLES)
    for article in ARTICLES:
        indexed = library.article(article["id"])
        assert (indexed.title, indexed.body) == (article["title"], article["body"])
        assert indexed.source == article["source"]
        assert indexed.author == article.get("author")


# --- query language -------------------------------------------------------------------------


def test_single_word_finds_articles_through_title_and_body(library: Library) -> None:
    result = search(library, "tiktok")
    assert ids(result) == {"russia/tiktok.json"}
    assert result.total == 1


def test_words_are_joined_with_and_by_default(library: Library) -> None:
    assert ids(search(library, "central bank")) == {"markets/rates.json", "markets/oil.json"}
    assert ids(search(library, "central oil")) == {"markets/oil.json"}


def test_or_widens_and_not_narrows(library: Library) -> None:
    assert ids(search(library, "tiktok OR goal")) == {"russia/tiktok.json", "sport/final.json"}
    assert ids(search(library, "navalny NOT tiktok")) == {"russia/calls.json"}
    assert ids(search(library, "navalny AND tiktok")) == {"russia/tiktok.json"}


def test_stemming_finds_other_forms_of_a_word(library: Library) -> None:
    assert ids(search(library, "protesting")) == {"russia/calls.json", "russia/tiktok.json"}


def test_phrase_matches_only_adjacent_words(library: Library) -> None:
    assert ids(search(library, '"social networks"')) == {"russia/calls.json"}
    assert ids(search(library, "social networks")) == {"russia/calls.json", "tech/networks.json"}


def test_wildcard_and_fuzzy_terms(library: Library) -> None:
    assert ids(search(library, "tikt*")) == {"russia/tiktok.json"}
    assert ids(search(library, "te?ting")) == {"tech/networks.json"}
    assert ids(search(library, "navalni~")) == {"russia/calls.json", "russia/tiktok.json"}
    assert ids(search(library, "hinje~")) == {"tech/phones.json"}


def test_field_queries_restrict_where_a_word_must_be(library: Library) -> None:
    assert ids(search(library, "title:networks")) == {"russia/calls.json", "tech/networks.json"}
    assert ids(search(library, "title:regulator")) == set()
    assert ids(search(library, "source:dw")) == {"russia/tiktok.json"}
    assert ids(search(library, 'author:"jane doe"')) == {"markets/rates.json", "tech/phones.json"}
    assert ids(search(library, "source:tech AND title:phone")) == {"tech/phones.json"}


def test_entity_fields_are_searchable(library: Library) -> None:
    assert ids(search(library, "person:navalny")) == {"russia/calls.json", "russia/tiktok.json"}
    assert ids(search(library, "place:moscow")) == {"russia/tiktok.json"}
    assert ids(search(library, 'entity:"alexei navalny" org:tiktok')) == {"russia/tiktok.json"}


def test_date_range_selects_the_month(library: Library) -> None:
    january = search(library, "date:[2021-01-01 to 2021-01-31]")
    assert ids(january) == {"russia/calls.json", "russia/tiktok.json", "tech/networks.json"}
    assert ids(search(library, "date:2021-02")) == {"markets/rates.json", "markets/oil.json"}
    assert ids(search(library, "networks date:[2021-01-10 to 2021-01-31]")) == {"russia/calls.json"}


def test_title_matches_rank_above_body_matches(library: Library) -> None:
    result = search(library, "networks")
    assert result.hits[0].id == "tech/networks.json"
    assert result.hits[0].score > result.hits[-1].score > 0


# --- ordering, paging, everything -----------------------------------------------------------


def test_sort_by_date_lists_newest_first_and_undated_last(library: Library) -> None:
    result = search(library, "said", sort=SortOrder.DATE)
    dates = [hit.date for hit in result.hits]
    assert result.sort is SortOrder.DATE
    assert dates[-1] is None
    dated = [date for date in dates if date is not None]
    assert dated == sorted(dated, reverse=True)
    assert len(dated) == len(dates) - 1


@pytest.mark.parametrize("everything", ["", "   ", "*", " * "])
def test_star_or_empty_query_lists_every_article_newest_first(library: Library, everything: str) -> None:
    result = search(library, everything)
    assert result.total == len(ARTICLES)
    assert [hit.id for hit in result.hits][:3] == [
        "markets/oil.json",
        "markets/rates.json",
        "russia/calls.json",
    ]
    assert result.hits[-1].date is None
    assert result.suggestion is None


def test_paging_walks_through_all_hits_with_an_exact_total(library: Library) -> None:
    whole = search(library, "the", limit=50)
    pages = [search(library, "the", limit=2, offset=offset) for offset in range(0, whole.total, 2)]
    assert all(page.total == whole.total for page in pages)
    assert [hit.id for page in pages for hit in page.hits] == [hit.id for hit in whole.hits]
    assert len(pages[0].hits) == 2
    assert search(library, "the", limit=5, offset=100).hits == ()


# --- highlights -----------------------------------------------------------------------------


def test_highlight_offsets_point_exactly_at_stemmed_matches(library: Library) -> None:
    (hit,) = [hit for hit in search(library, "protests").hits if hit.id == "russia/calls.json"]
    assert highlighted_words(hit) == ["protest", "Protesters", "protests"]


def test_wildcard_highlights_every_expansion(library: Library) -> None:
    (hit,) = search(library, "unauthori*").hits
    assert highlighted_words(hit) == ["unauthorised"]
    (tiktok,) = search(library, "protest* tiktok").hits
    assert highlighted_words(tiktok) == ["TikTok", "protests", "protested"]


def test_prefix_finds_words_whose_stem_is_shorter_than_the_prefix(library: Library) -> None:
    result = search(library, "regulat*")
    assert ids(result) == {"russia/calls.json", "russia/tiktok.json"}
    assert all(set(highlighted_words(hit)) == {"regulator"} for hit in result.hits)


def test_fuzzy_highlights_the_corrected_word(library: Library) -> None:
    (hit,) = search(library, "hinje~").hits
    assert highlighted_words(hit) == ["hinge"]


def test_phrase_query_highlights_both_words(library: Library) -> None:
    (hit,) = search(library, '"social networks"').hits
    assert highlighted_words(hit) == ["social", "networks"]
    assert hit.highlights[0][1] < hit.highlights[1][0]


def test_phrase_words_elsewhere_are_not_highlighted(library: Library) -> None:
    (hit,) = search(library, '"media regulator"').hits
    body = body_of(hit.id)
    assert highlighted_words(hit) == ["media", "regulator"]
    assert body.count("regulator") == 2


def test_not_terms_are_never_highlighted(library: Library) -> None:
    (hit,) = search(library, "navalny NOT tiktok").hits
    assert highlighted_words(hit) == ["Navalny"]


def test_field_terms_highlight_only_their_field(library: Library) -> None:
    (hit,) = search(library, "title:tiktok").hits
    assert hit.highlights == ()
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["TikTok"]
    (body_only,) = search(library, "body:teenagers").hits
    assert body_only.title_highlights == ()
    assert highlighted_words(body_only) == ["teenagers"]


def test_title_highlights_point_at_title_words(library: Library) -> None:
    (hit,) = search(library, "central rates").hits[:1]
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["Central", "rates"]


def test_snippet_is_one_short_line_with_its_own_highlights(library: Library) -> None:
    (hit,) = search(library, "midnight").hits
    assert "\n" not in hit.snippet
    assert len(hit.snippet) <= 200
    assert [hit.snippet[s:e] for s, e in hit.snippet_highlights] == ["midnight"]
    (calls,) = [h for h in search(library, "minors").hits]
    assert "  " not in calls.snippet and "\n" not in calls.snippet
    assert calls.snippet.startswith("…")
    assert [calls.snippet[s:e] for s, e in calls.snippet_highlights] == ["minors"]


def test_query_without_words_gives_a_snippet_from_the_start(library: Library) -> None:
    (hit,) = search(library, "source:dw").hits
    assert hit.snippet.startswith("The media regulator")
    assert hit.highlights == hit.snippet_highlights == hit.title_highlights == ()


def test_hits_carry_metadata_and_entities_most_mentioned_first(library: Library) -> None:
    (hit,) = search(library, "tiktok").hits
    assert hit.source == "DW"
    assert hit.date == dt.datetime(2021, 1, 21)
    assert hit.path == "russia/tiktok.json"
    assert hit.entities[0] == EntityRef("Alexei Navalny", "PERSON", 4)
    assert [ref.mentions for ref in hit.entities] == [4, 2, 1]


# --- suggestions, more like this, histogram, ids --------------------------------------------


def test_did_you_mean_respells_a_misspelled_name(library: Library) -> None:
    result = search(library, "navalnyy")
    assert result.total == 0
    assert result.suggestion == "navalny"


def test_did_you_mean_keeps_the_rest_of_the_query(library: Library) -> None:
    result = search(library, "regulater AND tiktok")
    assert result.suggestion == "regulator AND tiktok"


def test_no_suggestion_when_the_query_already_finds_enough(library: Library) -> None:
    assert search(library, "navalny").suggestion is None
    assert search(library, "zzzzqqq").suggestion is None


@pytest.fixture
def misspelling_corpus(tmp_path: Path) -> Path:
    """Words whose stems mislead: "electionn" stems near "electronic", "goverment" like "governess"."""
    corpus = tmp_path / "corpus"
    for n in range(4):
        write_article(corpus, f"vote{n}.txt", f"Vote {n}", "The election was close and the government fell.")
    write_article(corpus, "shop.txt", "Shop", "An electronic till and electrons in a wire.")
    write_article(corpus, "tutor.txt", "Tutor", "The governess taught French.")
    return corpus


def test_did_you_mean_compares_words_as_typed_not_their_stems(misspelling_corpus: Path) -> None:
    with Library.open(misspelling_corpus) as library:
        library.sync()
        assert library.search("electionn").suggestion == "election"
        misspelt = library.search("goverment")
        assert [hit.id for hit in misspelt.hits] == ["tutor.txt"], "the stem of governess"
        assert misspelt.suggestion == "government", "one wrong hit still gets a suggestion"
        assert library.search("Goverment AND electionn").suggestion == "government AND election"
        assert library.search("governess").suggestion is None, "a word in the index is left alone"


@pytest.mark.timeout(60)
def test_a_word_too_long_to_be_one_gets_no_suggestion_and_no_wait(misspelling_corpus: Path) -> None:
    with Library.open(misspelling_corpus) as library:
        library.sync()
        assert library.search("e" + "lection" * 4).suggestion is None
        assert library.search("g" + "o" * 999).suggestion is None


@pytest.mark.timeout(600)
def test_did_you_mean_on_the_bbc(bbc_dir: Path) -> None:
    with Library.open(bbc_dir) as library:
        library.sync()
        assert library.search("electionn").suggestion == "election"
        assert library.search("blare AND elektion").suggestion == "blair AND election"
        goverment = library.search("goverment")
        assert goverment.total == 1
        assert goverment.suggestion == "government"


def test_more_like_this_finds_the_related_article_but_not_itself(library: Library) -> None:
    result = library.more_like_this("russia/calls.json", limit=3)
    assert result.query == "more like: Russia says social networks have begun restricting calls for protest"
    assert "russia/calls.json" not in ids(result)
    assert result.hits[0].id == "russia/tiktok.json"
    assert len(result.hits) <= 3


def test_more_like_this_of_an_unknown_article_raises(library: Library) -> None:
    with pytest.raises(ArticleNotFound):
        library.more_like_this("no/such.json")


def test_date_histogram_counts_matching_articles_per_month(library: Library) -> None:
    assert library.date_histogram("") == [("2020-12", 1), ("2021-01", 3), ("2021-02", 2)]
    assert library.date_histogram("navalny") == [("2021-01", 2)]
    assert library.date_histogram("hinge") == []


def test_matching_articles_lists_every_match_in_order(library: Library) -> None:
    assert sorted(matching_ids(library, "said")) == sorted(
        article["id"] for article in ARTICLES if "said" in article["body"]
    )
    everything = matching(library, "*")
    assert list(everything.numbers) == sorted(set(everything.numbers))
    assert sorted(everything.numbering.ids[number] for number in everything.numbers) == sorted(
        article["id"] for article in ARTICLES
    )
    assert set(matching_ids(library, "regulat*")) == ids(search(library, "regulat*"))


def test_matching_articles_come_with_the_article_id_of_every_number_read_once(library: Library) -> None:
    said = matching(library, "said")
    assert list(said.numbers) == sorted(said.numbers)
    assert {said.numbering.ids[number] for number in said.numbers} == ids(search(library, "said", limit=50))
    # A number may stand for a rewritten article's old document (the entities rewrite every one).
    assert set(said.numbering.ids) == {article["id"] for article in ARTICLES}
    # One numbering per index generation: what facets work out from it is kept by its identity.
    assert matching(library, "*").numbering is said.numbering


# --- exact totals ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [3, 14])
def test_not_query_total_counts_every_match(tmp_path: Path, engine: str, seed: int) -> None:
    opened, words = generated_library(tmp_path, seed, engine)
    with opened as generated:
        assert generated.count() == len(words)
        expected = {article for article, its in words.items() if "film" in its and "award" not in its}
        result = search(generated, "film NOT award", limit=10)
        assert result.total == len(expected)
        assert ids(result) <= expected


BOOLEAN_QUERY = st.builds(
    lambda first, operator, second: f"{first} {operator} {second}",
    st.sampled_from(WORDS),
    st.sampled_from(["", "AND", "OR", "NOT", "AND NOT"]),
    st.sampled_from([*WORDS, '"house price"', "mark*", "biank~"]),
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Library]:
    opened, _ = generated_library(tmp_path_factory.mktemp(f"generated-{engine}"), 14, engine)
    with opened:
        yield opened


@settings(max_examples=60, deadline=None)
@given(query=BOOLEAN_QUERY)
def test_total_and_top_hits_agree_with_every_matching_article(generated: Library, query: str) -> None:
    result = search(generated, query, limit=10)
    every = matching_ids(generated, query)
    assert result.total == len(every)
    assert ids(result) <= set(every)
    assert len(result.hits) == min(10, len(every))
    scores = [hit.score or 0 for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_fuzzy_terms_forgive_a_transposition(generated: Library) -> None:
    market = search(generated, "market", limit=5)
    swapped = search(generated, "makret~", limit=5)
    assert swapped.total == market.total > 0
    assert [hit.highlights for hit in swapped.hits] == [hit.highlights for hit in market.hits]


def test_a_fuzzy_term_in_a_longer_query_scores_like_the_words_it_matched(generated: Library) -> None:
    typed = search(generated, "house (market OR markets)", limit=10)
    fuzzy = search(generated, "house markt~", limit=10)
    assert fuzzy.total == typed.total
    assert [(hit.id, round(hit.score or 0, 9)) for hit in fuzzy.hits] == [
        (hit.id, round(hit.score or 0, 9)) for hit in typed.hits
    ]


# --- bad queries ----------------------------------------------------------------------------

NASTY_QUERIES = [
    '"social networks',
    "(navalny OR tiktok",
    "navalny)",
    "navalny AND",
    "OR",
    "NOT",
    "title:",
    "date:[2021-01-01 to",
    "date:[yesterday to banana]",
    "date:2021-13",
    "date:[2021-02-01 to 2021-01-01]",
    "!!!",
    "~",
    '"',
    ":",
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_bad_query_raises_query_error_with_one_sentence(library: Library, query: str) -> None:
    with pytest.raises(QueryError) as raised:
        search(library, query)
    message = str(raised.value)
    assert message.endswith(".")
    assert "\n" not in message and "Traceback" not in message


FACET_QUESTIONS: dict[str, Callable[[Library, str], object]] = {
    "date_histogram": Library.date_histogram,
    "matching_articles": matching,
}


@pytest.mark.parametrize("question", FACET_QUESTIONS)
def test_facet_questions_reject_bad_queries_too(library: Library, question: str) -> None:
    with pytest.raises(QueryError):
        FACET_QUESTIONS[question](library, '"open')


QUERY_ALPHABET = st.sampled_from(
    [*"abcnavlytiko \"()[]{}:*?~^+-!\\/'", "AND", "OR", "NOT", "title:", "date:", "to", "2021-01-01"]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.text(max_size=40), st.lists(QUERY_ALPHABET, max_size=12).map("".join)))
def test_any_string_gives_a_result_or_a_query_error(library: Library, query: str) -> None:
    try:
        result = search(library, query, limit=5)
    except QueryError as error:
        assert str(error)
    else:
        assert result.total >= len(result.hits)
        for hit in result.hits:
            body = body_of(hit.id)
            assert all(0 <= start < end <= len(body) for start, end in hit.highlights)


# --- pasted text and pathological queries ------------------------------------------------------


def test_pasted_text_with_a_colon_finds_the_words_and_says_how_it_was_read(library: Library) -> None:
    result = search(library, "Navalny said: protests")
    assert ids(result) == ids(search(library, "navalny said protests"))
    assert result.total > 0
    assert result.notes == ("'said:' is not a field, so it was searched as a word.",)
    assert search(library, "title:networks").notes == ()


def test_a_wildcard_that_stands_for_too_many_words_is_refused(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.tree_terms.MAX_EXPANDED_TERMS", 2)
    with pytest.raises(QueryError, match="'t\\*' stands for more than 2 different words"):
        search(library, "t*")
    with pytest.raises(QueryError, match="'tha~' stands for more than 2"):
        search(library, "tha~2")
    assert ids(search(library, "tikt*")) == {"russia/tiktok.json"}


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "query",
    [
        "a" * 1000,
        "t" * 30 + "~2",
        "n" + "a" * 29 + "~2/1",
        "*a*a*" + "a" * 900,
        "?" * 1000,
        " OR ".join(["t*"] * 200),
        "(" * 100 + "tiktok" + ")" * 100,
    ],
)
def test_pathological_queries_answer_within_seconds(library: Library, query: str) -> None:
    try:
        result = search(library, query)
    except QueryError as error:
        assert str(error).endswith(".")
    else:
        assert result.total >= 0


@pytest.mark.timeout(120)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    word=st.text(alphabet="tikoknavly", min_size=1, max_size=30), edits=st.sampled_from(["~", "~2", "*", ""])
)
def test_any_word_up_to_thirty_letters_fuzzy_or_not_answers(library: Library, word: str, edits: str) -> None:
    result = search(library, word + edits)
    assert result.total >= len(result.hits)


def test_date_order_spans_commits_with_and_without_dates(tmp_path: Path, engine: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def write(article_id: str, date: str | None) -> None:
        fields = {"title": article_id, "body": "A report.", **({"date": date} if date else {})}
        (corpus / f"{article_id}.json").write_text(json.dumps(fields), encoding="utf-8")

    with Library.open(corpus, index_dir=tmp_path / "index", engine=engine) as library:
        write("old-undated", None)
        library.sync()
        write("deleted", "2020-01-01")
        write("later-undated", None)
        library.sync()
        write("newest", "2021-01-01")
        write("oldest", "2019-05-01")
        (corpus / "deleted.json").unlink()
        library.sync()
        result = search(library, "report", sort=SortOrder.DATE)
        shown = [hit.id for hit in result.hits]
        # Undated articles come last; among themselves each engine keeps its own order (Whoosh's
        # is the order they were indexed in, tantivy's the reverse).
        assert shown[:2] == ["newest.json", "oldest.json"]
        assert set(shown[2:]) == {"old-undated.json", "later-undated.json"}
        assert result.total == 4
        assert library.date_histogram("*") == [("2019-05", 1), ("2021-01", 1)]
