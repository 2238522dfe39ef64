"""A sparkline of the results' dates by month, with the range it covers."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static


def fill_months(histogram: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Insert the months with no articles, so that the sparkline's x axis is time."""
    counts = dict(histogram)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    months: list[tuple[str, int]] = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class DateHistogram(Horizontal):
    """Hidden when no result has a date."""

    DEFAULT_CSS = """
    DateHistogram { height: 1; padding: 0 1; display: none; }
    DateHistogram.-active { display: block; }
    DateHistogram > .range { width: auto; color: $text-muted; }
    DateHistogram > Sparkline { width: 1fr; height: 1; margin: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="first-month", classes="range")
        yield Sparkline([], id="sparkline")
        yield Static("", id="last-month", classes="range")

    def show(self, histogram: Sequence[tuple[str, int]]) -> None:
        months = fill_months(histogram)
        self.set_class(bool(months), "-active")
        if not months:
            return
        self.query_one(Sparkline).data = [count for _, count in months]
        self.query_one("#first-month", Static).update(Text(months[0][0]))
        self.query_one("#last-month", Static).update(Text(months[-1][0]))
