"""The results list: one option per hit, fed a page at a time as the cursor nears the end.

Only pages the user scrolls to are ever built, so a query matching 100,000 articles costs one page.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.models import Hit, SearchResult, Span

PREFETCH_MARGIN = 20
"""Ask for the next page when the cursor or the view comes this close to the last loaded hit."""

_SUGGESTION_ID = "suggestion"


def _marked(text: str, spans: tuple[Span, ...], style: Style | str, base: str = "") -> Text:
    """``text`` as plain ``Text`` with ``spans`` styled; newlines flattened so a snippet stays one line."""
    line = Text(text.replace("\n", " ").replace("\t", " "), style=base)
    for start, end in spans:
        line.stylize(style, start, end)
    return line


def hit_prompt(hit: Hit, hit_style: Style | str = "reverse") -> Text:
    """Title, source and date, and a one-line snippet, with the query terms in ``hit_style``."""
    title = _marked(hit.title or "(untitled)", hit.title_highlights, hit_style, base="bold")
    meta = " · ".join(
        part for part in (hit.source, hit.date.strftime("%Y-%m-%d") if hit.date else None) if part
    )
    snippet = _marked(hit.snippet, hit.snippet_highlights, hit_style, base="dim")
    return Text("\n").join([title, Text(meta or hit.path, style="italic"), snippet])


def no_match_prompt(result: SearchResult) -> Text:
    if not result.query.strip():
        return Text("No articles in this corpus (yet).")
    text = Text("No articles match ")
    text.append(result.query or "this search", style="bold")
    text.append(".")
    return text


class ResultsList(OptionList):
    """Hits of the current search; posts what the user highlights, opens or scrolls towards."""

    DEFAULT_CSS = """
    ResultsList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ResultsList > .option-list--option { padding: 0 1; }
    ResultsList > .results-list--hit { text-style: bold reverse; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results-list--hit"}

    HELP_GROUP: ClassVar[str] = "Results"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next result", show=False, id="results.down"),
        Binding("k", "cursor_up", "Previous result", show=False, id="results.up"),
    ]

    class Previewed(Message):
        """The cursor moved onto a hit."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class Opened(Message):
        """The user pressed Enter on a hit."""

        def __init__(self, hit: Hit) -> None:
            super().__init__()
            self.hit = hit

    class MoreWanted(Message):
        """The user is near the last loaded hit and more exist."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    class SuggestionChosen(Message):
        """The user accepted the "did you mean" suggestion."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._hits: list[Hit] = []
        self._total = 0
        self._suggestion: str | None = None
        self._waiting_for = -1
        self._note: Text | None = None
        self._empty: SearchResult | None = None

    @property
    def hits(self) -> list[Hit]:
        return self._hits

    @property
    def total(self) -> int:
        return self._total

    @property
    def current_hit(self) -> Hit | None:
        index = self.highlighted
        return self._hits[index] if index is not None and index < len(self._hits) else None

    def show(self, result: SearchResult) -> None:
        """Replace the list with the first page of a new result."""
        self._hits = list(result.hits)
        self._total = result.total
        self._suggestion = result.suggestion
        self._waiting_for = -1
        self._empty = None if result.hits else result
        self.clear_options()
        if self._hits:
            self.add_options(Option(hit_prompt(hit, self._hit_style())) for hit in self._hits)
            self.highlighted = 0
        else:
            self.add_option(Option(self._empty_prompt(result), disabled=True))
            if result.suggestion:
                self.add_option(
                    Option(
                        Text.assemble("Did you mean ", (result.suggestion, "bold"), "? (Enter)"),
                        id=_SUGGESTION_ID,
                    )
                )
                self.highlighted = 1

    def show_note(self, note: Text | None) -> None:
        """Say ``note`` (say, how far indexing is) instead of "no articles" while the whole corpus
        lists nothing; None brings the plain empty state back."""
        self._note = note
        if self._empty is not None and self.option_count:
            self.replace_option_prompt_at_index(0, self._empty_prompt(self._empty))

    def _empty_prompt(self, result: SearchResult) -> Text:
        return self._note if self._note is not None and not result.query.strip() else no_match_prompt(result)

    def _hit_style(self) -> Style:
        return self.get_component_rich_style("results-list--hit", partial=True)

    def extend(self, result: SearchResult) -> None:
        """Append the next page (ignored unless it starts where the list ends)."""
        self._waiting_for = -1
        if not result.hits:
            return
        self._hits.extend(result.hits)
        self.add_options(Option(hit_prompt(hit, self._hit_style())) for hit in result.hits)

    def move(self, step: int) -> None:
        """Move the cursor by ``step`` hits (used by next/previous article while reading)."""
        if not self._hits:
            return
        current = self.highlighted if self.highlighted is not None else -1
        self.highlighted = max(0, min(len(self._hits) - 1, current + step))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted < len(self._hits):
            self.post_message(self.Previewed(self._hits[highlighted]))
            self._want_more(highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_more(int(new_value) // 3 + self.scrollable_content_region.height // 3)

    def _want_more(self, position: int) -> None:
        loaded = len(self._hits)
        if loaded < self._total and position >= loaded - PREFETCH_MARGIN and self._waiting_for != loaded:
            self._waiting_for = loaded
            self.post_message(self.MoreWanted(loaded))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == _SUGGESTION_ID and self._suggestion:
            self.post_message(self.SuggestionChosen(self._suggestion))
        elif event.option_index < len(self._hits):
            self.post_message(self.Opened(self._hits[event.option_index]))

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
