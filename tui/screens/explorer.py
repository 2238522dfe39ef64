"""The explorer: search box, results, reader and entity sidebar, wired together.

Widgets only render what they are given and post Messages; this screen owns the search state,
talks to the ``Library`` from worker threads, and hands results back down to the widgets.
"""

from __future__ import annotations

import os
import subprocess
import time
import webbrowser
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from index.errors import BroadsheetError, Cancelled, QueryError
from index.models import Article, Hit, IndexReport, Mention, Progress, SearchResult
from tui.editor import editor_command
from tui.indexer import EntitiesDone, Indexer, IndexEvent, InProcessIndexer
from tui.plural import plural
from tui.progress import Estimate, describe
from tui.query import SearchState, entity_filter
from tui.screens.notice import NoticeScreen
from tui.widgets.article_header import ArticleHeader
from tui.widgets.date_histogram import DateHistogram
from tui.widgets.entity_panel import EntityPanel, article_entries, facet_entries
from tui.widgets.filter_bar import FilterBar
from tui.widgets.reader import ArticleView
from tui.widgets.results import ResultsList
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_line import StatusLine, summary_text

if TYPE_CHECKING:
    from index.api import LibraryAPI

FIRST_PAGE = 30
"""Hits fetched per search: a screenful or two. Each hit carries its highlights, which cost time."""
PAGE_SIZE = 50
"""Hits fetched per further page, as the user scrolls towards the end of the list."""
HISTOGRAM_DELAY = 0.25
"""Seconds to wait before the histogram, which holds the library for a while on big corpora:
a keystroke within that time cancels it instead of waiting behind it."""
REFRESH_WHILE_INDEXING = 2.0
"""Seconds between re-listing an empty first run while the indexer commits articles."""
PROGRESS_INTERVAL = 0.1
"""Seconds between progress repaints, so a fast indexer is not slowed by the screen."""


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
        Binding("m", "more_like_this", "More like this", show=False, id="explorer.more-like-this"),
        Binding("y", "copy_location", "Copy path or url", show=False, id="explorer.copy"),
        Binding("o", "open_external", "Open in $EDITOR or browser", show=False, id="explorer.open"),
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
        self._indexer: Indexer | None = None
        self._show_timing = show_timing
        self._library: LibraryAPI | None = None
        self._state = SearchState()
        self._history: list[SearchState] = []
        self._generation = 0
        self._submitted = -1
        """The generation of the last search started by Enter in the search box."""
        self._result: SearchResult | None = None
        self._hit: Hit | None = None
        self._article: Article | None = None
        self._mentions: Sequence[Mention] = ()
        self._facets_mode = False
        self._last_progress = 0.0
        self._last_refresh = 0.0
        self._progress: Progress | None = None
        """The latest report of the indexer's phase in progress; None between phases."""
        self._estimate = Estimate()
        self._entities_done = False

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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ResultsList).focus()
        self.query_one(EntityPanel).show("Entities", [], "No article open.", "")
        self._open_library()

    # Library life cycle -------------------------------------------------------------------------

    @work(thread=True, group="library", exit_on_error=False)
    def _open_library(self) -> None:
        try:
            library = self._opener()
        except BroadsheetError as error:
            self._deliver(self._library_failed, str(error))
            return
        self._deliver(self._library_ready, library)
        worker = get_current_worker()
        self._indexer = self._indexer_factory(library)
        self._indexer.run(self._index_event_from_thread, lambda: worker.is_cancelled)

    def _deliver(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run ``callback`` on the UI thread unless this worker was cancelled (e.g. on quit)."""
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(callback, *args)

    @staticmethod
    def _superseded() -> bool:
        """For the library's ``should_stop``: a newer search (or quitting) cancelled this worker,
        so the library stops its work on the spot instead of finishing a search nobody will see."""
        return get_current_worker().is_cancelled

    def _index_event_from_thread(self, event: IndexEvent) -> None:
        if isinstance(event, Progress):
            now = time.monotonic()
            if now - self._last_progress < PROGRESS_INTERVAL and event.done != event.total:
                return
            self._last_progress = now
        self._deliver(self._index_event, event)

    def _index_event(self, event: IndexEvent) -> None:
        status = self.query_one(StatusLine)
        if isinstance(event, Progress):
            status.show_progress(event)
            self._show_progress(event)
            self._list_first_articles()
        elif isinstance(event, IndexReport):
            self._synced(event)
        elif isinstance(event, EntitiesDone):
            self._entities_ready(event.analysed)
        else:
            self._phase_over()
            message = f"{event.message} Showing the index as it is." if event.busy else event.message
            self.notify(message, title="Indexing", severity="warning", markup=False)

    def _show_progress(self, progress: Progress) -> None:
        """Empty panes say what the indexer is doing and how far it is, rather than "nothing"."""
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

    def _list_first_articles(self) -> None:
        """On a first run the list starts empty: show what is indexed so far, every few seconds."""
        empty = self._result is not None and self._result.total == 0 and not self._state.query
        if empty and time.monotonic() - self._last_refresh >= REFRESH_WHILE_INDEXING:
            self._last_refresh = time.monotonic()
            self._search()

    def on_unmount(self) -> None:
        if self._indexer is not None:
            self._indexer.stop()

    def _library_ready(self, library: LibraryAPI) -> None:
        self._library = library
        self.query_one(ResultsList).show_note(Text("Indexing…", style="dim"))  # the indexer starts next
        self._search()

    def _library_failed(self, message: str) -> None:
        self.query_one(StatusLine).show_summary(Text(message, style="bold red"))
        self.app.push_screen(NoticeScreen("Cannot open the corpus", message))

    def _notify_from_worker(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)

    def _synced(self, report: IndexReport) -> None:
        self._phase_over()
        if report.added or report.updated or report.removed:
            self._search(keep_position=True)
        if report.skipped:
            reasons = sorted({skip.reason.value for skip in report.skipped})
            self.notify(
                f"Skipped {plural(len(report.skipped), 'file')}: {', '.join(reasons)}.",
                title="Indexing",
                markup=False,
                severity="warning",
            )

    def _entities_ready(self, extracted: int) -> None:
        self._phase_over()
        self._entities_done = True
        self._refresh_sidebar()
        if extracted and self._hit is not None:
            self._load_article(self._hit)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failed with an error the code did not foresee: say so in one line, keep running."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.query_one(StatusLine).hide_progress()
            error = event.worker.error
            self.notify(
                str(error) or type(error).__name__,
                title="Something went wrong",
                severity="error",
                markup=False,
            )

    # Searching ----------------------------------------------------------------------------------

    def _search(self, *, keep_position: bool = False) -> None:
        if self._library is None:
            return
        self._generation += 1
        self._run_search(self._library, self._generation, self._state, keep_position)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(
        self, library: LibraryAPI, generation: int, state: SearchState, keep_position: bool
    ) -> None:
        """The first page at once, then the month histogram (slower: it reads every match's date)."""
        stop = self._superseded
        try:
            if state.like_id is not None:
                result = library.more_like_this(state.like_id, limit=FIRST_PAGE)
            else:
                result = library.search(state.query, limit=FIRST_PAGE, sort=state.sort, should_stop=stop)
        except QueryError as error:
            self._deliver(self._search_failed, generation, str(error))
            return
        except Cancelled:
            return
        self._deliver(self._search_done, generation, result, keep_position)
        if state.like_id is not None:
            self._deliver(self._histogram_done, generation, [])
            return
        time.sleep(HISTOGRAM_DELAY)
        try:
            histogram = library.date_histogram(state.query, should_stop=stop)
        except Cancelled:
            return
        self._deliver(self._histogram_done, generation, histogram)

    def _search_done(self, generation: int, result: SearchResult, keep_position: bool) -> None:
        if generation != self._generation:
            return
        results = self.query_one(ResultsList)
        position = results.highlighted if keep_position else None
        self._result = result
        self.query_one(SearchBar).show_error(None)
        results.show(result)
        if position is not None and position < len(result.hits):
            results.highlighted = position
        self._show_summary()
        if not result.hits:
            self._show_article(None, None, ())
        if self._facets_mode:
            self._refresh_sidebar()

    def _histogram_done(self, generation: int, histogram: list[tuple[str, int]]) -> None:
        if generation == self._generation:
            self.query_one(DateHistogram).show(histogram)

    def _search_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.query_one(SearchBar).show_error(message)
            if generation == self._submitted:
                self.query_one(SearchBar).focus_input()  # back to the box, to mend the query

    def _show_summary(self) -> None:
        self.query_one(StatusLine).show_summary(
            summary_text(
                self._result,
                self._state.filters,
                show_timing=self._show_timing,
                more_like=self._state.like_title,
            )
        )

    @work(thread=True, exclusive=True, group="page", exit_on_error=False)
    def _load_page(
        self, library: LibraryAPI, generation: int, state: SearchState, offset: int, limit: int
    ) -> None:
        try:
            result = library.search(
                state.query, limit=limit, offset=offset, sort=state.sort, should_stop=self._superseded
            )
        except (QueryError, Cancelled):
            return
        self._deliver(self._page_loaded, generation, offset, result)

    def _page_loaded(self, generation: int, offset: int, result: SearchResult) -> None:
        if generation == self._generation:
            self.query_one(ResultsList).add_page(offset, result.hits)

    def _go(self, state: SearchState, *, remember: bool = True) -> None:
        if state == self._state:
            return
        if remember:
            self._history.append(self._state)
        self._state = state
        self.query_one(FilterBar).show(state.filters)
        self._search()

    # Reading ------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _load_article(self, hit: Hit) -> None:
        library = self._library
        if library is None:
            return
        try:
            article = library.article(hit.id)
            mentions = library.article_entities(hit.id)
        except BroadsheetError as error:
            self._deliver(self._notify_from_worker, str(error))
            return
        self._deliver(self._show_article, hit, article, mentions)

    def _show_article(self, hit: Hit | None, article: Article | None, mentions: Sequence[Mention]) -> None:
        if hit is not None and hit is not self.query_one(ResultsList).current_hit:
            return
        same = article is not None and self._article is not None and article.id == self._article.id
        self._hit, self._article, self._mentions = hit, article, mentions
        reader = self.query_one(ArticleView)
        if same:
            reader.set_mentions(mentions)
        else:
            reader.show(article.body if article else "", hit.highlights if hit else (), mentions)
            self.query_one(ArticleHeader).show(article, reader.current_hit, reader.hit_count)
        if not self._facets_mode:
            self._refresh_sidebar()

    @work(thread=True, exclusive=True, group="facets", exit_on_error=False)
    def _load_facets(self, library: LibraryAPI, generation: int, query: str) -> None:
        try:
            facets = library.facets(query, should_stop=self._superseded)
        except (QueryError, Cancelled):
            return
        self._deliver(self._facets_loaded, generation, facets)

    def _facets_loaded(self, generation: int, facets: list) -> None:
        if generation == self._generation and self._facets_mode:
            self.query_one(EntityPanel).show(
                "Entities in results", facet_entries(facets), self._no_entities(), "articles"
            )

    def _refresh_sidebar(self) -> None:
        panel = self.query_one(EntityPanel)
        if self._facets_mode:
            if self._library is not None and self._state.like_id is None:
                self._load_facets(self._library, self._generation, self._state.query)
            else:
                panel.show("Entities in results", [], "Facets need a search, not “more like this”.", "")
        else:
            panel.show(
                "Entities in article", article_entries(self._mentions), self._no_entities(), "mentions"
            )

    def _no_entities(self) -> str:
        """What the sidebar says when it has no entities to list."""
        if self._facets_mode and self._result is not None and self._result.total == 0:
            return "No results, so no entities."
        if not self._facets_mode and self._article is None:
            return "No article open."
        if self._progress is not None and self._progress.phase == "entities":
            return describe(self._progress, self._estimate.seconds_left())
        where = "in these results" if self._facets_mode else "in this article"
        return f"No entities {where}." if self._entities_done else f"No entities {where} (yet)."

    # Messages from the widgets --------------------------------------------------------------------

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        if event.query != self._state.text or self._state.like_id is not None:
            self._go(self._state.with_text(event.query), remember=False)
        else:
            # The same query again (Enter): show what another process may have indexed since.
            self._search(keep_position=True)
        if event.submitted:
            # Enter: on to the results at once, so that the next key acts on them, not on the query.
            self._submitted = self._generation
            self.action_leave()

    @on(ResultsList.Previewed)
    def _previewed(self, event: ResultsList.Previewed) -> None:
        self._load_article(event.hit)

    @on(ResultsList.Opened)
    def _opened(self, event: ResultsList.Opened) -> None:
        self.query_one(ArticleView).focus()

    @on(ResultsList.MoreWanted)
    def _more_wanted(self, event: ResultsList.MoreWanted) -> None:
        if self._library is not None and self._state.like_id is None:
            start = max(0, event.offset - PAGE_SIZE) if event.before else event.offset
            limit = event.offset - start if event.before else PAGE_SIZE
            self._load_page(self._library, self._generation, self._state, start, limit)

    @on(ResultsList.SuggestionChosen)
    def _suggestion_chosen(self, event: ResultsList.SuggestionChosen) -> None:
        self.query_one(SearchBar).set_value(event.query)
        self._go(self._state.with_text(event.query))

    @on(EntityPanel.FilterChosen)
    def _filter_chosen(self, event: EntityPanel.FilterChosen) -> None:
        self._go(self._state.with_filter(entity_filter(event.label, event.canonical)))

    @on(FilterBar.Removed)
    def _filter_removed(self, event: FilterBar.Removed) -> None:
        self._go(self._state.without_filter(event.query))
        self.query_one(ResultsList).focus()

    @on(ArticleView.HitChanged)
    def _hit_changed(self, event: ArticleView.HitChanged) -> None:
        self.query_one(ArticleHeader).show_hit(event.index, event.total)

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
        self._facets_mode = not self._facets_mode
        self._refresh_sidebar()

    def action_cycle_sort(self) -> None:
        self._go(self._state.with_next_sort(), remember=False)

    def action_more_like_this(self) -> None:
        if self._article is None:
            self.notify("Open an article first.", severity="warning")
            return
        self._go(self._state.like(self._article.id, self._article.title))

    def action_remove_last_filter(self) -> None:
        if self._state.filters:
            self._go(self._state.without_filter(self._state.filters[-1]))

    def action_back(self) -> None:
        if not self._history:
            self.notify("Nothing to go back to.", timeout=2)
            return
        self._go(self._history.pop(), remember=False)

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-sidebar-toggled")
        self.call_after_refresh(self._keep_focus_visible, self.focused)

    def _keep_focus_visible(self, focused: Widget | None) -> None:
        """On a narrow screen the sidebar and the results swap places: the focus follows."""
        panel, results = self.query_one(EntityPanel), self.query_one(ResultsList)
        if focused in (panel, results) and not focused.region.width:
            (panel if focused is results else results).focus()

    def _article_file(self) -> Path | None:
        if self._article is None or self._library is None:
            return None
        corpus = Path(self._library.corpus)
        return corpus / self._article.path if corpus.is_dir() else corpus

    def action_copy_location(self) -> None:
        if self._article is None:
            self.notify("Open an article first.", severity="warning")
            return
        location = self._article.url or str(self._article_file())
        self.app.copy_to_clipboard(location)
        self.notify(f"Copied {location}", timeout=3, markup=False)

    def _edit(self, editor: str, path: Path, line: int | None) -> None:
        """Hand the terminal to ``editor`` on ``path``, at ``line`` (of a JSON Lines file) if it takes one."""
        command, at_line = editor_command(editor, path, line)
        try:
            with self.app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="warning")
        except OSError as error:
            self.notify(f"Cannot run {editor}: {error.strerror}.", severity="error", markup=False)
        else:
            if line is not None and not at_line:
                self.notify(f"This article is line {line:,} of {path.name}.", timeout=8, markup=False)

    def action_open_external(self) -> None:
        path = self._article_file()
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if path is None or self._article is None:
            self.notify("Open an article first.", severity="warning")
        elif editor:
            # Heavy to import before the first frame; the library has imported it by now.
            from index.ingest import source_line

            self._edit(editor, path, source_line(self._article))
        elif self._article.url:
            webbrowser.open(self._article.url)
        else:
            self.notify("Set $EDITOR to open articles in your editor.", severity="warning")
