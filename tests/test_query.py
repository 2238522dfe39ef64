"""What a typed query means, and the sentence a user gets when it means nothing (index.query)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.util.times import datetime_to_long

from index.errors import QueryError
from index.query import parse_query, searchable_fields
from index.schema import build_schema

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
    assert "url" not in fields
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
        ("titel:navalny", "Unknown field 'titel'"),
        ("url:example", "Unknown field 'url'"),
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
    long_query = "date:[2021-13-45 to 2021-01-01] " + "word " * 1000
    with pytest.raises(QueryError) as caught:
        parse_query(build_schema(), long_query)
    message = str(caught.value)
    assert "…" in message
    assert len(message) < 300
