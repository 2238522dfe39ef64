"""A modal that asks for a name (an entity's new name, the one to merge into, a saved search's),
completing it from the names it is given and listing those most like what is typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from tui.widgets.prompt_input import PromptInput

SHOWN_NAMES = 6
"""Names listed under the box as the user types."""


def names_like(typed: str, names: Sequence[str], limit: int = SHOWN_NAMES) -> list[str]:
    """The names that start with ``typed`` (ignoring case), then those that hold it, in order."""
    folded = typed.strip().casefold()
    if not folded:
        return list(names[:limit])
    starting = [name for name in names if name.casefold().startswith(folded)]
    holding = [name for name in names if folded in name.casefold() and name not in starting]
    return [*starting, *holding][:limit]


class NamePrompt(ModalScreen[str | None]):
    """Asks for a name; dismissed with the text typed (Enter) or None (Esc)."""

    DEFAULT_CSS = """
    NamePrompt { align: center middle; }
    NamePrompt > Vertical {
        width: 72; max-width: 95%; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    NamePrompt #prompt-question { margin-bottom: 1; }
    NamePrompt #prompt-names { color: $text-muted; margin-top: 1; }
    NamePrompt #prompt-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_empty", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, title: str, question: str, names: Sequence[str] = (), value: str = "") -> None:
        super().__init__()
        self._title = title
        self._question = question
        self._names = sorted(set(names), key=str.casefold)
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Static(Text(self._question), id="prompt-question")
            suggester = SuggestFromList(self._names, case_sensitive=False) if self._names else None
            yield PromptInput(self._value, suggester=suggester, id="prompt-input", select_on_focus=False)
            yield Static("", id="prompt-names")
            hint = (
                "→ completes · Enter confirms · Esc cancels"
                if self._names
                else "Enter confirms · Esc cancels"
            )
            yield Static(Text(hint), id="prompt-hint")

    def on_mount(self) -> None:
        self._list_names("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._list_names(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_dismiss_empty(self) -> None:
        self.dismiss(None)

    def _list_names(self, typed: str) -> None:
        like = names_like(typed, self._names)
        self.query_one("#prompt-names", Static).update(Text("\n".join(like)))
