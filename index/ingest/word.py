"""Word documents (``.docx``) through python-docx: one article per file.

The text is the document's paragraphs and tables in order (a table becomes one line per row, its
cells separated by `` | `` as Markdown tables read); headers, footers, footnotes, comments and text
boxes are left out. The title is the paragraph styled Title, or a heading that opens the document,
else the document's ``title`` property, else the first line as for a text file; the author and
the date come from the core properties (``creator``; ``created``, else ``modified``).

A ``.docx`` is a zip. Its declared sizes are checked before python-docx inflates anything, so a
small file that would unpack to gigabytes is skipped, not read (Python's zip reader stops at the
declared size, so a file cannot unpack to more than it declares). A password-protected Word file
is no zip at all but an OLE compound file holding an ``EncryptedPackage`` stream.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from index.cleaning import sanitize
from index.ingest.dates import naive_utc
from index.ingest.extract import TITLE_MAX_CHARS, extract, normalize_title
from index.ingest.reader import ReadResult, error_line
from index.models import Article, Skip, SkipReason

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""A document whose parts declare more than this, unpacked, is skipped."""

MAX_PACKING_RATIO = 100
"""Nor is one that unpacks to more than this many times its size (once over ``_RATIO_FLOOR``):
Word's XML compresses about ten to one, a zip bomb thousands to one."""

_RATIO_FLOOR = 10 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_METADATA_PROPERTIES = ("subject", "keywords", "category")


class DocxReader:
    """Reads ``.docx`` files from their bytes."""

    def read_bytes(self, rel: str, data: bytes) -> ReadResult:
        refused = _refused(rel, data)
        if refused is not None:
            return ReadResult(skips=[refused])
        try:
            return _read(rel, docx.Document(io.BytesIO(data)))
        except Exception as error:  # a third-party parser on hostile input: any failure is this file's
            detail = f"not a readable Word document: {error_line(error)}"
            return ReadResult(skips=[Skip(rel, SkipReason.MALFORMED, detail)])


def _refused(rel: str, data: bytes) -> Skip | None:
    """Why these bytes are not to be opened as a Word document, or None when they may be."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            return Skip(rel, SkipReason.ENCRYPTED, "a password-protected Word document")
        return Skip(rel, SkipReason.MALFORMED, "a Word 97-2003 file (OLE), not DOCX")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return Skip(rel, SkipReason.MALFORMED, f"not a zip archive, as a DOCX file is ({error_line(error)})")
    if unpacked > MAX_UNPACKED_BYTES:
        return Skip(
            rel, SkipReason.MALFORMED, f"unpacks to {unpacked:,} bytes, over the {MAX_UNPACKED_BYTES:,} limit"
        )
    if unpacked > _RATIO_FLOOR and unpacked > MAX_PACKING_RATIO * len(data):
        return Skip(
            rel,
            SkipReason.MALFORMED,
            f"unpacks to {unpacked // len(data):,} times its size ({unpacked:,} bytes): a zip bomb?",
        )
    return None


def _read(rel: str, document: Document) -> ReadResult:
    text = sanitize("\n\n".join(block for block in _blocks(document) if block.strip()))
    properties = document.core_properties
    title = _heading(document) or normalize_title(sanitize(properties.title or "")) or None
    extracted = extract(text, title)
    if extracted is None:
        return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "no text in the document")])
    date = properties.created or properties.modified
    metadata = {
        name: value
        for name in _METADATA_PROPERTIES
        if (value := normalize_title(sanitize(getattr(properties, name) or "")))
    }
    article = Article(
        id=rel,
        path=rel,
        title=extracted.title,
        body=extracted.body,
        original=text,
        source=extracted.source,
        author=normalize_title(sanitize(properties.author or "")) or extracted.author,
        date=naive_utc(date) if date else extracted.date,
        metadata=metadata,
    )
    return ReadResult(articles=[article])


def _blocks(document: Document) -> Iterator[str]:
    """The text of each paragraph, and of each table, in document order."""
    return map(_text, document.iter_inner_content())


def _text(item: Paragraph | Table) -> str:
    return item.text if isinstance(item, Paragraph) else _table_text(item)


def _table_text(table: Table) -> str:
    """One line per row, cells separated by `` | ``; a cell spanning columns is written once."""
    rows = []
    for row in table.rows:
        cells: list[_Cell] = []
        for cell in row.cells:
            if not cells or cell is not cells[-1]:  # python-docx repeats a spanning cell per column
                cells.append(cell)
        line = " | ".join(_cell_text(cell) for cell in cells)
        if line.strip(" |"):
            rows.append(line)
    return "\n".join(rows)


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs and nested tables, on one line so that its row stays one line."""
    return " ".join(" ".join(map(_text, cell.iter_inner_content())).split())


def _heading(document: Document) -> str | None:
    """The first paragraph styled Title or, before any body text, Heading, as one line: a heading
    further down names a section, not the document."""
    opening = True
    for paragraph in document.paragraphs:
        text = normalize_title(sanitize(paragraph.text))
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style else None) or ""
        if (style == "Title" or (opening and style.startswith("Heading"))) and len(text) <= TITLE_MAX_CHARS:
            return text
        opening = opening and style.startswith("Heading")
    return None
