"""The find bar under the reader: what to find in the article, how, and where the find stands."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui.find import case_sensitive

PLACEHOLDER = "Find (a Capital matches case)"


class FindInput(Input):
    """The find text. Enter is left to the bar (next match), so that the footer shows it and a
    keymap can move it."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "submit" and super().check_action(action, parameters)


class FindBar(Vertical):
    """Posts what to find as it is typed, Enter and Shift+Enter to step, and Esc to close; shows the
    mode (regular expression, case), the count ("3/17") or a malformed expression's message."""

    DEFAULT_CSS = """
    FindBar { height: auto; display: none; background: $boost; border-top: solid $success 60%; }
    FindBar.-open { display: block; }
    FindBar > Horizontal { height: 1; }
    FindBar FindInput { width: 1fr; padding: 0 1; background: $boost; }
    FindBar FindInput:focus { background: $success 20%; }
    FindBar #find-state { width: auto; padding: 0 1; }
    FindBar #find-error { color: $text-error; padding: 0 1; display: none; }
    FindBar.-error #find-error { display: block; }
    """

    HELP_GROUP: ClassVar[str] = "Find"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "step(1)", "Next match", id="find.next"),
        Binding("shift+enter", "step(-1)", "Previous match", id="find.previous"),
        Binding("ctrl+r", "toggle_regex", "Regex", id="find.toggle-regex"),
        Binding("escape", "close", "Close find", id="find.close"),
    ]

    class Changed(Message):
        """The find text or its mode changed."""

        def __init__(self, text: str, *, regex: bool) -> None:
            super().__init__()
            self.text = text
            self.regex = regex

    class Stepped(Message):
        """Move ``step`` matches on (Enter: +1, Shift+Enter: -1)."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Closed(Message):
        """The user closed the find: back to the query's hits."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.regex = False
        self._count = Text()

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FindInput(placeholder=PLACEHOLDER, id="find-text", compact=True)
            yield Static("", id="find-state")
        yield Static("", id="find-error")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def text(self) -> str:
        return self.query_one(FindInput).value

    def open(self) -> None:
        """Show the bar and focus its text now (not after keys already waiting), all of it selected."""
        self.add_class("-open")
        find_input = self.query_one(FindInput)
        self.screen.set_focus(find_input)
        find_input.select_all()
        self._show_state()

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def malformed(self) -> bool:
        """Whether the bar shows a malformed expression's message (and so no count)."""
        return self.has_class("-error")

    def show_count(self, index: int, total: int, *, capped: bool = False) -> None:
        """Where the current match stands, e.g. "3/17"; "10,000+" when the count was capped."""
        if not self.text.strip():
            self._count = Text()
        elif not total:
            self._count = Text("no match", style="bold")
        else:
            count = f"{index + 1:,}/{total:,}" + ("+" if capped else "")
            self._count = Text(count, style="bold")
            if capped:
                self._count.append(f" (first {total:,} marked)", style="dim")
        self._show_state()

    def show_error(self, message: str | None) -> None:
        """A malformed regular expression: its message under the text, in place of the count; None
        clears it."""
        if message:
            self._count = Text()
        self.query_one("#find-error", Static).update(Text(message or ""))
        self.set_class(bool(message), "-error")
        self._show_state()

    def _show_state(self) -> None:
        """The count, then the mode: ".*" lit while a regular expression, "Aa" while case-sensitive."""
        state = self._count.copy()
        if state:
            state.append("  ")
        state.append(".*", style="bold reverse" if self.regex else "dim")
        state.append(" ")
        matches_case = case_sensitive(self.text, regex=self.regex)
        state.append("Aa", style="bold reverse" if matches_case else "dim")
        self.query_one("#find-state", Static).update(state)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def _changed(self) -> None:
        self._show_state()
        self.post_message(self.Changed(self.text, regex=self.regex))

    def action_step(self, step: int) -> None:
        self.post_message(self.Stepped(step))

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex
        self._changed()

    def action_close(self) -> None:
        self.post_message(self.Closed())
