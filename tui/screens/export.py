"""A small modal that asks how to export the results: a format and a file. It refuses to replace an
existing file until Enter is pressed a second time on the same path; Esc cancels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from index.export import ExportFormat
from tui.exporting import ExportChoice, default_path, with_extension
from tui.shortened import shortened
from tui.widgets.prompt_input import PromptInput

FORMAT_NAMES = {
    ExportFormat.CSV: "CSV, for spreadsheets",
    ExportFormat.JSONL: "JSON Lines, one object a line",
    ExportFormat.JSON: "JSON, one array",
    ExportFormat.MARKDOWN: "Markdown, a dossier to read",
}


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Asks for a format and a path; dismissed with the choice, or None when cancelled."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 72; max-width: 95%; height: auto; border: thick $primary; background: $surface;
        padding: 1 2;
    }
    ExportScreen RadioSet { width: 100%; margin: 1 0; }
    ExportScreen #export-message { color: $warning; height: auto; }
    ExportScreen #export-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel the export", id="export.cancel"),
    ]

    def __init__(self, query: str, *, now: dt.datetime | None = None) -> None:
        """``query`` as a person reads it; ``now`` names the default file."""
        super().__init__()
        self._query = query
        self._form = ExportFormat.CSV
        self._path = default_path(self._form, now or dt.datetime.now())
        self._confirmed: Path | None = None
        """An existing file the user was warned about: Enter again on it replaces it."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Export results"
            query = shortened(self._query)
            what = f"Every article matching {query}" if query.strip() else "Every article"
            yield Static(Text(f"{what}, with its tags, notes and entities."), id="export-query")
            with RadioSet(id="export-format"):
                for form, name in FORMAT_NAMES.items():
                    yield RadioButton(name, value=form is self._form, id=f"format-{form.value}")
            yield PromptInput(str(self._path), placeholder="File to write", id="export-path")
            yield Static("", id="export-message")
            yield Static(Text("Enter: export · Esc: cancel"), id="export-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self._form = list(FORMAT_NAMES)[event.index]
        path_input = self.query_one(Input)
        path_input.value = str(with_extension(Path(path_input.value), self._form))
        path_input.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._say("Type the path of the file to write.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self._say(f"{path} is a folder: type a file name in it.")
        elif not path.parent.is_dir():
            self._say(f"There is no folder {path.parent}.")
        elif path.exists() and self._confirmed != path:
            self._confirmed = path
            self._say("This file exists. Press Enter again to replace it.")
        else:
            self.dismiss(ExportChoice(self._form, path))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _say(self, message: str) -> None:
        self.query_one("#export-message", Static).update(Text(message))
