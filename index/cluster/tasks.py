"""What a sync's tasks on a cluster share, whatever the engine: their jobs of files, and reading
files whose bytes the caller sent (``--send-files``) instead of a path the worker shares."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable
from typing import Protocol, TypeVar

from index.ingest.corpus import CorpusFile

Job = list[tuple[CorpusFile, str]]
"""Files to read, each with its content hash."""

SentFile = tuple[CorpusFile, str, "bytes | None"]
"""A file to read, its content hash and its bytes, sent with the task (None: the caller could not read it)."""


class NamesItsFile(Protocol):
    """A file's result (each engine has its own), which names the file it came from."""

    @property
    def corpus_file(self) -> CorpusFile: ...


R = TypeVar("R", bound=NamesItsFile)


def with_bytes(function: Callable[[Job], list[R]], files: list[SentFile]) -> list[R]:
    """Run ``function`` over files whose bytes came with the task: each is written to a private
    temporary file read in its place (the readers read paths), and each result names the original
    file. A file the caller could not read (None) is read at its own path, where the worker says why."""
    with tempfile.TemporaryDirectory(prefix="broadsheet-") as folder:
        job: Job = []
        originals: dict[str, CorpusFile] = {}
        for number, (corpus_file, digest, data) in enumerate(files):
            if data is None:
                job.append((corpus_file, digest))
                continue
            location = os.path.join(folder, f"{number}-{os.path.basename(corpus_file.location)}")
            with open(location, "wb") as stream:
                stream.write(data)
            originals[location] = corpus_file
            job.append((dataclasses.replace(corpus_file, location=location), digest))
        return [_named_after(result, originals) for result in function(job)]


def _named_after(result: R, originals: dict[str, CorpusFile]) -> R:
    original = originals.get(result.corpus_file.location)
    return result if original is None else dataclasses.replace(result, corpus_file=original)  # type: ignore[type-var]
