"""The explorer: search box, results, reader and entity sidebar, wired together.

Widgets only render what they are given and post Messages; the ``SearchSession`` holds the search
state and decides each move; ``LibraryWorkers`` call the library off the UI thread. This screen
routes the widgets' Messages to the session and hands the library's answers down to the widgets.
The user's stars, tags and notes go to the notebook through ``NotebookWorkers``, one call after
another; the note being typed is a ``NoteDraft``, saved as it changes and once more on quitting.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
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
from textual.worker import Worker, WorkerState, get_current_worker

from index.duplicates import Copy
from index.errors import BroadsheetError, NotebookError
from index.ingest.pages import page_at, page_starts
from index.models import (
    Article,
    ArticleNotes,
    EntityFilter,
    Facet,
    Hit,
    IndexReport,
    Mention,
    Progress,
    Query,
    SearchResult,
)
from index.notebook.curation import CurationOp, hide, merge, relabel, rename
from index.notebook.names import find_entity
from index.notebook.searches import SavedSearch, query_shown, saved_search
from index.periods import period_filter
from tui.exporting import ExportChoice
from tui.find import FindError, Found, find_all, find_pattern
from tui.heap import QuietCollector
from tui.indexer import EntitiesDone, Indexer, IndexEvent, InProcessIndexer
from tui.keys import key_names
from tui.library_workers import LibraryWorkers
from tui.note_draft import NoteDraft
from tui.notebook_workers import NotebookWorkers, toggle_star
from tui.openers import copy_location, open_article
from tui.plural import plural
from tui.progress import Estimate, describe
from tui.screens.comentions import CoMentionsScreen
from tui.screens.compare import CompareScreen
from tui.screens.export import ExportScreen
from tui.screens.label_choice import LabelChoice
from tui.screens.name_prompt import NamePrompt
from tui.screens.notice import NoticeScreen
from tui.screens.saved_searches import SavedSearchesScreen
from tui.screens.tags import TagsDialog, tag_change
from tui.search_session import FIRST_PAGE as FIRST_PAGE  # re-exported: the tests page by them
from tui.search_session import PAGE_SIZE as PAGE_SIZE
from tui.search_session import SECOND_PAGE as SECOND_PAGE
from tui.search_session import Page, Search, SearchSession, SearchState
from tui.shortened import shortened
from tui.widgets.article_header import ArticleHeader, KeyHints
from tui.widgets.date_histogram import DateHistogram
from tui.widgets.entity_panel import EntityPanel, article_entries, facet_entries
from tui.widgets.filter_bar import FilterBar
from tui.widgets.find_bar import FindBar
from tui.widgets.key_footer import KeyFooter
from tui.widgets.note_editor import NoteEditor
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
        Binding("ctrl+f", "find", "Find in article", show=False, priority=True, id="explorer.find"),
        Binding("f3", "find_next", "Next find match", show=False, id="explorer.find-next"),
        Binding("shift+f3", "find_previous", "Previous find match", show=False, id="explorer.find-previous"),
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
        Binding("u", "undo_curation", "Undo the last entity change", show=False, id="explorer.undo-curation"),
        Binding("ctrl+s", "save_search", "Save this search", show=False, id="explorer.save-search"),
        Binding("L", "saved_searches", "Saved searches", show=False, id="explorer.saved-searches"),
        Binding("asterisk", "toggle_star", "Star or unstar the article", show=False, id="explorer.star"),
        Binding("t", "edit_tags", "Add or remove the article's tags", show=False, id="explorer.tag"),
        Binding("a", "edit_note", "Write a note on the article", show=False, id="explorer.note"),
        Binding("E", "export", "Export results", show=False, id="explorer.export"),
        Binding(
            "H", "point_histogram", "Filter by date on the histogram", show=False, id="explorer.histogram"
        ),
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
        self.saved_searches: list[SavedSearch] = []
        """The saved searches as last read (the command palette offers them)."""
        self._notebook = NotebookWorkers(self, failed=self._notebook_failed)
        self._note_for: str | None = None
        """The id of the article whose note the editor is for (its text may still be on its way)."""
        self._draft: NoteDraft | None = None
        """The note in the editor; None while its text is read (nothing typed is an edit of it yet)."""
        self._drafts: list[NoteDraft] = []
        """The notes typed in this run whose last edit may not be saved yet (written on quit)."""
        self._focus_before_note: Widget | None = None
        self._notebook_error: str | None = None
        """The last notebook error told, not told again until a change succeeds."""
        self._find_pattern: re.Pattern[str] | None = None
        """The find bar's compiled text while it is open and valid; its matches are the reader's."""
        self._find_capped = False
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
                yield NoteEditor(id="note")
                yield FindBar(id="find")
            yield EntityPanel(id="sidebar")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ResultsList).focus()
        self.query_one(EntityPanel).show("Entities", [], "No article open.", "")
        self.bindings_updated_signal.subscribe(self, self._bindings_updated)
        self._workers.open_library(self._opener, self._indexer_factory)

    def on_unmount(self) -> None:
        self._save_last_edits()
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
        self._workers.notebook(library.search_history, self.query_one(SearchBar).load_history)
        self._workers.notebook(library.saved_searches, self._saved_searches_read)

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
        self.query_one(FilterBar).show(state.chips)

    def search_done(self, search: Search, result: SearchResult) -> None:
        if not self._session.searched(search, result):
            return
        results = self.query_one(ResultsList)
        position = results.highlighted if search.keep_position else None
        self.query_one(SearchBar).show_error(None)
        results.show(result)
        self._mark_hits(result.hits)
        self._collector.release()
        if position is not None and position < len(result.hits):
            results.highlighted = position
        filters, like = [chosen.shown for chosen in search.state.chips], search.state.like_title
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
            self._mark_hits(result.hits)

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
            self._article_changed(article)
            self._find_in_article()
        if not self._session.facets_mode:
            self._refresh_sidebar()

    def article_failed(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)

    def notice(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)

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

    def export_progressed(self, done: int, total: int) -> None:
        self.query_one(StatusLine).show_progress(Progress("export", done, total))

    def export_done(self, choice: ExportChoice, written: int) -> None:
        self.query_one(StatusLine).hide_progress()
        self.notify(f"Exported {plural(written, 'article')} to {choice.path}.", title="Export", markup=False)

    def export_failed(self, message: str) -> None:
        self.query_one(StatusLine).hide_progress()
        self.notify(message, title="Export failed", severity="error", markup=False)

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

    @on(SearchBar.Searched)
    def _searched(self, event: SearchBar.Searched) -> None:
        library = self._session.library
        if library is not None:
            self._workers.notebook(partial(library.record_search, event.query), _ignore)

    @on(EntityPanel.CurationAsked)
    def _curation_asked(self, event: EntityPanel.CurationAsked) -> None:
        library, entity = self._session.library, (event.canonical, event.label)
        if library is None:
            return
        shown = f"{event.canonical!r} ({event.label})"

        def renamed(name: str | None) -> None:
            if name:
                self._curate(lambda: rename(entity, name))

        def relabelled(label: str | None) -> None:
            if label:
                self._curate(lambda: relabel(entity, label))

        if event.verb == "hide":
            self._curate(lambda: hide(entity))
        elif event.verb == "rename":
            self.app.push_screen(
                NamePrompt("Rename", f"A new name for {shown}:", value=event.canonical), renamed
            )
        elif event.verb == "relabel":
            self.app.push_screen(LabelChoice("Relabel", f"A new label for {shown}:", event.label), relabelled)
        else:
            self._workers.notebook(partial(_known_entities, library), partial(self._ask_merge, entity))

    def _ask_merge(self, alias: tuple[str, str], known: list[tuple[str, str]]) -> None:
        names = [name for name, label in known if (name, label) != alias]
        question = f"Merge {alias[0]!r} ({alias[1]}) into which entity?"

        def chosen(name: str | None) -> None:
            if name:
                self._curate(lambda: merge(alias, _named(name, known, alias[1])))

        self.app.push_screen(NamePrompt("Merge", question, names), chosen)

    def _curate(self, make: Callable[[], CurationOp]) -> None:
        """Make an operation (an unknown name: one sentence), keep it in the notebook, then show it."""
        library = self._session.library
        if library is not None:
            self._workers.notebook(
                partial(_curated, library, make), partial(self._curation_changed, undone=False)
            )

    def _curation_changed(self, op: CurationOp, *, undone: bool) -> None:
        """Everything that shows entities asks again: the results, the article's marks, the sidebar."""
        message = f"Undone: {op.described}." if undone else f"Done: {op.described}. u undoes it."
        self.notify(message, title="Entities", markup=False, timeout=4)
        self._session.search(keep_position=True)
        if self._session.hit is not None:
            self._preview(self._session.hit)
        elif self._session.facets_mode:
            self._refresh_sidebar()

    def _saved_searches_read(self, searches: list[SavedSearch]) -> None:
        self.saved_searches = searches

    def open_saved_search(self, search: SavedSearch) -> None:
        """Reopen a saved search: its text in the box, its filters, sort and folding."""
        self.query_one(SearchBar).set_value(search.query.text)
        self._session.reopen(search.query, collapse=search.collapse)
        self.notify(f"Reopened {search.name!r}.", timeout=2, markup=False)

    @on(EntityPanel.CoMentionsWanted)
    def _comentions_wanted(self, event: EntityPanel.CoMentionsWanted) -> None:
        search = self._session.facets_search()
        if search is None:
            self.notify("Co-mentions need a search, not “more like this”.", severity="warning")
            return
        entity = EntityFilter(event.label, event.canonical)
        self.app.push_screen(CoMentionsScreen(search.library, search.state.query, entity), self._pivot)

    def _pivot(self, entity: EntityFilter | None) -> None:
        """Back from the co-mentions: filter by the entity chosen there, if any."""
        if entity is not None:
            self._session.add_entity_filter(entity.label, entity.canonical)

    @on(DateHistogram.PeriodsChosen)
    def _periods_chosen(self, event: DateHistogram.PeriodsChosen) -> None:
        self._session.filter_dates(period_filter(event.first, event.last))
        self.query_one(ResultsList).focus()

    @on(FilterBar.Removed)
    def _filter_removed(self, event: FilterBar.Removed) -> None:
        self._session.remove_filter(event.filter)
        self.query_one(ResultsList).focus()

    @on(ArticleView.HitChanged)
    def _hit_changed(self, event: ArticleView.HitChanged) -> None:
        self.query_one(ArticleHeader).show_hit(event.index, event.total, self._page_at(event.offset))

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        self._find_in_article()

    @on(FindBar.Stepped)
    def _find_stepped(self, event: FindBar.Stepped) -> None:
        self._step_find(event.step)

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        self._close_find()

    def _close_find(self) -> None:
        """Esc: the find's matches go, and n/N step through the query's hits again."""
        self.query_one(FindBar).close()
        self._find_pattern = None
        self.workers.cancel_group(self, "find")
        reader = self.query_one(ArticleView)
        reader.show_matches(())
        self.set_focus(reader)  # now, not after keys already waiting (Esc then Tab in one burst)
        self._show_key_hints()

    @on(ArticleView.MatchChanged)
    def _match_changed(self, event: ArticleView.MatchChanged) -> None:
        bar = self.query_one(FindBar)
        if not bar.malformed:
            bar.show_count(event.index, event.total, capped=self._find_capped)

    def _page_at(self, offset: int | None) -> int | None:
        """The page of the open article (a PDF) that holds ``offset`` of its body."""
        article = self._session.article
        return None if article is None or offset is None else page_at(page_starts(article), offset)

    # Actions ------------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """A priority binding that moves the focus at once: the keys that arrive with "/" in one burst
        (pasted, or typed fast over ssh) are dispatched before a deferred focus change, and were lost."""
        search = self.query_one(SearchBar)
        if search.has_focus_within or isinstance(self.focused, NoteEditor):
            raise SkipAction  # "/" in the box is part of the query, in a note part of the note
        search.focus_input()

    def action_leave(self) -> None:
        """Esc: closes an open find (back to the query's hits), else back to the results list from the
        search box or any other pane; to the sidebar when it has taken the results' place (v on a
        narrow screen), not left in the search box."""
        if self.query_one(FindBar).is_open:
            self._close_find()
            return
        results, panel = self.query_one(ResultsList), self.query_one(EntityPanel)
        if results.region.width:
            results.focus()
        elif panel.region.width:
            panel.focus()

    def action_next_article(self) -> None:
        self.query_one(ResultsList).move(+1)

    def action_previous_article(self) -> None:
        self.query_one(ResultsList).move(-1)

    def action_next_hit(self) -> None:
        """n: the next hit of the query, or the next match while the find bar is open."""
        reader = self.query_one(ArticleView)
        if self.query_one(FindBar).is_open:
            reader.next_match()
        else:
            reader.next_hit()

    def action_previous_hit(self) -> None:
        reader = self.query_one(ArticleView)
        if self.query_one(FindBar).is_open:
            reader.previous_match()
        else:
            reader.previous_hit()

    def action_find(self) -> None:
        """A priority binding, so that it opens the find from the search box too, and focuses at once
        (as "/" does) so that the keys typed right after it land in the bar. In a note, ctrl+f is the
        editor's own (delete the word to the right)."""
        if isinstance(self.focused, NoteEditor):
            raise SkipAction
        self.query_one(FindBar).open()
        self._show_key_hints()

    def action_find_next(self) -> None:
        self._step_find(+1)

    def action_find_previous(self) -> None:
        self._step_find(-1)

    def _step_find(self, step: int) -> None:
        """F3 and Shift+F3 (and Enter in the bar): the next or previous match; F3 opens a closed find."""
        if not self.query_one(FindBar).is_open:
            self.action_find()
        elif step > 0:
            self.query_one(ArticleView).next_match()
        else:
            self.query_one(ArticleView).previous_match()

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

    def action_undo_curation(self) -> None:
        library = self._session.library
        if library is not None:
            self._workers.notebook(library.undo_curation, partial(self._curation_changed, undone=True))

    def action_save_search(self) -> None:
        state, library = self._session.state, self._session.library
        if library is None:
            return
        if state.like_id is not None:
            self.notify("A “more like this” list cannot be saved: save a search.", severity="warning")
            return
        names = [search.name for search in self.saved_searches]
        question = f"Save {shortened(query_shown(state.query))!r} as (a name saved already is replaced):"

        def chosen(name: str | None) -> None:
            if name:
                job = partial(_saved, library, name, state)
                self._workers.notebook(job, self._search_saved)

        self.app.push_screen(NamePrompt("Save search", question, names), chosen)

    def _search_saved(self, saved: tuple[SavedSearch, list[SavedSearch]]) -> None:
        search, self.saved_searches = saved
        self.notify(f"Saved {search.name!r}; L lists saved searches.", timeout=3, markup=False)

    def action_saved_searches(self) -> None:
        library = self._session.library
        if library is not None:
            self._workers.notebook(library.saved_searches, self._list_saved_searches)

    def _list_saved_searches(self, searches: list[SavedSearch]) -> None:
        self.saved_searches = searches
        library = self._session.library

        def delete(search: SavedSearch) -> None:
            self.saved_searches = [kept for kept in self.saved_searches if kept.name != search.name]
            if library is not None:
                self._workers.notebook(partial(library.delete_saved_search, search.name), _ignore)

        def chosen(search: SavedSearch | None) -> None:
            if search is not None:
                self.open_saved_search(search)

        self.app.push_screen(SavedSearchesScreen(searches, delete), chosen)

    def action_export(self) -> None:
        """Asks for a format and a file, then writes every hit of the current search to it."""
        library, state = self._session.library, self._session.state
        if library is None:
            self.notify("The library is not open yet.", severity="warning")
        elif state.like_id is not None:
            self.notify("Export writes the hits of a search, not “more like this”.", severity="warning")
        else:
            chosen = partial(self._export_chosen, library, state.query)
            self.app.push_screen(ExportScreen(state.query.shown), chosen)

    def _export_chosen(self, library: LibraryAPI, query: Query, choice: ExportChoice | None) -> None:
        if choice is not None:
            self.query_one(StatusLine).show_progress(Progress("export", 0, None))
            self._workers.export(library, query, choice)

    def _keep_focus_visible(self, focused: Widget | None) -> None:
        """On a narrow screen the sidebar and the results swap places: the focus follows."""
        panel, results = self.query_one(EntityPanel), self.query_one(ResultsList)
        if focused in (panel, results) and not focused.region.width:
            (panel if focused is results else results).focus()

    def action_point_histogram(self) -> None:
        if not self.query_one(DateHistogram).point():
            self.notify("No result has a date to filter by.", timeout=3)

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

    # Stars, tags and notes ----------------------------------------------------------------------

    def _noted_target(self) -> tuple[str, str] | None:
        """The id and title of the article that a star, tags or a note are for: the one under the
        results cursor while the results have the focus (its text may still be on its way), else
        the one in view."""
        results, article = self.query_one(ResultsList), self._session.article
        hit = results.current_hit
        if hit is not None and (results.has_focus or article is None):
            return hit.id, hit.title
        return None if article is None else (article.id, article.title)

    def _mark_hits(self, hits: Sequence[Hit]) -> None:
        """Read the star, tags and note of these hits, for the results list to show."""
        library = self._session.library
        if library is not None and hits:
            ids = [hit.id for hit in hits]
            self._notebook.run(partial(library.notes_of, ids), partial(self._hits_marked, ids))

    def _hits_marked(self, ids: list[str], found: dict[str, ArticleNotes]) -> None:
        self.query_one(ResultsList).show_notes({article_id: found.get(article_id) for article_id in ids})

    def _article_changed(self, article: Article | None) -> None:
        """Another article is in view: read its notes for the header; the open note follows it."""
        library, editor = self._session.library, self.query_one(NoteEditor)
        if article is not None and library is not None:
            self._notebook.run(
                partial(library.article_notes, article.id), partial(self._annotated, article.id)
            )
        if article is None:
            editor.close()
        elif editor.is_open and article.id != self._note_for:
            self._begin_note(article.id, article.title)

    def _annotated(self, article_id: str, notes: ArticleNotes | None) -> None:
        """What the notebook holds of an article now, for the results list and the header."""
        self._notebook_error = None
        self.query_one(ResultsList).show_notes({article_id: notes})
        header = self.query_one(ArticleHeader)
        if header.article_id == article_id:
            header.show_notes(notes)

    def _notebook_failed(self, message: str) -> None:
        editor = self.query_one(NoteEditor)
        if editor.is_open:
            editor.show_state(message)
        if message != self._notebook_error:
            self._notebook_error = message
            self.notify(message, title="Notebook", severity="error", markup=False)

    def action_toggle_star(self) -> None:
        target, library = self._noted_target(), self._session.library
        if target is None or library is None:
            self.notify("Choose an article first.", severity="warning")
            return
        article_id = target[0]
        self._notebook.run(partial(toggle_star, library, article_id), partial(self._starred, article_id))

    def _starred(self, article_id: str, notes: ArticleNotes | None) -> None:
        self._annotated(article_id, notes)
        self.notify("Starred." if notes is not None and notes.starred else "Star removed.", timeout=2)

    def action_edit_tags(self) -> None:
        target, library = self._noted_target(), self._session.library
        if target is None or library is None:
            self.notify("Choose an article first.", severity="warning")
            return
        self._notebook.run(partial(library.article_notes, target[0]), partial(self._ask_tags, *target))

    def _ask_tags(self, article_id: str, title: str, notes: ArticleNotes | None) -> None:
        held = notes.tags if notes is not None else ()
        self.app.push_screen(TagsDialog(title, held), partial(self._tags_typed, article_id, held))

    def _tags_typed(self, article_id: str, held: tuple[str, ...], typed: tuple[str, ...] | None) -> None:
        library = self._session.library
        if typed is None or library is None:
            return
        add, remove = tag_change(held, typed)
        if add or remove:
            tag = partial(library.annotate, article_id, add_tags=add, remove_tags=remove)
            self._notebook.run(tag, partial(self._annotated, article_id))

    def action_edit_note(self) -> None:
        """Open the notes editor on the article (or go back to it), under the reader."""
        target = self._noted_target()
        if target is None or self._session.library is None:
            self.notify("Open an article first.", severity="warning")
            return
        editor = self.query_one(NoteEditor)
        if not editor.is_open:
            self._focus_before_note = self.focused
            editor.open()
        if target[0] != self._note_for:
            self._begin_note(*target)
        editor.focus()

    def _begin_note(self, article_id: str, title: str) -> None:
        library = self._session.library
        if library is None:
            return
        self._note_for, self._draft = article_id, None
        self.query_one(NoteEditor).begin(title)
        self._notebook.run(partial(library.article_notes, article_id), partial(self._note_read, article_id))

    def _note_read(self, article_id: str, notes: ArticleNotes | None) -> None:
        if article_id != self._note_for:
            return  # the editor moved on to another article meanwhile
        loaded = self.query_one(NoteEditor).load(notes.note if notes is not None else "")
        # Keys typed while the note was read follow it in the editor: an edit of ``loaded``, saved
        # when its Changed message arrives.
        self._draft = NoteDraft(article_id, loaded)
        self._drafts = [*(draft for draft in self._drafts if not draft.is_saved), self._draft]

    @on(NoteEditor.Changed, "#note")
    def _note_typed(self, event: NoteEditor.Changed) -> None:
        """Each edit is saved at once, or by the save that is waiting (which writes the latest text)."""
        draft, library = self._draft, self._session.library
        if draft is not None and library is not None and draft.edit(event.text_area.text):
            save = partial(draft.save, library)
            self._notebook.run(save, partial(self._note_saved, draft), key=draft)

    def _note_saved(self, draft: NoteDraft, saved: tuple[bool, ArticleNotes | None]) -> None:
        wrote, notes = saved
        if wrote:
            self._annotated(draft.article_id, notes)
        if draft is self._draft:
            self.query_one(NoteEditor).show_state(None)

    @on(NoteEditor.Closed)
    def _note_closed(self, event: NoteEditor.Closed) -> None:
        back, self._focus_before_note = self._focus_before_note, None
        if back is not None and back.is_attached and back.region.width:
            back.focus()
        else:
            self.action_leave()

    def _save_last_edits(self) -> None:
        """Before the app ends: every note's last edit that no save took yet (one under way is
        waited for). An error was told when the save before failed; nobody is left to tell now."""
        library = self._session.library
        if library is None:
            return
        for draft in self._drafts:
            with suppress(BroadsheetError):
                draft.save(library)

    # Find in the article ------------------------------------------------------------------------

    def _find_in_article(self) -> None:
        """Find the bar's text in the article in view, in a worker: a 1 MB article takes tens of ms."""
        bar, reader = self.query_one(FindBar), self.query_one(ArticleView)
        if not bar.is_open:
            return
        try:
            self._find_pattern = find_pattern(bar.text, regex=bar.regex)
        except FindError as error:
            self._find_pattern = None
            self.workers.cancel_group(self, "find")
            bar.show_error(str(error))
            reader.show_matches(())
            return
        bar.show_error(None)
        if self._find_pattern is None:
            self.workers.cancel_group(self, "find")
            reader.show_matches(())
        else:
            job = partial(self._find_matches, reader.body, self._find_pattern)
            self.run_worker(job, name="find", group="find", exclusive=True, thread=True, exit_on_error=False)

    def _find_matches(self, body: str, pattern: re.Pattern[str]) -> None:
        """In the worker thread: every match, handed to the screen unless a newer find superseded it."""
        worker = get_current_worker()
        found = find_all(body, pattern, cancelled=lambda: worker.is_cancelled)
        if found is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._found, body, pattern, found)

    def _found(self, body: str, pattern: re.Pattern[str], found: Found) -> None:
        reader = self.query_one(ArticleView)
        if pattern is self._find_pattern and body is reader.body:
            self._find_capped = found.capped
            reader.show_matches(found.spans)

    def _bindings_updated(self, screen: Screen[None]) -> None:
        """The keys may have changed (a keymap): the header names the ones that step through the article."""
        self._show_key_hints()

    def _show_key_hints(self) -> None:
        """The header names the keys that step through the article and open the find, as the keymap has
        them (a binding's first key)."""
        next_hit, previous_hit, find = (
            key_names(self, binding_id)[0]
            for binding_id in ("explorer.next-hit", "explorer.previous-hit", "explorer.find")
        )
        stepping = "match" if self.query_one(FindBar).is_open else "hit"
        self.query_one(ArticleHeader).show_hints(KeyHints(f"{next_hit}/{previous_hit}", stepping, find))


# Notebook calls, run in a worker thread ----------------------------------------------------------


def _ignore(_: object) -> None:
    """For a notebook change whose answer the screen does not show."""


def _known_entities(library: LibraryAPI) -> list[tuple[str, str]]:
    """Every entity as shown, (name, label): the names a merge may go into."""
    return [(facet.canonical, facet.label) for facet in library.facets("*", limit=sys.maxsize)]


def _named(name: str, known: list[tuple[str, str]], label: str) -> tuple[str, str]:
    """The entity called ``name``, of ``label`` if one is; raises NotebookError naming the nearest."""
    try:
        return find_entity(name, known, label=label)
    except NotebookError:
        return find_entity(name, known)


def _curated(library: LibraryAPI, make: Callable[[], CurationOp]) -> CurationOp:
    op = make()
    library.curate(op)
    return op


def _saved(library: LibraryAPI, name: str, state: SearchState) -> tuple[SavedSearch, list[SavedSearch]]:
    search = saved_search(name, state.query, collapse=state.collapse)
    library.save_search(search)
    return search, library.saved_searches()
