"""Layout snapshots of the explorer (SVGs in tests/__snapshots__; refresh with --snapshot-update).

They use the fake library over the fixture corpus in tests/data/tui, with timing hidden, so the
pictures depend on nothing but the layout code.
"""

from __future__ import annotations

from textual.widgets import Input

from tests.tui_support import FakeLibrary, settle
from tui.app import BroadsheetApp
from tui.widgets.entity_panel import EntityPanel


def fixture_app() -> BroadsheetApp:
    library = FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False)


async def open_storm_article(pilot) -> None:
    await settle(pilot)
    await pilot.press("slash", *"storm", "enter")
    await settle(pilot)
    await pilot.press("escape", "j", "enter", "n")
    await settle(pilot)


def test_main_screen_at_80x24(snap_compare):
    assert snap_compare(fixture_app(), terminal_size=(80, 24), run_before=open_storm_article)


def test_main_screen_at_160x48(snap_compare):
    assert snap_compare(fixture_app(), terminal_size=(160, 48), run_before=open_storm_article)


def test_help_screen(snap_compare):
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(fixture_app(), terminal_size=(100, 50), run_before=open_help)


def test_bad_query_keeps_results_and_shows_the_message(snap_compare):
    async def bad_query(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"wall", "enter")
        await settle(pilot)
        await pilot.press("slash")  # Enter moved the focus on to the results
        pilot.app.screen.query_one(Input).value = ""
        await pilot.press(*'wall "open', "enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(fixture_app(), terminal_size=(80, 24), run_before=bad_query)


def test_markup_in_an_article_is_shown_literally(snap_compare):
    async def open_markup(pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"markup", "enter")
        await settle(pilot)
        await pilot.press("escape", "enter")
        await settle(pilot)

    assert snap_compare(fixture_app(), terminal_size=(120, 30), run_before=open_markup)


def test_find_bar_at_80x24(snap_compare):
    """The find bar under the reader: its text, the count, the mode, and its keys in the footer; the
    matches marked beside the query's hits."""

    async def find_in_article(pilot) -> None:
        await open_storm_article(pilot)
        await pilot.press("ctrl+f", *"the", "enter")
        await settle(pilot)

    assert snap_compare(fixture_app(), terminal_size=(80, 24), run_before=find_in_article)


def test_co_mentions_at_80x24(snap_compare):
    async def open_comentions(pilot) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        pilot.app.screen.query_one(EntityPanel).focus()
        await pilot.press("home", "w")
        await settle(pilot)

    assert snap_compare(fixture_app(), terminal_size=(80, 24), run_before=open_comentions)
