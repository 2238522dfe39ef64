"""The key bindings as data for the help screen and the command palette.

Both read the bindings that are live on the explorer (after any keymap), so neither keeps a list
of its own that could drift from ``BINDINGS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One action, the keys that run it, and where it is defined."""

    keys: str
    description: str
    action: str
    node: DOMNode
    group: str


def key_help(screen: Screen) -> list[KeyHelp]:
    """Every described binding active on ``screen``: its own, the focused widget's, and the app's."""
    app = screen.app
    keys_by_action: dict[tuple[int, str], list[str]] = {}
    first: dict[tuple[int, str], KeyHelp] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        slot = (id(active.node), binding.action)
        keys_by_action.setdefault(slot, []).append(app.get_key_display(binding) or key)
        if slot not in first:
            group = "App" if active.node is app else "Explorer" if active.node is screen else "Focused pane"
            first[slot] = KeyHelp("", binding.description, binding.action, active.node, group)
    order = {"Explorer": 0, "Focused pane": 1, "App": 2}
    rows = [
        KeyHelp(
            " ".join(dict.fromkeys(keys_by_action[slot])), row.description, row.action, row.node, row.group
        )
        for slot, row in first.items()
    ]
    return sorted(rows, key=lambda row: order[row.group])


class BindingCommands(Provider):
    """Offers every key binding in the command palette, under its description."""

    def _commands(self) -> list[KeyHelp]:
        return [row for row in key_help(self.screen) if row.action != "command_palette"]

    def _runner(self, row: KeyHelp) -> partial[object]:
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
