"""The entity database (SQLite, ``DB_NAME`` in the private index folder) and the questions it answers.

It keeps, per article, the body hash and extractor that produced its mentions (so an unchanged
article is never analysed twice), the clean mentions themselves, and the corpus-wide resolution
of entity keys to canonical names and labels. Facets are counted in memory from a per-index
map, article id -> entities, loaded once and reloaded only when the ``generation`` recorded in
the database changes (after an entity phase, in this process or another).
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from index.cache_db import connect_private
from index.entities.canonical import Entity
from index.entities.normalise import Found
from index.errors import IndexUnusable
from index.models import EntityRef, Mention

DB_NAME = "entities.sqlite"
ENTITY_VERSION = 4
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
CREATE TABLE IF NOT EXISTS key_numbers (number INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL);
"""
_KEY_COUNTS = ("keys", "counts")
"""Columns of ``articles``: the article's entity keys (as ``key_numbers``, which never change)
and how often each is mentioned, as packed native unsigned 32-bit integers. Facets are built from
these, one row per article, instead of from every mention row (4 million rows took 20 s to read
at 100,000 articles)."""


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
        self._numbers: dict[str, int] | None = None
        self._conn = connect_private(path, "the entity database", _SCHEMA)
        try:
            self._start_over_if_outdated()
            self._add_key_counts_if_missing()
        except sqlite3.Error as error:
            raise IndexUnusable(f"The entity database {path} cannot be opened: {error}.") from None

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

    def _add_key_counts_if_missing(self) -> None:
        """Articles saved before the key counts existed (or by a version without them) get them,
        from their mention rows, once."""
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(articles)")}
        with self._conn:
            for column in _KEY_COUNTS:
                if column not in columns:
                    self._conn.execute(f"ALTER TABLE articles ADD COLUMN {column} BLOB")
            # Makes the check below a lookup: without it, every open (each facet query, each
            # article's entities) scanned the whole table, 30 ms at 100,000 articles.
            self._conn.execute(
                "CREATE INDEX IF NOT EXISTS articles_without_keys ON articles (id) WHERE keys IS NULL"
            )
        if self._conn.execute("SELECT 1 FROM articles WHERE keys IS NULL LIMIT 1").fetchone() is None:
            return
        rows = self._conn.execute(
            "SELECT m.article_id, m.key, COUNT(*) FROM mentions m JOIN articles a ON a.id = m.article_id "
            "WHERE a.keys IS NULL GROUP BY m.article_id, m.key ORDER BY m.article_id"
        ).fetchall()
        with self._conn:
            for article_id, group in groupby(rows, key=itemgetter(0)):
                keys, counts = self._packed(Counter({key: count for _, key, count in group}))
                self._conn.execute(
                    "UPDATE articles SET keys = ?, counts = ? WHERE id = ?", (keys, counts, article_id)
                )
            self._conn.execute("UPDATE articles SET keys = x'', counts = x'' WHERE keys IS NULL")

    def _packed(self, counts: Counter[str]) -> tuple[bytes, bytes]:
        """An article's key counts as the two packed columns, numbering keys not seen before."""
        if self._numbers is None:
            self._numbers = dict(self._conn.execute("SELECT key, number FROM key_numbers"))
        for key in counts:
            if key not in self._numbers:
                cursor = self._conn.execute("INSERT INTO key_numbers (key) VALUES (?)", (key,))
                assert cursor.lastrowid is not None  # an INSERT sets it
                self._numbers[key] = cursor.lastrowid
        numbers = array("I", (self._numbers[key] for key in counts))
        return numbers.tobytes(), array("I", counts.values()).tobytes()

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
                keys, counts = self._packed(Counter(f.key for f in item.mentions))
                self._conn.execute(
                    "INSERT OR REPLACE INTO articles (id, hash, extractor, keys, counts) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (item.article_id, item.digest, item.extractor, keys, counts),
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

    def key_entities(self) -> Iterator[tuple[int, str, str]]:
        """(key number, canonical name, label) of every resolved entity key."""
        return self._conn.execute(
            "SELECT k.number, e.canonical, e.label FROM key_numbers k JOIN entities e ON e.key = k.key"
        )

    def key_counts(self) -> Iterator[tuple[str, bytes, bytes]]:
        """(article id, packed key numbers, packed mention counts) of every analysed article."""
        return self._conn.execute("SELECT id, keys, counts FROM articles WHERE keys IS NOT NULL")

    def mentions(self, article_id: str) -> list[Mention]:
        rows = self._conn.execute(
            'SELECT m.text, e.label, m.start, m."end", e.canonical FROM mentions m '
            "JOIN entities e ON e.key = m.key WHERE m.article_id = ? ORDER BY m.start",
            (article_id,),
        )
        return [Mention(*row) for row in rows]


def existing_db(path: Path) -> EntityDB | None:
    """The entity database at ``path`` if an entity phase ever ran (reads never create it)."""
    return EntityDB(path) if path.is_file() else None


def mentions_for(path: Path, article_id: str) -> list[Mention]:
    """The entity mentions of one article in body order ([] before the entity phase)."""
    db = existing_db(path)
    if db is None:
        return []
    with closing(db):
        return db.mentions(article_id)
