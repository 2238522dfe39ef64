"""Opening the SQLite databases an index folder keeps beside the index (entities, wire copies).

Each is created private (0600) before SQLite opens it: SQLite gives its -wal and -shm files the
database file's mode, and a database may first be opened by a reader, outside any write, whatever
the umask. WAL, so that readers never wait for the writer.
"""

from __future__ import annotations

import os
import sqlite3
from functools import partial
from pathlib import Path

from index.errors import IndexUnusable
from index.sqlite_open import open_patiently


def connect_private(path: Path, what: str, schema: str) -> sqlite3.Connection:
    """A connection to the database at ``path`` ("the entity database", say, for the one sentence
    of an error), created private with ``schema`` if it is new. Raises IndexUnusable."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except FileExistsError:
        pass
    except OSError as error:
        raise IndexUnusable(f"{what.capitalize()} {path} cannot be opened: {error.strerror}.") from None
    try:
        return open_patiently(partial(_connected, path, schema))
    except sqlite3.Error as error:
        raise IndexUnusable(f"{what.capitalize()} {path} cannot be opened: {error}.") from None


def _connected(path: Path, schema: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(schema)
    except BaseException:
        conn.close()
        raise
    return conn
