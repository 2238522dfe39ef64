"""The reader's header: what the article is, where it lives, and which hit is current."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from index.models import Article


def _date(article: Article) -> str | None:
    return article.date.strftime("%Y-%m-%d") if article.date else None


def header_text(
    article: Article | None,
    hit_index: int,
    hit_total: int,
    page: int | None = None,
    step_keys: str = "n/N",
    stepping: str = "hit",
) -> Text:
    """Build the header as plain ``Text`` (titles and paths are data, never markup); ``page`` is
    the page of a paged document (a PDF) that holds the current hit; ``step_keys`` (after the
    user's keymap) step through the query's hits, or through the find's matches (``stepping``)."""
    if article is None:
        return Text("No article open. Pick one from the results with Enter.", style="dim")
    text = Text(article.title or "(untitled)", style="bold")
    byline = [part for part in (article.source, article.author, _date(article)) if part]
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
    else:
        text.append("no hits in this article", style="dim")
    if hit_total or stepping != "hit":
        text.append(f"  {step_keys} next/previous {stepping}", style="dim")
    return text


class ArticleHeader(Static):
    """Title, source, author, date, path, url and the hit counter (with its page, in a PDF) of the
    article in view."""

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
        self._hit: tuple[int, int, int | None] = (-1, 0, None)
        self._step_keys = ("n/N", "hit")

    def show(
        self, article: Article | None, hit_index: int = -1, hit_total: int = 0, page: int | None = None
    ) -> None:
        self._article = article
        self.show_hit(hit_index, hit_total, page)

    def show_hit(self, hit_index: int, hit_total: int, page: int | None = None) -> None:
        self._hit = (hit_index, hit_total, page)
        self._refresh_text()

    def show_step_keys(self, keys: str, stepping: str) -> None:
        """The keys that step through the article (e.g. "n/N") and what they step through ("hit",
        or "match" while the find bar is open)."""
        if (keys, stepping) != self._step_keys:
            self._step_keys = (keys, stepping)
            self._refresh_text()

    def _refresh_text(self) -> None:
        self.update(header_text(self._article, *self._hit, *self._step_keys))
