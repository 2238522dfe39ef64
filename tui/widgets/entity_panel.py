"""The entity sidebar: who and what the open article (or the whole result set) mentions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.cleaning import sanitize
from index.entities.labels import LABEL_RANK
from index.models import Facet, Mention
from tui.label_styles import label_components, label_rules

Entry = tuple[str, str, int]
"""(label, canonical name, count)."""


def article_entries(mentions: Sequence[Mention]) -> list[Entry]:
    """Mentions counted per (label, canonical name)."""
    counts = Counter((mention.label, mention.canonical) for mention in mentions)
    return [(label, name, count) for (label, name), count in counts.items()]


def facet_entries(facets: Sequence[Facet]) -> list[Entry]:
    """Facets as entries counted by the number of articles that mention them."""
    return [(facet.label, facet.canonical, facet.articles) for facet in facets]


def _row(name: Text, count: Text, count_width: int) -> Table:
    """One line: ``name`` cut with an ellipsis if it does not fit, ``count`` right-aligned in a
    column of ``count_width`` cells, so that every count of the list lines up and stays whole."""
    row = Table.grid(expand=True)
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(width=count_width + 1, justify="right", no_wrap=True)  # one cell keeps them apart
    row.add_row(name, count)
    return row


def _label_order(label: str) -> int:
    return LABEL_RANK.get(label, len(LABEL_RANK))


def heading_component(label: str) -> str:
    """The component class that colours the heading of one entity label."""
    return f"entity-panel--{label.lower()}"


class EntityPanel(OptionList):
    """Entities grouped by label, most frequent first; Enter asks to filter the search by one, and
    h, M, r and l to correct the one under the cursor (``CurationAsked``)."""

    DEFAULT_CSS = "\n".join(
        (
            "EntityPanel {",
            "    height: 1fr;",
            "    & > .option-list--option-disabled { color: $text-accent; text-style: bold; }",
            *label_rules(heading_component),
            "}",
        )
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = label_components(heading_component)
    """Heading colours per label; they match the reader's underlines of the same kind."""

    HELP_GROUP: ClassVar[str] = "Entities"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next entity", show=False, id="entities.down"),
        Binding("k", "cursor_up", "Previous entity", show=False, id="entities.up"),
        Binding("h", "curate('hide')", "Hide the entity", show=False, id="entities.hide"),
        Binding("M", "curate('merge')", "Merge the entity into another", show=False, id="entities.merge"),
        Binding("r", "curate('rename')", "Rename the entity", show=False, id="entities.rename"),
        Binding("l", "curate('relabel')", "Give the entity another label", show=False, id="entities.relabel"),
        Binding("w", "with", "Who appears with it, and when", id="entities.with"),
    ]

    class FilterChosen(Message):
        """The user chose an entity to narrow the search to."""

        def __init__(self, label: str, canonical: str) -> None:
            super().__init__()
            self.label = label
            self.canonical = canonical

    class CurationAsked(Message):
        """The user asked to correct the entity under the cursor: ``verb`` is "hide", "merge",
        "rename" or "relabel"."""

        def __init__(self, verb: str, label: str, canonical: str) -> None:
            super().__init__()
            self.verb = verb
            self.label = label
            self.canonical = canonical

    class CoMentionsWanted(Message):
        """The user asked which entities appear in the same results' articles as this one."""

        def __init__(self, label: str, canonical: str) -> None:
            super().__init__()
            self.label = label
            self.canonical = canonical

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._entries: list[Entry | None] = []
        self._showing_empty = True

    def show(self, title: str, entries: Sequence[Entry], empty: str, unit: str) -> None:
        """Replace the list: a heading per label over its entities, names on the left (cut with an
        ellipsis when too long), counts in one right-aligned column headed by ``unit``. The cursor
        stays on its entity, or if that one is gone (hidden, renamed) on the one now in its place:
        the list is shown again after each correction, and the next key acts where the user is."""
        cursor = self.highlighted
        was_on = self._entity_at(cursor)
        self.border_title = title
        self.clear_options()
        self._entries = []
        self._showing_empty = not entries
        if not entries:
            self.add_option(Option(Text(empty, style="dim"), disabled=True))
            self._entries.append(None)
            return
        ordered = sorted(entries, key=lambda entry: (_label_order(entry[0]), -entry[2], entry[1].casefold()))
        count_width = max(len(unit), *(len(f"{count:,}") for _, _, count in entries))
        current_label = None
        options: list[Option] = []
        for entry in ordered:
            label, name, count = entry
            if label != current_label:
                current_label = label
                options.append(Option(_row(self._heading(label), Text(unit), count_width), disabled=True))
                self._entries.append(None)
            # A name the user gave (a rename) may hold anything: shown as data, without escapes.
            shown = Text(sanitize(name))
            options.append(Option(_row(shown, Text(f"{count:,}", style="dim"), count_width)))
            self._entries.append(entry)
        self.add_options(options)
        if cursor is not None and was_on is not None:
            self._put_cursor(was_on, cursor)

    def _entity_at(self, index: int | None) -> tuple[str, str] | None:
        """The (label, name) of the entity at option ``index``; None for a heading or no option."""
        entry = self._entries[index] if index is not None and index < len(self._entries) else None
        return None if entry is None else (entry[0], entry[1])

    def _put_cursor(self, entity: tuple[str, str], index: int) -> None:
        """On ``entity`` if listed, else on the first entity at ``index`` or after, else the last."""
        places = [at for at, entry in enumerate(self._entries) if entry is not None]
        same = [at for at in places if self._entity_at(at) == entity]
        after = [at for at in places if at >= index]
        self.highlighted = (same or after or places[-1:])[0]

    def show_note(self, note: str) -> None:
        """Replace the sentence shown instead of entities (say, how far the entity phase is), if any."""
        if self._showing_empty:
            self.replace_option_prompt_at_index(0, Text(note, style="dim"))

    def _heading(self, label: str) -> Text:
        component = heading_component(label)
        style = (
            self.get_component_rich_style(component, partial=True)
            if component in self.COMPONENT_CLASSES
            else ""
        )
        return Text(label, style=style)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entries[event.option_index]
        if entry is not None:
            self.post_message(self.FilterChosen(entry[0], entry[1]))

    def action_curate(self, verb: str) -> None:
        at = self.highlighted
        entry = None if at is None else self._entries[at]
        if entry is None:
            self.notify("Put the cursor on an entity first.", severity="warning", timeout=3)
        else:
            self.post_message(self.CurationAsked(verb, entry[0], entry[1]))

    def action_with(self) -> None:
        entry = None if self.highlighted is None else self._entries[self.highlighted]
        if entry is not None:
            self.post_message(self.CoMentionsWanted(entry[0], entry[1]))

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
