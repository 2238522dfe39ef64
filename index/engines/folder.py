"""What every engine keeps in an index folder beside its own files: the manifest and the write lock.

One process writes an index at a time. The lock is a file in the folder (``filelock``), held across
a run of writes and re-entrant within the process, so that a sync and the entity phase after it are
one hold. Everything written while it is held is private to the user, whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from index import paths
from index.engines import engine_mismatch
from index.errors import IndexBusyError, IndexUnusable

MANIFEST_NAME = "manifest.sqlite"
LOCK_NAME = "write.lock"


class WriteLock:
    """The write lock of one index folder, for the engine ``engine`` at format ``version``."""

    def __init__(self, index_dir: Path, corpus: Path, engine: str, version: int) -> None:
        self._index_dir = index_dir
        self._corpus = corpus
        self._engine = engine
        self._version = version
        self._lock = FileLock(index_dir / LOCK_NAME, mode=0o600)

    @contextlib.contextmanager
    def held(self, *, wait: float = 0.0) -> Iterator[bool]:
        """Hold the lock, creating the folder (0700, with its marker) if it is new; yields True for
        the outermost hold of this process. Raises IndexBusyError if another process holds it for
        longer than ``wait`` seconds, IndexUnusable if the folder holds another engine's index or
        cannot be locked."""
        previous_umask = os.umask(0o077)
        try:
            marker = paths.prepare(self._index_dir, self._corpus, self._engine, self._version)
            if marker.engine != self._engine:
                raise IndexUnusable(engine_mismatch(self._index_dir, marker.engine, self._engine))
            try:
                self._lock.acquire(timeout=wait)
            except Timeout:
                raise IndexBusyError(
                    f"The index of {self._corpus} is being written by another process; "
                    "try again when it finishes."
                ) from None
            except OSError as error:
                raise IndexUnusable(
                    f"Cannot lock the index folder {self._index_dir}: {error.strerror}."
                ) from error
            try:
                yield self._lock.lock_counter == 1
            finally:
                self._lock.release()
        finally:
            os.umask(previous_umask)
