"""How a tantivy sync splits its work (apart from the writing code, which a search need not load)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Batching:
    """How a sync splits its work: commits, and jobs for the worker processes."""

    articles: int = 5000
    """Commit after this many articles..."""
    seconds: float = 30.0
    """...or after this many seconds, whichever comes first (bounds the re-work after a crash)."""
    parallel_min_files: int = 400
    """Runs with fewer changed files than this stay in one process (workers take ~1 s to start)."""
    job_files: int = 40
    """Files per job sent to a worker: small enough for smooth progress and prompt stops."""
    workers: int = 2
