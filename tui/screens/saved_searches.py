"""A modal that lists the saved searches (name, query, when saved): Enter reopens one, Delete
forgets one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index.cleaning import sanitize
from index.notebook.searches import SavedSearch


def _row(search: SavedSearch) -> Table:
    """Name and query on one line (each cut with an ellipsis), the day it was saved on the right."""
    row = Table.grid(expand=True, padding=(0, 1))
    row.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
    row.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
    row.add_column(width=16, no_wrap=True)
    folded = " (folded)" if search.collapse else ""
    row.add_row(
        Text(_line(search.name), style="bold"),
        Text(f"{_line(search.shown)}{folded}"),
        Text(f"{search.saved.astimezone():%Y-%m-%d %H:%M}", style="dim"),
    )
    return row


def _line(text: str) -> str:
    """The user's text on one line, as data: no escape sequence or control character."""
    return " ".join(sanitize(text).split())


class SavedSearchesScreen(ModalScreen[SavedSearch | None]):
    """Dismissed with the search to reopen (Enter) or None (Esc); ``delete`` is called with each
    search the user deletes, which leaves the list at once."""

    DEFAULT_CSS = """
    SavedSearchesScreen { align: center middle; }
    SavedSearchesScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    SavedSearchesScreen OptionList { height: auto; max-height: 60vh; }
    SavedSearchesScreen #saved-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_empty", "Close", id="saved.close"),
        Binding("delete", "delete", "Delete the saved search", id="saved.delete"),
    ]

    def __init__(self, searches: Sequence[SavedSearch], delete: Callable[[SavedSearch], None]) -> None:
        super().__init__()
        self._searches = list(searches)
        self._delete = delete

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Saved searches"
            yield OptionList(*self._options(), id="saved-list", markup=False)
            yield Static(Text("Enter reopens · Delete forgets · Esc closes"), id="saved-hint")

    def _options(self) -> list[Option]:
        if not self._searches:
            return [
                Option(
                    Text("No saved searches yet: ctrl+s saves the current search.", style="dim"),
                    disabled=True,
                )
            ]
        return [Option(_row(search)) for search in self._searches]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._searches:
            self.dismiss(self._searches[event.option_index])

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        at = options.highlighted
        if at is None or not self._searches:
            return
        deleted = self._searches.pop(at)
        options.clear_options()
        options.add_options(self._options())
        if self._searches:
            options.highlighted = min(at, len(self._searches) - 1)
        self._delete(deleted)

    def action_dismiss_empty(self) -> None:
        self.dismiss(None)
