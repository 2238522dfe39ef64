"""The help screen: every binding live on the explorer, grouped, generated from BINDINGS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KeyHelp


def help_table(rows: Sequence[KeyHelp]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("description", ratio=1)
    group = None
    for row in rows:
        if row.group != group:
            if group is not None:
                table.add_row("", "")
            group = row.group
            table.add_row(Text(row.group, style="bold underline"), "")
        table.add_row(Text(row.keys), Text(row.description))
    return table


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys; Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close")
    ]

    def __init__(self, rows: Sequence[KeyHelp]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Broadsheet keys"
            scroll.border_subtitle = "Esc to close · Ctrl+P runs any of these by name"
            yield Static(help_table(self.rows))
