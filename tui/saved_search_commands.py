"""The saved searches in the command palette: "Saved search: NAME" reopens one.

Names and queries are the user's text: shown as plain text (the palette reads a string prompt or
help as markup), with no escape sequence or control character."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from index.cleaning import sanitize
from tui.screens.explorer import ExplorerScreen

PREFIX = "Saved search: "


class SavedSearchCommands(Provider):
    """Offers each saved search the explorer knows of, by name; choosing one reopens it."""

    def _searches(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(what the palette shows, its help line, what reopens it) per saved search."""
        screen = self.screen
        if not isinstance(screen, ExplorerScreen):
            return []
        return [
            (
                PREFIX + _plain(search.name),
                escape(_plain(search.shown)),
                partial(screen.open_saved_search, search),
            )
            for search in screen.saved_searches
        ]

    async def discover(self) -> Hits:
        for shown, help_line, reopen in self._searches():
            yield DiscoveryHit(Text(shown), reopen, help=help_line)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for shown, help_line, reopen in self._searches():
            score = matcher.match(shown)
            if score > 0:
                yield Hit(score, Text(shown), reopen, help=help_line)


def _plain(text: str) -> str:
    """One line of the user's text, without escape sequences or control characters."""
    return " ".join(sanitize(text).split())
