"""Opening a SQLite database that another connection may be opening at the same moment.

Turning WAL on, creating the schema or migrating it each take a lock. When two new connections
each hold a lock the other needs, SQLite answers one of them "database is locked" at once instead of
waiting (its busy handler is not called for a deadlock), so the open is tried again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

OPEN_PATIENCE = 10.0
"""Seconds an open keeps trying while other connections hold the database's lock."""


def open_patiently(opener: Callable[[], sqlite3.Connection]) -> sqlite3.Connection:
    """``opener()``, again while it fails with "locked" for up to ``OPEN_PATIENCE`` seconds; other
    errors (and the last "locked") are raised as they are."""
    deadline = time.monotonic() + OPEN_PATIENCE
    while True:
        try:
            return opener()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
