"""Co-mentions and the date histogram in the explorer, driven from the keyboard with Pilot over the
fake library of fictional articles."""

from __future__ import annotations

from tests.tui_support import FakeLibrary, screen_text, settle
from tui.app import BroadsheetApp
from tui.screens.comentions import CoMentionsScreen
from tui.screens.explorer import ExplorerScreen
from tui.widgets.comention_list import CoMentionList
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.filter_bar import FilterChip

SIZE = (120, 40)


def make_app() -> tuple[BroadsheetApp, FakeLibrary]:
    library = FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False), library


def chips(app: BroadsheetApp) -> list[str]:
    return [chip.filter.shown for chip in app.screen.query(FilterChip)]


async def test_w_shows_who_appears_with_an_entity_and_enter_pivots_to_one():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")  # the sidebar lists the results' entities: Mara Quell first
        await settle(pilot)
        app.screen.query_one(EntityPanel).focus()
        await pilot.press("home", "w")
        await settle(pilot)
        assert isinstance(app.screen, CoMentionsScreen)
        text = screen_text(app)
        assert "Mara Quell · PERSON · 5 articles of the results" in text
        assert "2021-01" in text and "2021-03" in text
        listed = app.screen.query_one(CoMentionList)
        assert listed.option_count == 5 and "Harbour Council" in text
        await pilot.press("enter")  # the first: the one sharing the most articles
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)
        assert chips(app) == ['org:"Harbour Council"']
        assert library.searches[-1] == 'org:"Harbour Council"'


async def test_esc_leaves_the_co_mentions_without_a_filter():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one(EntityPanel).focus()
        await pilot.press("home", "w")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen) and chips(app) == []
        assert isinstance(app.focused, EntityPanel)
