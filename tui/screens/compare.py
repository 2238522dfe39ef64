"""Two copies of a story side by side: the older on the left with the words only it has marked,
the newer on the right with the words only it has, both scrolling together, and below them where
and when every copy of the story appeared.

The copies are compared in a worker thread ("Comparing…" meanwhile), so that a 1 MB article never
holds the screen; a newer pair cancels the comparison of the one before.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from index.duplicates import Copy
from index.duplicates.wording import WordDiff, word_diff
from index.errors import BroadsheetError, Cancelled
from tui.plural import plural
from tui.widgets.copy_list import CopyList
from tui.widgets.copy_pane import DELETED, INSERTED, CopyPane

if TYPE_CHECKING:
    from index.api import LibraryAPI


def pane_title(copy: Copy) -> Text:
    """The source and date of a copy, as plain text (a source is data, never markup)."""
    date = copy.date.strftime("%Y-%m-%d") if copy.date else "undated"
    return Text(f"{copy.source or copy.path} · {date}")


def diff_summary(diff: WordDiff) -> Text:
    if diff.same:
        return Text("The two copies have the same words.")
    summary = Text()
    summary.append(f"{plural(len(diff.deleted), 'passage')} only in the older", style="bold")
    summary.append(" (left) · ")
    summary.append(f"{plural(len(diff.inserted), 'passage')} only in the newer", style="bold")
    summary.append(" (right)")
    return summary


class CompareScreen(Screen[None]):
    """Compares consecutive copies of a story (oldest first), starting with the chosen one."""

    DEFAULT_CSS = """
    CompareScreen #compare-status { height: 1; padding: 0 1; color: $text-muted; }
    CompareScreen #compare-panes { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the results", id="compare.close"),
        Binding("right_square_bracket,n", "next_pair", "Next pair of copies", id="compare.next-pair"),
        Binding(
            "left_square_bracket,N", "previous_pair", "Previous pair of copies", id="compare.previous-pair"
        ),
    ]

    def __init__(self, library: LibraryAPI, copies: Sequence[Copy], first: str) -> None:
        """``copies`` oldest first (two or more); the first pair shown is ``first`` and the copy after
        it (the copy before it, when ``first`` is the newest)."""
        super().__init__()
        self._library = library
        self._copies = list(copies)
        ids = [copy.id for copy in self._copies]
        self._pair = min(ids.index(first) if first in ids else 0, len(ids) - 2)
        self._following: CopyPane | None = None
        """The pane being scrolled to follow the other one: its own report of that is no news."""

    @property
    def pair(self) -> tuple[Copy, Copy]:
        return self._copies[self._pair], self._copies[self._pair + 1]

    def compose(self) -> ComposeResult:
        yield Static(id="compare-status")
        with Horizontal(id="compare-panes"):
            yield CopyPane(id="older")
            yield CopyPane(id="newer")
        yield CopyList(id="copies")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#older", CopyPane).focus()
        self._compare()

    def action_close(self) -> None:
        self.dismiss()

    def action_next_pair(self) -> None:
        self._pair = (self._pair + 1) % (len(self._copies) - 1)
        self._compare()

    def action_previous_pair(self) -> None:
        self._pair = (self._pair - 1) % (len(self._copies) - 1)
        self._compare()

    def _compare(self) -> None:
        older, newer = self.pair
        self.query_one("#compare-status", Static).update(Text("Comparing…"))
        for pane, copy in zip(self._panes(), (older, newer), strict=True):
            pane.border_title = pane_title(copy)
            pane.show("", (), DELETED)
        self.query_one(CopyList).show(self._copies, older.id, newer.id)
        self.run_worker(
            partial(self._diff, older, newer),
            group="compare",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _panes(self) -> tuple[CopyPane, CopyPane]:
        return self.query_one("#older", CopyPane), self.query_one("#newer", CopyPane)

    def _diff(self, older: Copy, newer: Copy) -> None:
        """In a worker thread: both bodies and their differences."""
        worker = get_current_worker()
        try:
            old = self._library.article(older.id).body
            new = self._library.article(newer.id).body
            diff = word_diff(old, new, lambda: worker.is_cancelled)
        except Cancelled:
            return
        except BroadsheetError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._compared, (older, newer), old, new, diff)

    def _compared(self, pair: tuple[Copy, Copy], old: str, new: str, diff: WordDiff) -> None:
        if pair != self.pair:
            return
        left, right = self._panes()
        left.show(old, diff.deleted, DELETED)
        right.show(new, diff.inserted, INSERTED)
        self.query_one("#compare-status", Static).update(diff_summary(diff))

    def _failed(self, message: str) -> None:
        self.query_one("#compare-status", Static).update(Text(message, style="bold red"))

    @on(CopyPane.Scrolled)
    def _scrolled(self, event: CopyPane.Scrolled) -> None:
        """Both panes scroll together: the other pane follows to the same line (or its last)."""
        if event.pane is self._following:
            self._following = None
            return
        left, right = self._panes()
        other = right if event.pane is left else left
        target = min(event.y, round(other.max_scroll_y))
        if round(other.scroll_y) != target:
            self._following = other
            other.scroll_to(y=target, animate=False, immediate=True)
