"""Dates as articles state them -> naive ``datetime`` (UTC where a zone was given).

A regular expression reads the common shapes ("January 22, 2021", "22 Jan 2021", ISO 8601,
"2021/01/22", "22/01/2021"); dateparser, which is slow (tenths of a second on first use per language), is
only asked about short strings that carry a four-digit year, and only for absolute dates: a
relative word such as "yesterday" has no meaning once the article is archived.
"""

from __future__ import annotations

import datetime as dt
import re

from index.months import MONTH_NUMBERS

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = (
    r"(?:(?:,|\s+at|\s*[-–|•])?\s*(?P<hour>\d{1,2}):(?P<minute>\d\d)(?::\d\d)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*[A-Z]{2,4})?)?"
)

_TEXT_DATES = tuple(
    re.compile(rf"\s*{_WEEKDAY}{date}{_TIME}\s*", re.IGNORECASE)
    for date in (rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", rf"{_DAY}\.?\s+{_MONTH},?\s+{_YEAR}")
)
_NUMERIC_DATE = re.compile(
    rf"\s*{_WEEKDAY}(?P<first>\d{{1,2}})[./](?P<second>\d{{1,2}})[./]{_YEAR}{_TIME}\s*", re.IGNORECASE
)
_YEAR_FIRST_DATE = re.compile(rf"\s*{_YEAR}[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_TIME}\s*")
_ISO_DATE = re.compile(r"\s*\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?\s*")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HAS_DAY = re.compile(r"(?<![\d.,])(?:0?[1-9]|[12]\d|3[01])(?![\d%]|[.,]\d)")
_WORD = re.compile(r"[^\W\d_]+")
_DATEPARSER_MAX_WORDS = 4
_DATEPARSER_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "tr", "ar"]
"""Languages dateparser tries: naming them is ten times faster than letting it guess among all."""

_DATEPARSER_MAX_CHARS = 40
_DATEPARSER_SETTINGS = {
    "PARSERS": ["absolute-time"],
    "STRICT_PARSING": True,
    "TO_TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DAY_OF_MONTH": "first",
}


def parse_date(value: str) -> dt.datetime | None:
    """Read a string that is wholly a date (with an optional time), or return ``None``.

    Numeric day/month order is read day first ("22/01/2021"), as European sites write it,
    unless only month first can be valid ("01/22/2021").
    """
    if len(value) > 80:
        return None
    if _ISO_DATE.fullmatch(value):
        return _from_iso(value.strip())
    for pattern in _TEXT_DATES:
        match = pattern.fullmatch(value)
        if match and (month := MONTH_NUMBERS.get(match["month"].lower())):  # else another language's month
            return _build(int(match["year"]), month, int(match["day"]), match)
    match = _YEAR_FIRST_DATE.fullmatch(value)
    if match:
        return _build(int(match["year"]), int(match["month"]), int(match["day"]), match)
    match = _NUMERIC_DATE.fullmatch(value)
    if match:
        day, month = int(match["first"]), int(match["second"])
        if month > 12 >= day:
            day, month = month, day
        return _build(int(match["year"]), month, day, match)
    return _with_dateparser(value) if _may_be_written_date(value) else None


def date_from_timestamp(seconds: float) -> dt.datetime | None:
    """A Unix timestamp (seconds, or milliseconds when implausibly large) as naive UTC."""
    try:
        if seconds > 1e11:
            seconds /= 1000
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return naive_utc(parsed)


def _build(year: int, month: int, day: int, match: re.Match[str]) -> dt.datetime | None:
    hour = int(match["hour"]) if match["hour"] else 0
    minute = int(match["minute"]) if match["minute"] else 0
    ampm = (match["ampm"] or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    elif ampm.startswith("a") and hour == 12:
        hour = 0
    try:
        return dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def naive_utc(value: dt.datetime) -> dt.datetime:
    """``value`` as a naive datetime: an aware one is converted to UTC first, a naive one kept."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def _may_be_written_date(value: str) -> bool:
    """A cheap filter before dateparser: short, a year, a day number and a few words."""
    return (
        len(value) <= _DATEPARSER_MAX_CHARS
        and _HAS_YEAR.search(value) is not None
        and _HAS_DAY.search(value) is not None
        and 0 < len(_WORD.findall(value)) <= _DATEPARSER_MAX_WORDS
    )


def _with_dateparser(value: str) -> dt.datetime | None:
    import dateparser  # deferred: importing it and loading its language data costs a second

    try:
        parsed = dateparser.parse(value, languages=_DATEPARSER_LANGUAGES, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError):
        return None
    return naive_utc(parsed) if parsed else None
