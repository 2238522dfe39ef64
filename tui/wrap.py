"""Word wrapping as offsets, so a huge article is laid out without building styled text.

The reader keeps only ``(start, end)`` pairs into the article body and styles a line when it is
painted; wrapping a 1 MB body this way costs integers, not ``Text`` objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len, get_character_cell_size

from index.models import Span

_TOKEN = re.compile(r"[^\s]+[^\S\n]*|[^\S\n]+")
"""A word and the blanks after it, or a run of leading blanks."""


def wrap_offsets(text: str, width: int) -> list[Span]:
    """Break ``text`` into display lines no wider than ``width`` cells.

    Lines break at newlines and between words; a word wider than the line is folded.
    Each line is a half-open span into ``text`` without its newline (trailing blanks included).
    """
    width = max(1, width)
    lines: list[Span] = []
    for start, end in _paragraphs(text):
        _wrap_paragraph(text, start, end, width, lines)
    return lines


def wraps_taller_than(text: str, width: int, height: int) -> bool:
    """Whether ``text`` wraps to more than ``height`` lines at ``width``, wrapping only as far as it takes."""
    width = max(1, width)
    lines: list[Span] = []
    for start, end in _paragraphs(text):
        _wrap_paragraph(text, start, end, width, lines)
        if len(lines) > height:
            return True
    return False


def _paragraphs(text: str) -> Iterator[Span]:
    """The span of each line of ``text`` between newlines."""
    position = 0
    while (newline := text.find("\n", position)) != -1:
        yield position, newline
        position = newline + 1
    yield position, len(text)


def _wrap_paragraph(text: str, start: int, end: int, width: int, lines: list[Span]) -> None:
    if text[start:end].isascii():
        _wrap_ascii(text, start, end, width, lines)
    else:
        _wrap_wide(text, start, end, width, lines)


def _wrap_ascii(text: str, start: int, end: int, width: int, lines: list[Span]) -> None:
    """One character per cell: jump a line's width ahead and back off to the last blank (fast path)."""
    line_start = start
    while end - line_start > width:
        limit = line_start + width
        blank = text.rfind(" ", line_start + 1, limit + 1)
        cut = limit if blank == -1 else blank + 1
        while cut < end and text[cut] == " ":
            cut += 1
        lines.append((line_start, cut))
        line_start = cut
    lines.append((line_start, end))


def _wrap_wide(text: str, start: int, end: int, width: int, lines: list[Span]) -> None:
    """Word by word, measuring cells, for paragraphs with wide or combining characters."""
    line_start = start
    line_width = 0
    for match in _TOKEN.finditer(text, start, end):
        token = match.group()
        word = token.rstrip()
        word_width = _width(word)
        if line_width and line_width + word_width > width:
            lines.append((line_start, match.start()))
            line_start, line_width = match.start(), 0
        if word_width > width:
            for cut in _fold_points(text, match.start(), match.start() + len(word), width):
                lines.append((line_start, cut))
                line_start = cut
            line_width = _width(text[line_start : match.end()])
        else:
            line_width += _width(token)
    lines.append((line_start, end))


def _fold_points(text: str, start: int, end: int, width: int) -> list[int]:
    """Offsets at which to cut the over-long word ``text[start:end]`` into pieces of ``width`` cells."""
    word = text[start:end]
    if word.isascii():
        return list(range(start + width, end, width))
    cuts: list[int] = []
    used = 0
    for index, character in enumerate(word):
        size = get_character_cell_size(character)
        if used + size > width:
            cuts.append(start + index)
            used = 0
        used += size
    return cuts


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)
