"""The key bindings as data for the help screen and the command palette.

Both read the bindings that are live on the explorer (after any keymap), so neither keeps a list
of its own that could drift from ``BINDINGS``. So does the reader's header, which names the keys
that step through the article.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap, Keymap
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

GROUP_ORDER = ("Results", "Reader", "Find", "Entities", "Dates", "Filters")
"""Panes list their keys in the help screen under their ``HELP_GROUP``, in this order."""

SIDEWAYS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})
"""Inherited scrolling actions left out of the help: every pane wraps its text, so they do nothing."""


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One action, the keys that run it, and where it is defined."""

    keys: str
    description: str
    action: str
    node: DOMNode
    group: str


def live_keymap(app: App[Any]) -> Keymap:
    """The keymap the app runs with, as ``App.set_keymap`` normalised it. Textual keeps it in a private
    attribute and applies it only along the focus chain; it is read here and nowhere else, and
    tests/test_keymap.py fails if Textual moves it."""
    return app._keymap


def bindings_of(node: DOMNode) -> BindingsMap:
    """``node``'s bindings after the app's keymap, whether or not the focus is on or inside it."""
    bindings = node._bindings.copy()
    keymap = live_keymap(node.app)
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def key_names(node: DOMNode, binding_id: str) -> list[str]:
    """The keys bound to ``binding_id`` on ``node`` after the keymap, as the footer shows them."""
    app = node.app
    shown = (app.get_key_display(binding) for _, binding in bindings_of(node) if binding.id == binding_id)
    return list(dict.fromkeys(shown))


def key_help(screen: Screen) -> list[KeyHelp]:
    """Every described binding on ``screen``: its own, the app's, and each pane's (focused or not)."""
    app = screen.app
    keys: dict[tuple[int, str], list[str]] = {}
    rows: dict[tuple[int, str], KeyHelp] = {}

    def add(node: DOMNode, binding: Binding, key: str, group: str) -> None:
        if not binding.description or binding.system or binding.action in SIDEWAYS:
            return
        slot = (id(node), binding.action)
        keys.setdefault(slot, []).append(app.get_key_display(binding) or key)
        rows.setdefault(slot, KeyHelp("", binding.description, binding.action, node, group))

    for key, active in screen.active_bindings.items():
        if active.node is app or active.node is screen:
            add(active.node, active.binding, key, "App" if active.node is app else "Explorer")
    seen: set[type] = set()
    for widget in screen.query("*"):
        group = getattr(widget, "HELP_GROUP", None)
        if group and type(widget) not in seen:
            seen.add(type(widget))
            for key, binding in bindings_of(widget):
                add(widget, binding, key, group)
    order = {name: rank for rank, name in enumerate(("Explorer", *GROUP_ORDER, "App"))}
    merged = [
        KeyHelp(" ".join(dict.fromkeys(keys[slot])), row.description, row.action, row.node, row.group)
        for slot, row in rows.items()
    ]
    return sorted(merged, key=lambda row: order.get(row.group, len(GROUP_ORDER)))


class BindingCommands(Provider):
    """Offers the explorer's and the app's key bindings in the command palette, under their descriptions."""

    def _commands(self) -> list[KeyHelp]:
        return [
            row
            for row in key_help(self.screen)
            if row.group in ("Explorer", "App") and row.action != "command_palette"
        ]

    def _runner(self, row: KeyHelp) -> Callable[[], Awaitable[bool]]:
        return partial(self.app.run_action, row.action, row.node)

    async def discover(self) -> Hits:
        for row in self._commands():
            yield DiscoveryHit(row.description, self._runner(row), help=f"Key: {row.keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for row in self._commands():
            score = matcher.match(row.description)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(row.description), self._runner(row), help=f"Key: {row.keys}"
                )
