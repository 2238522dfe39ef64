"""The help screen: every binding live on the explorer, grouped, generated from BINDINGS."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import KeyHelp


def help_table(title: str, rows: Sequence[KeyHelp]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("keys", style="bold", no_wrap=True)
    table.add_column("description", ratio=1)
    table.add_row(Text(title, style="bold underline"), "")
    for row in rows:
        table.add_row(Text(row.keys), Text(row.description))
    table.add_row("", "")
    return table


def help_columns(rows: Sequence[KeyHelp]) -> Table:
    """The explorer's and app's keys on the left, each pane's keys on the right."""
    groups: dict[str, list[KeyHelp]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    left = [help_table(title, rows) for title, rows in groups.items() if title in ("Explorer", "App")]
    right = [help_table(title, rows) for title, rows in groups.items() if title not in ("Explorer", "App")]
    columns = Table.grid(expand=True, padding=(0, 2))
    columns.add_column(ratio=1)
    columns.add_column(ratio=1)
    columns.add_row(Group(*left), Group(*right))
    return columns


class HelpScreen(ModalScreen[None]):
    """Every key, generated from the bindings; Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 100; max-width: 98%; height: auto; max-height: 96%;
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
            scroll.border_subtitle = "Esc to close · Ctrl+P runs these by name"
            yield Static(help_columns(self.rows))
