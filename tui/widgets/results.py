"""The results list: one option per hit, fed a page at a time as the cursor nears the end.

Only pages the user scrolls to are ever built, so a query matching 100,000 articles costs one page.
End jumps to the last page (Home back to the first) and the list grows from there as the user
scrolls, so the list holds a run of hits that starts at the first one or ends at the last one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.duplicates import Copy
from index.models import ArticleNotes, Hit, SearchResult, Span
from tui.marks import marks_text, star_prefix

PREFETCH_MARGIN = 20
"""Ask for the next page when the cursor or the view comes this close to the last loaded hit."""
HIT_LINES = 3
"""Lines per hit: title, source and date, snippet."""

_SUGGESTION_ID = "suggestion"


def _marked(text: str, spans: tuple[Span, ...], style: Style | str, base: str = "") -> Text:
    """``text`` as plain ``Text`` with ``spans`` styled; newlines flattened so a snippet stays one line."""
    line = Text(text.replace("\n", " ").replace("\t", " "), style=base)
    for start, end in spans:
        line.stylize(style, start, end)
    return line


def hit_prompt(
    hit: Hit,
    hit_style: Style | str = "reverse",
    copies: Sequence[Copy] = (),
    notes: ArticleNotes | None = None,
) -> Text:
    """Title, source and date, and a one-line snippet, with the query terms in ``hit_style``, and the
    user's star, tags and note marker (``notes``); then, once its group is opened, a line for each
    copy of the story."""
    title = star_prefix(notes)
    title.append_text(_marked(hit.title or "(untitled)", hit.title_highlights, hit_style, base="bold"))
    meta = " · ".join(
        part for part in (hit.source, hit.date.strftime("%Y-%m-%d") if hit.date else None) if part
    )
    details = Text(meta or hit.path, style="italic")
    if hit.similar:
        details.append(f"  +{hit.similar} similar", style="bold")
    marks = marks_text(notes)
    if marks:
        details.append("  ")
        details.append_text(marks)
    snippet = _marked(hit.snippet, hit.snippet_highlights, hit_style, base="dim")
    return Text("\n").join([title, details, snippet, *(copy_line(copy, hit.id) for copy in copies)])


def copy_line(copy: Copy, shown_id: str) -> Text:
    """One copy of an opened group: where and when it appeared (the hit's own copy marked)."""
    date = copy.date.strftime("%Y-%m-%d") if copy.date else "undated"
    line = Text("  ▸ " if copy.id == shown_id else "  · ", style="bold")
    line.append(f"{date}  ")
    line.append(copy.source or "no source", style="italic")
    line.append(f"  {copy.path}", style="dim")
    return line


def _looks(notes: ArticleNotes | None) -> tuple[bool, tuple[str, ...], bool]:
    """What a hit shows of its notes: a star, the tags, a note marker."""
    return (False, (), False) if notes is None else (notes.starred, notes.tags, bool(notes.note))


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
        Binding("home", "first", "First result", show=False, id="results.first"),
        Binding("end", "last", "Last result", show=False, id="results.last"),
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
        """The user neared an end of the loaded hits, or jumped to one, and more exist there: the page
        of hits from rank ``offset`` on or, ``before``, the page that ends at ``offset``."""

        def __init__(self, offset: int, *, before: bool = False) -> None:
            super().__init__()
            self.offset = offset
            self.before = before

    class SuggestionChosen(Message):
        """The user accepted the "did you mean" suggestion."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._hits: list[Hit] = []
        self._first = 0
        """The rank among all the hits of ``_hits[0]`` (not 0 after End)."""
        self._total = 0
        self._suggestion: str | None = None
        self._asked: tuple[int, bool] | None = None
        self._landing: int | None = None
        """The rank to highlight once its page arrives (Home, End)."""
        self._note: Text | None = None
        self._empty: SearchResult | None = None
        self._opened: dict[str, Sequence[Copy]] = {}
        """The copies listed under each hit whose group is opened, by the hit's id."""
        self._notes: dict[str, ArticleNotes] = {}
        """The user's star, tags and note of the hits that have any, by id (kept from one search to
        the next, so that a hit shows its marks at once while they are read again)."""

    @property
    def hits(self) -> list[Hit]:
        return self._hits

    @property
    def current_hit(self) -> Hit | None:
        index = self.highlighted
        return self._hits[index] if index is not None and index < len(self._hits) else None

    def show(self, result: SearchResult) -> None:
        """Replace the list with the first page of a new result."""
        self._hits = list(result.hits)
        self._first = 0
        self._total = result.total
        self._suggestion = result.suggestion
        self._asked = self._landing = None
        self.border_subtitle = ""
        self._empty = None if result.hits else result
        self._opened = {}
        self.clear_options()
        if self._hits:
            self.add_options(self._hit_options(self._hits))
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

    def add_page(self, offset: int, hits: Sequence[Hit]) -> None:
        """Place the hits from rank ``offset`` on: after the loaded ones, before them, or in their
        place when the two do not meet (a jump to the first or the last page)."""
        landing, self._landing, self._asked = self._landing, None, None
        if not hits:
            return
        end, loaded_end = offset + len(hits), self._first + len(self._hits)
        if offset == loaded_end:
            self._hits.extend(hits)
            self.add_options(self._hit_options(hits))
        else:
            if landing is None:  # the cursor stays on its hit
                landing = self._first + (self.highlighted or 0)
            if offset > loaded_end or end < self._first:
                self._hits, self._first = list(hits), offset
            else:
                before, after = self._hits[: max(0, offset - self._first)], self._hits[end - self._first :]
                self._hits, self._first = [*before, *hits, *after], min(offset, self._first)
            self.set_options(self._hit_options(self._hits))
        if landing is not None:
            self._highlight_rank(landing)

    def _hit_options(self, hits: Sequence[Hit]) -> list[Option]:
        style = self._hit_style()
        return [
            Option(hit_prompt(hit, style, self._opened.get(hit.id, ()), self._notes.get(hit.id)))
            for hit in hits
        ]

    def copies_shown(self, hit: Hit) -> bool:
        """Whether the copies of ``hit``'s story are listed under it."""
        return hit.id in self._opened

    def show_copies(self, hit: Hit, copies: Sequence[Copy]) -> None:
        """List ``copies`` under ``hit`` (if it is still in the list); an empty list closes it."""
        if copies:
            self._opened[hit.id] = copies
        else:
            self._opened.pop(hit.id, None)
        self._prompt_again(hit.id)

    def show_notes(self, notes: Mapping[str, ArticleNotes | None]) -> None:
        """Mark hits with the user's star, tags and note (None: the article has none now)."""
        for article_id, noted in notes.items():
            held = self._notes.pop(article_id, None)
            if noted is not None:
                self._notes[article_id] = noted
            if _looks(held) != _looks(noted):
                self._prompt_again(article_id)

    def _prompt_again(self, article_id: str) -> None:
        """Draw the hit with this id again (its copies or its marks changed)."""
        for index, shown in enumerate(self._hits):
            if shown.id == article_id:
                prompt = hit_prompt(
                    shown, self._hit_style(), self._opened.get(shown.id, ()), self._notes.get(shown.id)
                )
                self.replace_option_prompt_at_index(index, prompt)

    def _highlight_rank(self, rank: int) -> None:
        self.highlighted = max(0, min(len(self._hits) - 1, rank - self._first))

    def action_first(self) -> None:
        """Home: the first hit, fetched again if the list starts further on."""
        if self._first == 0:
            super().action_first()
        else:
            self._landing = 0
            self._ask(0, before=False)

    def action_last(self) -> None:
        """End: the last hit, its page fetched directly instead of every page up to it."""
        if self._first + len(self._hits) >= self._total:
            super().action_last()
        else:
            self._landing = self._total - 1
            self._ask(self._total, before=True)

    def move(self, step: int) -> None:
        """Move the cursor by ``step`` hits (used by next/previous article while reading)."""
        if not self._hits:
            return
        current = self.highlighted if self.highlighted is not None else -1
        self.highlighted = max(0, min(len(self._hits) - 1, current + step))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted < len(self._hits):
            self.border_subtitle = f"{self._first + highlighted + 1:,} / {self._total:,}"
            self.post_message(self.Previewed(self._hits[highlighted]))
            self._want_more(highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.highlighted is not None:  # None while the options are replaced and scrolled to the top
            top = int(new_value) // HIT_LINES
            self._want_more(top)
            self._want_more(top + self.scrollable_content_region.height // HIT_LINES)

    def _want_more(self, position: int) -> None:
        """Ask for the page after the loaded hits, or before them, when ``position`` nears that end."""
        loaded_end = self._first + len(self._hits)
        if loaded_end < self._total and position >= len(self._hits) - PREFETCH_MARGIN:
            self._ask(loaded_end, before=False)
        elif self._first > 0 and position < PREFETCH_MARGIN:
            self._ask(self._first, before=True)

    def _ask(self, offset: int, *, before: bool) -> None:
        if self._asked != (offset, before):
            self._asked = (offset, before)
            self.post_message(self.MoreWanted(offset, before=before))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == _SUGGESTION_ID and self._suggestion:
            self.post_message(self.SuggestionChosen(self._suggestion))
        elif event.option_index < len(self._hits):
            self.post_message(self.Opened(self._hits[event.option_index]))

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
