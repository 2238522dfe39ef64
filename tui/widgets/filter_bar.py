"""Active entity filters as chips; clicking a chip, or Enter/Delete on it, removes the filter."""

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

from index.models import EntityFilter


class FilterChip(Static, can_focus=True):
    """One filter, e.g. ``person:"Alexei Navalny"``."""

    DEFAULT_CSS = """
    FilterChip { width: auto; height: 1; margin-right: 1; padding: 0 1; background: $primary 30%; }
    FilterChip:focus { background: $primary; text-style: bold; }
    """

    HELP_GROUP: ClassVar[str] = "Filters"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,delete,backspace", "remove", "Remove filter", id="filters.remove")
    ]

    def __init__(self, entity: EntityFilter) -> None:
        super().__init__(Text.assemble(entity.shown, ("  ✕", "bold")))
        self.entity = entity

    def action_remove(self) -> None:
        self.post_message(FilterBar.Removed(self.entity))

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

        def __init__(self, entity: EntityFilter) -> None:
            super().__init__()
            self.entity = entity

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._filters: tuple[EntityFilter, ...] = ()

    def compose(self) -> ComposeResult:
        for entity in self._filters:
            yield FilterChip(entity)

    def show(self, filters: Sequence[EntityFilter]) -> None:
        """Show ``filters``; the same ones again change nothing (each search's move shows them, and
        building the chips again lays out the whole screen)."""
        if tuple(filters) == self._filters:
            return
        self._filters = tuple(filters)
        self.set_class(bool(filters), "-active")
        self.refresh(recompose=True)
