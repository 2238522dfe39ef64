"""The reader's header: what the article is, where it lives, and which hit is current."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from index.language import ENGLISH
from index.models import Article, ArticleNotes
from tui.marks import header_marks


def _date(article: Article) -> str | None:
    return article.date.strftime("%Y-%m-%d") if article.date else None


@dataclass(frozen=True, slots=True)
class KeyHints:
    """The keys the header names, as the user's keymap has them."""

    step: str = "n/N"
    """The keys that step through the article."""
    stepping: str = "hit"
    """What they step through: the query's hits, or the find's matches ("match") while it is open."""
    find: str = "^f"
    """The key that opens the find, named while it is closed."""


def _language(article: Article) -> str | None:
    """``lang:de`` (what finds it) for an article not in English: English, the archive's usual
    language, goes without saying."""
    return f"lang:{article.language}" if article.language and article.language != ENGLISH else None


def header_text(
    article: Article | None,
    hit_index: int,
    hit_total: int,
    page: int | None = None,
    notes: ArticleNotes | None = None,
    hints: KeyHints = KeyHints(),
) -> Text:
    """Build the header as plain ``Text`` (titles and paths are data, never markup); ``page`` is
    the page of a paged document (a PDF) that holds the current hit; ``notes`` the user's star,
    tags and note, on a line of their own (none without them)."""
    if article is None:
        return Text("No article open. Pick one from the results with Enter.", style="dim")
    text = Text(article.title or "(untitled)", style="bold")
    marks = header_marks(notes)
    if marks:
        text.append("\n")
        text.append_text(marks)
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
    else:
        text.append("no hits in this article", style="dim")
    if hints.stepping == "hit":
        steps = f"  {hints.step} next/previous hit" if hit_total else ""
        text.append(f"{steps}  {hints.find} find", style="dim")
    else:
        text.append(f"  {hints.step} next/previous {hints.stepping}", style="dim")
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
        self._notes: ArticleNotes | None = None
        self._hit: tuple[int, int, int | None] = (-1, 0, None)
        self._hints = KeyHints()

    @property
    def article_id(self) -> str | None:
        """The id of the article shown, if any."""
        return None if self._article is None else self._article.id

    def show(
        self, article: Article | None, hit_index: int = -1, hit_total: int = 0, page: int | None = None
    ) -> None:
        if article is None or article.id != self.article_id:
            self._notes = None  # until the new article's are read
        self._article = article
        self.show_hit(hit_index, hit_total, page)

    def show_hit(self, hit_index: int, hit_total: int, page: int | None = None) -> None:
        self._hit = (hit_index, hit_total, page)
        self._refresh_text()

    def show_notes(self, notes: ArticleNotes | None) -> None:
        """The user's star, tags and note of the article shown."""
        self._notes = notes
        self._refresh_text()

    def show_hints(self, hints: KeyHints) -> None:
        if hints != self._hints:
            self._hints = hints
            self._refresh_text()

    def _refresh_text(self) -> None:
        self.update(header_text(self._article, *self._hit, self._notes, self._hints))
