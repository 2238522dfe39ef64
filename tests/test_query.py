"""What a typed query means, and the sentence a user gets when it means nothing (the query language,
index.engines.whoosh.language)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.util.times import datetime_to_long

from index.engines.whoosh.language import MAX_QUERY_CHARS, parse_query, read_query, searchable_fields
from index.engines.whoosh.schema import build_schema
from index.errors import QueryError

SCHEMA = build_schema()


def parse(text: str) -> wq.Query:
    return parse_query(SCHEMA, text)


def test_plain_words_search_title_and_body_stemmed() -> None:
    assert parse("Protests") == wq.Or([wq.Term("title", "protest"), wq.Term("body", "protest")])


def test_words_are_required_together_by_default() -> None:
    assert isinstance(parse("navalny russia"), wq.And)


def test_stop_words_are_kept_so_phrases_match_exactly() -> None:
    phrase = parse('title:"the end of the line"')
    assert phrase == wq.Phrase("title", ["the", "end", "of", "the", "line"])


def test_fuzzy_and_wildcard_syntax() -> None:
    fuzzy = parse("body:navalni~2")
    assert isinstance(fuzzy, wq.FuzzyTerm)
    assert fuzzy.maxdist == 2
    assert fuzzy.prefixlength == 1, "a misspelling rarely changes the first letter"
    assert parse("body:navalni~2/3").prefixlength == 3
    assert isinstance(parse("body:prot*"), wq.Prefix)
    assert isinstance(parse("body:pro?est"), wq.Wildcard)


def test_date_range_covers_whole_days() -> None:
    q = parse("date:[2021-01-01 to 2021-01-31]")
    assert isinstance(q, wq.NumericRange)
    assert q.start == datetime_to_long(dt.datetime(2021, 1, 1))
    assert q.end == datetime_to_long(dt.datetime(2021, 1, 31, 23, 59, 59, 999999))


def test_open_ended_date_comparison() -> None:
    q = parse("date:>=2021-02")
    assert q.start == datetime_to_long(dt.datetime(2021, 2, 1))
    assert q.end is None


@pytest.mark.parametrize("text", ["", "   ", "*", "\t*\n"])
def test_star_and_empty_mean_every_article(text: str) -> None:
    assert isinstance(parse(text), wq.Every)


def test_entity_fields_are_searchable_but_stored_only_fields_are_not() -> None:
    fields = searchable_fields(SCHEMA)
    assert {"person", "org", "place", "group", "event", "entity", "source", "author", "date"} <= set(fields)
    assert {"email", "phone", "url", "account", "handle", "hashtag", "lang"} <= set(fields)
    assert "article_url" not in fields
    assert "entities" not in fields


def test_a_url_in_the_query_is_not_mistaken_for_a_field() -> None:
    assert parse("https://example.org")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"social networks', "unclosed quote"),
        ("(navalny OR tiktok", "unclosed '('"),
        ("navalny)", "closes nothing"),
        ("(a]", "closes '(' with ']'"),
        ("title:", "needs something to search for"),
        ("navalny AND", "AND needs a search term"),
        ("OR navalny", "OR needs a search term"),
        ("navalny NOT", "NOT needs a search term after it"),
        ("date:[banana to 2021]", "date that is not valid"),
        ("date:2021-02-30", "date that is not valid"),
        ("date:[2021-03 to 2021-01]", "ends before it starts"),
        ("..., ;", "no words to search for"),
    ],
)
def test_malformed_query_names_the_problem(text: str, expected: str) -> None:
    with pytest.raises(QueryError, match=expected.replace("(", r"\(").replace("[", r"\[")):
        parse(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parsing_any_string_gives_a_query_or_a_query_error(text: str) -> None:
    try:
        q = parse(text)
    except QueryError as error:
        assert str(error).endswith(".")
    else:
        assert isinstance(q, wq.Query)


def test_an_error_repeats_a_long_query_only_in_part() -> None:
    long_query = "date:[2021-13-45 to 2021-01-01] " + "word " * 150
    with pytest.raises(QueryError) as caught:
        parse_query(build_schema(), long_query)
    message = str(caught.value)
    assert "…" in message
    assert len(message) < 300


def test_pasted_text_with_a_colon_is_searched_as_words_with_a_quiet_note() -> None:
    read = read_query(SCHEMA, "Blair said: we will win")
    assert read.query == parse("Blair said we will win")
    assert read.notes == ("'said:' is not a field, so it was searched as a word.",)


def test_a_misspelt_field_is_a_word_but_a_known_field_keeps_its_meaning() -> None:
    read = read_query(SCHEMA, "titel:navalny title:tiktok")
    assert read.query == wq.And(
        [
            wq.Or([wq.Term("title", "titel"), wq.Term("body", "titel")]),
            wq.Or([wq.Term("title", "navalni"), wq.Term("body", "navalni")]),
            wq.Term("title", "tiktok"),
        ]
    )
    assert read.notes == ("'titel:' is not a field, so it was searched as a word.",)
    assert read_query(SCHEMA, 'title:"said: no"').notes == ()


@pytest.mark.timeout(10)
def test_thousands_of_nested_brackets_are_too_deeply_nested() -> None:
    with pytest.raises(QueryError, match="nests brackets too deeply"):
        parse("(" * 5000 + "election" + ")" * 5000)
    assert parse("(" * 100 + "election" + ")" * 100) == parse("election")


@pytest.mark.timeout(10)
@pytest.mark.parametrize("query", ["a" * 100_000, "election " * 20_000, "a" * (MAX_QUERY_CHARS + 1)])
def test_a_query_longer_than_the_limit_is_one_sentence(query: str) -> None:
    with pytest.raises(QueryError, match=r"characters long; shorten it to 1,000 or fewer\.$"):
        parse(query)


@pytest.mark.timeout(10)
def test_fuzzy_and_wildcard_words_that_cost_too_much_are_refused() -> None:
    with pytest.raises(QueryError, match="fuzzy word"):
        parse("a" * 31 + "~")
    with pytest.raises(QueryError, match="at most 3 '\\*'"):
        parse("a*b*c*d*")
    assert parse("a" * 30 + "~")
    assert parse("a*b*c*")


@pytest.mark.timeout(120)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet='ab()*~:" ', min_size=MAX_QUERY_CHARS - 50, max_size=MAX_QUERY_CHARS))
def test_a_query_at_the_length_limit_parses_or_fails_in_one_sentence(text: str) -> None:
    try:
        parse(text)
    except QueryError as error:
        assert str(error).endswith(".")
