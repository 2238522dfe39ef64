"""The explorer's search session without a screen: what each thing the user does searches for next,
what "back" returns to, which pages are fetched, and which answers are out of date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from index.models import DateFilter, EntityFilter, IndexReport, Query, SearchResult, SortOrder
from tests.tui_support import FakeLibrary
from tui.search_session import (
    FIRST_PAGE,
    PAGE_SIZE,
    REFRESH_WHILE_INDEXING,
    SECOND_PAGE,
    Search,
    SearchSession,
    SearchState,
)

MARA = EntityFilter("PERSON", "Mara Quell")
VELDT = EntityFilter("PLACE", "Veldt")
HARBOUR = EntityFilter("ORG", "Harbour Council")


class Explorer:
    """What the screen sees of a session: the searches it is asked to run and the states shown."""

    def __init__(self, library: FakeLibrary | None = None) -> None:
        self.library = library or FakeLibrary.fixture()
        self.started: list[Search] = []
        self.shown: list[SearchState] = []
        self.session = SearchSession(start=self.started.append, moved=self.shown.append)

    @property
    def last(self) -> Search:
        return self.started[-1]

    def answer(self, search: Search | None = None) -> SearchResult:
        """Run ``search`` (the last one started) on the library as a worker would, and hand it back."""
        search = search or self.last
        result = search.first_page(lambda: False)
        self.session.searched(search, result)
        return result

    def open_first_article(self) -> None:
        hit = self.session.result.hits[0]
        self.session.read(hit, self.library.article(hit.id), self.library.article_entities(hit.id))


@pytest.fixture
def explorer() -> Explorer:
    explorer = Explorer()
    explorer.session.open(explorer.library)
    explorer.answer()
    return explorer


def test_what_is_typed_before_the_library_opens_is_searched_once_it_is():
    explorer = Explorer()
    explorer.session.enter_text("storm")
    assert explorer.started == []
    assert [state.text for state in explorer.shown] == ["storm"]
    explorer.session.open(explorer.library)
    assert [search.state.query for search in explorer.started] == [Query("storm")]


def test_a_new_query_makes_the_answers_of_the_one_it_replaces_out_of_date(explorer):
    explorer.session.enter_text("storm")
    storm = explorer.last
    explorer.session.enter_text("pumps")
    assert not storm.keep_position and not explorer.last.keep_position
    assert not explorer.session.is_current(storm)
    stale = storm.first_page(lambda: False)
    assert not explorer.session.searched(storm, stale)
    assert explorer.session.result.query == ""  # still the opening list, not the stale storm hits
    pumps = explorer.answer()
    assert explorer.session.result is pumps and pumps.query == "pumps"


def test_the_same_query_again_searches_again_keeping_the_cursor(explorer):
    explorer.session.enter_text("storm")
    explorer.session.enter_text("storm", submitted=True)
    assert [search.state.query for search in explorer.started[-2:]] == [Query("storm")] * 2
    assert explorer.last.keep_position
    assert [state.text for state in explorer.shown] == ["storm"]  # one move, then a refresh


def test_entity_filters_narrow_the_typed_query_and_back_lifts_them_one_at_a_time(explorer):
    explorer.session.enter_text("wall")
    explorer.session.add_entity_filter("PERSON", "Mara Quell")
    explorer.session.add_entity_filter("PERSON", "Mara Quell")  # chosen twice: still one filter
    explorer.session.add_entity_filter("ORG", "Harbour Council")
    assert explorer.last.state.query == Query("wall", (MARA, HARBOUR))
    assert explorer.shown[-1].filters == (MARA, HARBOUR)
    assert explorer.session.back()
    assert explorer.last.state.query == Query("wall", (MARA,))
    assert explorer.session.back()
    assert explorer.last.state.query == Query("wall")
    assert not explorer.session.back()  # typing is not a step to go back over
    assert explorer.last.state.query == Query("wall")


def test_x_removes_the_newest_filter_and_a_chip_removes_its_own(explorer):
    explorer.session.add_entity_filter("PERSON", "Mara Quell")
    explorer.session.add_entity_filter("PLACE", "Veldt")
    explorer.session.add_entity_filter("ORG", "Harbour Council")
    explorer.session.remove_last_filter()
    assert explorer.session.state.filters == (MARA, VELDT)
    explorer.session.remove_filter(MARA)
    assert explorer.last.state.query == Query(filters=(VELDT,))
    explorer.session.remove_filter(VELDT)
    searches = len(explorer.started)
    explorer.session.remove_last_filter()  # none left: nothing to search again
    assert len(explorer.started) == searches and explorer.last.state.query == Query()


def test_choosing_the_suggestion_can_be_undone_with_back(explorer):
    explorer.session.enter_text("lighthoose")
    assert explorer.answer().suggestion == "lighthouse"
    explorer.session.choose_suggestion("lighthouse")
    assert explorer.last.state.query == Query("lighthouse")
    assert explorer.session.back()
    assert explorer.last.state.query == Query("lighthoose")


def test_s_cycles_the_sort_of_the_same_query_without_a_step_back(explorer):
    explorer.session.enter_text("storm")
    explorer.session.cycle_sort()
    assert explorer.last.state.query == Query("storm", sort=SortOrder.DATE)
    assert not explorer.session.back()


def test_more_like_this_needs_an_open_article_and_back_returns_to_the_search(explorer):
    explorer.session.enter_text("storm")
    explorer.answer()
    assert not explorer.session.more_like_this()
    explorer.open_first_article()
    assert explorer.session.more_like_this()
    like = explorer.last
    assert like.is_more_like_this and like.state.like_title == explorer.session.article.title
    assert explorer.session.page_at(FIRST_PAGE, before=False) is None
    assert explorer.session.facets_search() is None
    assert explorer.session.back()
    assert not explorer.last.is_more_like_this and explorer.last.state.query == Query("storm")
    assert explorer.session.facets_search() is explorer.last


def test_typing_the_same_text_after_more_like_this_searches_for_the_text_again(explorer):
    explorer.session.enter_text("storm")
    explorer.answer()
    explorer.open_first_article()
    explorer.session.more_like_this()
    explorer.session.enter_text("storm")
    assert not explorer.last.is_more_like_this and not explorer.last.keep_position


@pytest.mark.parametrize(
    ("offset", "before", "expected"),
    [
        (FIRST_PAGE, False, (FIRST_PAGE, SECOND_PAGE)),  # the page after the first, asked for at once
        (FIRST_PAGE + SECOND_PAGE, False, (FIRST_PAGE + SECOND_PAGE, PAGE_SIZE)),  # scrolling down
        (2225, True, (2225 - PAGE_SIZE, PAGE_SIZE)),  # End: the page that ends with the last hit
        (20, True, (0, 20)),  # up towards the top: only the hits before the loaded ones
    ],
)
def test_scrolling_asks_for_the_page_next_to_the_loaded_hits(explorer, offset, before, expected):
    page = explorer.session.page_at(offset, before=before)
    assert (page.offset, page.limit) == expected
    assert page.search is explorer.last


def test_a_page_of_an_older_search_is_out_of_date(explorer):
    page = explorer.session.page_at(2, before=False)
    fetched, listed = page.fetch(lambda: False).hits, explorer.session.result.hits
    assert [hit.id for hit in fetched] == [hit.id for hit in listed[2:]] != []
    assert explorer.session.is_current(page.search)
    explorer.session.enter_text("storm")
    assert not explorer.session.is_current(page.search)


def test_a_bad_query_sends_the_user_back_to_the_box_only_if_enter_started_it(explorer):
    explorer.session.enter_text('storm "', submitted=True)
    entered = explorer.last
    explorer.session.enter_text('storm "x')  # typed on after Enter, without pressing it again
    typed = explorer.last
    assert explorer.session.was_submitted(entered) and not explorer.session.was_submitted(typed)
    explorer.session.cycle_sort()
    assert not explorer.session.was_submitted(explorer.last)


def test_an_empty_first_run_is_listed_again_every_few_seconds_while_indexing():
    explorer = Explorer(FakeLibrary([]))
    explorer.session.open(explorer.library)
    explorer.answer()
    explorer.session.indexer_progressed(now=1000.0)
    explorer.session.indexer_progressed(now=1000.0 + REFRESH_WHILE_INDEXING / 2)
    explorer.session.indexer_progressed(now=1000.0 + REFRESH_WHILE_INDEXING)
    assert len(explorer.started) == 3  # the opening search and two refreshes, not three
    explorer.session.enter_text("storm")
    explorer.answer()
    explorer.session.indexer_progressed(now=2000.0)  # a query the user typed is left alone
    assert explorer.last.state.query == Query("storm") and len(explorer.started) == 4


def test_indexing_searches_again_where_the_user_is_only_when_articles_changed(explorer):
    searches = len(explorer.started)
    explorer.session.synced(IndexReport(unchanged=8))
    assert len(explorer.started) == searches
    explorer.session.synced(IndexReport(added=1, unchanged=8))
    assert len(explorer.started) == searches + 1 and explorer.last.keep_position


def test_reading_the_open_article_again_is_told_apart_from_opening_another(explorer):
    first, second = explorer.session.result.hits[:2]
    assert not explorer.session.read(first, explorer.library.article(first.id), ())
    assert explorer.session.read(first, explorer.library.article(first.id), ())  # its entities arrived
    assert not explorer.session.read(second, explorer.library.article(second.id), ())
    assert not explorer.session.read(None, None, ())
    assert explorer.session.article is None


def test_the_open_article_found_again_by_another_search_is_opened_with_that_search_s_hits(explorer):
    first = explorer.session.result.hits[0]
    article = explorer.library.article(first.id)
    explorer.session.read(first, article, ())
    found_by_another_query = replace(first, highlights=((0, 4),))
    assert not explorer.session.read(found_by_another_query, article, ())


def test_a_saved_search_reopens_with_its_dates_filters_sort_and_folding(explorer: Explorer):
    dates = DateFilter(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    saved = Query("budget", (MARA,), dates, sort=SortOrder.DATE)
    explorer.session.reopen(saved, collapse=True)
    state = explorer.last.state
    assert (state.text, state.filters, state.dates, state.sort, state.collapse) == (
        "budget",
        (MARA,),
        dates,
        SortOrder.DATE,
        True,
    )
    assert explorer.last.state.query == saved
