"""The tags dialog: an article's tags as one comma-separated line, to add to or delete from.

Enter checks every tag (one word, not too long) and answers the tags typed; a tag the notebook would
refuse gets its sentence under the line, and the dialog stays. Esc answers None: nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from index.cleaning import sanitize
from index.errors import NotebookError
from index.notebook.store import checked_tag
from tui.widgets.prompt_input import PromptInput

HINT = "Comma-separated; delete a tag to remove it. Enter saves, Esc cancels."


def typed_tags(line: str) -> tuple[str, ...]:
    """The tags of a comma-separated line, in order, without repeats. Raises NotebookError for a tag
    the notebook refuses (``checked_tag``)."""
    return tuple(dict.fromkeys(checked_tag(part) for part in line.split(",") if part.strip()))


def tag_change(held: Sequence[str], typed: Sequence[str]) -> tuple[list[str], list[str]]:
    """The tags to add and those to remove, to go from ``held`` to ``typed``. The dialog shows a held
    tag without its control characters: typed back as shown, it is kept as it is stored."""
    shown = {sanitize(tag): tag for tag in held}
    kept = {shown[tag] for tag in typed if tag in shown}
    return [tag for tag in typed if tag not in shown], [tag for tag in held if tag not in kept]


class TagInput(PromptInput):
    """A PromptInput whose pastes lose what a terminal would obey instead of print (as the tags
    shown do)."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler would insert the text as it is
        event.stop()
        super()._on_paste(events.Paste(sanitize(event.text)))


class TagsDialog(ModalScreen[tuple[str, ...] | None]):
    """Edit the tags of the article titled ``title``, which has ``tags``."""

    DEFAULT_CSS = """
    TagsDialog { align: center middle; }
    TagsDialog > Vertical {
        width: 72;
        height: auto;
        padding: 0 1;
        border: round $primary;
        background: $surface;
    }
    TagsDialog #tags-hint { color: $text-muted; }
    TagsDialog #tags-error { color: $text-error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Leave the tags as they were", id="tags.cancel"),
    ]

    def __init__(self, title: str, tags: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Tags of {sanitize(self._title)}".replace("\n", " "), style="bold"))
            # The cursor after the tags, not a selection of them: typing adds a tag.
            shown = ", ".join(sanitize(tag) for tag in self._tags)
            yield TagInput(shown, placeholder="fraud, follow-up", select_on_focus=False, id="tags-input")
            yield Static(Text(HINT), id="tags-hint")
            yield Static(Text(""), id="tags-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            tags = typed_tags(event.value)
        except NotebookError as error:
            self.query_one("#tags-error", Static).update(Text(str(error)))
            return
        self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(None)
