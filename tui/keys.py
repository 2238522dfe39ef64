"""The key bindings as data for the help screen and the command palette.

Both read the bindings that are live on the explorer (after any keymap), so neither keeps a list
of its own that could drift from ``BINDINGS``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

GROUP_ORDER = ("Results", "Reader", "Entities", "Filters")
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
            for key, binding in widget._bindings:
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
