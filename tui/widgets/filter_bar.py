"""Active filters (entities, a date range) as chips; clicking a chip, or Enter/Delete on it, removes
the filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from index.models import DateFilter, EntityFilter

Filter = EntityFilter | DateFilter
"""What a chip stands for: an entity the articles mention, or the days they are dated within."""


class FilterChip(Static, can_focus=True):
    """One filter, e.g. ``person:"Alexei Navalny"`` or ``date:[2021-01-01 to 2021-01-31]``."""

    DEFAULT_CSS = """
    FilterChip { width: auto; height: 1; margin-right: 1; padding: 0 1; background: $primary 30%; }
    FilterChip:focus { background: $primary; text-style: bold; }
    """

    HELP_GROUP: ClassVar[str] = "Filters"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,delete,backspace", "remove", "Remove filter", id="filters.remove")
    ]

    def __init__(self, chosen: Filter) -> None:
        super().__init__(Text.assemble(chosen.shown, ("  ✕", "bold")))
        self.filter = chosen

    def action_remove(self) -> None:
        self.post_message(FilterBar.Removed(self.filter))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_remove()


class FilterBar(Horizontal):
    """The row of chips; hidden when no filter is active."""

    DEFAULT_CSS = """
    FilterBar { height: 1; padding: 0 1; display: none; }
    FilterBar.-active { display: block; }
    """

    class Removed(Message):
        """The user removed one filter."""

        def __init__(self, removed: Filter) -> None:
            super().__init__()
            self.filter = removed

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._filters: tuple[Filter, ...] = ()

    def compose(self) -> ComposeResult:
        for chosen in self._filters:
            yield FilterChip(chosen)

    def show(self, filters: Sequence[Filter]) -> None:
        """Show ``filters``; the same ones again change nothing (each search's move shows them, and
        building the chips again lays out the whole screen)."""
        if tuple(filters) == self._filters:
            return
        self._filters = tuple(filters)
        self.set_class(bool(filters), "-active")
        self.refresh(recompose=True)
