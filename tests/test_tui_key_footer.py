"""The footer is rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey

from tui.widgets.key_footer import KeyFooter


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("s", "bell", "Sort", id="test.sort")]

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Input(id="box")
        yield KeyFooter()


def shown(app: Keys) -> list[tuple[str, FooterKey]]:
    return [(key.description, key) for key in app.screen.query(FooterKey)]


async def test_moving_the_focus_keeps_the_footer_unless_its_keys_change() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        app.screen.set_focus(app.query_one("#one"))
        await pilot.pause()
        before = shown(app)
        assert "Sort" in [description for description, _ in before]
        app.screen.set_focus(app.query_one("#two"))
        await pilot.pause()
        assert shown(app) == before, "the same keys: the same footer widgets, not rebuilt"
        app.screen.set_focus(app.query_one("#box"))
        await pilot.pause()
        assert "Sort" not in [description for description, _ in shown(app)], "typing hides the letter keys"
