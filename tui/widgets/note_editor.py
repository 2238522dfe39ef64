"""The notes editor: the user's note on the article in view, multi-line, under the reader.

It edits text and says so (``TextArea.Changed``, ``NoteEditor.Closed``); the screen saves. It holds
only text a terminal prints: a note is loaded with its control characters and escape sequences
removed, and a paste has them removed too, because the editor would otherwise send them to the
terminal as they are.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea

from index.cleaning import sanitize

HINT = "Esc closes · saved as you type"


class NoteEditor(TextArea):
    """A note, editable once it is loaded; Esc posts ``Closed``."""

    DEFAULT_CSS = """
    NoteEditor {
        display: none;
        height: 10;
        border: round $primary 40%;
        border-title-color: $text-accent;
    }
    NoteEditor.-open { display: block; }
    NoteEditor:focus { border: round $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close the note", id="note.close"),
    ]

    class Closed(Message):
        """The user is done with the note (Esc)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.read_only = True
        self._loaded = False
        self._early = ""
        """What was typed before the note was loaded, to go after it (keys typed right after ``a``)."""

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        """Show the editor (editable once a note is loaded)."""
        self.add_class("-open")
        self.read_only = not self._loaded

    def close(self) -> None:
        """Hide the editor. It takes no more keys: those typed after Esc reach the screen."""
        self.read_only = True
        self.remove_class("-open")

    def begin(self, title: str) -> None:
        """Empty and read-only until the note of the article titled ``title`` is loaded."""
        self.read_only = True
        self._loaded = False
        self._early = ""
        self.load_text("")
        self.border_title = Text(f"Note · {sanitize(title)}".replace("\n", " "))
        self.border_subtitle = Text("reading…")

    def load(self, note: str) -> str:
        """Edit ``note`` from its end, followed by what was typed while it was read; the text loaded
        (``note`` as the terminal may show it), which the typing after it changes."""
        loaded = sanitize(note)
        self.load_text(loaded)
        self.move_cursor(self.document.end)
        self._loaded = True
        self.read_only = not self.is_open
        self.border_subtitle = Text(HINT)
        if self._early:
            self.insert(self._early)
            self._early = ""
        return loaded

    def show_state(self, state: str | None) -> None:
        """Say how the saving goes (say, why the last save failed); None: the usual hint."""
        self.border_subtitle = Text(HINT if state is None else state)

    def action_close(self) -> None:
        self.close()
        self.post_message(self.Closed())

    async def _on_key(self, event: events.Key) -> None:
        # Esc closes at once, as the key arrives, not once it has bubbled up to the bindings: the keys
        # typed after it in one burst (Esc, then q) reach the screen, not the note.
        if any(binding.action == "close" for binding in self._bindings.key_to_bindings.get(event.key, [])):
            event.stop()
            event.prevent_default()
            self.action_close()
            return
        if self.is_open and not self._loaded and (event.is_printable or event.key == "enter"):
            event.stop()
            event.prevent_default()
            self._early += "\n" if event.key == "enter" else event.character or ""
            return
        await super()._on_key(event)

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # the TextArea's own handler would insert the text unsanitised
        if not self.read_only:
            result = self.replace(sanitize(event.text), *self.selection)
            self.move_cursor(result.end_location)
