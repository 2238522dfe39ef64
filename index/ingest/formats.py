"""Which reader reads which file, by its extension (case-insensitive)."""

from __future__ import annotations

import os

from index.ingest.html import HtmlReader
from index.ingest.jsonl import JsonLinesReader, JsonReader
from index.ingest.markdown import MarkdownReader
from index.ingest.reader import Reader
from index.ingest.text import TextReader
from index.models import Article

_TEXT, _MARKDOWN, _HTML = TextReader(), MarkdownReader(), HtmlReader()
_JSON, _JSON_LINES = JsonReader(), JsonLinesReader()

READERS: dict[str, Reader] = {
    ".txt": _TEXT,
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".html": _HTML,
    ".htm": _HTML,
    ".json": _JSON,
    ".jsonl": _JSON_LINES,
    ".ndjson": _JSON_LINES,
}


def reader_for(name: str) -> Reader | None:
    """The reader for a file name, or ``None`` when Broadsheet does not read that format."""
    return READERS.get(os.path.splitext(name)[1].lower())


def source_line(article: Article) -> int | None:
    """The line of its file that holds ``article`` when it is one line of a JSON Lines file (the
    ``N`` of its id ``rel#N``); None when the article is a whole file or an element of a JSON array."""
    if reader_for(article.path) is not _JSON_LINES:
        return None
    _, _, number = article.id.rpartition("#")
    return int(number) if number.isdigit() else None
