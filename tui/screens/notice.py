"""A modal that explains why Broadsheet cannot go on (for example: the corpus folder is missing)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class NoticeScreen(ModalScreen[None]):
    """Shows one sentence; any of Enter, Esc or q quits the app."""

    DEFAULT_CSS = """
    NoticeScreen { align: center middle; }
    NoticeScreen > Vertical {
        width: 64; max-width: 95%; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    NoticeScreen #notice-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,escape,q", "app.quit", "Quit", id="notice.quit")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self._title = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            yield Static(Text(self._message), id="notice-message")
            yield Static(Text("Press Enter or q to quit."), id="notice-hint")
