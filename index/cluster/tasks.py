"""Work a cluster's workers do for a sync, engine-independent: reading files into articles, and
giving a task the bytes the caller sent instead of a path it shares."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from index.documents import unique_articles
from index.ingest.corpus import CorpusFile
from index.models import Article, Skip

Job = list[tuple[CorpusFile, str]]
"""Files to read, each with its content hash."""

SentFile = tuple[CorpusFile, str, "bytes | None"]
"""A file to read, its content hash and its bytes, sent with the task (None: the caller could not read it)."""


class NamesItsFile(Protocol):
    """A file's result (each engine has its own), which names the file it came from."""

    @property
    def corpus_file(self) -> CorpusFile: ...


R = TypeVar("R", bound=NamesItsFile)


@dataclass(frozen=True, slots=True)
class ReadArticles:
    """One file read and cleaned, not yet analysed: its articles and the skips it caused."""

    corpus_file: CorpusFile
    digest: str
    articles: list[Article]
    skips: tuple[Skip, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(article.id for article in self.articles)


def read_articles(job: Job) -> list[ReadArticles]:
    """Read each file of the job (for an engine whose analysis must run where its index is)."""
    from index.ingest.reading import read_file

    results = []
    for corpus_file, digest in job:
        read = read_file(corpus_file)
        results.append(ReadArticles(corpus_file, digest, unique_articles(read.articles), tuple(read.skips)))
    return results


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
