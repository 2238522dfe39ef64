"""HTML pages: the main text and metadata that trafilatura finds, cleaned like any text.

trafilatura separates the article from the page (menus, footers, comments) and reads the
title, author, date, site name and canonical URL from the markup. When it finds no main text
(a fragment, a page of plain text, markup too deeply nested for its tree), the page's visible
text is used instead, so a page with words in it is never skipped for its shape.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser

from index.cleaning import sanitize
from index.ingest.dates import parse_date
from index.ingest.extract import Extracted, extract, normalize_title
from index.ingest.publishers import canonical_publisher
from index.ingest.reader import ReadResult
from index.models import Article, Skip, SkipReason

_BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    )
)
_INVISIBLE_TAGS = frozenset(("script", "style", "template", "noscript", "head"))

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


class HtmlReader:
    """Reads ``.html`` and ``.htm`` files: one article per page."""

    def read(self, rel: str, text: str) -> ReadResult:
        original = sanitize(text)
        document = _trafilatura(original)
        if document is not None and document.text and document.text.strip():
            extracted = extract(sanitize(document.text), _title(document.title), line_paragraphs=True)
        else:
            page = _VisibleText.of(original)
            extracted = extract(page.text, _title(page.title), line_paragraphs=True)
            document = None
        if extracted is None:
            return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "no visible text in the page")])
        return ReadResult(articles=[_article(rel, original, extracted, document)])


def _article(rel: str, original: str, extracted: Extracted, document: object | None) -> Article:
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


def _trafilatura(html: str) -> object | None:
    import trafilatura  # imported on first use: it costs ~0.5 s, too much for the TUI's first frame

    try:
        return trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # a third-party parser on hostile input: any failure means "use the fallback"
        return None


class _VisibleText(HTMLParser):
    """The text a browser would show, one line per block element, and the ``<title>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.text = ""
        self._hidden = 0
        self._in_title = False

    @classmethod
    def of(cls, html: str) -> _VisibleText:
        parser = cls()
        parser.feed(html)
        parser.close()
        parser.text = sanitize("".join(parser.parts))
        return parser

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden += 1
        self._in_title = tag == "title" or self._in_title
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden = max(0, self._hidden - 1)
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._hidden:
            self.parts.append(data)
