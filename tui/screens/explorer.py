"""The explorer: search box, results, reader and entity sidebar, wired together.

Widgets only render what they are given and post Messages; the ``SearchSession`` holds the search
state and decides each move; ``LibraryWorkers`` call the library off the UI thread. This screen
routes the widgets' Messages to the session and hands the library's answers down to the widgets.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from index.duplicates import Copy
from index.ingest.pages import page_at, page_starts
from index.models import Article, Facet, Hit, IndexReport, Mention, Progress, SearchResult
from tui.heap import QuietCollector
from tui.indexer import EntitiesDone, Indexer, IndexEvent, InProcessIndexer
from tui.library_workers import LibraryWorkers
from tui.openers import copy_location, open_article
from tui.plural import plural
from tui.progress import Estimate, describe
from tui.screens.compare import CompareScreen
from tui.screens.notice import NoticeScreen
from tui.search_session import FIRST_PAGE as FIRST_PAGE  # re-exported: the tests page by them
from tui.search_session import PAGE_SIZE as PAGE_SIZE
from tui.search_session import Page, Search, SearchSession, SearchState
from tui.widgets.article_header import ArticleHeader
from tui.widgets.date_histogram import DateHistogram
from tui.widgets.entity_panel import EntityPanel, article_entries, facet_entries
from tui.widgets.filter_bar import FilterBar
from tui.widgets.key_footer import KeyFooter
from tui.widgets.reader import ArticleView
from tui.widgets.results import ResultsList
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_line import StatusLine, summary_text

if TYPE_CHECKING:
    from index.api import LibraryAPI


class ExplorerScreen(Screen[None]):
    """The main screen of Broadsheet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", priority=True, id="explorer.focus-search"),
        Binding("escape", "leave", "Back to the results list", show=False, id="explorer.leave"),
        Binding("right_square_bracket", "next_article", "Next article", id="explorer.next-article"),
        Binding(
            "left_square_bracket",
            "previous_article",
            "Previous article",
            show=False,
            id="explorer.previous-article",
        ),
        Binding("n", "next_hit", "Next hit", id="explorer.next-hit"),
        Binding("N", "previous_hit", "Previous hit", show=False, id="explorer.previous-hit"),
        Binding("e", "toggle_entities", "Entity marks", show=False, id="explorer.toggle-entities"),
        Binding("f", "toggle_facets", "Facets", id="explorer.toggle-facets"),
        Binding("s", "cycle_sort", "Sort", id="explorer.cycle-sort"),
        Binding("c", "toggle_collapse", "Fold copies of a story", show=False, id="explorer.toggle-collapse"),
        Binding(
            "plus", "toggle_copies", "Show or hide a story's copies", show=False, id="explorer.toggle-copies"
        ),
        Binding(
            "d", "compare_copies", "Compare copies side by side", show=False, id="explorer.compare-copies"
        ),
        Binding("m", "more_like_this", "More like this", show=False, id="explorer.more-like-this"),
        Binding("y", "copy_location", "Copy path or url", show=False, id="explorer.copy"),
        Binding("o", "open_external", "Open in $EDITOR or a viewer", show=False, id="explorer.open"),
        Binding("x", "remove_last_filter", "Remove last filter", show=False, id="explorer.remove-filter"),
        Binding("backspace", "back", "Back to previous search", show=False, id="explorer.back"),
        Binding("v", "toggle_sidebar", "Show/hide entity sidebar", show=False, id="explorer.toggle-sidebar"),
    ]

    def __init__(
        self,
        opener: Callable[[], LibraryAPI],
        indexer_factory: Callable[[LibraryAPI], Indexer] = InProcessIndexer,
        *,
        show_timing: bool = True,
    ) -> None:
        super().__init__()
        self._opener = opener
        self._indexer_factory = indexer_factory
        self._show_timing = show_timing
        self._workers = LibraryWorkers(self, answers=self)
        self._session = SearchSession(start=self._start_search, moved=self._moved)
        self._progress: Progress | None = None
        """The latest report of the indexer's phase in progress; None between phases."""
        self._estimate = Estimate()
        self._entities_done = False
        self._collector = QuietCollector()

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        yield StatusLine(id="status")
        yield FilterBar(id="filters")
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield ResultsList(id="results")
                yield DateHistogram(id="histogram")
            with Vertical(id="centre"):
                yield ArticleHeader(id="header")
                yield ArticleView(id="reader")
            yield EntityPanel(id="sidebar")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ResultsList).focus()
        self.query_one(EntityPanel).show("Entities", [], "No article open.", "")
        self._workers.open_library(self._opener, self._indexer_factory)

    def on_unmount(self) -> None:
        self._workers.stop_indexing()
        self._collector.restore()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failed with an error the code did not foresee: say so in one line, keep running."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self._collector.release()
            self.query_one(StatusLine).hide_progress()
            message = str(event.worker.error) or type(event.worker.error).__name__
            self.notify(message, title="Something went wrong", severity="error", markup=False)

    # Answers from the library, on the UI thread --------------------------------------------------

    def library_ready(self, library: LibraryAPI) -> None:
        self.query_one(ResultsList).show_note(Text("Indexing…", style="dim"))  # the indexer starts next
        self.query_one(StatusLine).show_engine(library.engine_name)
        self._session.open(library)

    def library_failed(self, message: str) -> None:
        self.query_one(StatusLine).show_summary(Text(message, style="bold red"))
        self.app.push_screen(NoticeScreen("Cannot open the corpus", message))

    def index_event(self, event: IndexEvent) -> None:
        if isinstance(event, Progress):
            self._show_progress(event)
            self._session.indexer_progressed(time.monotonic())
            if event.phase == "duplicates" and event.done == event.total:
                self._session.copies_grouped()
        elif isinstance(event, IndexReport):
            self._phase_over()
            self._session.synced(event)
            self._report_skips(event)
        elif isinstance(event, EntitiesDone):
            self._entities_ready(event.analysed)
        else:
            self._phase_over()
            message = f"{event.message} Showing the index as it is." if event.busy else event.message
            self.notify(message, title="Indexing", severity="warning", markup=False)

    def _show_progress(self, progress: Progress) -> None:
        """Empty panes say what the indexer is doing and how far it is, rather than "nothing"."""
        self.query_one(StatusLine).show_progress(progress)
        self._progress = progress
        self._estimate.update(progress)
        if progress.phase == "index":
            self.query_one(ResultsList).show_note(Text(describe(progress), style="dim"))
        elif progress.phase == "entities":
            self.query_one(EntityPanel).show_note(self._no_entities())

    def _phase_over(self) -> None:
        self._progress = None
        self.query_one(StatusLine).hide_progress()
        self.query_one(ResultsList).show_note(None)

    def _report_skips(self, report: IndexReport) -> None:
        if report.skipped:
            reasons = ", ".join(sorted({skip.reason.value for skip in report.skipped}))
            message = f"Skipped {plural(len(report.skipped), 'file')}: {reasons}."
            self.notify(message, title="Indexing", severity="warning", markup=False)

    def _entities_ready(self, extracted: int) -> None:
        self._phase_over()
        self._entities_done = True
        self._refresh_sidebar()
        if extracted and self._session.hit is not None:
            self._preview(self._session.hit)

    def _start_search(self, search: Search) -> None:
        self._collector.hold()
        self._workers.search(search)

    def _moved(self, state: SearchState) -> None:
        self.query_one(FilterBar).show(state.filters)

    def search_done(self, search: Search, result: SearchResult) -> None:
        if not self._session.searched(search, result):
            return
        results = self.query_one(ResultsList)
        position = results.highlighted if search.keep_position else None
        self.query_one(SearchBar).show_error(None)
        results.show(result)
        self._collector.release()
        if position is not None and position < len(result.hits):
            results.highlighted = position
        filters, like = [entity.shown for entity in search.state.filters], search.state.like_title
        summary = summary_text(result, filters, show_timing=self._show_timing, more_like=like)
        self.query_one(StatusLine).show_summary(summary)
        if not result.hits:
            self.article_loaded(None, None, ())  # no hits: no article
        if self._session.facets_mode:
            self._refresh_sidebar()
        self._collector.settle()  # the first results are on screen: the start-up heap is built

    def search_failed(self, search: Search, message: str) -> None:
        if self._session.is_current(search):
            self._collector.release()
            self.query_one(SearchBar).show_error(message)
            if self._session.was_submitted(search):
                self.query_one(SearchBar).focus_input()  # back to the box, to mend the query

    def histogram_done(self, search: Search, histogram: list[tuple[str, int]]) -> None:
        if self._session.is_current(search):
            self.query_one(DateHistogram).show(histogram)

    def page_loaded(self, page: Page, result: SearchResult) -> None:
        if self._session.is_current(page.search):
            self.query_one(ResultsList).add_page(page.offset, result.hits)

    def article_loaded(self, hit: Hit | None, article: Article | None, mentions: Sequence[Mention]) -> None:
        if hit is not None and hit is not self.query_one(ResultsList).current_hit:
            return
        reader = self.query_one(ArticleView)
        if self._session.read(hit, article, mentions):
            reader.set_mentions(mentions)
        else:
            reader.show(article.body if article else "", hit.highlights if hit else (), mentions)
            page = self._page_at(reader.current_hit_offset)
            self.query_one(ArticleHeader).show(article, reader.current_hit, reader.hit_count, page)
        if not self._session.facets_mode:
            self._refresh_sidebar()

    def article_failed(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)

    def copies_loaded(self, hit: Hit, copies: list[Copy], *, compare: bool) -> None:
        library = self._session.library
        if not copies or library is None:
            self.notify("This article has no copies.", timeout=3)
        elif compare:
            self.app.push_screen(CompareScreen(library, copies, hit.id))
        else:
            self.query_one(ResultsList).show_copies(hit, copies)

    def facets_loaded(self, search: Search, facets: list[Facet]) -> None:
        if self._session.is_current(search) and self._session.facets_mode:
            self.query_one(EntityPanel).show(
                "Entities in results", facet_entries(facets), self._no_entities(), "articles"
            )

    def _refresh_sidebar(self) -> None:
        panel = self.query_one(EntityPanel)
        if not self._session.facets_mode:
            entries = article_entries(self._session.mentions)
            panel.show("Entities in article", entries, self._no_entities(), "mentions")
        elif (search := self._session.facets_search()) is not None:
            self._workers.facets(search)
        else:
            panel.show("Entities in results", [], "Facets need a search, not “more like this”.", "")

    def _no_entities(self) -> str:
        """What the sidebar says when it has no entities to list."""
        facets_mode, result = self._session.facets_mode, self._session.result
        if facets_mode and result is not None and result.total == 0:
            return "No results, so no entities."
        if not facets_mode and self._session.article is None:
            return "No article open."
        if self._progress is not None and self._progress.phase == "entities":
            return describe(self._progress, self._estimate.seconds_left())
        where = "in these results" if facets_mode else "in this article"
        return f"No entities {where}." if self._entities_done else f"No entities {where} (yet)."

    # Messages from the widgets --------------------------------------------------------------------

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        self._session.enter_text(event.query, submitted=event.submitted)
        if event.submitted:
            # Enter: on to the results at once, so that the next key acts on them, not on the query.
            self.action_leave()

    @on(ResultsList.Previewed)
    def _previewed(self, event: ResultsList.Previewed) -> None:
        self._preview(event.hit)

    def _preview(self, hit: Hit) -> None:
        if self._session.library is not None:
            self._workers.article(self._session.library, hit)

    @on(ResultsList.Opened)
    def _opened(self, event: ResultsList.Opened) -> None:
        self.query_one(ArticleView).focus()

    @on(ResultsList.MoreWanted)
    def _more_wanted(self, event: ResultsList.MoreWanted) -> None:
        page = self._session.page_at(event.offset, before=event.before)
        if page is not None:
            self._workers.page(page)

    @on(ResultsList.SuggestionChosen)
    def _suggestion_chosen(self, event: ResultsList.SuggestionChosen) -> None:
        self.query_one(SearchBar).set_value(event.query)
        self._session.choose_suggestion(event.query)

    @on(EntityPanel.FilterChosen)
    def _filter_chosen(self, event: EntityPanel.FilterChosen) -> None:
        self._session.add_entity_filter(event.label, event.canonical)

    @on(FilterBar.Removed)
    def _filter_removed(self, event: FilterBar.Removed) -> None:
        self._session.remove_filter(event.entity)
        self.query_one(ResultsList).focus()

    @on(ArticleView.HitChanged)
    def _hit_changed(self, event: ArticleView.HitChanged) -> None:
        self.query_one(ArticleHeader).show_hit(event.index, event.total, self._page_at(event.offset))

    def _page_at(self, offset: int | None) -> int | None:
        """The page of the open article (a PDF) that holds ``offset`` of its body."""
        article = self._session.article
        return None if article is None or offset is None else page_at(page_starts(article), offset)

    # Actions ------------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """A priority binding that moves the focus at once: the keys that arrive with "/" in one burst
        (pasted, or typed fast over ssh) are dispatched before a deferred focus change, and were lost."""
        search = self.query_one(SearchBar)
        if search.has_focus_within:
            raise SkipAction  # "/" in the box is part of the query
        search.focus_input()

    def action_leave(self) -> None:
        """Esc: back to the results list from the search box or any other pane."""
        results = self.query_one(ResultsList)
        if results.region.width:
            results.focus()

    def action_next_article(self) -> None:
        self.query_one(ResultsList).move(+1)

    def action_previous_article(self) -> None:
        self.query_one(ResultsList).move(-1)

    def action_next_hit(self) -> None:
        self.query_one(ArticleView).next_hit()

    def action_previous_hit(self) -> None:
        self.query_one(ArticleView).previous_hit()

    def action_toggle_entities(self) -> None:
        reader = self.query_one(ArticleView)
        reader.show_entities = not reader.show_entities
        self.notify("Entity marks on." if reader.show_entities else "Entity marks off.", timeout=2)

    def action_toggle_facets(self) -> None:
        self._session.toggle_facets()
        self._refresh_sidebar()

    def action_cycle_sort(self) -> None:
        self._session.cycle_sort()

    def action_toggle_collapse(self) -> None:
        self._session.toggle_collapse()

    def action_toggle_copies(self) -> None:
        """Lists the copies of the highlighted hit's story under it, oldest first, or hides them."""
        results = self.query_one(ResultsList)
        hit = results.current_hit
        if hit is not None and results.copies_shown(hit):
            results.show_copies(hit, ())
        else:
            self._with_copies(hit, compare=False)

    def action_compare_copies(self) -> None:
        self._with_copies(self.query_one(ResultsList).current_hit, compare=True)

    def _with_copies(self, hit: Hit | None, *, compare: bool) -> None:
        if hit is None or self._session.library is None:
            self.notify("Choose a result first.", severity="warning")
        else:
            self._workers.copies(self._session.library, hit, compare=compare)

    def action_more_like_this(self) -> None:
        if not self._session.more_like_this():
            self.notify("Open an article first.", severity="warning")

    def action_remove_last_filter(self) -> None:
        self._session.remove_last_filter()

    def action_back(self) -> None:
        if not self._session.back():
            self.notify("Nothing to go back to.", timeout=2)

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-sidebar-toggled")
        self.call_after_refresh(self._keep_focus_visible, self.focused)

    def _keep_focus_visible(self, focused: Widget | None) -> None:
        """On a narrow screen the sidebar and the results swap places: the focus follows."""
        panel, results = self.query_one(EntityPanel), self.query_one(ResultsList)
        if focused in (panel, results) and not focused.region.width:
            (panel if focused is results else results).focus()

    def action_copy_location(self) -> None:
        self._with_article(copy_location)

    def action_open_external(self) -> None:
        page = self._page_at(self.query_one(ArticleView).current_hit_offset)
        self._with_article(partial(open_article, page=page))

    def _with_article(self, act: Callable[[App[Any], Article, Path], None]) -> None:
        """Run ``act`` (an opener) on the open article and the corpus, or ask for an article first."""
        article, library = self._session.article, self._session.library
        if article is None or library is None:
            self.notify("Open an article first.", severity="warning")
        else:
            act(self.app, article, Path(library.corpus))
