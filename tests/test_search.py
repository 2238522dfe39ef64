"""Searching a small hand-written corpus the way a journalist would, through index.engines.whoosh.search.

The index is built directly with Whoosh from tests/data/search/articles.json, so these tests
depend only on the schema and the search module.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from index.documents import spelling_text
from index.engines.whoosh.schema import build_schema
from index.engines.whoosh.search import (
    HIGHLIGHT_FIELDS,
    date_histogram,
    matching_articles,
    matching_docnums,
    more_like_this,
    parse_query,
    run_search,
)
from index.entities.labels import ENTITY_FIELDS
from index.errors import ArticleNotFound, QueryError
from index.library import Library
from index.models import EntityRef, Hit, Query, SearchResult, SortOrder

ARTICLES = json.loads((Path(__file__).parent / "data" / "search" / "articles.json").read_text("utf-8"))


def _document(article: dict) -> dict:
    entities = article.get("entities", [])
    document = {
        "id": article["id"],
        "path": article["id"],
        "title": article["title"],
        "body": article["body"],
        "spelling": spelling_text(article["title"], article["body"]),
        "source": article.get("source"),
        "author": article.get("author"),
        "url": article.get("url"),
        "entities": entities,
        "entity": " ".join(name for name, _, _ in entities),
    }
    if "date" in article:
        document["date"] = dt.datetime.fromisoformat(article["date"])
    for label, fieldname in ENTITY_FIELDS.items():
        document[fieldname] = " ".join(name for name, kind, _ in entities if kind == label)
    return {key: value for key, value in document.items() if value is not None}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    folder = tmp_path_factory.mktemp("search-index")
    ix = whoosh_index.create_in(folder, build_schema())
    with ix.writer() as writer:
        for article in ARTICLES:
            writer.add_document(**_document(article))
    with ix.searcher() as opened:
        yield opened


@pytest.fixture(scope="module")
def schema(searcher: Searcher):
    return searcher.schema


def search(searcher: Searcher, query: str, sort: SortOrder = SortOrder.RELEVANCE, **options) -> SearchResult:
    return run_search(searcher, searcher.schema, Query(query, sort=sort), **options)


def ids(result: SearchResult) -> set[str]:
    return {hit.id for hit in result.hits}


def body_of(article_id: str) -> str:
    return next(article["body"] for article in ARTICLES if article["id"] == article_id)


def highlighted_words(hit: Hit) -> list[str]:
    body = body_of(hit.id)
    return [body[start:end] for start, end in hit.highlights]


# --- query language -------------------------------------------------------------------------


def test_single_word_finds_articles_through_title_and_body(searcher: Searcher) -> None:
    result = search(searcher, "tiktok")
    assert ids(result) == {"russia/tiktok.txt"}
    assert result.total == 1


def test_words_are_joined_with_and_by_default(searcher: Searcher) -> None:
    assert ids(search(searcher, "central bank")) == {"markets/rates.txt", "markets/oil.txt"}
    assert ids(search(searcher, "central oil")) == {"markets/oil.txt"}


def test_or_widens_and_not_narrows(searcher: Searcher) -> None:
    assert ids(search(searcher, "tiktok OR goal")) == {"russia/tiktok.txt", "sport/final.txt"}
    assert ids(search(searcher, "navalny NOT tiktok")) == {"russia/calls.txt"}
    assert ids(search(searcher, "navalny AND tiktok")) == {"russia/tiktok.txt"}


def test_stemming_finds_other_forms_of_a_word(searcher: Searcher) -> None:
    assert ids(search(searcher, "protesting")) == {"russia/calls.txt", "russia/tiktok.txt"}


def test_phrase_matches_only_adjacent_words(searcher: Searcher) -> None:
    assert ids(search(searcher, '"social networks"')) == {"russia/calls.txt"}
    assert ids(search(searcher, "social networks")) == {"russia/calls.txt", "tech/networks.txt"}


def test_wildcard_and_fuzzy_terms(searcher: Searcher) -> None:
    assert ids(search(searcher, "tikt*")) == {"russia/tiktok.txt"}
    assert ids(search(searcher, "te?ting")) == {"tech/networks.txt"}
    assert ids(search(searcher, "navalni~")) == {"russia/calls.txt", "russia/tiktok.txt"}
    assert ids(search(searcher, "hinje~")) == {"tech/phones.txt"}


def test_field_queries_restrict_where_a_word_must_be(searcher: Searcher) -> None:
    assert ids(search(searcher, "title:networks")) == {"russia/calls.txt", "tech/networks.txt"}
    assert ids(search(searcher, "title:regulator")) == set()
    assert ids(search(searcher, "source:dw")) == {"russia/tiktok.txt"}
    assert ids(search(searcher, 'author:"jane doe"')) == {"markets/rates.txt", "tech/phones.txt"}
    assert ids(search(searcher, "source:tech AND title:phone")) == {"tech/phones.txt"}


def test_entity_fields_are_searchable(searcher: Searcher) -> None:
    assert ids(search(searcher, "person:navalny")) == {"russia/calls.txt", "russia/tiktok.txt"}
    assert ids(search(searcher, "place:moscow")) == {"russia/tiktok.txt"}
    assert ids(search(searcher, 'entity:"alexei navalny" org:tiktok')) == {"russia/tiktok.txt"}


def test_date_range_selects_the_month(searcher: Searcher) -> None:
    january = search(searcher, "date:[2021-01-01 to 2021-01-31]")
    assert ids(january) == {"russia/calls.txt", "russia/tiktok.txt", "tech/networks.txt"}
    assert ids(search(searcher, "date:2021-02")) == {"markets/rates.txt", "markets/oil.txt"}
    assert ids(search(searcher, "networks date:[2021-01-10 to 2021-01-31]")) == {"russia/calls.txt"}


def test_title_matches_rank_above_body_matches(searcher: Searcher) -> None:
    result = search(searcher, "networks")
    assert result.hits[0].id == "tech/networks.txt"
    assert result.hits[0].score > result.hits[-1].score > 0


# --- ordering, paging, everything -----------------------------------------------------------


def test_sort_by_date_lists_newest_first_and_undated_last(searcher: Searcher) -> None:
    result = search(searcher, "said", sort=SortOrder.DATE)
    dates = [hit.date for hit in result.hits]
    assert result.sort is SortOrder.DATE
    assert dates[-1] is None
    dated = [date for date in dates if date is not None]
    assert dated == sorted(dated, reverse=True)
    assert len(dated) == len(dates) - 1


@pytest.mark.parametrize("everything", ["", "   ", "*", " * "])
def test_star_or_empty_query_lists_every_article_newest_first(searcher: Searcher, everything: str) -> None:
    result = search(searcher, everything)
    assert result.total == len(ARTICLES)
    assert [hit.id for hit in result.hits][:3] == ["markets/oil.txt", "markets/rates.txt", "russia/calls.txt"]
    assert result.hits[-1].date is None
    assert result.suggestion is None


def test_paging_walks_through_all_hits_with_an_exact_total(searcher: Searcher) -> None:
    whole = search(searcher, "the", limit=50)
    pages = [search(searcher, "the", limit=2, offset=offset) for offset in range(0, whole.total, 2)]
    assert all(page.total == whole.total for page in pages)
    assert [hit.id for page in pages for hit in page.hits] == [hit.id for hit in whole.hits]
    assert len(pages[0].hits) == 2
    assert search(searcher, "the", limit=5, offset=100).hits == ()


# --- highlights -----------------------------------------------------------------------------


def test_highlight_offsets_point_exactly_at_stemmed_matches(searcher: Searcher) -> None:
    (hit,) = [hit for hit in search(searcher, "protests").hits if hit.id == "russia/calls.txt"]
    assert highlighted_words(hit) == ["protest", "Protesters", "protests"]


def test_wildcard_highlights_every_expansion(searcher: Searcher) -> None:
    (hit,) = search(searcher, "unauthori*").hits
    assert highlighted_words(hit) == ["unauthorised"]
    (tiktok,) = search(searcher, "protest* tiktok").hits
    assert highlighted_words(tiktok) == ["TikTok", "protests", "protested"]


def test_prefix_finds_words_whose_stem_is_shorter_than_the_prefix(searcher: Searcher) -> None:
    result = search(searcher, "regulat*")
    assert ids(result) == {"russia/calls.txt", "russia/tiktok.txt"}
    assert all(set(highlighted_words(hit)) == {"regulator"} for hit in result.hits)


def test_fuzzy_highlights_the_corrected_word(searcher: Searcher) -> None:
    (hit,) = search(searcher, "hinje~").hits
    assert highlighted_words(hit) == ["hinge"]


def test_phrase_query_highlights_both_words(searcher: Searcher) -> None:
    (hit,) = search(searcher, '"social networks"').hits
    assert highlighted_words(hit) == ["social", "networks"]
    assert hit.highlights[0][1] < hit.highlights[1][0]


def test_phrase_words_elsewhere_are_not_highlighted(searcher: Searcher) -> None:
    (hit,) = search(searcher, '"media regulator"').hits
    body = body_of(hit.id)
    assert highlighted_words(hit) == ["media", "regulator"]
    assert body.count("regulator") == 2


def test_not_terms_are_never_highlighted(searcher: Searcher) -> None:
    (hit,) = search(searcher, "navalny NOT tiktok").hits
    assert highlighted_words(hit) == ["Navalny"]


def test_field_terms_highlight_only_their_field(searcher: Searcher) -> None:
    (hit,) = search(searcher, "title:tiktok").hits
    assert hit.highlights == ()
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["TikTok"]
    (body_only,) = search(searcher, "body:teenagers").hits
    assert body_only.title_highlights == ()
    assert highlighted_words(body_only) == ["teenagers"]


def test_title_highlights_point_at_title_words(searcher: Searcher) -> None:
    (hit,) = search(searcher, "central rates").hits[:1]
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["Central", "rates"]


def test_snippet_is_one_short_line_with_its_own_highlights(searcher: Searcher) -> None:
    (hit,) = search(searcher, "midnight").hits
    assert "\n" not in hit.snippet
    assert len(hit.snippet) <= 200
    assert [hit.snippet[s:e] for s, e in hit.snippet_highlights] == ["midnight"]
    (calls,) = [h for h in search(searcher, "minors").hits]
    assert "  " not in calls.snippet and "\n" not in calls.snippet
    assert calls.snippet.startswith("…")
    assert [calls.snippet[s:e] for s, e in calls.snippet_highlights] == ["minors"]


def test_query_without_words_gives_a_snippet_from_the_start(searcher: Searcher) -> None:
    (hit,) = search(searcher, "source:dw").hits
    assert hit.snippet.startswith("The media regulator")
    assert hit.highlights == hit.snippet_highlights == hit.title_highlights == ()


def test_hits_carry_metadata_and_entities_most_mentioned_first(searcher: Searcher) -> None:
    (hit,) = search(searcher, "tiktok").hits
    assert hit.source == "DW"
    assert hit.date == dt.datetime(2021, 1, 21)
    assert hit.path == "russia/tiktok.txt"
    assert hit.entities[0] == EntityRef("Alexei Navalny", "PERSON", 4)
    assert [ref.mentions for ref in hit.entities] == [4, 2, 1]


# --- suggestions, more like this, histogram, ids --------------------------------------------


def test_did_you_mean_respells_a_misspelled_name(searcher: Searcher) -> None:
    result = search(searcher, "navalnyy")
    assert result.total == 0
    assert result.suggestion == "navalny"


def test_did_you_mean_keeps_the_rest_of_the_query(searcher: Searcher) -> None:
    result = search(searcher, "regulater AND tiktok")
    assert result.suggestion == "regulator AND tiktok"


def test_no_suggestion_when_the_query_already_finds_enough(searcher: Searcher) -> None:
    assert search(searcher, "navalny").suggestion is None
    assert search(searcher, "zzzzqqq").suggestion is None


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


def test_more_like_this_finds_the_related_article_but_not_itself(searcher: Searcher) -> None:
    result = more_like_this(searcher, searcher.schema, "russia/calls.txt", limit=3)
    assert result.query == "more like: Russia says social networks have begun restricting calls for protest"
    assert "russia/calls.txt" not in ids(result)
    assert result.hits[0].id == "russia/tiktok.txt"
    assert len(result.hits) <= 3


def test_more_like_this_of_an_unknown_article_raises(searcher: Searcher) -> None:
    with pytest.raises(ArticleNotFound):
        more_like_this(searcher, searcher.schema, "no/such.txt")


def test_date_histogram_counts_matching_articles_per_month(searcher: Searcher) -> None:
    assert date_histogram(searcher, searcher.schema, "") == [("2020-12", 1), ("2021-01", 3), ("2021-02", 2)]
    assert date_histogram(searcher, searcher.schema, "navalny") == [("2021-01", 2)]
    assert date_histogram(searcher, searcher.schema, "hinge") == []


def matching_ids(searcher: Searcher, schema: object, query: str) -> list[str]:
    return [searcher.stored_fields(docnum)["id"] for docnum in matching_docnums(searcher, schema, query)]


def test_matching_docnums_lists_every_match_in_order(searcher: Searcher) -> None:
    assert sorted(matching_ids(searcher, searcher.schema, "said")) == sorted(
        article["id"] for article in ARTICLES if "said" in article["body"]
    )
    assert matching_docnums(searcher, searcher.schema, "*") == list(range(len(ARTICLES)))
    assert set(matching_ids(searcher, searcher.schema, "regulat*")) == ids(search(searcher, "regulat*"))


def test_matching_articles_come_with_the_article_id_of_every_number_read_once(searcher: Searcher) -> None:
    said = matching_articles(searcher, searcher.schema, "said")
    assert [said.numbering.ids[number] for number in said.numbers] == matching_ids(
        searcher, searcher.schema, "said"
    )
    assert sorted(said.numbering.ids) == sorted(article["id"] for article in ARTICLES)
    # One numbering per index generation: what facets work out from it is kept by its identity.
    assert matching_articles(searcher, searcher.schema, "*").numbering is said.numbering


# --- exact totals ------------------------------------------------------------------------

WORDS = ["film", "award", "house", "price", "market", "bank", "said", "year"]


def _generated_searcher(folder: Path, seed: int, segments: int = 1) -> Searcher:
    """Hundreds of articles over eight words: enough for Whoosh's matchers to cross block boundaries.

    Seeds 3 and 14 made Whoosh's default collector drop matches of ``film NOT award`` near the end
    of the segment (62 of 63 and 43 of 45 counted).
    """
    rng = random.Random(seed)
    ix = whoosh_index.create_in(folder, build_schema())
    count = rng.randrange(200, 1500)
    for part in range(segments):
        with ix.writer() as writer:
            for number in range(part * count // segments, (part + 1) * count // segments):
                body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 40)))
                title = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4)))
                writer.add_document(id=str(number), path=str(number), title=title, body=body)
    return ix.searcher()


def _postings(searcher: Searcher, word: str) -> set[int]:
    """Documents with ``word`` in the title or body, read straight from the postings."""
    reader = searcher.reader()
    found: set[int] = set()
    for field in HIGHLIGHT_FIELDS:
        if (field, word) in reader:
            found |= set(reader.postings(field, word).all_ids())
    return found


@pytest.mark.parametrize("seed", [3, 14])
def test_not_query_total_counts_every_match(tmp_path: Path, seed: int) -> None:
    with _generated_searcher(tmp_path, seed) as generated:
        expected = _postings(generated, "film") - _postings(generated, "award")
        result = search(generated, "film NOT award", limit=10)
        assert result.total == len(expected)
        assert {hit.id for hit in result.hits} <= {generated.stored_fields(d)["id"] for d in expected}


BOOLEAN_QUERY = st.builds(
    lambda first, operator, second: f"{first} {operator} {second}",
    st.sampled_from(WORDS),
    st.sampled_from(["", "AND", "OR", "NOT", "AND NOT"]),
    st.sampled_from([*WORDS, '"house price"', "mark*", "biank~"]),
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    with _generated_searcher(tmp_path_factory.mktemp("generated"), 14) as opened:
        yield opened


@settings(max_examples=60, deadline=None)
@given(query=BOOLEAN_QUERY)
def test_total_and_top_hits_match_scoring_every_article(generated: Searcher, query: str) -> None:
    result = search(generated, query, limit=10)
    every = generated.search(parse_query(generated.schema, query), limit=None)
    assert result.total == len(matching_ids(generated, generated.schema, query)) == len(every)
    assert [hit.id for hit in result.hits] == [hit["id"] for hit in every[:10]]


@pytest.mark.parametrize("segments", [1, 3])
def test_fuzzy_terms_forgive_a_transposition_on_any_index(tmp_path: Path, segments: int) -> None:
    """Whoosh's one-segment reader ignored transpositions and its many-segment reader did not."""
    with _generated_searcher(tmp_path, 3, segments) as opened:
        assert len(opened.reader().leaf_readers()) == segments
        market = search(opened, "market", limit=5)
        swapped = search(opened, "makret~", limit=5)
        assert swapped.total == market.total > 0
        assert [hit.highlights for hit in swapped.hits] == [hit.highlights for hit in market.hits]


def test_a_fuzzy_term_in_a_longer_query_scores_like_the_words_it_matched(generated: Searcher) -> None:
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
def test_bad_query_raises_query_error_with_one_sentence(searcher: Searcher, query: str) -> None:
    with pytest.raises(QueryError) as raised:
        search(searcher, query)
    message = str(raised.value)
    assert message.endswith(".")
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("function", [date_histogram, matching_articles, matching_docnums])
def test_facet_helpers_reject_bad_queries_too(searcher: Searcher, function) -> None:
    with pytest.raises(QueryError):
        function(searcher, searcher.schema, '"open')


QUERY_ALPHABET = st.sampled_from(
    [*"abcnavlytiko \"()[]{}:*?~^+-!\\/'", "AND", "OR", "NOT", "title:", "date:", "to", "2021-01-01"]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(st.text(max_size=40), st.lists(QUERY_ALPHABET, max_size=12).map("".join)))
def test_any_string_gives_a_result_or_a_query_error(searcher: Searcher, query: str) -> None:
    try:
        result = search(searcher, query, limit=5)
    except QueryError as error:
        assert str(error)
    else:
        assert result.total >= len(result.hits)
        for hit in result.hits:
            body = body_of(hit.id)
            assert all(0 <= start < end <= len(body) for start, end in hit.highlights)


# --- pasted text and pathological queries ------------------------------------------------------


def test_pasted_text_with_a_colon_finds_the_words_and_says_how_it_was_read(searcher: Searcher) -> None:
    result = search(searcher, "Navalny said: protests")
    assert ids(result) == ids(search(searcher, "navalny said protests"))
    assert result.total > 0
    assert result.notes == ("'said:' is not a field, so it was searched as a word.",)
    assert search(searcher, "title:networks").notes == ()


def test_a_wildcard_that_stands_for_too_many_words_is_refused(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.query.MAX_EXPANDED_TERMS", 2)
    with pytest.raises(QueryError, match="'t\\*' stands for more than 2 different words"):
        search(searcher, "t*")
    with pytest.raises(QueryError, match="'tha~' stands for more than 2"):
        search(searcher, "tha~2")
    assert ids(search(searcher, "tikt*")) == {"russia/tiktok.txt"}


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
def test_pathological_queries_answer_within_seconds(searcher: Searcher, query: str) -> None:
    try:
        result = search(searcher, query)
    except QueryError as error:
        assert str(error).endswith(".")
    else:
        assert result.total >= 0


@pytest.mark.timeout(120)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    word=st.text(alphabet="tikoknavly", min_size=1, max_size=30), edits=st.sampled_from(["~", "~2", "*", ""])
)
def test_any_word_up_to_thirty_letters_fuzzy_or_not_answers(
    searcher: Searcher, word: str, edits: str
) -> None:
    result = search(searcher, word + edits)
    assert result.total >= len(result.hits)


def test_date_order_spans_segments_with_and_without_dates(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(tmp_path, build_schema())
    batches = [
        [("old-undated", None)],
        [("deleted", dt.datetime(2020, 1, 1)), ("later-undated", None)],
        [("newest", dt.datetime(2021, 1, 1)), ("oldest", dt.datetime(2019, 5, 1))],
    ]
    for batch in batches:
        with ix.writer() as writer:
            for article_id, date in batch:
                fields = {"date": date} if date else {}
                writer.add_document(id=article_id, path=article_id, title=article_id, body="report", **fields)
            writer.delete_by_term("id", "deleted")
    with ix.searcher() as searcher:
        result = search(searcher, "report", sort=SortOrder.DATE)
        assert [hit.id for hit in result.hits] == ["newest", "oldest", "old-undated", "later-undated"]
        assert result.total == 4
        assert date_histogram(searcher, searcher.schema, "*") == [("2019-05", 1), ("2021-01", 1)]
