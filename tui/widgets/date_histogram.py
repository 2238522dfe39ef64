"""The results' dates as one bar per month (per year over long spans), with the range they cover;
focused (``H`` in the explorer), a cursor moves over the bars to filter the search by a period or a
range of periods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from index.periods import by_period

BARS = "▁▂▃▄▅▆▇█"
WIDEST_BAR = 3
"""Cells a bar may take when there are few bars; more than that reads as a block, not a bar."""


def bar_heights(counts: Sequence[int]) -> str:
    """One block character per count, its height in proportion to the largest (an empty period
    gets the lowest block, so that it can be pointed at)."""
    top = max(counts, default=0) or 1
    return "".join(BARS[round(count / top * (len(BARS) - 1))] for count in counts)


class DateHistogram(Widget):
    """Hidden when no result has a date. Focusable only when asked (``point``), so that Tab keeps
    cycling through the panes."""

    DEFAULT_CSS = """
    DateHistogram { height: 1; padding: 0 1; display: none; }
    DateHistogram.-active { display: block; }
    DateHistogram > .date-histogram--bar { color: $primary; }
    DateHistogram > .date-histogram--cursor { color: $text; background: $primary; text-style: bold; }
    DateHistogram > .date-histogram--marked { color: $text; background: $accent 60%; }
    DateHistogram > .date-histogram--range { color: $text-muted; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "date-histogram--bar",
        "date-histogram--cursor",
        "date-histogram--marked",
        "date-histogram--range",
    }

    HELP_GROUP: ClassVar[str] = "Dates"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Earlier period", show=False, id="histogram.previous"),
        Binding("right", "move(1)", "Later period", show=False, id="histogram.next"),
        Binding("home", "move_to(0)", "First period", show=False, id="histogram.first"),
        Binding("end", "move_to(-1)", "Last period", show=False, id="histogram.last"),
        Binding("enter", "choose", "Filter to this period", id="histogram.choose"),
        Binding("space,m", "mark", "Mark the start or end of a range", id="histogram.mark"),
        Binding("escape", "leave", "Back to the results", id="histogram.leave"),
    ]

    class PeriodsChosen(Message):
        """The user chose the periods ``first`` to ``last`` (``YYYY-MM`` or ``YYYY``, in order)."""

        def __init__(self, first: str, last: str) -> None:
            super().__init__()
            self.first = first
            self.last = last

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = False
        self.periods: list[tuple[str, int]] = []
        self.cursor = 0
        self.mark: int | None = None
        """The bar where a range starts, once marked."""
        self._first_shown = 0

    def show(self, histogram: Sequence[tuple[str, int]]) -> None:
        """New data: ``("YYYY-MM", count)`` of the results, shown by month or, over a long span, by year."""
        self.periods = by_period(histogram)
        self.cursor, self.mark, self._first_shown = max(len(self.periods) - 1, 0), None, 0
        self.set_class(bool(self.periods), "-active")
        self.refresh()

    def point(self) -> bool:
        """Take the focus, to move over the bars; False when there is nothing to point at."""
        if not self.periods:
            return False
        self.can_focus = True
        self.focus()
        return True

    def on_blur(self, event: events.Blur) -> None:
        self.can_focus = False
        self.mark = None
        self.refresh()

    @property
    def current(self) -> tuple[str, int] | None:
        """The period under the cursor and its count."""
        return self.periods[self.cursor] if self.periods else None

    def action_move(self, step: int) -> None:
        self.action_move_to(min(max(self.cursor + step, 0), len(self.periods) - 1))

    def action_move_to(self, index: int) -> None:
        if self.periods:
            self.cursor = index % len(self.periods)
            self.refresh()

    def action_choose(self) -> None:
        """Filter to the period under the cursor, or to the range from the mark to it."""
        if not self.periods:
            return
        start = self.cursor if self.mark is None else min(self.mark, self.cursor)
        end = self.cursor if self.mark is None else max(self.mark, self.cursor)
        self.mark = None
        self.post_message(self.PeriodsChosen(self.periods[start][0], self.periods[end][0]))

    def action_mark(self) -> None:
        """Mark where a range starts; marked already, filter to the range that ends here."""
        if self.mark is None:
            self.mark = self.cursor
            self.refresh()
        else:
            self.action_choose()

    def action_leave(self) -> None:
        if self.mark is not None:
            self.mark = None
            self.refresh()
        else:
            raise SkipAction  # the screen's Esc: back to the results

    def render(self) -> Text:
        if not self.periods:
            return Text()
        width = self.content_size.width
        if not self.has_focus:
            first, last = self.periods[0][0], self.periods[-1][0]
            bars = max(width - len(first) - len(last) - 2, 1)
            line = Text(f"{first} ", style=self._style("range"))
            line.append_text(self._bars(bars))
            line.append(f" {last}", style=self._style("range"))
            return line
        label = self._cursor_label()
        line = self._bars(max(width - len(label) - 1, 1))
        line.append(" ")
        line.append(label, style=self._style("range"))
        return line

    def _cursor_label(self) -> str:
        period, count = self.periods[self.cursor]
        if self.mark is None:
            return f"{period}: {count:,}"
        start, end = sorted((self.mark, self.cursor))
        total = sum(count for _, count in self.periods[start : end + 1])
        return f"{self.periods[start][0]}…{self.periods[end][0]}: {total:,}"

    def _bars(self, width: int) -> Text:
        """The bars that fit in ``width`` cells, scrolled to keep the cursor in view."""
        cell = min(max(width // len(self.periods), 1), WIDEST_BAR)
        visible = max(width // cell, 1)
        if self.cursor < self._first_shown:
            self._first_shown = self.cursor
        elif self.cursor >= self._first_shown + visible:
            self._first_shown = self.cursor - visible + 1
        self._first_shown = min(self._first_shown, max(len(self.periods) - visible, 0))
        shown = range(self._first_shown, min(self._first_shown + visible, len(self.periods)))
        heights = bar_heights([count for _, count in self.periods])
        marked = (
            range(min(self.mark, self.cursor), max(self.mark, self.cursor) + 1)
            if self.mark is not None
            else ()
        )
        line = Text()
        for index in shown:
            part = "bar"
            if self.has_focus and index == self.cursor:
                part = "cursor"
            elif index in marked:
                part = "marked"
            line.append(heights[index] * cell, style=self._style(part))
        return line

    def _style(self, part: str) -> Style:
        return self.get_component_rich_style(f"date-histogram--{part}", partial=True)
