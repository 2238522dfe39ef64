"""Copies of a story in the explorer: listed under their folded hit (+), and two of them compared
side by side, word by word (d), over the fake library with a story copied twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from index.duplicates import DuplicateGroup
from index.models import Article, Progress
from tests.duplicates_support import body, story
from tests.tui_support import FakeLibrary, screen_text, settle, wait_until
from tui.app import BroadsheetApp
from tui.keys import key_help
from tui.screens.compare import CompareScreen
from tui.screens.explorer import ExplorerScreen
from tui.widgets.copy_pane import CopyPane
from tui.widgets.results import ResultsList

SIZE = (120, 40)
STORY = "articles.jsonl#2"  # "Flood pumps fail as storm hits Veldt", Veldt Courier, 2021-01-18


def copied_library(*, story_body: str | None = None, edited_body: str | None = None) -> FakeLibrary:
    """The fixture, with story 2 (or ``story_body`` in its place) copied word for word by a wire
    agency and then edited by a paper (or replaced by ``edited_body``)."""
    library = FakeLibrary.fixture()
    original = library.articles[STORY]
    if story_body is not None:
        original = library.articles[STORY] = dataclasses.replace(original, body=story_body)
    exact = dataclasses.replace(
        original,
        id="wire/exact.txt",
        path="wire/exact.txt",
        source="Wire Agency",
        date=dt.datetime(2021, 1, 19),
    )
    body = edited_body or original.body.replace("pumps", "pumping stations", 1) + "\n\nMore to follow."
    edited = dataclasses.replace(
        original,
        id="papers/edited.txt",
        path="papers/edited.txt",
        source="Tessaly Times",
        date=dt.datetime(2021, 1, 20),
        body=body,
    )
    library.articles.update({article.id: article for article in (exact, edited)})
    library.duplicate_groups = [DuplicateGroup((STORY, exact.id, edited.id), exact=False)]
    return library


def make_app(library: FakeLibrary) -> BroadsheetApp:
    return BroadsheetApp(opener=lambda: library, show_timing=False)


async def fold_and_find_story(pilot) -> ResultsList:
    """Search "storm" with copies folded, the cursor on the story's line."""
    await settle(pilot)
    await pilot.press("slash", *"storm", "enter")
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    results = pilot.app.screen.query_one(ResultsList)
    results.highlighted = [hit.id for hit in results.hits].index(STORY)
    await settle(pilot)
    return results


def panes(app: BroadsheetApp) -> tuple[CopyPane, CopyPane]:
    return app.screen.query_one("#older", CopyPane), app.screen.query_one("#newer", CopyPane)


async def compared(pilot) -> None:
    await wait_until(pilot, lambda: "Comparing…" not in screen_text(pilot.app), what="the comparison")


async def test_plus_lists_a_folded_hits_copies_oldest_first_under_it_and_hides_them():
    app = make_app(copied_library())
    async with app.run_test(size=SIZE) as pilot:
        results = await fold_and_find_story(pilot)
        assert results.current_hit is not None and results.current_hit.similar == 2
        await pilot.press("plus")
        await settle(pilot)
        text = screen_text(app)
        rows = [
            text.index(row)
            for row in (
                "▸ 2021-01-18  Veldt Courier",
                "· 2021-01-19  Wire Agency  wire/",
                "· 2021-01-20  Tessaly Times",
            )
        ]
        assert rows == sorted(rows)
        assert text.index("+2 similar") < rows[0]
        assert results.copies_shown(results.current_hit)
        await pilot.press("plus")
        await settle(pilot)
        assert "wire/exact.txt" not in screen_text(app)
        assert not results.copies_shown(results.current_hit)


async def test_a_folded_list_folds_again_once_the_duplicates_phase_is_done():
    library = copied_library()
    groups, library.duplicate_groups = library.duplicate_groups, []
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"storm", "enter")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "similar" not in screen_text(app)
        library.duplicate_groups = groups
        app.screen.index_event(Progress("duplicates", 10, 10))
        await settle(pilot)
        assert "+2 similar" in screen_text(app)


async def test_plus_on_an_article_without_copies_says_so():
    app = make_app(copied_library())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        results.highlighted = [hit.id for hit in results.hits].index("articles.jsonl#7")
        await pilot.press("plus")
        await settle(pilot)
        assert "This article has no copies." in [n.message for n in app._notifications]


async def test_d_compares_a_hit_with_its_next_copy_word_by_word_and_esc_returns():
    app = make_app(copied_library())
    async with app.run_test(size=SIZE) as pilot:
        await fold_and_find_story(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison screen")
        await compared(pilot)
        older, newer = panes(app)
        # The story and its exact copy first: the same words.
        assert older.marked == newer.marked == []
        assert "The two copies have the same words." in screen_text(app)
        assert "Veldt Courier · 2021-01-18" in screen_text(app)
        assert "Wire Agency · 2021-01-19" in screen_text(app)
        await pilot.press("n")
        await compared(pilot)
        assert older.marked == ["pumps"]
        assert newer.marked == ["pumping stations", "More to follow."]
        assert "Tessaly Times · 2021-01-20" in screen_text(app)
        listed = screen_text(app)
        assert "3 copies of this story" in listed
        assert "◀ 2021-01-19 00:00  Wire Agency  wire/exact.txt" in listed
        assert "▶ 2021-01-20 00:00  Tessaly Times  papers/edited.txt" in listed
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ExplorerScreen)


async def test_differences_are_coloured_by_theme_components_not_by_markup():
    markup = "[bold red]not markup[/]"
    app = make_app(copied_library(edited_body=f"Flood pumps fail. {markup}"))
    async with app.run_test(size=SIZE) as pilot:
        await fold_and_find_story(pilot)
        await pilot.press("d", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison screen")
        await compared(pilot)
        _, newer = panes(app)
        assert markup in screen_text(app)
        inserted = newer.get_component_rich_style("copy-pane--inserted")
        deleted = newer.get_component_rich_style("copy-pane--deleted")
        assert inserted.bgcolor is not None and deleted.bgcolor is not None
        assert inserted.bgcolor != deleted.bgcolor


async def test_both_panes_scroll_together():
    long_body = "\n\n".join(f"Paragraph {n} of the storm report, with pumps." for n in range(200))
    library = copied_library(story_body=long_body, edited_body=long_body + "\n\nAn added last line.")
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await fold_and_find_story(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison screen")
        await compared(pilot)
        older, newer = panes(app)
        await pilot.press("space", "space", "j")
        await wait_until(pilot, lambda: newer.scroll_y == older.scroll_y > 0, what="the panes to agree")
        newer.focus()
        await pilot.press("G")
        await wait_until(pilot, lambda: older.scroll_y == older.max_scroll_y, what="the left pane to follow")


async def test_a_megabyte_copy_is_compared_in_a_worker_while_the_screen_says_comparing():
    sentences = story(5, 14000)
    big = "The storm came in.\n\n" + body(sentences)
    assert len(big) > 1_000_000
    edited = body(
        [
            sentence.replace(" ", " southern ", 1) if n % 5000 == 0 else sentence
            for n, sentence in enumerate(sentences)
        ]
    )
    library = copied_library(story_body=big, edited_body="The storm came in.\n\n" + edited)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await fold_and_find_story(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison screen")
        await pilot.press("n")
        await compared(pilot)
        older, newer = panes(app)
        assert older.marked == []
        assert newer.marked == ["southern"] * 3


class GatedLibrary(FakeLibrary):
    """Reading the edited copy waits until the test opens the gate: a slow comparison, held."""

    def __init__(self, library: FakeLibrary) -> None:
        super().__init__(library.articles.values())
        self.duplicate_groups = library.duplicate_groups
        self.gate = threading.Event()
        self.holding = False

    def article(self, article_id: str) -> Article:
        if self.holding and article_id == "papers/edited.txt":
            self.gate.wait(10)
        return super().article(article_id)


async def test_the_screen_says_comparing_and_answers_keys_while_a_comparison_runs():
    library = GatedLibrary(copied_library())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await fold_and_find_story(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison screen")
        await compared(pilot)
        library.holding = True
        await pilot.press("n")
        await pilot.pause(0.1)
        assert "Comparing…" in screen_text(app)
        await pilot.press("N")  # the screen answers: back to the first pair, which compares at once
        await compared(pilot)
        assert "The two copies have the same words." in screen_text(app)
        library.gate.set()
        await settle(pilot)
        assert "The two copies have the same words." in screen_text(app)  # the stale answer is dropped


async def test_the_help_and_the_command_palette_know_the_copy_keys():
    app = make_app(copied_library())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = {row.description: row.keys for row in key_help(app.screen)}
        assert rows["Show or hide a story's copies"] == "+"
        assert rows["Compare copies side by side"] == "d"
        await fold_and_find_story(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), what="the comparison screen")
        await pilot.press("question_mark")
        await settle(pilot)
        rows = {row.description: row.keys for row in app.screen.rows}
        assert rows["Next pair of copies"] == "] n"
        assert rows["Back to the results"] == "esc"
        assert "Page down" in rows
