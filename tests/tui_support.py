"""A small in-memory stand-in for ``index.library.Library``, for fast and exact TUI tests.

It reads the fixture corpus in ``tests/data/tui``, strips escape sequences as ingest does, finds a
fixed set of fictional entities, and answers a tiny query language (words, "phrases", field:"name")
and the typed entity filters
with the same typed values the real library returns. It implements ``index.api.LibraryAPI``, what
the TUI asks of a library, and mypy (``make test``) fails when it falls behind ``Library``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.duplicates import Copy, DuplicateGroup
from index.entities.labels import ENTITY_FIELDS
from index.errors import ArticleNotFound, Cancelled, QueryError
from index.export import Export, ExportRow, export_row, paged
from index.models import (
    Article,
    ArticleNotes,
    CoMentions,
    DateFilter,
    EntityFilter,
    EntityRef,
    Facet,
    Hit,
    IndexReport,
    Mention,
    Progress,
    ProgressCallback,
    Query,
    SearchResult,
    SortOrder,
    Span,
    StopCheck,
    UpdateReport,
)
from index.notebook.store import checked_tag
from index.periods import by_period

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot
    from textual.widget import Widget

    from index.api import LibraryAPI
    from index.cluster import Cluster
    from index.notebook.curation import CurationOp
    from index.notebook.searches import SavedSearch
    from index.notebook.store import Notebook

FIXTURE_CORPUS = Path(__file__).parent / "data" / "tui"

KNOWN_ENTITIES: dict[str, tuple[str, str]] = {
    "Mara Quell": ("PERSON", "Mara Quell"),
    "Jonas Brisk": ("PERSON", "Jonas Brisk"),
    "Harbour Council": ("ORG", "Harbour Council"),
    "Tessaly Water Board": ("ORG", "Tessaly Water Board"),
    "Port Amsel": ("PLACE", "Port Amsel"),
    "Veldt": ("PLACE", "Veldt"),
    "Gull Point": ("PLACE", "Gull Point"),
}

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_CLAUSE = re.compile(r'(\w+):"([^"]*)"|"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def load_fixture_articles(path: Path = FIXTURE_CORPUS / "articles.jsonl") -> list[Article]:
    articles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        body = _ESCAPES.sub("", record["text"])
        articles.append(
            Article(
                id=f"{path.name}#{number}",
                path=path.name,
                title=_ESCAPES.sub("", record["title"]),
                body=body,
                original=body,
                source=record.get("source"),
                author=record.get("author"),
                date=dt.datetime.fromisoformat(record["date"]) if record.get("date") else None,
                url=record.get("url"),
            )
        )
    return articles


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _mentions(body: str) -> list[Mention]:
    found = []
    for surface, (label, canonical) in KNOWN_ENTITIES.items():
        for match in re.finditer(re.escape(surface), body):
            found.append(Mention(surface, label, match.start(), match.end(), canonical))
    return sorted(found, key=lambda mention: mention.start)


def _within(date: dt.datetime | None, dates: DateFilter | None) -> bool:
    """Whether an article of this date passes the date filter (an undated one passes none)."""
    if dates is None:
        return True
    if date is None:
        return False
    day = date.date()
    return (dates.first is None or dates.first <= day) and (dates.last is None or day <= dates.last)


class FakeLibrary:
    """The ``Library`` API over a list of articles held in memory."""

    def __init__(self, articles: Iterable[Article], corpus: Path = FIXTURE_CORPUS) -> None:
        self.articles = {article.id: article for article in articles}
        self.corpus = corpus
        self.index_dir = corpus
        self.engine_name = "whoosh"
        self.is_indexed = True
        self.entities_extracted = False
        self.searches: list[str] = []
        self.slow: set[str] = set()
        """Queries whose search runs until the caller's ``should_stop`` says to stop (at most 10 s)."""
        self.cancelled: list[str] = []
        self.sync_report = IndexReport(unchanged=len(self.articles))
        self.exports: list[str] = []
        """The queries exported, as shown."""
        self.duplicate_groups: list[DuplicateGroup] = []
        """What ``duplicates`` answers, and what ``search(collapse=True)`` folds by."""
        self._notebook: Notebook | None = None
        self._notebook_lock = threading.Lock()
        self.notes: dict[str, ArticleNotes] = {}
        """The notebook's stars, tags and notes, by article id."""

    @classmethod
    def fixture(cls, extra: Iterable[Article] = ()) -> FakeLibrary:
        return cls([*load_fixture_articles(), *extra])

    def count(self) -> int:
        return len(self.articles)

    def update(
        self,
        *,
        entities: bool = True,
        progress: ProgressCallback | None = None,
        on_synced: Callable[[IndexReport], None] | None = None,
        should_stop: StopCheck | None = None,
        wait: float = 0.0,
        cluster: Cluster | None = None,
    ) -> UpdateReport:
        """Library.update's order of events, over this fake's (or a subclass's) sync and entities
        (a ``cluster`` changes where Library's work runs, not what it does: the fake ignores it)."""
        synced = self.sync(progress=progress, should_stop=should_stop)
        if on_synced is not None:
            on_synced(synced)
        if not entities or (should_stop is not None and should_stop()):
            return UpdateReport(synced, analysed=None)
        return UpdateReport(synced, self.extract_entities(progress=progress, should_stop=should_stop))

    def sync(
        self,
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> IndexReport:
        if progress:
            progress(Progress("index", len(self.articles), len(self.articles)))
        return self.sync_report

    def extract_entities(
        self,
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> int:
        self.entities_extracted = True
        return len(self.articles)

    def article(self, article_id: str) -> Article:
        try:
            return self.articles[article_id]
        except KeyError:
            raise ArticleNotFound(f"No article has the id {article_id!r}.") from None

    def article_entities(self, article_id: str) -> list[Mention]:
        return self._shown_mentions(self.article(article_id).body) if self.entities_extracted else []

    def search(
        self,
        query: Query | str,
        *,
        limit: int = 50,
        offset: int = 0,
        should_stop: StopCheck | None = None,
        collapse: bool = False,
    ) -> SearchResult:
        query = Query.of(query)
        self.searches.append(query.shown)
        if query.shown in self.slow:
            self._run_until_stopped(query.shown, should_stop or (lambda: False))
        matches = self._matching(query)
        if not query.shown or query.sort is SortOrder.DATE:
            matches.sort(key=lambda match: (match[0].date or dt.datetime.min, match[0].id), reverse=True)
        else:
            matches.sort(key=lambda match: (-len(match[1]), match[0].id))
        hits = tuple(self._hit(article, spans, title_spans) for article, spans, title_spans in matches)
        if collapse:
            hits = self._collapsed(hits)
        suggestion = self._suggest(query.text) if not hits else None
        page = hits[offset : offset + limit]
        return SearchResult(query.shown, len(hits), page, query.sort, 0.001, suggestion)

    def duplicates(self, threshold: float | None = None) -> list[DuplicateGroup]:
        return list(self.duplicate_groups)

    def copies(self, article_id: str, threshold: float | None = None) -> list[Copy]:
        for group in self.duplicate_groups:
            if article_id in group.ids:
                articles = [self.articles[member] for member in group.ids]
                return [Copy(a.id, a.path, a.title, a.source, a.date) for a in articles]
        return []

    def _collapsed(self, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
        """Each group's first hit, with the number of its other members among ``hits``."""
        group_of = {member: n for n, group in enumerate(self.duplicate_groups) for member in group.ids}
        sizes = Counter(group_of[hit.id] for hit in hits if hit.id in group_of)
        seen: set[int] = set()
        lines = []
        for hit in hits:
            number = group_of.get(hit.id)
            if number is None:
                lines.append(hit)
            elif number not in seen:
                seen.add(number)
                lines.append(replace(hit, similar=sizes[number] - 1))
        return tuple(lines)

    def more_like_this(self, article_id: str, *, limit: int = 20) -> SearchResult:
        source = self.article(article_id)
        words = {_stem(word) for word in _WORD.findall(source.body) if len(word) > 4}
        scored = []
        for article in self.articles.values():
            if article.id != article_id:
                shared = len(words & {_stem(word) for word in _WORD.findall(article.body)})
                scored.append((shared, article))
        scored.sort(key=lambda item: (-item[0], item[1].id))
        hits = tuple(self._hit(article, (), ()) for _, article in scored[:limit])
        return SearchResult(f"like:{article_id}", len(hits), hits, SortOrder.RELEVANCE, 0.001)

    def facets(
        self,
        query: Query | str,
        *,
        label: str | None = None,
        limit: int = 20,
        should_stop: StopCheck | None = None,
    ) -> list[Facet]:
        articles: Counter[tuple[str, str]] = Counter()
        mentions: Counter[tuple[str, str]] = Counter()
        for article, _, _ in self._matching(Query.of(query)):
            counts = Counter((m.label, m.canonical) for m in self.article_entities(article.id))
            articles.update(counts.keys())
            mentions.update(counts)
        facets = [
            Facet(name, kind, articles[(kind, name)], mentions[(kind, name)])
            for kind, name in articles
            if label is None or kind == label
        ]
        return sorted(facets, key=lambda facet: (-facet.articles, facet.canonical))[:limit]

    def date_histogram(
        self, query: Query | str, *, should_stop: StopCheck | None = None
    ) -> list[tuple[str, int]]:
        matching = self._matching(Query.of(query))
        months = Counter(article.date.strftime("%Y-%m") for article, _, _ in matching if article.date)
        return sorted(months.items())

    # The notebook's stars, tags and notes, held in ``notes`` -------------------------------------

    def annotate(
        self,
        article_id: str,
        *,
        starred: bool | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        note: str | None = None,
    ) -> ArticleNotes | None:
        added = [checked_tag(tag) for tag in add_tags]
        self.article(article_id)
        held = self.notes.get(article_id) or ArticleNotes(article_id, "", dt.datetime.now(dt.timezone.utc))
        tags = sorted({*held.tags, *added} - set(remove_tags))
        changed = replace(
            held,
            starred=held.starred if starred is None else starred,
            tags=tuple(tags),
            note=held.note if note is None else note,
        )
        if changed.starred or changed.tags or changed.note:
            self.notes[article_id] = changed
            return changed
        self.notes.pop(article_id, None)
        return None

    def article_notes(self, article_id: str) -> ArticleNotes | None:
        return self.notes.get(article_id)

    def notes_of(self, article_ids: Iterable[str]) -> dict[str, ArticleNotes]:
        return {article_id: self.notes[article_id] for article_id in article_ids if article_id in self.notes}

    def export(
        self,
        query: Query | str,
        *,
        entities: bool = False,
        notes: bool = False,
        snippets: bool = False,
        should_stop: StopCheck | None = None,
    ) -> Export:
        """Every hit of ``query``, two of this fake's search pages at a time (no notebook: no tags)."""
        self.exports.append(Query.of(query).shown)

        def page(offset: int, limit: int) -> SearchResult:
            return self.search(query, limit=limit, offset=offset, should_stop=should_stop)

        def row(hit: Hit) -> ExportRow:
            return export_row(hit, None, entities=hit.entities if entities else None, with_notes=notes)

        hits = paged(page, page_size=2, should_stop=should_stop)
        return Export(hits, row, entities=entities, notes=notes)

    # Co-mentions (issue 14) ---------------------------------------------------------------------

    def comentions(
        self,
        query: Query | str,
        entity: EntityFilter,
        *,
        limit: int = 20,
        should_stop: StopCheck | None = None,
    ) -> CoMentions:
        wanted = (entity.label, entity.canonical)
        found, said = 0, 0
        articles: Counter[tuple[str, str]] = Counter()
        mentions: Counter[tuple[str, str]] = Counter()
        months: Counter[str] = Counter()
        for article, _, _ in self._matching(Query.of(query)):
            counts = Counter((m.label, m.canonical) for m in self.article_entities(article.id))
            if wanted in counts:
                found, said = found + 1, said + counts.pop(wanted)
                months.update([article.date.strftime("%Y-%m")] if article.date else [])
                articles.update(counts.keys())
                mentions.update(counts)
        beside = [
            Facet(name, kind, articles[(kind, name)], mentions[(kind, name)]) for kind, name in articles
        ]
        beside.sort(key=lambda facet: (-facet.articles, -facet.mentions, facet.canonical))
        timeline = tuple(by_period(list(months.items())))
        return CoMentions(entity, found, said, tuple(beside[:limit]), timeline)

    def close(self) -> None:
        if self._notebook is not None:
            self._notebook.close()
            self._notebook = None

    # The notebook: a real one, in the test's data folder (so that it outlives the app) ------------

    def notebook(self) -> Notebook:
        from index.notebook.store import Notebook

        with self._notebook_lock:  # as Library's: the explorer's workers ask for it at once
            if self._notebook is None:
                self._notebook = Notebook.open(self.corpus)
            return self._notebook

    def curate(self, op: CurationOp) -> None:
        self.notebook().curate(op)

    def undo_curation(self) -> CurationOp:
        return self.notebook().undo()

    def save_search(self, search: SavedSearch) -> None:
        self.notebook().save_searches([search])

    def saved_searches(self) -> list[SavedSearch]:
        return self.notebook().saved_searches()

    def delete_saved_search(self, name: str) -> None:
        from index.notebook.searches import find_saved

        self.notebook().delete_saved_search(find_saved(name, self.saved_searches()).name)

    def record_search(self, text: str) -> None:
        self.notebook().record_search(text)

    def search_history(self) -> list[str]:
        return self.notebook().search_history()

    def _run_until_stopped(self, query: str, should_stop: StopCheck) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if should_stop():
                self.cancelled.append(query)
                raise Cancelled
            time.sleep(0.01)

    def _matching(self, query: Query) -> list[tuple[Article, list[Span], list[Span]]]:
        text = query.text
        if text.count('"') % 2 or text.count("(") != text.count(")"):
            raise QueryError("The query has an unbalanced quote or bracket.")
        clauses = [match.groups() for match in _CLAUSE.finditer(text.replace("(", " ").replace(")", " "))]
        if clauses and clauses[0][3] in {"AND", "OR"}:
            raise QueryError(f"The query cannot start with {clauses[0][3]}.")
        matches = []
        for article in self.articles.values():
            spans: list[Span] = []
            title_spans: list[Span] = []
            mentioned = {(m.label, m.canonical) for m in self._shown_mentions(article.body)}
            if (
                all((entity.label, entity.canonical) in mentioned for entity in query.filters)
                and _within(article.date, query.dates)
                and all(self._clause_matches(article, clause, spans, title_spans) for clause in clauses)
            ):
                matches.append((article, sorted(spans), sorted(title_spans)))
        return matches

    def _clause_matches(
        self, article: Article, clause: tuple, spans: list[Span], title_spans: list[Span]
    ) -> bool:
        field_name, field_value, phrase, word = clause
        if word in {"AND", "*"}:
            return True
        if field_name:
            labels = {name: label for label, name in ENTITY_FIELDS.items()}
            wanted = labels.get(field_name)
            return any(
                m.canonical == field_value and (wanted is None or m.label == wanted)
                for m in self._shown_mentions(article.body)
            )
        if phrase is not None:
            found = [
                (m.start(), m.end()) for m in re.finditer(re.escape(phrase), article.body, re.IGNORECASE)
            ]
            spans.extend(found)
            return bool(found)
        stem = _stem(word)
        body = [(m.start(), m.end()) for m in _WORD.finditer(article.body) if _stem(m.group()) == stem]
        title = [(m.start(), m.end()) for m in _WORD.finditer(article.title) if _stem(m.group()) == stem]
        spans.extend(body)
        title_spans.extend(title)
        return bool(body or title)

    def _shown_mentions(self, body: str) -> list[Mention]:
        """The entities of ``body`` as the curation (if any) shows them: an entity query finds a
        merged alias's articles under the canonical name."""
        mentions = _mentions(body)
        return self.notebook().curation().mentions(mentions) if self._notebook is not None else mentions

    def _hit(self, article: Article, spans: Iterable[Span], title_spans: Iterable[Span]) -> Hit:
        spans = tuple(spans)
        start = article.body.find(" ", spans[0][0] - 30) + 1 if spans and spans[0][0] > 30 else 0
        snippet = article.body[start : start + 120]
        snippet_spans = tuple((s - start, e - start) for s, e in spans if start <= s and e <= start + 120)
        refs = Counter((m.canonical, m.label) for m in self.article_entities(article.id))
        return Hit(
            id=article.id,
            path=article.path,
            title=article.title,
            source=article.source,
            date=article.date,
            score=float(len(spans)),
            snippet=snippet,
            snippet_highlights=snippet_spans,
            title_highlights=tuple(title_spans),
            highlights=spans,
            entities=tuple(EntityRef(name, label, count) for (name, label), count in refs.most_common()),
            author=article.author,
            url=article.url,
        )

    def _suggest(self, query: str) -> str | None:
        vocabulary = {
            word.lower() for article in self.articles.values() for word in _WORD.findall(article.body)
        }
        words = [word for word in _WORD.findall(query) if word.lower() not in vocabulary]
        for word in words:
            close = difflib.get_close_matches(word.lower(), vocabulary, n=1)
            if close:
                return query.replace(word, close[0])
        return None


if TYPE_CHECKING:

    def _fake_library_is_a_library_api(fake: FakeLibrary) -> LibraryAPI:
        """Never run: mypy's check that the double takes every call the TUI may make of a library."""
        return fake


def screen_lines(app: App[Any]) -> list[str]:
    """The characters currently on the app's screen, one string per row (for asserting what users see)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip).rstrip() for strip in strips]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def total_shown(results: Widget) -> int:
    """The number of hits the results list's border states ("1 / 1,000" -> 1000)."""
    return int(str(results.border_subtitle).rpartition(" / ")[2].replace(",", ""))


async def settle(pilot: Pilot[Any], rounds: int = 3, timeout: float = 10.0) -> None:
    """Let timers fire and every worker (and the workers those start) finish, or fail after ``timeout``."""
    from textual.worker import WorkerState

    app = pilot.app
    deadline = time.monotonic() + timeout
    for _ in range(rounds):
        await pilot.pause(0.03)
        while any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers):
            if time.monotonic() > deadline:
                raise TimeoutError("workers still running: " + ", ".join(w.name for w in app.workers))
            await pilot.pause(0.02)
    await pilot.pause()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10.0, what: str = "condition"
) -> None:
    """Poll ``condition()`` between pauses until it holds, or fail after ``timeout`` seconds.

    For states reached by a worker thread: a fixed pause is either too short on a loaded machine or
    slower than needed on an idle one.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting for {what} after {timeout} s")
        await pilot.pause(0.02)
