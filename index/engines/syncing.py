"""What both engines' syncs share: the tally of a run, the manifest of the folder, and the one
sentence for a write that failed."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.engines.folder import MANIFEST_NAME
from index.errors import IndexUnusable
from index.manifest import Manifest
from index.models import IndexReport, Skip


@dataclass(slots=True)
class Tally:
    """Counts of one sync run, in articles."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)

    def report(self, started: float) -> IndexReport:
        """The run's report, ``started`` being its ``time.perf_counter()`` at the start."""
        return IndexReport(
            added=self.added,
            updated=self.updated,
            removed=self.removed,
            unchanged=self.unchanged,
            skipped=tuple(self.skipped),
            elapsed=time.perf_counter() - started,
        )


@contextlib.contextmanager
def open_manifest(index_dir: Path) -> Iterator[Manifest]:
    manifest = Manifest(index_dir / MANIFEST_NAME)
    try:
        yield manifest
    finally:
        manifest.close()


@contextlib.contextmanager
def write_errors(index_dir: Path, *engine_errors: type[Exception]) -> Iterator[None]:
    """A failed write (disk full, folder gone; and the engine's own ``engine_errors``) becomes one
    sentence; the last commit stays intact."""
    caught: tuple[type[Exception], ...] = (OSError, sqlite3.Error, *engine_errors)
    try:
        yield
    except caught as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise IndexUnusable(
            f"Could not write the index in {index_dir} ({reason}); the index as of the last commit is intact."
        ) from error
