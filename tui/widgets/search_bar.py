"""The search box: searches as you type (debounced), at once on Enter, and shows query errors."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

DEBOUNCE_SECONDS = 0.15
PLACEHOLDER = (
    'Search (/): words, "phrases", AND OR NOT, title: person: place:, date:[2021-01-01 to 2021-01-31]'
)


class QueryInput(Input):
    """An Input that runs its own editing bindings (Ctrl+U, Backspace, Enter...) as each key arrives.

    Textual resolves a widget's bindings once the key has bubbled up to the App, behind the printable
    keys that the Input inserts at once; in one burst of input (typed fast over ssh, or "/", Ctrl+U,
    "wall") the editing key would act after the letters typed after it, and Ctrl+U erased "wall".
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for key in (event.key, *event.aliases):
                bindings = self._bindings.key_to_bindings.get(key)
                if bindings:
                    event.stop()
                    event.prevent_default()
                    await self.run_action(bindings[0].action)
                    return
        await super()._on_key(event)


class SearchBar(Vertical):
    """An input that posts ``SearchBar.QueryChanged`` once typing pauses, and an error line below it."""

    DEFAULT_CSS = """
    SearchBar { height: auto; }
    SearchBar > Input { padding: 0 1; background: $boost; }
    SearchBar > Input:focus { background: $primary 20%; }
    SearchBar > #query-error { color: $text-error; padding: 0 1; display: none; }
    SearchBar.-error > #query-error { display: block; }
    """

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

    def _settle(self, *, submitted: bool = False) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.post_message(self.QueryChanged(self.value, submitted=submitted))
