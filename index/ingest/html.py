"""HTML pages: the main text and metadata that trafilatura finds, cleaned like any text.

trafilatura separates the article from the page (menus, footers, comments) and reads the
title, author, date, site name and canonical URL from the markup. When it finds no main text
(a fragment, a page of plain text, markup too deeply nested for its tree), the page's visible
text is used instead, so a page with words in it is never skipped for its shape.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import unescape
from typing import TYPE_CHECKING

from index.cleaning import sanitize
from index.ingest.dates import parse_date
from index.ingest.extract import Extracted, extract, normalize_title
from index.ingest.publishers import canonical_publisher
from index.ingest.reader import ReadResult
from index.models import Article, Skip, SkipReason

if TYPE_CHECKING:
    from trafilatura.settings import Document

EXTRACTOR_MAX_CHARS = 2_000_000
"""Larger pages skip trafilatura, which takes seconds per megabyte of text, for the plain fallback."""

_HIDDEN_TAGS = ("script", "style", "template", "noscript", "head")
_HIDDEN_OPEN = re.compile(rf"<(?:({'|'.join(_HIDDEN_TAGS)})\b|!--)", re.IGNORECASE)
_HIDDEN_CLOSE = {
    **{tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in _HIDDEN_TAGS},
    "!--": re.compile("-->"),
}
_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav"
    "|ol|p|pre|section|table|td|th|tr|ul"
)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h1|h2|h3|h4|h5|h6|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul)\b[^<>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^<>]*>")
_TITLE = re.compile(r"<title\b[^<>]*>([^<]*)", re.IGNORECASE)

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


class HtmlReader:
    """Reads ``.html`` and ``.htm`` files: one article per page."""

    def read(self, rel: str, text: str) -> ReadResult:
        original = sanitize(text)
        page = main_text(original)
        extracted = extract(page.text, page.title, line_paragraphs=True)
        if extracted is None:
            return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "no visible text in the page")])
        return ReadResult(articles=[_article(rel, original, extracted, page.document)])


@dataclass(frozen=True, slots=True)
class Page:
    """What a page says, one line per paragraph (sanitised), and its title."""

    title: str | None
    text: str
    document: Document | None
    """trafilatura's reading of the page, with its metadata; None when the visible text was used."""


def main_text(html: str) -> Page:
    """The article in sanitised ``html``: trafilatura's main text, else the page's visible text."""
    document = _trafilatura(html) if len(html) <= EXTRACTOR_MAX_CHARS else None
    if document is not None and document.text and document.text.strip():
        return Page(_title(document.title), sanitize(document.text), document)
    page_title, page_text = visible_text(html)
    return Page(_title(page_title), page_text, None)


def _article(rel: str, original: str, extracted: Extracted, document: Document | None) -> Article:
    def field(name: str) -> str | None:
        value = getattr(document, name, None)
        return (normalize_title(sanitize(value)) or None) if isinstance(value, str) else None

    sitename, hostname = field("sitename"), field("hostname")
    source = (
        ((canonical_publisher(sitename) or sitename) if sitename else None)
        or (canonical_publisher(hostname) if hostname else None)
        or extracted.source
    )
    date_text = field("date")
    return Article(
        id=rel,
        path=rel,
        title=extracted.title,
        body=extracted.body,
        original=original,
        source=source,
        author=field("author") or extracted.author,
        date=(parse_date(date_text) if date_text else None) or extracted.date,
        url=field("url"),
    )


def _title(title: str | None) -> str | None:
    return (normalize_title(sanitize(title)) or None) if title else None


def _trafilatura(html: str) -> Document | None:
    import trafilatura  # imported on first use: it costs ~0.5 s, too much for the TUI's first frame
    from trafilatura.settings import Document

    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # a third-party parser on hostile input: any failure means "use the fallback"
        return None
    return document if isinstance(document, Document) else None  # a dict only if asked for one


def visible_text(html: str) -> tuple[str | None, str]:
    """The page's ``<title>`` and the text a browser would show, one line per block element.

    Regular expressions rather than a parser, each bounded so that unclosed tags or comments in
    a hostile page cost one pass over it, not one pass per tag.
    """
    title = _TITLE.search(html)
    text = unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", _drop_hidden(html))))
    return (unescape(title[1]) if title else None), sanitize(text)


def _drop_hidden(html: str) -> str:
    """``html`` without comments and the contents of script, style and head elements."""
    kept = []
    position = 0
    while (opening := _HIDDEN_OPEN.search(html, position)) is not None:
        kept.append(html[position : opening.start()])
        closing = _HIDDEN_CLOSE[(opening[1] or "!--").lower()].search(html, opening.end())
        if closing is None:  # unclosed: like a browser, hide the rest of the page
            return "".join(kept)
        position = closing.end()
    kept.append(html[position:])
    return "".join(kept)
