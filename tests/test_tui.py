"""The explorer, driven from the keyboard with Pilot over a fake library of fictional articles."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from contextlib import nullcontext

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input

from index.duplicates import DuplicateGroup
from index.errors import CorpusError, IndexBusyError
from index.models import Article, EntityFilter, IndexReport, Progress, Skip, SkipReason, SortOrder
from tests.tui_support import FakeLibrary, screen_lines, screen_text, settle, total_shown, wait_until
from tui.app import BroadsheetApp
from tui.screens.explorer import FIRST_PAGE, PAGE_SIZE, SECOND_PAGE, ExplorerScreen
from tui.screens.help import HelpScreen
from tui.screens.notice import NoticeScreen
from tui.widgets.article_header import ArticleHeader
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.filter_bar import FilterChip
from tui.widgets.reader import ArticleView
from tui.widgets.results import PREFETCH_MARGIN, ResultsList
from tui.widgets.status_line import StatusLine

SIZE = (120, 40)


def make_app(library: FakeLibrary | None = None) -> tuple[BroadsheetApp, FakeLibrary]:
    library = library or FakeLibrary.fixture()
    return BroadsheetApp(opener=lambda: library, show_timing=False), library


async def search(pilot, query: str) -> None:
    """Focus the box, replace its text with ``query`` and press Enter."""
    await pilot.press("slash")
    pilot.app.screen.query_one(Input).value = ""
    await pilot.press(*query, "enter")
    await settle(pilot)


def results(app: BroadsheetApp) -> ResultsList:
    return app.screen.query_one(ResultsList)


def reader(app: BroadsheetApp) -> ArticleView:
    return app.screen.query_one(ArticleView)


def titles(app: BroadsheetApp) -> list[str]:
    return [hit.title for hit in results(app).hits]


def header(app: BroadsheetApp) -> str:
    return str(app.screen.query_one(ArticleHeader).render())


async def test_start_lists_every_article_newest_first_and_opens_the_first():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dates = [hit.date for hit in results(app).hits]
        assert len(dates) == library.count() == 8
        assert dates == sorted(dates, reverse=True)
        assert "8 articles · by relevance" in screen_text(app)
        assert header(app).startswith("Budget vote delayed in Port Amsel")
        assert isinstance(app.focused, ResultsList)


async def test_typing_searches_once_typing_pauses():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"storm")
        assert library.searches == [""]
        await pilot.pause(0.3)
        await settle(pilot)
        assert library.searches == ["", "storm"]
        assert len(titles(app)) == 6


async def test_enter_searches_without_waiting():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"pumps", "enter")
        await pilot.app.workers.wait_for_complete()
        assert library.searches[-1] == "pumps"


async def test_enter_moves_on_to_the_results_so_the_next_key_acts_on_them():
    """``n`` after Enter used to land in the box: "council" became "counciln"."""
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"council", "enter")
        await settle(pilot)
        assert isinstance(app.focused, ResultsList)
        assert header(app).startswith(library.search("council").hits[0].title)
        assert reader(app).current_hit == 0
        await pilot.press("n")
        assert app.screen.query_one(Input).value == "council"
        assert reader(app).current_hit == 1
        await pilot.press("slash")
        assert isinstance(app.focused, Input)


async def test_enter_on_a_bad_query_leaves_the_focus_in_the_box_to_mend_it():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'storm "', "enter")
        await settle(pilot)
        assert "unbalanced quote" in screen_text(app)
        assert isinstance(app.focused, Input)


async def test_a_new_query_stops_the_search_it_replaces():
    """On a big archive a search takes seconds: one the user typed past must stop at once, not
    run to its end holding the library while the query the user wants waits behind it."""
    app, library = make_app()
    library.slow = {"storm"}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"storm", "enter")
        await pilot.pause(0.2)
        assert library.cancelled == []
        await search(pilot, "pumps")
        assert library.cancelled == ["storm"]  # stopped, not run to its end (10 s in the fake library)
        assert library.searches[-1] == "pumps"
        assert titles(app) == [hit.title for hit in library.search("pumps").hits] != []


async def test_bad_query_shows_its_message_and_keeps_the_last_results():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "pumps")
        before = titles(app)
        await search(pilot, 'pumps "broken')
        assert "The query has an unbalanced quote or bracket." in screen_text(app)
        assert titles(app) == before
        await search(pilot, "wall")
        assert "unbalanced quote" not in screen_text(app)


async def test_zero_hits_say_so_and_offer_the_suggestion():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "lighthoose")
        text = screen_text(app)
        assert "No articles match lighthoose." in text
        assert "Did you mean lighthouse?" in text
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert library.searches[-1] == "lighthouse"
        assert titles(app) == ["Lighthouse restored on Gull Point"]


async def test_flow_query_open_next_hit_entity_filter_and_back():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "wall")
        assert len(titles(app)) == 4
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        opened = results(app).current_hit
        assert header(app).startswith(opened.title)
        total = reader(app).hit_count
        assert total > 1 and f"hit 1/{total}" in header(app)
        await pilot.press("n")
        assert reader(app).current_hit == 1 and f"hit 2/{total}" in header(app)
        await pilot.press("N")
        assert reader(app).current_hit == 0

        panel = app.screen.query_one(EntityPanel)
        panel.focus()
        await pilot.press("home", "enter")
        await settle(pilot)
        assert library.searches[-1] == '(wall) AND person:"Mara Quell"'
        assert [chip.filter.shown for chip in app.screen.query(FilterChip)] == ['person:"Mara Quell"']
        assert all("Mara Quell" in library.article(hit.id).body for hit in results(app).hits)
        assert len(titles(app)) < 4

        await pilot.press("backspace")
        await settle(pilot)
        assert library.searches[-1] == "wall"
        assert len(titles(app)) == 4
        assert not app.screen.query(FilterChip)


async def test_next_and_previous_article_keep_the_reader_focused():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader(app).focus()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert header(app).startswith(titles(app)[1])
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert header(app).startswith(titles(app)[0])
        assert isinstance(app.focused, ArticleView)


async def test_j_and_k_move_through_results():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        assert results(app).highlighted == 2
        await pilot.press("k")
        assert results(app).highlighted == 1


async def test_slash_focuses_search_and_escape_leaves_it():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("q")
        assert app.is_running and app.focused.value == "q"
        await pilot.press("escape")
        assert isinstance(app.focused, ResultsList)


def type_in_one_burst(app: App, keys: list[tuple[str, str | None]]) -> None:
    """Queue every key before the app handles any, as a terminal delivers a paste or fast typing."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def test_keys_that_arrive_with_the_slash_in_one_burst_land_in_the_box():
    """Pasted, or typed fast over ssh, "/wall" used to lose "wall": it went to the results list."""
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_in_one_burst(app, [("slash", "/"), *zip("wall", "wall", strict=True)])
        await wait_until(pilot, lambda: library.searches[-1] == "wall", what="the search for wall")
        assert app.screen.query_one(Input).value == "wall"
        await pilot.press("slash")
        assert app.screen.query_one(Input).value == "wall/"


async def test_an_editing_key_in_a_burst_acts_where_it_was_typed():
    """ "/", Ctrl+U, "wall" arriving in one burst (as tmux or a fast typist over ssh sends them) left
    the box empty: Ctrl+U, resolved as a binding once it had bubbled up, erased "wall" after it."""
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"storm", "enter")
        await wait_until(pilot, lambda: library.searches[-1] == "storm", what="the search for storm")
        typed = [("slash", "/"), ("ctrl+u", None), *zip("wall", "wall", strict=True)]
        type_in_one_burst(app, [*typed, ("left", None), ("x", "x")])
        await wait_until(pilot, lambda: library.searches[-1] == "walxl", what="the search for walxl")
        assert app.screen.query_one(Input).value == "walxl"


async def test_tab_cycles_through_the_panes():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(type(app.focused).__name__)
        assert seen == ["ArticleView", "EntityPanel", "QueryInput", "ResultsList"]
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Input)


async def test_e_toggles_entity_marks_in_the_reader():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app)
        assert view.show_entities
        underlined = _underlined_text(view)
        assert "Mara Quell" in underlined
        await pilot.press("e")
        assert not view.show_entities
        assert _underlined_text(view) == ""


def _underlined_text(view: ArticleView) -> str:
    return "".join(
        segment.text
        for y in range(view.size.height)
        for segment in view.render_line(y)
        if segment.style and segment.style.underline
    )


async def test_f_switches_the_sidebar_to_facets_of_the_results():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "pumps")
        panel = app.screen.query_one(EntityPanel)
        assert panel.border_title == "Entities in article"
        await pilot.press("escape", "f")
        await settle(pilot)
        assert panel.border_title == "Entities in results"
        assert re.search(r"│ PLACE +articles │", screen_text(app))
        assert re.search(r"│ Veldt +3 │", screen_text(app))
        await pilot.press("f")
        assert panel.border_title == "Entities in article"


async def test_sidebar_names_that_do_not_fit_end_in_an_ellipsis_and_counts_stay_whole():
    class Sidebar(App[None]):
        CSS = "EntityPanel { border: none; }"

        def compose(self):
            yield EntityPanel()

    app = Sidebar()
    async with app.run_test(size=(24, 8)) as pilot:
        entries = [("PERSON", "Michael Howard of Lympne", 14), ("PERSON", "Tony Blair", 1348)]
        app.query_one(EntityPanel).show("Entities", entries, "None.", "articles")
        await pilot.pause()
        lines = screen_lines(app)[:3]
        assert lines == [
            " PERSON        articles",
            " Tony Blair       1,348",
            " Michael Howa…       14",
        ]


async def test_notifications_leave_no_stray_glyph_beside_the_sidebar():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify("Entity marks off.", timeout=0.1)
        await pilot.pause(0.5)
        assert "▏" not in screen_text(app)


async def test_s_cycles_the_sort_order():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "storm")
        await pilot.press("escape", "s")
        await settle(pilot)
        assert "by date" in screen_text(app)
        dates = [hit.date for hit in results(app).hits]
        assert dates == sorted(dates, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        assert "by relevance" in screen_text(app)


async def test_m_shows_more_like_this_and_backspace_returns():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = results(app).current_hit
        await pilot.press("m")
        await settle(pilot)
        assert f"like {source.title}" in screen_text(app)
        assert source.id not in [hit.id for hit in results(app).hits]
        await pilot.press("backspace")
        await settle(pilot)
        assert "like " not in screen_text(app).splitlines()[1]
        assert source.id in [hit.id for hit in results(app).hits]


async def test_y_copies_the_url_or_the_path():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard == "https://example.org/amsel/budget"
        await search(pilot, "markup")
        await pilot.press("escape", "y")
        assert app.clipboard == str(library.corpus / "articles.jsonl")


async def test_o_opens_the_editor_or_the_browser(monkeypatch):
    opened: list[object] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.setattr("subprocess.run", lambda argv, check: opened.append(argv))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert opened == ["https://example.org/amsel/budget"]
        monkeypatch.setenv("EDITOR", "myeditor --wait")
        monkeypatch.setattr(app, "suspend", nullcontext)
        await pilot.press("o")
        assert opened[-1] == ["myeditor", "--wait", str(library.corpus / "articles.jsonl")]


async def test_o_on_a_jsonl_article_opens_the_editor_at_its_line(monkeypatch):
    """``o`` used to open the whole .jsonl file at its top, leaving the user to find the article."""
    opened: list[object] = []
    monkeypatch.setattr("subprocess.run", lambda argv, check: opened.append(argv))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "/usr/bin/vim")
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app, "suspend", nullcontext)
        assert header(app).startswith("Budget vote delayed in Port Amsel")  # line 8 of the file
        path = str(library.corpus / "articles.jsonl")
        await pilot.press("o")
        assert opened == [["/usr/bin/vim", "+8", path]]
        said = "This article is line 8 of articles.jsonl."
        assert said not in [n.message for n in app._notifications]
        monkeypatch.setenv("EDITOR", "myeditor")
        await pilot.press("o")
        assert opened[-1] == ["myeditor", path]
        assert said in [n.message for n in app._notifications]


async def test_question_mark_lists_every_binding():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = {row.description for row in app.screen.rows}
        for binding in [*ExplorerScreen.BINDINGS, *BroadsheetApp.BINDINGS]:
            assert binding.description in listed, binding.description
        assert "Down" in listed  # the focused pane's keys too
        assert "Explorer" in screen_text(app) and "Next hit" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)


async def test_command_palette_offers_the_bindings():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Facets")
        await pilot.pause(0.3)
        assert "Facets" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(EntityPanel).border_title == "Entities in results"


async def test_q_quits():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_x_removes_the_last_filter_and_chips_remove_on_enter():
    app, library = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(EntityPanel)
        panel.focus()
        await pilot.press("home", "enter")
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        chips = list(app.screen.query(FilterChip))
        assert len(chips) == 2
        await pilot.press("x")
        await settle(pilot)
        assert [chip.filter.shown for chip in app.screen.query(FilterChip)] == [chips[0].filter.shown]
        app.screen.query_one(FilterChip).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not app.screen.query(FilterChip)
        assert library.searches[-1] == ""


async def test_article_markup_and_escapes_show_literally():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "markup")
        await pilot.press("escape", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Markup is data: [bold red]x[/] and" in text
        assert "string [bold red]x[/] must appear" in text
        assert "[link=https://evil.example]click[/link]" in text
        assert "[@click=app.quit]quit[/]" in text
        assert "\x1b" not in text and "red should be" in text.replace("\n", " ")
        assert app.is_running


def _huge_article(size: int = 1_000_000) -> Article:
    sentence = "The harbour ledger lists every ship and every cargo that came through the port. "
    paragraphs = "\n\n".join(sentence * 12 for _ in range(size // (len(sentence) * 12)))
    body = paragraphs + "\n\nThe final line of the enormous ledger."
    return Article(
        id="huge.txt", path="huge.txt", title="An enormous ledger", body=body, date=dt.datetime(2022, 1, 1)
    )


async def test_a_1_mb_article_opens_and_scrolls_to_its_end():
    article = _huge_article()
    assert len(article.body) >= 1_000_000
    app, _ = make_app(FakeLibrary.fixture(extra=[article]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert results(app).current_hit.id == "huge.txt"
        view = reader(app)
        styled: list[int] = []
        style_line = view._render_body_line
        view._render_body_line = lambda index, base: styled.append(index) or style_line(index, base)
        view.show(article.body, results(app).current_hit.highlights)
        await pilot.pause()
        assert len(view._lines) > 10_000
        # Layout is offsets only: the lines painted are styled, not the ten thousand below them.
        assert 0 < len(set(styled)) <= view.size.height
        view.focus()
        await pilot.press("end")
        await pilot.pause()
        assert "The final line of the enormous ledger." in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert "The harbour ledger lists every ship" in screen_text(app)


async def test_an_empty_corpus_says_so():
    app, _ = make_app(FakeLibrary([]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "0 articles" in text
        assert "No articles in this corpus (yet)." in text


async def test_a_first_index_says_how_far_it_is_until_it_finds_the_corpus_empty(monkeypatch):
    library = FakeLibrary([])
    release = threading.Event()

    def first_sync(*, progress, should_stop):
        progress(Progress("index", 1200, 2225))
        release.wait(5)
        return IndexReport()

    monkeypatch.setattr(library, "sync", first_sync)
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Indexing 1,200 / 2,225…" in screen_text(app), what="the progress")
        assert "No articles in this corpus" not in screen_text(app)
        release.set()
        await settle(pilot)
        assert "No articles in this corpus (yet)." in screen_text(app)
        assert "Indexing 1,200" not in screen_text(app)


async def test_the_sidebar_says_how_far_the_entity_phase_is_then_lists_the_entities(monkeypatch):
    library = FakeLibrary.fixture()
    release = threading.Event()

    def slow_entities(*, progress, should_stop):
        progress(Progress("entities", 6, 8))
        release.wait(5)
        library.entities_extracted = True
        return len(library.articles)

    monkeypatch.setattr(library, "extract_entities", slow_entities)
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Finding entities 6 / 8…" in screen_text(app), what="the progress")
        release.set()
        await settle(pilot)
        assert "Finding entities" not in screen_text(app)
        assert "PERSON" in screen_text(app)


async def test_facets_of_a_search_without_results_say_there_are_none_to_count():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "zzzqqq")
        await pilot.press("escape", "f")
        await settle(pilot)
        assert "No results, so no entities." in screen_text(app)
        assert "(yet)" not in screen_text(app)


async def test_a_corpus_of_bad_files_reports_the_skips():
    library = FakeLibrary([])
    library.sync_report = IndexReport(
        skipped=(Skip("a.bin", SkipReason.BINARY), Skip("b.txt", SkipReason.EMPTY))
    )
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Skipped 2 files: binary, empty."]
        assert "No articles in this corpus (yet)." in screen_text(app)


async def test_a_missing_corpus_shows_a_notice_not_a_traceback():
    def fail():
        raise CorpusError("The corpus /nowhere does not exist.")

    app = BroadsheetApp(opener=fail, show_timing=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoticeScreen)
        assert "The corpus /nowhere does not exist." in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running


async def test_a_busy_index_is_reported_and_search_still_works(monkeypatch):
    library = FakeLibrary.fixture()

    def busy(**_):
        raise IndexBusyError("Another broadsheet is indexing this corpus.")

    monkeypatch.setattr(library, "sync", busy)
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert (
            "Another broadsheet is indexing this corpus." in app._notifications.__iter__().__next__().message
        )
        await search(pilot, "pumps")
        assert titles(app)


async def test_indexing_progress_shows_in_the_status_line(monkeypatch):
    library = FakeLibrary.fixture()
    release = threading.Event()

    def slow_sync(*, progress, should_stop):
        progress(Progress("index", 3, 8))
        release.wait(5)
        return IndexReport(unchanged=8)

    monkeypatch.setattr(library, "sync", slow_sync)
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Indexing 3/8" in screen_text(app), what="the progress text")
        status = app.screen.query_one(StatusLine)
        assert status.has_class("-busy")
        await search(pilot, "pumps")  # search works while indexing runs
        assert titles(app)
        release.set()
        await settle(pilot)
        assert not status.has_class("-busy")


async def test_narrow_terminal_swaps_results_and_sidebar_with_v():
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(EntityPanel)
        assert not panel.display or panel.region.width == 0
        await pilot.press("v")
        await pilot.pause()
        assert panel.region.width > 0
        assert results(app).region.width == 0  # the sidebar takes the results' place
        assert app.focused is panel
        await pilot.press("v")
        await pilot.pause()
        assert panel.region.width == 0 and results(app).region.width > 0



async def test_on_a_narrow_screen_showing_the_sidebar_enter_in_the_search_box_goes_on_to_it():
    """The keys after a search act on the sidebar, not typed into the query (q would have been)."""
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "slash", *"storm", "enter")
        await settle(pilot)
        assert isinstance(app.focused, EntityPanel)
        await pilot.press("slash", "escape")
        assert isinstance(app.focused, EntityPanel)
        assert app.screen.query_one("#query", Input).value == "storm"

async def test_resizing_rewraps_the_reader_and_drops_the_sidebar():
    app, _ = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        wide_lines = reader(app).virtual_size.height
        assert app.screen.query_one(EntityPanel).region.width > 0
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert reader(app).virtual_size.height > wide_lines
        assert app.screen.query_one(EntityPanel).region.width == 0
        assert "Budget vote delayed" in screen_text(app)


def _reports(count: int) -> FakeLibrary:
    """``count`` articles "Report 0" .. "Report count-1", one a day, so the newest is the last."""
    return FakeLibrary(
        Article(
            id=f"a{n:05}.txt",
            path=f"a{n:05}.txt",
            title=f"Report {n}",
            body=f"Report number {n} on ships.",
            date=dt.datetime(2020, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(count)
    )


async def test_results_load_page_by_page():
    """A search answers with a screenful, the page after it follows at once, then a page at a time."""
    app, library = make_app(_reports(1000))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(library.searches) == 2  # the first page, then the next one
        loaded = FIRST_PAGE + SECOND_PAGE
        assert results(app).option_count == loaded
        assert total_shown(results(app)) == 1000
        boundary = [hit.title for hit in results(app).hits[FIRST_PAGE - 1 : FIRST_PAGE + 1]]
        assert boundary == [f"Report {1000 - FIRST_PAGE}", f"Report {999 - FIRST_PAGE}"]
        assert results(app).highlighted == 0
        await pilot.press(*"j" * (loaded - PREFETCH_MARGIN))
        await settle(pilot)
        assert results(app).option_count == loaded + PAGE_SIZE
        await pilot.press(*"j" * PAGE_SIZE)
        await settle(pilot)
        assert results(app).option_count == loaded + 2 * PAGE_SIZE
        assert len({hit.id for hit in results(app).hits}) == results(app).option_count


async def test_end_jumps_to_the_last_result_and_home_back_to_the_first():
    """End used to load one more page per press: result 2,225 took ~45 presses."""
    app, library = make_app(_reports(2225))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert " 1 / 2,225 " in screen_text(app)
        searches = len(library.searches)
        await pilot.press("end")
        await settle(pilot)
        assert results(app).current_hit.title == "Report 0"
        assert header(app).startswith("Report 0")
        assert len(library.searches) == searches + 1
        assert "2,225 / 2,225" in screen_text(app)
        await pilot.press("k")
        assert "2,224 / 2,225" in screen_text(app)
        await pilot.press("home")
        await settle(pilot)
        assert results(app).current_hit.title == "Report 2224"
        assert " 1 / 2,225 " in screen_text(app)


async def test_moving_up_from_the_last_result_loads_the_results_before_it():
    app, _ = make_app(_reports(2225))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        await pilot.press(*"k" * (PAGE_SIZE - PREFETCH_MARGIN))
        await settle(pilot)
        moved = PAGE_SIZE - PREFETCH_MARGIN
        assert results(app).current_hit.title == f"Report {moved}"
        assert f"{2225 - moved:,} / 2,225" in screen_text(app)
        assert titles(app) == [f"Report {n}" for n in range(2 * PAGE_SIZE - 1, -1, -1)]


def test_sort_order_cycle_covers_every_order():
    from tui.search_session import SearchState

    state = SearchState()
    seen = []
    for _ in SortOrder:
        seen.append(state.sort)
        state = state.with_next_sort()
    assert set(seen) == set(SortOrder) and state.sort == SortOrder.RELEVANCE


@pytest.mark.parametrize(
    ("text", "filters", "expected"),
    [
        ("", (), ""),
        ("storm", (), "storm"),
        ("storm OR flood", (("PERSON", "Mara Quell"),), '(storm OR flood) AND person:"Mara Quell"'),
        ("", (("ORG", "Harbour Council"), ("PLACE", "Veldt")), 'org:"Harbour Council" AND place:"Veldt"'),
    ],
)
def test_filters_are_typed_values_beside_the_typed_text(text, filters, expected):
    from tui.search_session import SearchState

    entities = tuple(EntityFilter(label, name) for label, name in filters)
    query = SearchState(text=text, filters=entities).query
    assert (query.text, query.filters) == (text, entities)
    assert query.shown == expected


def test_a_filter_chip_reads_as_the_label_field_or_entity():
    assert EntityFilter("PERSON", 'Alexei "Lyosha" Navalny').shown == 'person:"Alexei Lyosha Navalny"'
    assert EntityFilter("MONEY", "€44,600").shown == 'entity:"€44,600"'


async def test_a_first_run_lists_articles_while_indexing_continues(monkeypatch):
    library = FakeLibrary([])
    indexed = FakeLibrary.fixture().articles
    release = threading.Event()

    def first_sync(*, progress, should_stop):
        deadline = time.monotonic() + 5
        while not library.searches and time.monotonic() < deadline:  # the screen listed the empty index
            time.sleep(0.01)
        library.articles.update(indexed)  # the first batch is committed...
        progress(Progress("index", 8, 100))
        release.wait(10)  # ...while the rest is still being indexed
        return IndexReport(added=8)

    monkeypatch.setattr(library, "sync", first_sync)
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 5  # a loaded CI machine may take more than a moment
        while len(titles(app)) != 8 and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert len(titles(app)) == 8
        release.set()
        await settle(pilot)


async def test_a_keymap_remaps_a_binding_by_its_id_and_the_help_follows():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "wall")
        await pilot.press("escape", "enter")
        await settle(pilot)
        app.set_keymap({"explorer.next-hit": "ctrl+n"})
        await pilot.pause()
        assert reader(app).hit_count > 1
        await pilot.press("ctrl+n")
        assert reader(app).current_hit == 1
        await pilot.press("question_mark")
        rows = {row.description: row.keys for row in app.screen.rows}
        assert rows["Next hit"] == "^n"


async def test_escape_returns_to_the_results_from_any_pane():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for pane in (reader(app), app.screen.query_one(EntityPanel)):
            pane.focus()
            await pilot.press("escape")
            assert isinstance(app.focused, ResultsList)


async def test_c_folds_the_copies_of_a_story_into_one_line_and_back():
    library = FakeLibrary.fixture()
    library.duplicate_groups = [
        DuplicateGroup(("articles.jsonl#2", "articles.jsonl#3", "articles.jsonl#6"), False)
    ]
    app, _ = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "storm")
        every = [hit.id for hit in results(app).hits]
        assert {"articles.jsonl#2", "articles.jsonl#3", "articles.jsonl#6"} <= set(every)
        await pilot.press("escape", "c")
        await settle(pilot)
        folded = results(app).hits
        assert len(folded) == len(every) - 2
        assert [hit.similar for hit in folded if hit.similar] == [2]
        assert "+2 similar" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert [hit.id for hit in results(app).hits] == every
        assert "similar" not in screen_text(app)
