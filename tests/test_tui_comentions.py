"""Co-mentions and the date histogram in the explorer, driven from the keyboard with Pilot over the
fake library of fictional articles."""

from __future__ import annotations

from tests.tui_support import FakeLibrary, screen_text, settle, total_shown
from tui.app import BroadsheetApp
from tui.screens.comentions import CoMentionsScreen
from tui.screens.explorer import ExplorerScreen
from tui.widgets.comention_list import CoMentionList
from tui.widgets.date_histogram import DateHistogram
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.filter_bar import FilterChip
from tui.widgets.results import ResultsList

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


def histogram(app: BroadsheetApp) -> DateHistogram:
    return app.screen.query_one(DateHistogram)


async def test_h_points_at_the_histogram_and_enter_filters_to_the_month_under_the_cursor():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert histogram(app).periods == [("2021-01", 2), ("2021-02", 3), ("2021-03", 3)]
        await pilot.press("H")
        assert histogram(app).has_focus and histogram(app).current == ("2021-03", 3)
        await pilot.press("left")
        assert "2021-02: 3" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert chips(app) == ["date:[2021-02-01 to 2021-02-28]"]
        assert library.searches[-1] == "date:[2021-02-01 to 2021-02-28]"
        assert total_shown(app.screen.query_one(ResultsList)) == 3
        assert isinstance(app.focused, ResultsList)

        await pilot.press("x")  # the chip goes as the others do, and every article is back
        await settle(pilot)
        assert chips(app) == [] and total_shown(app.screen.query_one(ResultsList)) == 8


async def test_space_marks_a_start_and_an_end_and_the_range_becomes_one_chip():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("H", "home", "space")
        assert "2021-01…2021-01: 2" in screen_text(app)
        await pilot.press("right", "m")
        await settle(pilot)
        assert chips(app) == ["date:[2021-01-01 to 2021-02-28]"]
        assert total_shown(app.screen.query_one(ResultsList)) == 5
        app.screen.query_one(FilterChip).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert chips(app) == [] and total_shown(app.screen.query_one(ResultsList)) == 8


async def test_esc_drops_a_started_range_then_leaves_the_histogram():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("H", "space", "escape")
        assert histogram(app).has_focus and histogram(app).mark is None
        await pilot.press("escape")
        assert isinstance(app.focused, ResultsList) and chips(app) == []
