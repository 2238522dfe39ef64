"""Periods of time that counts of articles are shown by: months, or years for long ranges.

The library counts dated articles per month (``Library.date_histogram``); a timeline that spans
more than ``MONTHS_SHOWN`` months is shown per year instead, so that a bar stays wide enough to
point at. A period is written ``YYYY-MM`` or ``YYYY`` and stands for the days it covers, which a
``DateFilter`` keeps.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from index.models import DateFilter

MONTHS_SHOWN = 48
"""The longest span shown month by month; longer ones are shown per year."""

Counts = list[tuple[str, int]]
"""(period, count), oldest first."""


def by_period(months: Sequence[tuple[str, int]]) -> Counts:
    """``("YYYY-MM", count)`` in any order as a gapless timeline: per month from the first month to
    the last, or per year when that spans more than ``MONTHS_SHOWN`` months."""
    counts = dict(months)
    if not counts:
        return []
    first, last = _month_number(min(counts)), _month_number(max(counts))
    if last - first < MONTHS_SHOWN:
        keys = [_month_key(number) for number in range(first, last + 1)]
        return [(key, counts.get(key, 0)) for key in keys]
    years = {str(year): 0 for year in range(first // 12, last // 12 + 1)}
    for month, count in counts.items():
        years[month[:4]] += count
    return list(years.items())


def period_filter(first: str, last: str | None = None) -> DateFilter:
    """The days of the periods ``first`` to ``last`` (default: ``first``), both included, in
    whichever order they were marked."""
    days = (*period_days(first), *period_days(last or first))
    return DateFilter(min(days), max(days))


def period_days(period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period, ``YYYY`` or ``YYYY-MM``."""
    year = int(period[:4])
    if len(period) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(period[5:7])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_number(key: str) -> int:
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def _month_key(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"
