"""The duplicates database (SQLite, ``DB_NAME`` in the private index folder, beside the entity
database): what can be rebuilt from the corpus, so it lives in the cache.

Per article (numbered by a rowid of its own, so that the band rows stay small): its id, the hash
of its clean body, its date for ordering groups, and its signature. ``bands`` holds each article's
band keys (locality-sensitive hashing); ``pairs`` the pairs of articles of different bodies whose
estimated similarity reaches the floor. Articles of one body are exact copies: found by hash, never
paired. ``generation`` changes with every write, so that groups worked out from the database can be
kept until it does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.cache_db import connect_private
from index.duplicates.models import FLOOR
from index.duplicates.signatures import band_keys, similarity
from index.errors import IndexUnusable

DB_NAME = "duplicates.sqlite"
SIGNATURE_VERSION = 1
"""Bumped whenever shingles, signatures or bands change: every article is signed again."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    number INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, hash TEXT NOT NULL, date TEXT,
    signature BLOB
);
CREATE INDEX IF NOT EXISTS articles_by_hash ON articles (hash);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, number INTEGER NOT NULL,
    PRIMARY KEY (key, number)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (first INTEGER NOT NULL, second INTEGER NOT NULL,
    similarity REAL NOT NULL, PRIMARY KEY (first, second)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pairs_by_second ON pairs (second);
"""


@dataclass(frozen=True, slots=True)
class Signed:
    """One article ready to save: id, clean-body hash, ISO date (or None), signature (None: no words)."""

    article_id: str
    digest: str
    date: str | None
    signature: bytes | None


@dataclass(frozen=True, slots=True)
class Stored:
    """What the database holds of every article, for grouping: id, body hash, ISO date or None."""

    article_id: str
    digest: str
    date: str | None


class DuplicateDB:
    """One connection to the duplicates database; every write is one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect_private(path, "the duplicates database", _SCHEMA)
        try:
            self._start_over_if_outdated()
        except sqlite3.Error as error:
            raise IndexUnusable(f"The duplicates database {path} cannot be opened: {error}.") from None

    def _start_over_if_outdated(self) -> None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is not None and int(row[0]) == SIGNATURE_VERSION:
            return
        with self._conn:
            for table in ("pairs", "bands", "articles"):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.execute("DELETE FROM meta")
            self._conn.execute(
                "INSERT INTO meta (name, value) VALUES ('version', ?)", (str(SIGNATURE_VERSION),)
            )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DuplicateDB:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def signed(self) -> dict[str, tuple[str, str | None]]:
        """Article id -> (body hash, ISO date) of every article signed so far."""
        return {row[0]: (row[1], row[2]) for row in self._conn.execute("SELECT id, hash, date FROM articles")}

    def save(self, batch: Iterable[Signed]) -> None:
        """Replace these articles' signatures and pairs (one commit): each is compared with the
        articles that share one of its band keys, those saved before it in this batch included."""
        with self._conn:
            for item in batch:
                self._drop(item.article_id)
                cursor = self._conn.execute(
                    "INSERT INTO articles (id, hash, date, signature) VALUES (?, ?, ?, ?)",
                    (item.article_id, item.digest, item.date, item.signature),
                )
                number = cursor.lastrowid
                assert number is not None  # an INSERT sets it
                if item.signature is not None:
                    self._pair(number, item.digest, item.signature)
            self._bump_generation()

    def redate(self, dates: dict[str, str | None]) -> None:
        """Give unchanged articles their new dates (the order of their groups depends on them)."""
        with self._conn:
            self._conn.executemany(
                "UPDATE articles SET date = ? WHERE id = ?", [(d, i) for i, d in dates.items()]
            )
            self._bump_generation()

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop articles that left the index, with their bands and pairs (one commit)."""
        with self._conn:
            for article_id in article_ids:
                self._drop(article_id)
            self._bump_generation()

    def _drop(self, article_id: str) -> None:
        row = self._conn.execute(
            "SELECT number, signature FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return
        number, signature = row
        if signature is not None:
            # By its keys, worked out again from the signature: an index of bands by article
            # would take a third of the database.
            self._conn.executemany(
                "DELETE FROM bands WHERE key = ? AND number = ?",
                [(key, number) for key in band_keys(signature)],
            )
        self._conn.execute("DELETE FROM pairs WHERE first = ? OR second = ?", (number, number))
        self._conn.execute("DELETE FROM articles WHERE number = ?", (number,))

    def _pair(self, number: int, digest: str, signature: bytes) -> None:
        keys = list(band_keys(signature))
        candidates = {
            row[0]
            for key in keys
            for row in self._conn.execute("SELECT number FROM bands WHERE key = ?", (key,))
        }
        pairs = []
        for other in candidates:
            other_digest, other_signature = self._conn.execute(
                "SELECT hash, signature FROM articles WHERE number = ?", (other,)
            ).fetchone()
            if other_digest == digest:
                continue  # an exact copy: grouped by its hash
            estimate = similarity(signature, other_signature)
            if estimate >= FLOOR:
                pairs.append((min(number, other), max(number, other), estimate))
        self._conn.executemany(
            "INSERT OR REPLACE INTO pairs (first, second, similarity) VALUES (?, ?, ?)", pairs
        )
        self._conn.executemany(
            "INSERT OR IGNORE INTO bands (key, number) VALUES (?, ?)", [(k, number) for k in keys]
        )

    def _bump_generation(self) -> None:
        self._conn.execute(
            "INSERT INTO meta (name, value) VALUES ('generation', '1') ON CONFLICT(name) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def generation(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def synced_version(self) -> str | None:
        """The index version (``Engine.version``) right after the last complete duplicates phase."""
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'synced'").fetchone()
        return row[0] if row else None

    def set_synced_version(self, version: str | None) -> None:
        with self._conn:
            self._conn.execute("DELETE FROM meta WHERE name = 'synced'")
            if version is not None:
                self._conn.execute("INSERT INTO meta (name, value) VALUES ('synced', ?)", (version,))

    def articles(self) -> Iterator[Stored]:
        """Every saved article with its body hash and date."""
        for row in self._conn.execute("SELECT id, hash, date FROM articles"):
            yield Stored(*row)

    def pairs(self, threshold: float) -> Iterator[tuple[str, str]]:
        """The ids of every pair of near copies at ``threshold`` or above."""
        return self._conn.execute(
            "SELECT a.id, b.id FROM pairs p JOIN articles a ON a.number = p.first "
            "JOIN articles b ON b.number = p.second WHERE p.similarity >= ?",
            (threshold,),
        )


def existing_db(path: Path) -> DuplicateDB | None:
    """The duplicates database at ``path`` if a duplicates phase ever ran (reads never create it)."""
    return DuplicateDB(path) if path.is_file() else None
