"""The search box: searches as you type (debounced), at once on Enter, shows query errors, and walks
the history of searches with Up and Down as a shell does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from index.notebook.searches import HISTORY_LIMIT
from tui.widgets.prompt_input import PromptInput

DEBOUNCE_SECONDS = 0.15
PLACEHOLDER = (
    'Search (/): words, "phrases", AND OR NOT, title: person: place:, date:[2021-01-01 to 2021-01-31]'
)


class QueryHistory:
    """The queries searched, oldest first, walked like a shell's history: back from the newest to
    the oldest (where it stays), forward past the newest to what was being typed."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self._at: int | None = None
        """The entry shown, while walking."""
        self._typed = ""

    def load(self, entries: Iterable[str]) -> None:
        """Put the history of earlier runs before what this one added."""
        added, self.entries = self.entries, []
        for text in (*entries, *added):
            self._append(text)
        self._at = None

    def add(self, text: str) -> bool:
        """Add a query searched, unless blank or the newest already; whether it was added."""
        self._at = None
        return self._append(text)

    def back(self, typed: str) -> str | None:
        """The entry before the one shown (None: none, stay), keeping ``typed`` on the first step."""
        if self._at is None:
            if not self.entries:
                return None
            self._typed, self._at = typed, len(self.entries)
        if self._at == 0:
            return None
        self._at -= 1
        return self.entries[self._at]

    def forward(self) -> str | None:
        """The entry after the one shown, or past the newest what was typed (None: not walking)."""
        if self._at is None:
            return None
        self._at += 1
        if self._at < len(self.entries):
            return self.entries[self._at]
        self._at = None
        return self._typed

    def _append(self, text: str) -> bool:
        if not text.strip() or (self.entries and self.entries[-1] == text):
            return False
        self.entries.append(text)
        del self.entries[:-HISTORY_LIMIT]
        return True


class QueryInput(PromptInput):
    """The query box: its editing keys act where they were typed (``PromptInput``), and Up and Down
    walk the history."""

    HELP_GROUP: ClassVar[str] = "Search"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_back", "Earlier search", show=False, id="search.history-back"),
        Binding(
            "down",
            "history_forward",
            "Later search (or what was typed)",
            show=False,
            id="search.history-forward",
        ),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.history = QueryHistory()

    def action_history_back(self) -> None:
        self._recall(self.history.back(self.value))

    def action_history_forward(self) -> None:
        self._recall(self.history.forward())

    def _recall(self, text: str | None) -> None:
        if text is not None:
            self.value = text
            self.cursor_position = len(text)


class SearchBar(Vertical):
    """An input that posts ``SearchBar.QueryChanged`` once typing pauses, and an error line below it."""

    DEFAULT_CSS = """
    SearchBar { height: auto; }
    SearchBar > Input { padding: 0 1; background: $boost; }
    SearchBar > Input:focus { background: $primary 20%; }
    SearchBar > #query-error { color: $text-error; padding: 0 1; display: none; }
    SearchBar.-error > #query-error { display: block; }
    """

    class Searched(Message):
        """A query the user searched for, to keep in the history: Enter was pressed, or the box
        was left with a query other than the newest of the history."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class QueryChanged(Message):
        """The user's query text settled, or Enter was pressed (``submitted``)."""

        def __init__(self, query: str, *, submitted: bool = False) -> None:
            super().__init__()
            self.query = query
            self.submitted = submitted

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pending: Timer | None = None
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder=PLACEHOLDER, id="query", compact=True)
        yield Static("", id="query-error")

    @property
    def value(self) -> str:
        return self.query_one(Input).value

    def set_value(self, query: str) -> None:
        """Replace the text without waiting for the debounce (used by "did you mean")."""
        self.query_one(Input).value = query

    def focus_input(self) -> None:
        """Focus the box now, not after the keys already waiting (as ``Widget.focus`` would)."""
        self.screen.set_focus(self.query_one(Input))

    def load_history(self, entries: Iterable[str]) -> None:
        """The history of earlier runs (this run's searches stay after it)."""
        self.query_one(QueryInput).history.load(entries)

    def show_error(self, message: str | None) -> None:
        """Show a bad query's message under the box, or clear it (each search's answer clears it:
        updating the line again with the same text would lay out the screen again)."""
        if message == self._error:
            return
        self._error = message
        self.query_one("#query-error", Static).update(Text(message or ""))
        self.set_class(bool(message), "-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(DEBOUNCE_SECONDS, self._settle)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._settle(submitted=True)
        self._keep(event.value)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._keep(self.value)

    def _keep(self, query: str) -> None:
        if self.query_one(QueryInput).history.add(query):
            self.post_message(self.Searched(query))

    def _settle(self, *, submitted: bool = False) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.post_message(self.QueryChanged(self.value, submitted=submitted))
