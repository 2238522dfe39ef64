"""A modal that asks which entity label to give an entity, from the registry of labels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from index.entities.labels import ENTITY_LABELS


class LabelChoice(ModalScreen[str | None]):
    """Lists the labels but the entity's own; dismissed with the label chosen (Enter) or None (Esc)."""

    DEFAULT_CSS = """
    LabelChoice { align: center middle; }
    LabelChoice > Vertical {
        width: 56; max-width: 95%; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    LabelChoice OptionList { height: auto; max-height: 12; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_empty", "Cancel", id="label.cancel")]

    def __init__(self, title: str, question: str, current: str) -> None:
        super().__init__()
        self._title = title
        self._question = question
        self._labels = [label for label in ENTITY_LABELS if label != current]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Static(Text(self._question))
            yield OptionList(*(Option(label, id=label) for label in self._labels), id="labels")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._labels[event.option_index])

    def action_dismiss_empty(self) -> None:
        self.dismiss(None)
