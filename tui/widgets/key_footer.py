"""The footer of key bindings, built again only when the keys it shows change.

Textual's ``Footer`` rebuilds itself, a dozen key widgets unmounted and mounted and the whole screen
laid out again, each time the focus moves (twice: once as the focus changes, once after the next
refresh), whether or not the keys it shows differ. Enter moves the focus from the search box to the
results, so that work ran beside every search (``bench/tui_latency.py``). The keys shown are the
same for most moves of the focus in the explorer, and then there is nothing to rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(active: Iterable[ActiveBinding]) -> tuple[tuple[Binding, bool, str], ...]:
    """What a footer draws of the screen's active bindings: each shown one, whether it is enabled,
    and its tooltip."""
    return tuple((found.binding, found.enabled, found.tooltip) for found in active if found.binding.show)


class KeyFooter(Footer):
    """A ``Footer`` that skips rebuilding itself when the keys it would show are those it shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed: tuple[tuple[Binding, bool, str], ...] | None = None

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._composed = shown_keys(self.screen.active_bindings.values())
        return super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._composed is not None and shown_keys(screen.active_bindings.values()) == self._composed:
            return
        super().bindings_changed(screen)
