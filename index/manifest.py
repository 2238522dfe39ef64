"""What the index holds for each corpus file, so that a re-run touches only what changed.

One SQLite row per file: its size and mtime (to skip unchanged files without reading them), a
content hash (so that a touched but identical file is not re-indexed), the ids of the articles
it produced and the skips it caused. The store writes a row only after the Whoosh commit that
holds those articles, so the two can disagree only in the direction of re-work.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexError_
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
"""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """The indexed state of one corpus file."""

    rel: str
    size: int
    mtime_ns: int
    hash: str
    ids: tuple[str, ...] = ()
    skips: tuple[Skip, ...] = ()


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
            raise IndexError_(
                f"The file table {path} is damaged ({error}); "
                f"delete the folder {path.parent} to rebuild the index."
            ) from error

    def entries(self) -> dict[str, FileEntry]:
        rows = self._db.execute("SELECT rel, size, mtime_ns, hash, ids, skips FROM files")
        return {row[0]: _entry(*row) for row in rows}

    def pending(self) -> set[str]:
        """Ids written to Whoosh by a run that may have died before recording them here."""
        return {row[0] for row in self._db.execute("SELECT id FROM pending")}

    def add_pending(self, ids: Iterable[str]) -> None:
        """Called before a Whoosh commit, so that a crash after it cannot leave unknown documents."""
        with self._transaction():
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
            self._db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
            self._db.executemany("DELETE FROM files WHERE rel = ?", [(rel,) for rel in forgotten])
            if settled:
                self._db.execute("DELETE FROM pending")
            else:
                ids = [(i,) for e in entries for i in e.ids]
                self._db.executemany("DELETE FROM pending WHERE id = ?", ids)

    def clear(self) -> None:
        with self._transaction():
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
        rel=rel,
        size=size,
        mtime_ns=mtime_ns,
        hash=hash_,
        ids=tuple(json.loads(ids)),
        skips=tuple(Skip(path, SkipReason(reason), detail) for path, reason, detail in json.loads(skips)),
    )
