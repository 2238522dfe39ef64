"""Two connections opening one new SQLite database at the same moment (index/sqlite_open.py): the
notebook, and the databases beside an index."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from index.cache_db import connect_private
from index.errors import BroadsheetError
from index.notebook.database import connect


def opened_at_once(tmp_path: Path, open_one: Callable[[Path], sqlite3.Connection]) -> list[str]:
    """Six threads open each of 60 new databases at the same moment: the errors they met."""
    failures: list[str] = []
    for round_number in range(60):
        path = tmp_path / f"notebook-{round_number}.sqlite"
        path.touch(mode=0o600)
        start = threading.Barrier(6)

        def open_it(path: Path = path, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                open_one(path).close()
            except BroadsheetError as error:
                failures.append(str(error))

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return failures


def test_connections_opened_at_once_on_a_new_notebook_all_open(tmp_path: Path) -> None:
    """The explorer's workers, another window or the CLI may open a notebook at the moment it is
    created. Turning WAL on and migrating take locks, and SQLite answers one of two connections that
    want each other's lock "database is locked" at once, without waiting: the open tries again.
    (Before it did, about one round in fifteen failed here.)"""
    assert opened_at_once(tmp_path, connect) == []


def test_connections_opened_at_once_on_a_new_cache_database_all_open(tmp_path: Path) -> None:
    """The same for the databases beside an index (entities, wire copies)."""
    schema = "CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY);"
    assert opened_at_once(tmp_path, lambda path: connect_private(path, "the test database", schema)) == []
