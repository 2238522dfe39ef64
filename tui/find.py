"""Find in the article: what the find bar's text means, and where it occurs in a body.

Pure functions, no Textual: the explorer compiles the text on the UI thread (so that a malformed
regular expression is reported at once) and runs ``find_all`` in a worker thread.

Find works line by line, as grep does: ``^`` and ``$`` anchor at the ends of a line of the body and
a match never spans a line break. The body is searched a chunk of whole lines at a time, because
Python's ``re`` holds the GIL for as long as one search call lasts: an expensive expression over a
whole 1 MB body would freeze the UI thread, while a chunk takes a few milliseconds and lets the
worker notice that the next keystroke has cancelled it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.models import Span

MATCH_LIMIT = 10_000
"""Matches marked at most: past it the count reads "10,000+" (a common word in a 1 MB article)."""

CHUNK = 32_768
"""About how many characters one search call covers before the worker may be cancelled."""

_BLANKS = re.compile(r"\s+")
_ESCAPED = re.compile(r"\\.", re.DOTALL)


class FindError(ValueError):
    """The find text is not a valid regular expression; the message is one sentence."""


@dataclass(frozen=True, slots=True)
class Found:
    """The matches of one find in one body, in order; ``capped`` when there were more than ``spans``."""

    spans: tuple[Span, ...]
    capped: bool


def case_sensitive(text: str, *, regex: bool) -> bool:
    """Smart case: any capital letter makes the find case-sensitive. In a regular expression an
    escape such as ``\\S`` or ``\\W`` is no capital the user typed."""
    letters = _ESCAPED.sub("", text) if regex else text
    return any(character.isupper() for character in letters)


def find_pattern(text: str, *, regex: bool) -> re.Pattern[str] | None:
    """The compiled find, or None for empty text; raises FindError for a malformed expression.

    Plain text matches literally, a run of blanks in it matching any run of blanks on one line,
    so that a phrase is found however the article spaces it.
    """
    if not text.strip():
        return None
    flags = re.MULTILINE | (0 if case_sensitive(text, regex=regex) else re.IGNORECASE)
    if not regex:
        words = [re.escape(word) for word in _BLANKS.split(text.strip())]
        return re.compile(r"[^\S\n]+".join(words), flags)
    try:
        return re.compile(text, flags)
    except re.error as error:
        raise FindError(f"Not a valid regular expression: {error}.") from None


def find_all(
    body: str, pattern: re.Pattern[str], *, limit: int = MATCH_LIMIT, cancelled: Callable[[], bool]
) -> Found | None:
    """The first ``limit`` non-empty matches of ``pattern`` in ``body``, or None once ``cancelled()``."""
    spans: list[Span] = []
    start = 0
    while start < len(body):
        if cancelled():
            return None
        end = _chunk_end(body, start)
        for match in pattern.finditer(body, start, end):
            if match.end() > match.start() and "\n" not in match.group():
                if len(spans) == limit:
                    return Found(tuple(spans), capped=True)
                spans.append(match.span())
        start = end
    return Found(tuple(spans), capped=False)


def _chunk_end(body: str, start: int) -> int:
    """Where the chunk from ``start`` ends: at the first line break past ``CHUNK`` characters."""
    newline = body.find("\n", start + CHUNK)
    return len(body) if newline == -1 else newline
