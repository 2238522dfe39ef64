"""``Notebook``: one corpus's notebook file and the questions and changes it takes.

Every change is one transaction that also bumps the ``revision`` in ``meta``, so a reader in
another process (the explorer while the command line curates) sees a change at its next question
and nothing half-done. Reads never create the file: a corpus nobody curated has none.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import NotebookError
from index.notebook import location
from index.notebook.curation import Curation, CurationOp, Operation
from index.notebook.database import connect, transaction


class Notebook:
    """The notebook of one corpus. Create with ``Notebook.open`` (or ``existing``); close when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path)
        self._lock = threading.Lock()
        self._curation: tuple[int, Curation] | None = None

    @classmethod
    def open(cls, corpus: Path) -> Notebook:
        """The notebook of ``corpus``, created (private) if it does not exist yet."""
        path = location.notebook_path(corpus)
        location.create_private(path)
        return cls(path)

    @classmethod
    def existing(cls, corpus: Path) -> Notebook | None:
        """The notebook of ``corpus`` if one was ever written, else None (nothing is created)."""
        path = location.notebook_path(corpus)
        return cls(path) if path.is_file() else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def revision(self) -> int:
        """Changes with every change to the notebook, by this process or another."""
        with self._lock:
            return self._revision()

    def curation(self) -> Curation:
        """The curation as it stands, read again only after a change."""
        with self._lock:
            revision = self._revision()
            if self._curation is None or self._curation[0] != revision:
                rows = self._conn.execute(
                    "SELECT operation, name, label, new_name, new_label, made FROM curation ORDER BY seq"
                ).fetchall()
                self._curation = (revision, Curation(tuple(_op(*row) for row in rows)))
            return self._curation[1]

    def curate(self, op: CurationOp) -> None:
        """Add an operation at the end of the log."""
        self.add_operations([op])

    def add_operations(self, ops: Iterable[CurationOp]) -> None:
        """Add operations at the end of the log, in order, in one transaction."""
        with self._writing() as conn:
            conn.executemany(
                "INSERT INTO curation (operation, name, label, new_name, new_label, made) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [_row(op) for op in ops],
            )

    def undo(self) -> CurationOp:
        """Drop the last operation and return it. Raises NotebookError if there is none."""
        with self._writing() as conn:
            row = conn.execute(
                "SELECT seq, operation, name, label, new_name, new_label, made FROM curation "
                "ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if row is None:
                raise NotebookError("There is no entity change to undo.")
            conn.execute("DELETE FROM curation WHERE seq = ?", (row[0],))
        return _op(*row[1:])

    def _revision(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'revision'").fetchone()
        return int(row[0]) if row else 0

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock, that also bumps the revision."""
        with self._lock:
            try:
                with transaction(self._conn) as conn:
                    yield conn
                    conn.execute(
                        "INSERT INTO meta (name, value) VALUES ('revision', '1') ON CONFLICT(name) "
                        "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                    )
            except sqlite3.Error as error:
                raise NotebookError(f"Cannot write the notebook {self.path}: {error}.") from None


def _row(op: CurationOp) -> tuple[str, str, str, str | None, str | None, str]:
    new_name, new_label = op.becomes if op.becomes is not None else (None, None)
    return (op.operation.value, op.name, op.label, new_name, new_label, op.made.isoformat())


def _op(
    operation: str, name: str, label: str, new_name: str | None, new_label: str | None, made: str
) -> CurationOp:
    becomes = None if new_name is None or new_label is None else (new_name, new_label)
    return CurationOp(Operation(operation), name, label, becomes, dt.datetime.fromisoformat(made))
