"""Clean article text -> title, body, byline and date, for every reader.

The title is the first line that is not boilerplate (a Markdown ``#`` stripped); the few lines
around it are searched for a byline ("By Euronews with AFP") and a date line ("January 22,
2021", "Published on 22/01/2021 - 10:03"), which leave the body once read. Only short lines
near the top are tried, so a long article costs no more than its boilerplate scan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from index.cleaning import paragraphs, strip_boilerplate
from index.ingest.dates import parse_date
from index.ingest.publishers import Byline, parse_byline, publisher_in

HEADER_LINES = 6
"""How many non-blank lines after the title may still hold a byline or a date."""

TITLE_MAX_CHARS = 200
"""A longer first line is a paragraph, not a title: it stays in the body and a title is cut from it."""

_MARKDOWN_HEADING = re.compile(r"\s*#{1,6}\s+")
_DATE_LABEL = re.compile(
    r"\s*(?:first published|published|last updated|updated|posted)(?:\s+on)?\s*:?\s*", re.IGNORECASE
)
_DATE_SEPARATOR = re.compile(r"\s*(?:[•|]|\bupdated\b|\blast updated\b)", re.IGNORECASE)
_DATE_LINE_MAX_CHARS = 100
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What one article's text says about itself, once cleaned."""

    title: str
    body: str
    source: str | None = None
    author: str | None = None
    date: dt.datetime | None = None


def extract(text: str, title: str | None = None, *, line_paragraphs: bool = False) -> Extracted | None:
    """Split sanitised ``text`` into title, clean body and metadata; ``None`` if no text is left.

    ``title`` is given when the format states it (a JSON field, an HTML page's metadata); a
    first line repeating it is then dropped from the body. ``line_paragraphs`` says that each
    line is a paragraph of its own (extracted HTML), rather than blank lines separating them.
    """
    cleaned = strip_boilerplate(text.split("\n"))
    lines = cleaned.lines
    byline: Byline | None = None
    date: dt.datetime | None = None
    after_title = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if title is not None:
            after_title += 1
            if after_title > HEADER_LINES:
                break
        if (byline is None and (byline := parse_byline(line)) is not None) or (
            date is None and (date := _date_line(line)) is not None
        ):
            lines[index] = ""
        elif title is None:
            title, keep_line = _title_from(line)
            if not keep_line:
                lines[index] = ""
        elif after_title == 1 and _same_title(line, title):
            lines[index] = ""
    if title is None:
        return None
    source = byline.source if byline and byline.source else publisher_in(cleaned.furniture)
    if line_paragraphs:
        body = "\n\n".join(line.strip() for line in lines if line.strip())
    else:
        body = paragraphs(lines)
    return Extracted(title, body, source, byline.author if byline else None, date)


def normalize_title(title: str) -> str:
    """One line, single spaces."""
    return " ".join(title.split())


def _title_from(line: str) -> tuple[str, bool]:
    heading = _without_heading_mark(line)
    if len(heading) <= TITLE_MAX_CHARS * 2 and len(title := normalize_title(heading)) <= TITLE_MAX_CHARS:
        return title, False
    cut = normalize_title(heading[: TITLE_MAX_CHARS * 2])[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut + "…", True


def _same_title(line: str, title: str) -> bool:
    heading = _without_heading_mark(line)
    return len(heading) <= TITLE_MAX_CHARS * 2 and normalize_title(heading).casefold() == title.casefold()


def _without_heading_mark(line: str) -> str:
    mark = _MARKDOWN_HEADING.match(line)
    return line[mark.end() :] if mark else line


def _date_line(line: str) -> dt.datetime | None:
    if len(line) > _DATE_LINE_MAX_CHARS or _DIGIT.search(line) is None:
        return None
    label = _DATE_LABEL.match(line)
    rest = line[label.end() :] if label else line
    rest = _DATE_SEPARATOR.split(rest, maxsplit=1)[0]
    return parse_date(rest) if rest.strip() else None
