"""Markdown: read as plain text is (front matter, title, byline), once its markup is turned into prose.

The conversion happens here, at ingest, so that the stored body is the text a reader reads: the
index, the highlights and entity offsets computed on it, the snippets and the reader all see the
same characters, and no layer has to map offsets between Markdown and what it shows. Headings,
emphasis, links, code and tables lose their marks and keep their words; list items keep a bullet
or their number. The author's line breaks stay (the title, byline and date are found line by line);
the file's own text stays in ``Article.original``.

markdown-it-py is CommonMark-exact but pure Python: about 12 µs a character on ordinary prose and
150 on a hostile run of ``[`` (measured on a loaded 2-core machine), so a file longer than
``MARKDOWN_MAX_CHARS`` is read as plain text, marks and all, rather than stall indexing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index.cleaning import sanitize
from index.ingest.text import TextReader

MARKDOWN_MAX_CHARS = 100_000
"""A long read is some 50,000 characters; longer Markdown is read as plain text."""

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_TAG = re.compile(r"<[^>]*>")
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BULLET = "• "
_INDENT = "  "


class MarkdownReader(TextReader):
    """Reads ``.md`` files: front matter as ``TextReader`` does, the rest as plain prose."""

    def prose(self, content: str) -> str:
        if len(content) > MARKDOWN_MAX_CHARS:
            return content
        # Character references such as ``&#x202E;`` become characters only now: sanitise again.
        return sanitize(markdown_prose(content))


def markdown_prose(text: str) -> str:
    """The words of Markdown ``text`` without its markup, blocks separated by a blank line."""
    return _Prose().render(_PARSER.parse(text))


class _Prose:
    """Walks the block tokens once, keeping only what a reader of the rendered page would read."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.list_depth = 0
        self.item_prefix: str | None = None
        self.row: list[str] | None = None
        self.in_run = False
        """Whether the last block was a list item or a table row, which the next one follows closely."""

    def render(self, tokens: Sequence[Token]) -> str:
        for token in tokens:
            self._block(token)
        return "".join(self.blocks).strip("\n")

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.list_depth -= 1
            self.in_run = self.list_depth > 0
        elif kind == "list_item_open":
            marker = f"{token.info}{token.markup} " if token.info else _BULLET
            self.item_prefix = _INDENT * (self.list_depth - 1) + marker
        elif kind == "list_item_close":
            self.item_prefix = None
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._emit(" | ".join(self.row), tight=True)
            self.row = None
        elif kind == "table_close":
            self.in_run = False
        elif kind == "inline" and self.row is not None:
            self.row.append(_inline_text(token.children or ()))
        elif kind == "inline":
            self._emit(_inline_text(token.children or ()), tight=self.list_depth > 0)
        elif kind in ("fence", "code_block"):
            self._emit(token.content.rstrip("\n"), tight=False)
        elif kind == "html_block":
            self._emit(html.unescape(_TAG.sub("", token.content)).strip("\n"), tight=False)

    def _emit(self, text: str, *, tight: bool) -> None:
        """Add one block: the items of a list and the rows of a table follow each other line by line."""
        if not text.strip():
            return
        if self.item_prefix is not None:
            text, self.item_prefix = self.item_prefix + text, None
        if self.blocks:
            self.blocks.append("\n" if tight and self.in_run else "\n\n")
        self.blocks.append(text)
        self.in_run = tight


def _inline_text(children: Sequence[Token]) -> str:
    pieces = []
    for child in children:
        if child.type in ("text", "code_inline", "image"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and _LINE_BREAK_TAG.fullmatch(child.content)
        ):
            pieces.append("\n")
    return "".join(pieces)
