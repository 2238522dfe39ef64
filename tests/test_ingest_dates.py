"""Dates as articles write them become naive datetimes; anything else is no date at all."""

from __future__ import annotations

import datetime as dt

import pytest

from index.ingest.dates import date_from_timestamp, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January 22, 2021", dt.datetime(2021, 1, 22)),
        ("Jan. 22, 2021", dt.datetime(2021, 1, 22)),
        ("22 January 2021", dt.datetime(2021, 1, 22)),
        ("Friday, 22nd Jan 2021", dt.datetime(2021, 1, 22)),
        ("January 22, 2021 at 3:05 pm", dt.datetime(2021, 1, 22, 15, 5)),
        ("22/01/2021 - 10:03", dt.datetime(2021, 1, 22, 10, 3)),
        ("01/22/2021", dt.datetime(2021, 1, 22)),
        ("22.01.2021", dt.datetime(2021, 1, 22)),
        ("2021/01/22", dt.datetime(2021, 1, 22)),
        ("2021-01-22", dt.datetime(2021, 1, 22)),
        ("2021-01-22T10:03:00Z", dt.datetime(2021, 1, 22, 10, 3)),
        ("2021-01-22T12:03:00+02:00", dt.datetime(2021, 1, 22, 10, 3)),
        ("22. Januar 2021", dt.datetime(2021, 1, 22)),
        ("22 января 2021", dt.datetime(2021, 1, 22)),
    ],
)
def test_written_dates_are_read(text: str, expected: dt.datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed.tzinfo is None


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "3 hours ago",
        "May 2021",
        "February 30, 2021",
        "Chinese exports rise 25% in 2004",
        "Hong Kong in 2011 World Cup bid",
        "2000 GMT",
        "",
        "x" * 500,
    ],
)
def test_text_that_is_not_a_whole_date_is_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_timestamps_in_seconds_and_milliseconds() -> None:
    assert date_from_timestamp(1622505600) == dt.datetime(2021, 6, 1)
    assert date_from_timestamp(1622505600000) == dt.datetime(2021, 6, 1)
    assert date_from_timestamp(1e300) is None
    assert date_from_timestamp(float("nan")) is None
