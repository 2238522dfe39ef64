"""One copy of a story in the side-by-side comparison: its body, with the words that the other copy
lacks marked by their offsets.

Laid out as the reader lays out an article (``tui.wrap`` offsets, a line styled when it is painted),
so that a 1 MB copy scrolls as easily; article text is never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.models import Span
from tui.widgets.reader import StyledSpans
from tui.wrap import wrap_offsets

DELETED = "copy-pane--deleted"
"""Words only the older copy of the pair has."""
INSERTED = "copy-pane--inserted"
"""Words only the newer copy of the pair has."""


class CopyPane(ScrollView, can_focus=True):
    """Shows one body with its differences marked in ``DELETED`` or ``INSERTED`` colours."""

    DEFAULT_CSS = """
    CopyPane {
        width: 1fr; background: $surface; padding: 0 1; border: round $primary 40%;
        & > .copy-pane--deleted { background: $error-muted; color: $text-error; text-style: strike; }
        & > .copy-pane--inserted { background: $success-muted; color: $text-success; text-style: bold; }
    }
    CopyPane:focus { border: round $primary; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {DELETED, INSERTED}

    HELP_GROUP: ClassVar[str] = "Comparison"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_lines(1)", "Scroll down", show=False, id="copy-pane.down"),
        Binding("k,up", "scroll_lines(-1)", "Scroll up", show=False, id="copy-pane.up"),
        Binding("space,pagedown", "scroll_pages(1)", "Page down", show=False, id="copy-pane.page-down"),
        Binding("b,pageup", "scroll_pages(-1)", "Page up", show=False, id="copy-pane.page-up"),
        Binding("g,home", "scroll_to_line(0)", "Top", show=False, id="copy-pane.top"),
        Binding("G,end", "scroll_to_line(-1)", "Bottom", show=False, id="copy-pane.bottom"),
    ]

    class Scrolled(Message):
        """The pane's first shown line is now ``y``."""

        def __init__(self, pane: CopyPane, y: int) -> None:
            super().__init__()
            self.pane = pane
            self.y = y

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._body = ""
        self._marks = StyledSpans(())
        self._lines: list[Span] = []
        self._wrap_width = 0
        self._wrapped_for: Size | None = None
        self._strips: LRUCache[int, Strip] = LRUCache(512)

    @property
    def body(self) -> str:
        return self._body

    @property
    def marked(self) -> list[str]:
        """The marked stretches of the body, in order (what the user sees highlighted)."""
        return [self._body[start:end] for start, end, _ in self._marks.spans]

    def show(self, body: str, changes: Sequence[Span], component: str) -> None:
        """Display ``body`` with ``changes`` in ``component``'s colours, from the top."""
        self._body = body
        self._marks = StyledSpans([(start, end, component) for start, end in changes])
        self._wrapped_for = None
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        self.scroll_relative(y=pages * max(1, self.scrollable_content_region.height - 1), animate=False)

    def action_scroll_to_line(self, line: int) -> None:
        self.scroll_to(y=line if line >= 0 else self.max_scroll_y, animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Scrolled(self, round(new_value)))

    def on_resize(self) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _relayout(self) -> None:
        if self.size != self._wrapped_for:
            self._wrapped_for = self.size
            # Wrapped beside the scrollbar always: two panes of one width keep their lines level.
            self._wrap_width = max(1, self.size.width - self.styles.scrollbar_size_vertical)
            self._lines = wrap_offsets(self._body, self._wrap_width) if self._body else []
            self.virtual_size = Size(self._wrap_width, len(self._lines))
        self._strips.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = self._render_body_line(index, base)
        return strip.crop_extend(0, width, base).apply_offsets(0, index)

    def _render_body_line(self, index: int, base: Style) -> Strip:
        start, end = self._lines[index]
        text = Text(self._body[start:end].replace("\t", " "), style=base, no_wrap=True, end="")
        for mark_start, mark_end, component in self._marks.overlapping(start, end):
            style = self.get_component_rich_style(component, partial=True)
            text.stylize(style, max(mark_start, start) - start, min(mark_end, end) - start)
        return Strip(list(text.render(self.app.console))).crop_extend(0, self._wrap_width, base)
