"""Who appears with an entity, and when: the entities most often mentioned in the same articles of
the results, with how many articles each shares, and the entity's articles over time.

Counted in a worker thread ("Counting…" meanwhile). Enter on an entity of the list closes the screen
with it, for the explorer to add as a filter; Esc closes it with nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static
from textual.worker import get_current_worker

from index.errors import BroadsheetError, Cancelled
from index.models import CoMentions, EntityFilter, Query
from tui.plural import plural
from tui.widgets.comention_list import CoMentionList

if TYPE_CHECKING:
    from index.api import LibraryAPI

LISTED = 50
"""Entities listed beside the one asked about."""


def summary(found: CoMentions) -> Text:
    """The entity, its label, and how many articles of the results mention it, as plain text."""
    text = Text()
    text.append(found.entity.canonical, style="bold")
    text.append(f" · {found.entity.label} · ")
    text.append(f"{plural(found.articles, 'article')} of the results, {plural(found.mentions, 'mention')}")
    return text


class CoMentionsScreen(Screen[EntityFilter | None]):
    """The co-mentions of one entity across the articles matching one query."""

    DEFAULT_CSS = """
    CoMentionsScreen #comentions-summary { height: 1; padding: 0 1; }
    CoMentionsScreen #comentions-timeline { height: 1; padding: 0 1; }
    CoMentionsScreen #comentions-timeline > .period { width: auto; color: $text-muted; }
    CoMentionsScreen #comentions-timeline > Sparkline { width: 1fr; height: 1; margin: 0 1; }
    CoMentionsScreen CoMentionList { border: round $primary 40%; border-title-color: $text-accent; }
    CoMentionsScreen CoMentionList:focus { border: round $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back to the results", id="comentions.close"),
    ]

    def __init__(self, library: LibraryAPI, query: Query, entity: EntityFilter) -> None:
        super().__init__()
        self._library = library
        self._query = query
        self._entity = entity

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f"{self._entity.canonical} · {self._entity.label} · Counting…"), id="comentions-summary"
        )
        with Horizontal(id="comentions-timeline"):
            yield Static("", id="first-period", classes="period")
            yield Sparkline([], id="timeline")
            yield Static("", id="last-period", classes="period")
        yield CoMentionList(id="comentions")
        yield Footer()

    def on_mount(self) -> None:
        listed = self.query_one(CoMentionList)
        listed.border_title = "Mentioned in the same articles"
        listed.focus()
        self._count()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _count(self) -> None:
        worker = get_current_worker()
        try:
            found = self._library.comentions(
                self._query, self._entity, limit=LISTED, should_stop=lambda: worker.is_cancelled
            )
        except Cancelled:
            return
        except BroadsheetError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show, found)

    def show(self, found: CoMentions) -> None:
        """Render what the library counted."""
        self.query_one("#comentions-summary", Static).update(summary(found))
        periods = [period for period, _ in found.timeline]
        self.query_one(Sparkline).data = [count for _, count in found.timeline]
        self.query_one("#first-period", Static).update(Text(periods[0] if periods else ""))
        self.query_one("#last-period", Static).update(Text(periods[-1] if len(periods) > 1 else ""))
        self.query_one(CoMentionList).show(found.comentioned, "No other entity is mentioned in its articles.")

    def _failed(self, message: str) -> None:
        self.query_one(CoMentionList).show([], message)

    @on(CoMentionList.Chosen)
    def _chosen(self, event: CoMentionList.Chosen) -> None:
        self.dismiss(event.entity)

    def action_close(self) -> None:
        self.dismiss(None)
