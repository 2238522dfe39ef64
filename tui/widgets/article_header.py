"""The reader's header: what the article is, where it lives, and which hit is current."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from index.language import ENGLISH
from index.models import Article


def _date(article: Article) -> str | None:
    return article.date.strftime("%Y-%m-%d") if article.date else None


def _language(article: Article) -> str | None:
    """``lang:de`` (what finds it) for an article not in English: English, the archive's usual
    language, goes without saying."""
    return f"lang:{article.language}" if article.language and article.language != ENGLISH else None


def header_text(article: Article | None, hit_index: int, hit_total: int, page: int | None = None) -> Text:
    """Build the header as plain ``Text`` (titles and paths are data, never markup); ``page`` is
    the page of a paged document (a PDF) that holds the current hit."""
    if article is None:
        return Text("No article open. Pick one from the results with Enter.", style="dim")
    text = Text(article.title or "(untitled)", style="bold")
    byline = [part for part in (article.source, article.author, _date(article), _language(article)) if part]
    if byline:
        text.append("\n")
        text.append(" · ".join(byline), style="italic")
    text.append("\n")
    text.append(article.path, style="dim")
    if article.url:
        text.append("  ")
        text.append(article.url, style="dim underline")
    text.append("\n")
    if hit_total:
        text.append(f"hit {hit_index + 1}/{hit_total}", style="bold")
        if page is not None:
            text.append(f" · page {page:,}", style="bold")
        text.append("  n/N next/previous hit", style="dim")
    else:
        text.append("no hits in this article", style="dim")
    return text


class ArticleHeader(Static):
    """Title, source, author, date, language (when not English), path, url and the hit counter
    (with its page, in a PDF) of the article in view."""

    DEFAULT_CSS = """
    ArticleHeader {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
        background: $boost;
        border-bottom: solid $primary 30%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(header_text(None, -1, 0), id=id)
        self._article: Article | None = None

    def show(
        self, article: Article | None, hit_index: int = -1, hit_total: int = 0, page: int | None = None
    ) -> None:
        self._article = article
        self.update(header_text(article, hit_index, hit_total, page))

    def show_hit(self, hit_index: int, hit_total: int, page: int | None = None) -> None:
        self.update(header_text(self._article, hit_index, hit_total, page))
