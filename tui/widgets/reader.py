"""The article body: a Line-API view that lays out offsets and styles only the lines on screen.

A 1 MB article opens at once because wrapping keeps integers (see ``tui.wrap``) and a line becomes
styled text only when it is painted. Hits, the find bar's matches and entity mentions are styled by
their offsets into the clean body, so article text is never parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import itemgetter
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.models import Mention, Span
from tui.label_styles import label_components, label_rules
from tui.wrap import wrap_offsets, wraps_taller_than

HIT = "article-view--hit"
CURRENT_HIT = "article-view--current-hit"
MATCH = "article-view--match"
CURRENT_MATCH = "article-view--current-match"


def entity_component(label: str) -> str:
    """The component class that colours mentions of one entity label."""
    return f"article-view--entity-{label.lower()}"


class StyledSpans:
    """Sorted spans with their styles, searchable by the range of a line."""

    def __init__(self, spans: Sequence[tuple[int, int, str]]) -> None:
        # By start alone: ten thousand find matches arrive in order, and sort in linear time.
        ordered = sorted((span for span in spans if span[1] > span[0]), key=itemgetter(0))
        self.spans = ordered
        self.starts = [span[0] for span in ordered]
        self.longest = max((end - start for start, end, _ in ordered), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str]]:
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_right(self.starts, end)
        return [span for span in self.spans[low:high] if span[1] > start and span[0] < end]


class Stops:
    """Sorted spans that the reader steps through, and which one is current (-1: none)."""

    def __init__(self, spans: Sequence[Span] = (), current: int = -1) -> None:
        self.spans = tuple(spans)
        self.current = current if spans else -1

    @property
    def offset(self) -> int | None:
        """Where the current span starts; None when there is none."""
        return self.spans[self.current][0] if self.current >= 0 else None

    def step(self, step: int) -> bool:
        """Move ``step`` spans on, wrapping round; False when there is nothing to move through."""
        if not self.spans:
            return False
        self.current = (self.current + step) % len(self.spans)
        return True


class ArticleView(ScrollView, can_focus=True):
    """Shows one article body with its hits, the find bar's matches and (optionally) its entity
    mentions marked."""

    DEFAULT_CSS = "\n".join(
        (
            "ArticleView {",
            "    background: $surface;",
            "    padding: 0 1;",
            "    & > .article-view--hit { background: $warning 40%; }",
            "    & > .article-view--current-hit { background: $accent; color: $text; text-style: bold; }",
            "    & > .article-view--match { background: $success-darken-2; color: $text; }",
            "    & > .article-view--current-match {",
            "        background: $success-lighten-2; color: $background; text-style: bold;",
            "    }",
            *label_rules(entity_component, "text-style: underline; "),
            "}",
        )
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        HIT,
        CURRENT_HIT,
        MATCH,
        CURRENT_MATCH,
        *label_components(entity_component),
    }

    HELP_GROUP: ClassVar[str] = "Reader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_lines(1)", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll_lines(-1)", "Scroll up", show=False, id="reader.up"),
        Binding("space,pagedown", "scroll_pages(1)", "Page down", show=False, id="reader.page-down"),
        Binding("b,pageup", "scroll_pages(-1)", "Page up", show=False, id="reader.page-up"),
        Binding("g,home", "scroll_to_line(0)", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_to_line(-1)", "Bottom", show=False, id="reader.bottom"),
    ]

    show_entities: reactive[bool] = reactive(True)
    """Whether entity mentions are marked."""

    class HitChanged(Message):
        """The current hit moved; ``index`` is 0-based, -1 when the article has no hits, and
        ``offset`` is where the hit starts in the body (None without hits)."""

        def __init__(self, index: int, total: int, offset: int | None) -> None:
            super().__init__()
            self.index = index
            self.total = total
            self.offset = offset

    class MatchChanged(Message):
        """The find's current match moved or the matches changed; ``index`` is 0-based, -1 without
        matches."""

        def __init__(self, index: int, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._body = ""
        self._hits = Stops()
        self._matches = Stops()
        self._mentions: Sequence[Mention] = ()
        self._lines: list[Span] = []
        self._line_starts: list[int] = []
        self._wrap_width = 0
        self._wrapped_for: Size | None = None
        self._marks = StyledSpans(())
        """Entity mentions and hits: they change with the article, not with the find."""
        self._match_marks = StyledSpans(())
        self._strips: LRUCache[int, Strip] = LRUCache(512)

    @property
    def hit_count(self) -> int:
        return len(self._hits.spans)

    @property
    def current_hit(self) -> int:
        return self._hits.current

    @property
    def current_hit_offset(self) -> int | None:
        """Where the current hit starts in the body; None when the article has no hits."""
        return self._hits.offset

    @property
    def match_count(self) -> int:
        return len(self._matches.spans)

    @property
    def current_match(self) -> int:
        return self._matches.current

    @property
    def body(self) -> str:
        return self._body

    def show(self, body: str, hits: Sequence[Span] = (), mentions: Sequence[Mention] = ()) -> None:
        """Display a new body, jumping to its first hit if it has one."""
        self._body = body
        self._hits = Stops(sorted(hit for hit in hits if 0 <= hit[0] < hit[1] <= len(body)), 0)
        self._matches = Stops()
        self._mentions = mentions
        self._wrapped_for = None
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._bring_into_view(self._hits.offset)
        self.post_message(self.HitChanged(self.current_hit, self.hit_count, self.current_hit_offset))

    def set_mentions(self, mentions: Sequence[Mention]) -> None:
        """Mark entity mentions that arrived after the body (extraction is slower than search)."""
        self._mentions = mentions
        self._restyle()

    def show_matches(self, matches: Sequence[Span]) -> None:
        """Mark the find's matches (sorted spans of this body; empty to clear them) and make current
        the first one at or after the current match, or else after the top of the view."""
        anchor = self._matches.offset
        if anchor is None:
            top = self.scroll_offset.y
            anchor = self._line_starts[top] if top < len(self._line_starts) else 0
        starts = [start for start, _ in matches]
        self._matches = Stops(matches, bisect_left(starts, anchor) % len(matches) if matches else -1)
        self._match_marks = StyledSpans([(start, end, MATCH) for start, end in matches])
        self._strips.clear()
        self.refresh()
        self._bring_into_view(self._matches.offset)
        self.post_message(self.MatchChanged(self.current_match, self.match_count))

    def next_hit(self) -> None:
        self._move(self._hits, +1)

    def previous_hit(self) -> None:
        self._move(self._hits, -1)

    def next_match(self) -> None:
        self._move(self._matches, +1)

    def previous_match(self) -> None:
        self._move(self._matches, -1)

    def _move(self, stops: Stops, step: int) -> None:
        if not stops.step(step):
            return
        self._strips.clear()
        self.refresh()
        self._bring_into_view(stops.offset)
        if stops is self._hits:
            self.post_message(self.HitChanged(self.current_hit, self.hit_count, self.current_hit_offset))
        else:
            self.post_message(self.MatchChanged(self.current_match, self.match_count))

    def _bring_into_view(self, offset: int | None) -> None:
        """Bring the line holding ``offset`` into view, a third of the way down, if it is not in view."""
        if offset is None or not self._lines:
            return
        line = bisect_right(self._line_starts, offset) - 1
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if not top <= line < top + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        self.scroll_relative(y=pages * max(1, self.scrollable_content_region.height - 1), animate=False)

    def action_scroll_to_line(self, line: int) -> None:
        """Jump without animation: animating across a huge article would repaint thousands of lines."""
        self.scroll_to(y=line if line >= 0 else self.max_scroll_y, animate=False)

    def watch_show_entities(self) -> None:
        self._restyle()

    def on_resize(self) -> None:
        self._relayout()
        self._bring_into_view(self._matches.offset if self._matches.spans else self._hits.offset)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _relayout(self) -> None:
        if self.size != self._wrapped_for:
            self._wrapped_for = self.size
            self._wrap_width, self._lines = self._wrap_to_fit()
            self._line_starts = [start for start, _ in self._lines]
            self.virtual_size = Size(self._wrap_width, len(self._lines))
        self._restyle()

    def _wrap_to_fit(self) -> tuple[int, list[Span]]:
        """The width the text really has, and the body's lines wrapped to it.

        The region at hand still has the previous article's scrollbar (Textual adds or removes it in
        the layout that follows a new virtual size), so it is foreseen here: a body taller than the view
        at the full width is wrapped beside the scrollbar it will get, and narrower lines only need it more.
        """
        width = max(1, self.size.width)
        if not self._body:
            return width, []
        if wraps_taller_than(self._body, width, self.size.height):
            width = max(1, width - self.styles.scrollbar_size_vertical)
        return width, wrap_offsets(self._body, width)

    def _restyle(self) -> None:
        """Sort the marks of the article: its mentions, hits and the find's matches."""
        marks: list[tuple[int, int, str]] = []
        if self.show_entities:
            marks.extend((m.start, m.end, entity_component(m.label)) for m in self._mentions)
        marks.extend((start, end, HIT) for start, end in self._hits.spans)
        self._marks = StyledSpans(marks)
        self._match_marks = StyledSpans([(start, end, MATCH) for start, end in self._matches.spans])
        self._strips.clear()
        self.refresh()

    def _marks_between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The marks on one line in painting order: a match over a hit, the current ones on top.

        ``StyledSpans`` sorts by offset, so the mark kinds are painted in the order of this list."""
        marks = self._marks.overlapping(start, end)
        marks.sort(key=lambda mark: mark[2] == HIT)
        marks.extend(self._match_marks.overlapping(start, end))
        for stops, component in ((self._hits, CURRENT_HIT), (self._matches, CURRENT_MATCH)):
            if stops.current >= 0:
                span_start, span_end = stops.spans[stops.current]
                if span_end > start and span_start < end:
                    marks.append((span_start, span_end, component))
        return marks

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._render_body_line(index, base)
            self._strips[index] = strip
        return strip.crop_extend(0, width, base).apply_offsets(0, index)

    def _render_body_line(self, index: int, base: Style) -> Strip:
        start, end = self._lines[index]
        text = Text(self._body[start:end].replace("\t", " "), style=base, no_wrap=True, end="")
        for mark_start, mark_end, component in self._marks_between(start, end):
            style = self.get_component_rich_style(component, partial=True)
            text.stylize(style, max(mark_start, start) - start, min(mark_end, end) - start)
        return Strip(list(text.render(self.app.console))).crop_extend(0, self._wrap_width, base)
