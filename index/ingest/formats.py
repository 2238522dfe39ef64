"""Which reader reads which file, by its extension (case-insensitive)."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

from index.ingest.reader import BinaryReader, Reader
from index.models import Article

if TYPE_CHECKING:
    READERS: dict[str, Reader | BinaryReader]
    """Extension -> reader (built on first use, by ``__getattr__``)."""

_FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "json lines",
    ".ndjson": "json lines",
    ".docx": "word",
    ".eml": "e-mail",
    ".mbox": "mailbox",
}
"""Extension -> format. The readers load on first use: a walk of an unchanged corpus (every query
runs one) only asks which files have a reader, and markdown-it and the HTML extraction are slow to
import."""


def can_read(name: str) -> bool:
    """True when Broadsheet reads files of this name's extension."""
    return os.path.splitext(name)[1].lower() in _FORMATS


def reader_for(name: str) -> Reader | BinaryReader | None:
    """The reader for a file name, or ``None`` when Broadsheet does not read that format."""
    kind = _FORMATS.get(os.path.splitext(name)[1].lower())
    return None if kind is None else _readers()[kind]


@cache
def _readers() -> dict[str, Reader | BinaryReader]:
    from index.ingest.html import HtmlReader
    from index.ingest.jsonl import JsonLinesReader, JsonReader
    from index.ingest.mail import EmailReader, MailboxReader
    from index.ingest.markdown import MarkdownReader
    from index.ingest.text import TextReader
    from index.ingest.word import DocxReader

    return {
        "text": TextReader(),
        "markdown": MarkdownReader(),
        "html": HtmlReader(),
        "json": JsonReader(),
        "json lines": JsonLinesReader(),
        "word": DocxReader(),
        "e-mail": EmailReader(),
        "mailbox": MailboxReader(),
    }


def __getattr__(name: str) -> object:
    if name == "READERS":
        return {extension: _readers()[kind] for extension, kind in _FORMATS.items()}
    raise AttributeError(f"module 'index.ingest.formats' has no attribute {name!r}")


def source_line(article: Article) -> int | None:
    """The line of its file that holds ``article`` when it is one line of a JSON Lines file (the
    ``N`` of its id ``rel#N``); None when the article is a whole file or an element of a JSON array."""
    if _FORMATS.get(os.path.splitext(article.path)[1].lower()) != "json lines":
        return None
    _, _, number = article.id.rpartition("#")
    return int(number) if number.isdigit() else None
