"""The pipes between an engine's sync and its worker processes (both engines' workers use them)."""

from __future__ import annotations

import contextlib
from typing import IO

from index.errors import IndexUnusable


def worker_died() -> IndexUnusable:
    return IndexUnusable("An indexing worker process died; the index as of the last commit is intact.")


def pipe(stream: IO[bytes] | None) -> IO[bytes]:
    """A worker's stdin or stdout: both are opened as pipes, so never None."""
    assert stream is not None
    return stream


def close_quietly(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()
