"""What the index holds for each corpus file, so that a re-run touches only what changed.

One SQLite row per file: its size and mtime (to skip unchanged files without reading them), a
content hash (so that a touched but identical file is not re-indexed), the ids of the articles
it produced and the skips it caused. The store writes a row only after the Whoosh commit that
holds those articles, so the two can disagree only in the direction of re-work.

A sync compares the corpus with this table inside SQLite: the files found on disk go into a
temporary ``walk`` table, and the changed, unchanged and removed files come out of joins. Memory
stays flat whatever the corpus size: holding a row per file in Python took about 500 bytes a
file, half a gigabyte for a million articles.

A complete sync also leaves a stamp: the digest of the walk it made. The next sync that walks the
same files (same paths, sizes, mtimes and skips) has nothing to do and stops there, before any
join or Whoosh writer; any write to the table drops the stamp, so that a run interrupted since, or
anything else that changed the table, makes the next sync do the whole comparison again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexUnusable
from index.ingest.corpus import CorpusFile
from index.models import Skip, SkipReason

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    rel      TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    ids      TEXT NOT NULL,
    skips    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS stamp (walk TEXT NOT NULL, articles INTEGER NOT NULL, skips TEXT NOT NULL);
"""

_WALK = """
DROP TABLE IF EXISTS temp.walk;
CREATE TEMP TABLE walk (
    rel      TEXT PRIMARY KEY,
    location BLOB NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL
);
"""
_STAT_MATCHES = "w.size = f.size AND w.mtime_ns = f.mtime_ns"
_ENTRY_COLUMNS = "f.rel, f.size, f.mtime_ns, f.hash, f.ids, f.skips"
_STAT_CHANGED = f"walk w LEFT JOIN files f USING (rel) WHERE (f.rel IS NULL OR NOT ({_STAT_MATCHES}))"
"""Walked files that are new, or whose size or mtime differ from their row."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """The indexed state of one corpus file."""

    rel: str
    size: int
    mtime_ns: int
    hash: str
    ids: tuple[str, ...] = ()
    skips: tuple[Skip, ...] = ()


@dataclass(frozen=True, slots=True)
class CorpusStamp:
    """The corpus as the last complete sync left it: the digest of its walk, and what a sync that
    finds the same walk reports (the articles of its files, the skips)."""

    walk: str
    articles: int
    skips: tuple[Skip, ...]


class WalkDigest:
    """A digest of a corpus walk, taken as it goes: every file's path, size and mtime, every skip."""

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)

    def add(self, item: CorpusFile | Skip) -> None:
        if isinstance(item, Skip):
            fields = ("skip", item.path, item.reason.value, item.detail)
        else:
            fields = ("file", item.rel, str(item.size), str(item.mtime_ns))
        self._hash.update("\0".join(fields).encode("utf-8", "surrogatepass") + b"\n")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class Manifest:
    """The file table of one index folder (SQLite in WAL mode, so readers never wait)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise IndexUnusable(
                f"The file table {path} is damaged ({error}); "
                f"delete the folder {path.parent} to rebuild the index."
            ) from error

    def entry(self, rel: str) -> FileEntry | None:
        row = self._db.execute(f"SELECT {_ENTRY_COLUMNS} FROM files f WHERE f.rel = ?", (rel,)).fetchone()
        return None if row is None else _entry(*row)

    def walk(self, files: Iterable[CorpusFile], chunk: int = 10_000) -> None:
        """Note the files found on disk now (a temporary table; the last walk is replaced)."""
        self._db.executescript(_WALK)
        # A location is kept as bytes: a file name need not be valid UTF-8 (surrogate escapes).
        rows = ((f.rel, os.fsencode(f.location), f.size, f.mtime_ns) for f in files)
        while batch := list(itertools.islice(rows, chunk)):
            with self._transaction():
                self._db.executemany("INSERT OR IGNORE INTO walk VALUES (?, ?, ?, ?)", batch)

    def unchanged(self) -> tuple[int, list[Skip]]:
        """Walked files whose size and mtime match their row: their article count and old skips."""
        articles = 0
        skips: list[Skip] = []
        rows = self._db.execute(
            "SELECT json_array_length(f.ids), f.skips "
            f"FROM walk w JOIN files f USING (rel) WHERE {_STAT_MATCHES}"
        )
        for count, skip_rows in rows:
            articles += count
            if skip_rows != "[]":
                skips.extend(_skips(skip_rows))
        return articles, skips

    def count_stat_changed(self) -> int:
        count: int = self._db.execute(f"SELECT COUNT(*) FROM {_STAT_CHANGED}").fetchone()[0]
        return count

    def stat_changed(self) -> Iterator[tuple[CorpusFile, FileEntry | None]]:
        """Walked files that are new or whose size or mtime changed, in the order they were found,
        with their row if they have one. Read a page at a time, so that writes can go on between."""
        last = 0
        while True:
            rows = self._db.execute(
                f"SELECT w.rowid, w.location, w.rel, w.size, w.mtime_ns, {_ENTRY_COLUMNS} "
                f"FROM {_STAT_CHANGED} AND w.rowid > ? ORDER BY w.rowid LIMIT 1000",
                (last,),
            ).fetchall()
            if not rows:
                return
            for _, location, rel, size, mtime_ns, *entry in rows:
                old = None if entry[0] is None else _entry(*entry)
                yield CorpusFile(os.fsdecode(location), rel, size, mtime_ns), old
            last = rows[-1][0]

    def removed(self) -> list[FileEntry]:
        """Rows of files the last walk did not find."""
        rows = self._db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM files f WHERE f.rel NOT IN (SELECT rel FROM walk)"
        )
        return [_entry(*row) for row in rows]

    def claimed(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` some file's row claims."""
        wanted = set(ids)
        rows = self._db.execute("SELECT j.value FROM files f, json_each(f.ids) j")
        return {value for (value,) in rows if value in wanted}

    def pending(self) -> set[str]:
        """Ids written to Whoosh by a run that may have died before recording them here."""
        return {row[0] for row in self._db.execute("SELECT id FROM pending")}

    def stamp(self) -> CorpusStamp | None:
        """The stamp of the last complete sync, if nothing was written here since."""
        row = self._db.execute("SELECT walk, articles, skips FROM stamp").fetchone()
        return None if row is None else CorpusStamp(row[0], row[1], _skips(row[2]))

    def set_stamp(self, stamp: CorpusStamp) -> None:
        """Called at the end of a complete sync. Any later write to this table drops the stamp."""
        skips = json.dumps([_skip_row(s) for s in stamp.skips])
        with self._transaction():
            self._db.execute("DELETE FROM stamp")
            self._db.execute("INSERT INTO stamp VALUES (?, ?, ?)", (stamp.walk, stamp.articles, skips))

    def add_pending(self, ids: Iterable[str]) -> None:
        """Called before a Whoosh commit, so that a crash after it cannot leave unknown documents."""
        with self._transaction():
            self._db.execute("DELETE FROM stamp")
            self._db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(i,) for i in ids])

    def record(
        self, entries: Iterable[FileEntry], forgotten: Iterable[str] = (), *, settled: bool = False
    ) -> None:
        """After a Whoosh commit: store the committed files and drop removed ones.

        Their ids leave the pending table; ``settled`` clears it entirely, once a complete run
        has deleted every pending id that no file claims any more.
        """
        entries = list(entries)
        rows = [
            (
                e.rel,
                e.size,
                e.mtime_ns,
                e.hash,
                json.dumps(e.ids),
                json.dumps([_skip_row(s) for s in e.skips]),
            )
            for e in entries
        ]
        with self._transaction():
            self._db.execute("DELETE FROM stamp")
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
            self._db.executemany("DELETE FROM files WHERE rel = ?", [(rel,) for rel in forgotten])
            if settled:
                self._db.execute("DELETE FROM pending")
            else:
                ids = [(i,) for e in entries for i in e.ids]
                self._db.executemany("DELETE FROM pending WHERE id = ?", ids)

    def clear(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM stamp")
            self._db.execute("DELETE FROM files")
            self._db.execute("DELETE FROM pending")

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> sqlite3.Connection:
        """``with`` on a connection in autocommit mode still commits or rolls back a BEGIN."""
        self._db.execute("BEGIN")
        return self._db


def _skip_row(skip: Skip) -> list[str]:
    return [skip.path, skip.reason.value, skip.detail]


def _entry(rel: str, size: int, mtime_ns: int, hash_: str, ids: str, skips: str) -> FileEntry:
    return FileEntry(
        rel=rel, size=size, mtime_ns=mtime_ns, hash=hash_, ids=tuple(json.loads(ids)), skips=_skips(skips)
    )


def _skips(rows: str) -> tuple[Skip, ...]:
    return tuple(Skip(path, SkipReason(reason), detail) for path, reason, detail in json.loads(rows))
