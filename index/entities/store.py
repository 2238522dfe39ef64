"""The entity database (SQLite, in the library's private index folder) and the questions it answers.

It keeps, per article, the body hash and extractor that produced its mentions (so an unchanged
article is never analysed twice), the clean mentions themselves, and the corpus-wide resolution
of entity keys to canonical names and labels. Facets are counted in memory from a per-library
map, article id -> entities, loaded once and reloaded only when the ``generation`` recorded in
the database changes (after an entity phase, in this process or another).
"""

from __future__ import annotations

import heapq
import json
import sqlite3
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from index.entities.canonical import Entity
from index.entities.normalise import Found
from index.errors import IndexError_
from index.models import ENTITY_LABELS, EntityRef, Facet, Mention

if TYPE_CHECKING:
    from index.library import Library, StopCheck

DB_NAME = "entities.sqlite"
ENTITY_VERSION = 1
"""Bumped whenever extraction or normalisation changes what is saved: every article is analysed again."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, hash TEXT NOT NULL, extractor TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    vote TEXT NOT NULL, key TEXT NOT NULL, weight INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_by_article ON mentions (article_id, start);
CREATE TABLE IF NOT EXISTS entities (key TEXT PRIMARY KEY, canonical TEXT NOT NULL, label TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Analysed:
    """One analysed article, ready to save: its id, body hash, extractor name and mentions."""

    article_id: str
    digest: str
    extractor: str
    mentions: list[Found]


class EntityDB:
    """One connection to the entity database; every write is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            self._start_over_if_outdated()
        except sqlite3.Error as error:
            raise IndexError_(f"The entity database {path} cannot be opened: {error}.") from None

    def _start_over_if_outdated(self) -> None:
        """Forget everything analysed by another version of the extraction rules."""
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is not None and int(row[0]) == ENTITY_VERSION:
            return
        with self._conn:
            for table in ("mentions", "articles", "entities"):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES ('version', ?)", (str(ENTITY_VERSION),)
            )
            self._set_unresolved(True)

    @classmethod
    def of(cls, library: Library) -> EntityDB:
        return cls(library.index_dir / DB_NAME)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> EntityDB:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def analysed(self) -> dict[str, tuple[str, str]]:
        """Article id -> (body hash, extractor name) of every article analysed so far."""
        return {
            row[0]: (row[1], row[2]) for row in self._conn.execute("SELECT id, hash, extractor FROM articles")
        }

    def save(self, batch: Iterable[Analysed]) -> None:
        """Replace the mentions of these articles and record them as analysed (one commit)."""
        with self._conn:
            for item in batch:
                self._conn.execute("DELETE FROM mentions WHERE article_id = ?", (item.article_id,))
                self._conn.executemany(
                    'INSERT INTO mentions (article_id, start, "end", text, vote, key, weight) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (item.article_id, f.start, f.end, f.text, f.vote, f.key, f.weight)
                        for f in item.mentions
                    ],
                )
                self._conn.execute(
                    "INSERT OR REPLACE INTO articles (id, hash, extractor) VALUES (?, ?, ?)",
                    (item.article_id, item.digest, item.extractor),
                )
            self._set_unresolved(True)

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop articles that left the index."""
        with self._conn:
            for article_id in article_ids:
                self._conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
                self._conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                self._set_unresolved(True)

    def found(self) -> Iterator[Found]:
        """Every saved mention of the corpus (for corpus-wide resolution)."""
        for row in self._conn.execute('SELECT start, "end", text, vote, key, weight FROM mentions'):
            yield Found(*row)

    def replace_entities(self, entities: Mapping[str, Entity]) -> None:
        """Store the corpus-wide resolution and bump the generation that invalidates caches."""
        with self._conn:
            self._conn.execute("DELETE FROM entities")
            self._conn.executemany(
                "INSERT INTO entities (key, canonical, label) VALUES (?, ?, ?)",
                [(key, entity.canonical, entity.label) for key, entity in entities.items()],
            )
            self._conn.execute(
                "INSERT INTO meta (name, value) VALUES ('generation', '1') ON CONFLICT(name) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
            self._set_unresolved(False)

    def unresolved(self) -> bool:
        """Whether mentions changed since the last corpus-wide resolution (or none ran yet)."""
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'unresolved'").fetchone()
        return row is None or row[0] == "1"

    def _set_unresolved(self, value: bool) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('unresolved', ?)", ("1" if value else "0",)
        )

    def pushed_version(self) -> str | None:
        """The index version (``Store.version``) right after the last complete entity phase."""
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'pushed'").fetchone()
        return row[0] if row else None

    def set_pushed_version(self, version: str | None) -> None:
        with self._conn:
            self._conn.execute("DELETE FROM meta WHERE name = 'pushed'")
            if version is not None:
                self._conn.execute("INSERT INTO meta (name, value) VALUES ('pushed', ?)", (version,))

    def analysed_by(self, extractor: str) -> bool:
        """Whether some article's entities came from this extractor."""
        row = self._conn.execute("SELECT 1 FROM articles WHERE extractor = ? LIMIT 1", (extractor,))
        return row.fetchone() is not None

    def generation(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def article_refs(self, article_ids: Sequence[str]) -> dict[str, tuple[EntityRef, ...]]:
        """Article id -> its entities with mention counts (most mentioned first), for these articles."""
        refs: dict[str, list[EntityRef]] = {}
        rows = self._conn.execute(
            "SELECT m.article_id, e.canonical, e.label, COUNT(*) AS n FROM mentions m "
            "JOIN entities e ON e.key = m.key "
            "WHERE m.article_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY m.article_id, e.canonical, e.label "
            "ORDER BY m.article_id, n DESC, e.canonical",
            (json.dumps(list(article_ids)),),
        )
        for article_id, canonical, label, count in rows:
            refs.setdefault(article_id, []).append(EntityRef(canonical, label, count))
        return {article_id: tuple(entries) for article_id, entries in refs.items()}

    def entity_names(self) -> dict[str, tuple[str, str]]:
        """Entity key -> (canonical name, label)."""
        return {
            key: (canonical, label)
            for key, canonical, label in self._conn.execute("SELECT key, canonical, label FROM entities")
        }

    def mention_keys(self) -> Iterator[tuple[str, str]]:
        """(article id, entity key) of every mention, in no particular order."""
        return self._conn.execute("SELECT article_id, key FROM mentions")

    def mentions(self, article_id: str) -> list[Mention]:
        rows = self._conn.execute(
            'SELECT m.text, e.label, m.start, m."end", e.canonical FROM mentions m '
            "JOIN entities e ON e.key = m.key WHERE m.article_id = ? ORDER BY m.start",
            (article_id,),
        )
        return [Mention(*row) for row in rows]


def _existing_db(library: Library) -> EntityDB | None:
    """The entity database if an entity phase ever ran (reads never create it)."""
    path = library.index_dir / DB_NAME
    return EntityDB(path) if path.is_file() else None


def mentions_for(library: Library, article_id: str) -> list[Mention]:
    """The entity mentions of one article in body order ([] before the entity phase)."""
    db = _existing_db(library)
    if db is None:
        return []
    with closing(db):
        return db.mentions(article_id)


class _FacetIndex:
    """Entities numbered once, and per article the numbers of its entities, for counting in C.

    ``distinct[id]`` lists each entity of the article once, ``repeated[id]`` once per mention, so
    that ``Counter(chain(...))`` over the matching articles gives article and mention counts.
    Built from the raw (article, entity key) rows: grouping them in SQL took six times as long
    (3.8 s against 0.6 s for 10,000 articles, bench/entity_facets.py).
    """

    def __init__(
        self,
        names: Mapping[str, tuple[str, str]] | None = None,
        mentions: Iterable[tuple[str, str]] = (),
    ) -> None:
        numbers: dict[tuple[str, str], int] = {}
        by_key = {key: numbers.setdefault(name, len(numbers)) for key, name in (names or {}).items()}
        per_article: dict[str, list[int]] = defaultdict(list)
        for article_id, key in mentions:
            number = by_key.get(key)
            if number is not None:
                per_article[article_id].append(number)
        self.repeated = {article_id: tuple(found) for article_id, found in per_article.items()}
        self.distinct = {article_id: tuple(dict.fromkeys(found)) for article_id, found in per_article.items()}
        self.entities = list(numbers)
        self.everything: dict[tuple[str | None, int], list[Facet]] = {}
        """Facets of every article, by (label, limit): they change only with the database."""

    def count(self, article_ids: Iterable[str]) -> tuple[Counter[int], Counter[int]]:
        ids = list(article_ids)
        articles = Counter(chain.from_iterable(self.distinct.get(i, ()) for i in ids))
        mentions = Counter(chain.from_iterable(self.repeated.get(i, ()) for i in ids))
        return articles, mentions


class _FacetCache:
    """The facet index of one library, valid for one database generation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = -1
        self.index = _FacetIndex()


_caches: weakref.WeakKeyDictionary[Library, _FacetCache] = weakref.WeakKeyDictionary()


def _facet_index(library: Library) -> _FacetIndex | None:
    db = _existing_db(library)
    if db is None:
        return None
    cache = _caches.setdefault(library, _FacetCache())
    with closing(db), cache.lock:
        generation = db.generation()
        if generation != cache.generation:
            cache.index, cache.generation = _FacetIndex(db.entity_names(), db.mention_keys()), generation
        return cache.index


def _top(
    numbers: list[int], articles: Counter[int], mentions: Counter[int], index: _FacetIndex, limit: int
) -> list[int]:
    """The ``limit`` entities with most articles, then mentions, then by name.

    Ranks only the candidates that can make the cut (those with at least as many articles as the
    ``limit``-th), because the full key is costly over tens of thousands of entities.
    """
    leaders = heapq.nlargest(limit, numbers, key=articles.__getitem__)
    if not leaders:
        return []
    cut = articles[leaders[-1]]
    candidates = [n for n in numbers if articles[n] >= cut]
    candidates.sort(key=lambda n: (-articles[n], -mentions[n], index.entities[n][0]))
    return candidates[:limit]


def matching_ids(library: Library, query: str, should_stop: StopCheck) -> list[str]:
    """The ids of the articles matching ``query`` (the search module parses it; QueryError if bad)."""
    from index.search import matching_ids as search_ids

    with library.searcher() as searcher:
        return [] if searcher is None else search_ids(searcher, searcher.schema, query, should_stop)


def facets_for(
    library: Library, query: str, *, label: str | None, limit: int, should_stop: StopCheck
) -> list[Facet]:
    """The top entities of the articles matching ``query``: ``limit`` per label, labels in sidebar order.

    With ``label``, only that label's. Ranked by articles, then mentions, then name. The query
    ``*`` (or an empty one) needs no search: it is every article the entity phase analysed, and
    its facets are kept until the entity database changes (the sidebar asks for them at every
    start; they took 95 ms at 10,000 articles and grow with the corpus).
    """
    from index.query import is_everything

    index = _facet_index(library)
    if index is None:
        return []
    if not is_everything(query):
        return _ranked(index, matching_ids(library, query, should_stop), label, limit)
    key = (label, limit)
    if key not in index.everything:
        index.everything[key] = _ranked(index, index.distinct.keys(), label, limit)
    return list(index.everything[key])


def _ranked(index: _FacetIndex, ids: Iterable[str], label: str | None, limit: int) -> list[Facet]:
    articles, mentions = index.count(ids)
    by_label: dict[str, list[int]] = {}
    for number in articles:
        by_label.setdefault(index.entities[number][1], []).append(number)
    ordered: list[Facet] = []
    for name in ENTITY_LABELS if label is None else (label,):
        ordered.extend(
            Facet(index.entities[n][0], name, articles[n], mentions[n])
            for n in _top(by_label.get(name, []), articles, mentions, index, limit)
        )
    return ordered
