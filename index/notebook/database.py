"""The notebook's SQLite file: its schema, the migrations that bring an older file up to date, and
the pragmas every connection sets.

The schema's version is SQLite's ``user_version``: a file at version ``n`` gets ``MIGRATIONS[n:]``,
each in the transaction that also records its version, so that a crash leaves a file at one
version or the next. A file from a newer Broadsheet (a higher version than ``MIGRATIONS`` knows) is
refused rather than guessed at. WAL lets the explorer read while the command line writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from index.errors import NotebookError
from index.sqlite_open import open_patiently

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE curation (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        operation TEXT NOT NULL,
        name      TEXT NOT NULL,
        label     TEXT NOT NULL,
        new_name  TEXT,
        new_label TEXT,
        made      TEXT NOT NULL
    );
    CREATE TABLE articles (
        id        TEXT PRIMARY KEY,
        body_hash TEXT NOT NULL,
        starred   INTEGER NOT NULL DEFAULT 0,
        note      TEXT NOT NULL DEFAULT '',
        noted     TEXT NOT NULL
    );
    CREATE TABLE tags (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        tag        TEXT NOT NULL,
        PRIMARY KEY (article_id, tag)
    );
    CREATE INDEX tags_by_tag ON tags (tag);
    """,
    """
    CREATE TABLE saved_searches (
        name      TEXT PRIMARY KEY,
        text      TEXT NOT NULL,
        filters   TEXT NOT NULL,
        first_day TEXT,
        last_day  TEXT,
        sort      TEXT NOT NULL,
        collapse  INTEGER NOT NULL,
        saved     TEXT NOT NULL
    );
    CREATE TABLE search_history (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        text     TEXT NOT NULL,
        searched TEXT NOT NULL
    );
    """,
)
"""The schema, one script per version: ``MIGRATIONS[n]`` takes a file from version ``n`` to ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the notebook at ``path`` (an existing, checked file), migrated to this version.

    Raises NotebookError for a damaged file or one a newer Broadsheet wrote.
    """
    try:
        return open_patiently(partial(_connected, path))
    except sqlite3.Error as error:
        raise NotebookError(f"The notebook {path} cannot be opened: {error}.") from None


def _connected(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise NotebookError(
            f"The notebook {path} was written by a newer Broadsheet (schema {version}); "
            f"this one reads up to schema {SCHEMA_VERSION}."
        )
    for number in range(version, SCHEMA_VERSION):
        with transaction(conn):
            # Another process may have migrated it since the version was read.
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) == number:
                for statement in _statements(MIGRATIONS[number]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number + 1}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (``IMMEDIATE``: two writers queue rather than deadlock),
    committed at the end or rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """The statements of a migration script (``executescript`` would commit the open transaction)."""
    return [statement.strip() for statement in script.split(";") if statement.strip()]
