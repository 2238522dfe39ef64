"""PDF through pypdf: the text layer of every page in reading order, one article per file.

The title is the document's /Title when it reads like one (not a file name nor a word processor's
"Microsoft Word - draft.docx"), else the first heading-like line; /Author and /CreationDate (or
/ModDate) give the byline and the date. Pages are cleaned one by one and joined with a blank line;
where each page starts in the body is kept in ``metadata["pages"]`` ("0,1830,4012"), so that a
reader can say which page a hit is on and open the viewer there.

A PDF is a program more than a document, and pypdf is pure Python: a hostile file is bounded by
pages (``MAX_PAGES``), characters (``MAX_CHARS``) and a wall-clock budget checked between pages
(``SECONDS_PER_FILE``), and whatever pypdf raises becomes a one-line ``Skip``, never a traceback.
A file with no text layer (a scan) is skipped as ``no text (scanned?)``; one that does not open
with an empty password as ``encrypted``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from index.cleaning import paragraphs, sanitize, strip_boilerplate
from index.ingest.extract import Extracted, extract, normalize_title
from index.ingest.pages import PAGES_KEY
from index.ingest.reader import ReadResult, error_line
from index.models import Article, Skip, SkipReason

MAX_PAGES = 2_000
"""Pages read from one file; the rest of a longer one is left out."""

MAX_CHARS = 5_000_000
"""Characters of text kept from one file (a 20 MB file of compressed streams can hold far more)."""

SECONDS_PER_FILE = 30.0
"""Wall-clock budget for one file, checked between pages (read at call time, so tests may patch it)."""

_NOT_A_TITLE = re.compile(
    r"untitled|document\d*|title|microsoft (?:word|powerpoint|excel) - .*|.*\.(?:docx?|pdf|odt|rtf|txt|indd)",
    re.IGNORECASE,
)
"""Titles that producers write for any document: a placeholder, a file name."""

# pypdf reports what it repairs in a malformed file through logging; with no handler configured,
# Python would print each warning on stderr, over the progress line and the explorer.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


class PdfArticleReader:
    """Reads ``.pdf`` files: one article per file, with its id the file's path."""

    def read_bytes(self, rel: str, data: bytes) -> ReadResult:
        try:
            return self._read(rel, data)
        except _Skipped as skipped:
            return ReadResult(skips=[Skip(rel, skipped.reason, skipped.detail)])
        except Exception as error:  # a malformed file may raise anything from pypdf
            return ReadResult(skips=[Skip(rel, SkipReason.MALFORMED, _one_line(error))])

    def _read(self, rel: str, data: bytes) -> ReadResult:
        started = time.monotonic()
        document = _open(data)
        pages = _page_texts(document, started)
        if not any(page.strip() for page in pages):
            raise _Skipped(SkipReason.SCANNED, "no text layer on any page")
        info = _Info(document)
        extracted, body, starts = _body(pages, info.title)
        if extracted is None:
            raise _Skipped(SkipReason.NO_TEXT, "nothing but blank or boilerplate lines")
        article = Article(
            id=rel,
            path=rel,
            title=extracted.title,
            body=body,
            original="\n\n".join(pages),
            source=extracted.source,
            author=info.author or extracted.author,
            date=info.date or extracted.date,
            metadata={PAGES_KEY: ",".join(map(str, starts))},
        )
        return ReadResult(articles=[article])


class _Skipped(Exception):
    def __init__(self, reason: SkipReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _open(data: bytes) -> PdfReader:
    document = PdfReader(io.BytesIO(data))
    if document.is_encrypted:
        try:
            opened = document.decrypt("")
        except DependencyError:
            raise _Skipped(SkipReason.ENCRYPTED, "its cipher needs the 'cryptography' package") from None
        if not opened:
            raise _Skipped(SkipReason.ENCRYPTED, "it needs a password")
    return document


def _page_texts(document: PdfReader, started: float) -> list[str]:
    """The sanitised text of each page read, within the page, character and time bounds."""
    texts: list[str] = []
    kept = 0
    try:
        for number, page in enumerate(document.pages, start=1):
            if number > MAX_PAGES or kept >= MAX_CHARS:
                break
            if time.monotonic() - started > SECONDS_PER_FILE:
                budget = f"over {SECONDS_PER_FILE:g} s by page {number}"
                raise _Skipped(SkipReason.MALFORMED, f"took too long ({budget})")
            text = sanitize(page.extract_text() or "")[: MAX_CHARS - kept]
            kept += len(text)
            texts.append(text)
    except FileNotDecryptedError:
        raise _Skipped(SkipReason.ENCRYPTED, "it needs a password") from None
    return texts


def _body(pages: list[str], title: str | None) -> tuple[Extracted | None, str, list[int]]:
    """The article's title and metadata (from the first page with text), its body, and the offset
    in the body where each page starts (a page without text starts where the next one does)."""
    extracted: Extracted | None = None
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for text in pages:
        starts.append(offset)
        if extracted is None:
            extracted = extract(text, title)
            part = extracted.body if extracted else ""
        else:
            part = paragraphs(strip_boilerplate(text.split("\n")).lines)
        if part:
            parts.append(part)
            offset += len(part) + 2
    body = "\n\n".join(parts)
    return extracted, body, [min(start, len(body)) for start in starts]


class _Info:
    """The document information dictionary, read defensively: any entry may be malformed."""

    def __init__(self, document: PdfReader) -> None:
        try:
            info = document.metadata
        except Exception:  # a broken /Info must not cost the text
            info = None
        self.title = _meaningful_title(_entry(info, "title"))
        author = _entry(info, "author")
        self.author = (normalize_title(sanitize(author)) or None) if isinstance(author, str) else None
        self.date = _aware(_entry(info, "creation_date")) or _aware(_entry(info, "modification_date"))


def _entry(info: object, name: str) -> object:
    try:
        return getattr(info, name, None)
    except Exception:  # pypdf parses these lazily, and may fail
        return None


def _meaningful_title(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    title = normalize_title(sanitize(value))
    if len(title) < 3 or _NOT_A_TITLE.fullmatch(title) or not any(c.isalpha() for c in title):
        return None
    return title


def _aware(value: object) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def _one_line(error: Exception) -> str:
    if not sanitize(str(error)).strip():
        return "not a readable PDF"
    return f"not a readable PDF ({type(error).__name__}: {error_line(error)})"
