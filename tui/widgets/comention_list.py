"""The entities mentioned beside one, most shared articles first; Enter asks to filter by one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.entities.labels import ENTITY_LABELS
from index.models import EntityFilter, Facet
from tui.label_styles import label_components, label_rules

LABEL_WIDTH = max(len(label) for label in ENTITY_LABELS)


def label_component(label: str) -> str:
    """The component class that colours one entity label's name in the list."""
    return f"comention-list--{label.lower()}"


class CoMentionList(OptionList):
    """One line per entity: its name (cut with an ellipsis when too long), its label in the label's
    colour, and the number of articles it shares with the entity asked about."""

    DEFAULT_CSS = "\n".join(
        (
            "CoMentionList {",
            "    height: 1fr;",
            "    & > .option-list--option-disabled { color: $text-muted; }",
            *label_rules(label_component),
            "}",
        )
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = label_components(label_component)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next entity", show=False, id="comentions.down"),
        Binding("k", "cursor_up", "Previous entity", show=False, id="comentions.up"),
        Binding("enter", "select", "Filter the results by it", id="comentions.filter"),
    ]

    class Chosen(Message):
        """The user chose an entity to filter the search by."""

        def __init__(self, entity: EntityFilter) -> None:
            super().__init__()
            self.entity = entity

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._facets: list[Facet] = []

    def show(self, facets: Sequence[Facet], empty: str) -> None:
        """Replace the list by ``facets`` in their order, or by the sentence ``empty``."""
        self.clear_options()
        self._facets = list(facets)
        if not facets:
            self.add_option(Option(Text(empty, style="dim"), disabled=True))
            return
        width = max(len("articles"), *(len(f"{facet.articles:,}") for facet in facets))
        self.add_options(Option(self._row(facet, width)) for facet in facets)
        self.highlighted = 0

    def _row(self, facet: Facet, count_width: int) -> Table:
        row = Table.grid(expand=True)
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_column(width=LABEL_WIDTH + 1, no_wrap=True)
        row.add_column(width=count_width + 1, justify="right", no_wrap=True)
        component = label_component(facet.label)
        style = (
            self.get_component_rich_style(component, partial=True)
            if component in self.COMPONENT_CLASSES
            else ""
        )
        row.add_row(Text(facet.canonical), Text(f" {facet.label}", style=style), Text(f"{facet.articles:,}"))
        return row

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._facets):
            facet = self._facets[event.option_index]
            self.post_message(self.Chosen(EntityFilter(facet.label, facet.canonical)))
