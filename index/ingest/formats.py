"""Which reader reads which file, by its extension (case-insensitive)."""

from __future__ import annotations

import importlib
import os
from functools import cache
from typing import TYPE_CHECKING

from index.ingest.reader import BinaryReader, Reader, StreamReader
from index.models import Article

if TYPE_CHECKING:
    READERS: dict[str, Reader | BinaryReader | StreamReader]
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
    ".pdf": "pdf",
    ".docx": "word",
    ".eml": "e-mail",
    ".mbox": "mailbox",
}
"""Extension -> format. The readers load on first use: a walk of an unchanged corpus (every query
runs one) only asks which files have a reader, and markdown-it and the HTML extraction are slow to
import."""

_READERS = {
    "text": "index.ingest.text:TextReader",
    "markdown": "index.ingest.markdown:MarkdownReader",
    "html": "index.ingest.html:HtmlReader",
    "json": "index.ingest.jsonl:JsonReader",
    "json lines": "index.ingest.jsonl:JsonLinesReader",
    "pdf": "index.ingest.pdf:PdfArticleReader",
    "word": "index.ingest.word:DocxReader",
    "e-mail": "index.ingest.mail:EmailReader",
    "mailbox": "index.ingest.mail:MailboxReader",
}
"""Format -> ``module:class`` of its reader, each imported when a file of its format is first read:
a folder of text files never loads pypdf, python-docx or the e-mail parser (a fifth of a second)."""


MAX_FILE_BYTES = 20 * 1024 * 1024
"""Files larger than this are skipped as TOO_LARGE: a reader holds such a file whole in memory
(read at call time, so tests may patch it)."""

MAX_MAILBOX_BYTES = 1024 * 1024 * 1024
"""Mailboxes larger than this are skipped as TOO_LARGE. A mailbox is read one message at a time,
but all of its articles are held until the file is indexed, about twice the mailbox's size in
memory (bench/formats.py): 1 GB takes the large leaked mailboxes (hundreds of MB) and keeps that
near 2 GB."""


def _format_of(name: str) -> str | None:
    """The format of a file of this name, by its extension; None when no reader takes it."""
    return _FORMATS.get(os.path.splitext(name)[1].lower())


def size_cap(name: str) -> int:
    """The largest file of this name's format that is read, in bytes: the walk and the read both
    ask here, so they agree."""
    if _format_of(name) == "mailbox":
        return MAX_MAILBOX_BYTES
    return MAX_FILE_BYTES


def can_read(name: str) -> bool:
    """True when Broadsheet reads files of this name's extension."""
    return _format_of(name) is not None


def reader_for(name: str) -> Reader | BinaryReader | StreamReader | None:
    """The reader for a file name, or ``None`` when Broadsheet does not read that format."""
    kind = _format_of(name)
    return None if kind is None else _reader(kind)


@cache
def _reader(kind: str) -> Reader | BinaryReader | StreamReader:
    module, _, name = _READERS[kind].partition(":")
    reader: Reader | BinaryReader | StreamReader = getattr(importlib.import_module(module), name)()
    return reader


def __getattr__(name: str) -> object:
    if name == "READERS":
        return {extension: _reader(kind) for extension, kind in _FORMATS.items()}
    raise AttributeError(f"module 'index.ingest.formats' has no attribute {name!r}")


def source_line(article: Article) -> int | None:
    """The line of its file that holds ``article`` when it is one line of a JSON Lines file (the
    ``N`` of its id ``rel#N``); None when the article is a whole file or an element of a JSON array."""
    if _format_of(article.path) != "json lines":
        return None
    _, _, number = article.id.rpartition("#")
    return int(number) if number.isdigit() else None
