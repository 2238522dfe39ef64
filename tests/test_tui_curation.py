"""The explorer's notebook keys, driven with Pilot over the fake library (whose notebook is a real
one in the test's data folder): correcting entities from the sidebar, saving and reopening searches,
and the history of searches across runs."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from index.models import Query, SortOrder
from index.notebook.searches import saved_search
from tests.test_tui import type_in_one_burst
from tests.tui_support import FakeLibrary, screen_text, settle, wait_until
from tui.app import BroadsheetApp
from tui.screens.explorer import ExplorerScreen
from tui.screens.label_choice import LabelChoice
from tui.screens.name_prompt import NamePrompt
from tui.screens.saved_searches import SavedSearchesScreen
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.results import ResultsList

SIZE = (120, 40)
HOSTILE = "\x1b[2J[red]boom[/red]"


def make_app() -> tuple[BroadsheetApp, FakeLibrary]:
    library = FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False), library


async def search(pilot: Pilot[Any], query: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one("#query", Input).value = ""
    await pilot.press(*query, "enter")
    await settle(pilot)


def explorer(app: BroadsheetApp) -> ExplorerScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, ExplorerScreen)
    return screen


def sidebar(app: BroadsheetApp) -> list[tuple[str, str]]:
    """The (label, name) of each entity the sidebar lists."""
    return [(entry[0], entry[1]) for entry in explorer(app).query_one(EntityPanel)._entries if entry]


async def on_entity(pilot: Pilot[Any], name: str) -> None:
    """Focus the sidebar with its cursor on the entity called ``name``."""
    panel = explorer(pilot.app).query_one(EntityPanel)
    panel.focus()
    panel.highlighted = next(n for n, e in enumerate(panel._entries) if e and e[1] == name)
    await pilot.pause()


def titles(app: BroadsheetApp) -> list[str]:
    return [hit.title for hit in explorer(app).query_one(ResultsList).hits]


def notices(app: BroadsheetApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def curate_then_settle(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_h_hides_an_entity_from_the_sidebar_and_the_facets_and_u_brings_it_back():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "fleet")
        assert ("ORG", "Harbour Council") in sidebar(app)
        await on_entity(pilot, "Harbour Council")
        await curate_then_settle(pilot, "h")
        assert ("ORG", "Harbour Council") not in sidebar(app)
        assert ("PLACE", "Port Amsel") in sidebar(app)
        assert "Harbour Council" not in {mention.canonical for mention in explorer(app)._session.mentions}
        assert "Done: hide 'Harbour Council' (ORG). u undoes it." in notices(app)
        await curate_then_settle(pilot, "escape", "f")
        assert ("PLACE", "Port Amsel") in sidebar(app)
        assert ("ORG", "Harbour Council") not in sidebar(app)

        await curate_then_settle(pilot, "u")
        assert ("ORG", "Harbour Council") in sidebar(app)
        assert "Undone: hide 'Harbour Council' (ORG)." in notices(app)


async def test_after_h_the_cursor_is_on_the_entity_now_in_its_place_so_h_again_hides_that_one():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "review")
        listed = sidebar(app)
        assert len(listed) >= 3
        await on_entity(pilot, listed[0][1])
        await curate_then_settle(pilot, "h")
        await curate_then_settle(pilot, "h")
        assert sidebar(app) == listed[2:]


async def test_m_merges_into_a_completed_name_and_the_canonical_s_query_finds_the_alias_s_articles():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "lighthouse")
        await on_entity(pilot, "Gull Point")
        await curate_then_settle(pilot, "M")
        assert isinstance(app.screen, NamePrompt)
        await pilot.press(*"Vedlt", "enter")  # a slip: refused with the nearest name, nothing changed
        await settle(pilot)
        assert "No entity is named 'Vedlt'; did you mean 'Veldt'?" in notices(app)
        assert ("PLACE", "Gull Point") in sidebar(app)

        await on_entity(pilot, "Gull Point")
        await curate_then_settle(pilot, "M")
        await pilot.press(*"vel", "right", "enter")  # → takes the completion
        await settle(pilot)
        assert "Done: merge 'Gull Point' (PLACE) into 'Veldt' (PLACE). u undoes it." in notices(app)
        assert sidebar(app) == [("PLACE", "Veldt")]
        await search(pilot, 'place:"Veldt"')
        assert "Lighthouse restored on Gull Point" in titles(app)


async def test_r_renames_and_l_relabels_the_entity_under_the_cursor_a_hostile_name_shown_as_data():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "fleet")
        await on_entity(pilot, "Port Amsel")
        await curate_then_settle(pilot, "r")
        prompt = app.screen
        assert isinstance(prompt, NamePrompt)
        assert prompt.query_one(Input).value == "Port Amsel"
        await pilot.press(*" Harbour", "enter")
        await settle(pilot)
        assert ("PLACE", "Port Amsel Harbour") in sidebar(app)
        assert "Port Amsel Harbour" in screen_text(app)

        await on_entity(pilot, "Port Amsel Harbour")
        await curate_then_settle(pilot, "l")
        choice = app.screen
        assert isinstance(choice, LabelChoice)
        labels = choice.query_one(OptionList)
        labels.highlighted = next(
            n for n in range(labels.option_count) if labels.get_option_at_index(n).id == "ORG"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert ("ORG", "Port Amsel Harbour") in sidebar(app)
        await curate_then_settle(pilot, "u")
        assert ("PLACE", "Port Amsel Harbour") in sidebar(app)

        await on_entity(pilot, "Port Amsel Harbour")
        await curate_then_settle(pilot, "r")
        app.screen.query_one(Input).value = HOSTILE
        await pilot.press("enter")
        await settle(pilot)
        assert ("PLACE", HOSTILE) in sidebar(app)  # kept as typed, shown as data
        assert "[red]boom[/red]" in screen_text(app) and "\x1b" not in screen_text(app)


async def test_ctrl_u_and_a_name_typed_in_one_burst_rename_the_entity_to_that_name():
    """Ctrl+U then a name in one burst (as tmux or a fast typist over ssh sends them) closed the
    prompt with nothing: Ctrl+U, resolved once it had bubbled up, erased the name typed after it."""
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "fleet")
        await on_entity(pilot, "Port Amsel")
        await curate_then_settle(pilot, "r")
        type_in_one_burst(app, [("ctrl+u", None), *zip("Amsel", "Amsel", strict=True), ("enter", None)])
        await wait_until(pilot, lambda: ("PLACE", "Amsel") in sidebar(app), what="the new name")


async def test_ctrl_s_saves_the_search_l_or_the_palette_reopens_it_and_delete_forgets_it():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "storm")
        await curate_then_settle(pilot, "s")  # by date
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NamePrompt)
        app.screen.query_one(Input).value = HOSTILE
        await pilot.press("enter")
        await settle(pilot)
        (saved,) = library.saved_searches()
        assert (saved.name, saved.query.text, saved.query.sort) == (HOSTILE, "storm", SortOrder.DATE)

        await search(pilot, "harbour")
        await curate_then_settle(pilot, "escape", "L")
        assert isinstance(app.screen, SavedSearchesScreen)
        shown = screen_text(app)
        assert "[red]boom[/red]" in shown and "\x1b" not in shown
        await pilot.press("enter")
        await settle(pilot)
        assert explorer(app).query_one("#query", Input).value == "storm"
        assert library.searches[-1] == "storm" and explorer(app)._session.state.sort is SortOrder.DATE

        await search(pilot, "harbour")
        await pilot.press("escape", "ctrl+p", *"saved search boom")
        await wait_until(pilot, lambda: "Saved search: [red]boom[/red]" in screen_text(app), what="the hit")
        await pilot.press("enter")
        await settle(pilot)
        assert library.searches[-1] == "storm"

        await curate_then_settle(pilot, "L")
        await pilot.press("delete", "escape")
        await settle(pilot)
        assert library.saved_searches() == [] and explorer(app).saved_searches == []


async def test_at_80x24_the_save_prompt_of_a_long_query_and_a_long_list_of_saved_searches_fit():
    """Their titles and keys stay in view: the query is shortened, the list scrolls."""
    app, library = make_app()
    for number in range(25):
        library.save_search(saved_search(f"search {number}", Query("storm")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        explorer(app).query_one("#query", Input).value = " OR ".join(["harbour council"] * 20)
        await curate_then_settle(pilot, "enter", "ctrl+s")
        shown = screen_text(app)
        assert "Save search" in shown and "Enter confirms · Esc cancels" in shown, shown
        await curate_then_settle(pilot, "escape", "L")
        shown = screen_text(app)
        assert "Saved searches" in shown and "Enter reopens · Delete forgets · Esc closes" in shown, shown


async def test_up_and_down_walk_the_searches_of_an_earlier_run_like_a_shell():
    first, _ = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("harbour", "storm", "storm"):
            await search(pilot, query)
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = explorer(app).query_one("#query", Input)
        await pilot.press("slash", *"wa")
        recalled = []
        for key in ("up", "up", "up", "up", "down", "down", "down"):
            await pilot.press(key)
            recalled.append(box.value)
        assert recalled == ["storm", "harbour", "harbour", "harbour", "storm", "wa", "wa"]
