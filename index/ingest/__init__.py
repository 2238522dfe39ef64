"""Files on disk -> Articles.

Public interface (the store and the CLI use only these two functions):

- ``discover(root)`` walks a corpus folder (or takes a single file) and yields a
  ``CorpusFile`` for every candidate file, or a ``Skip`` for what cannot be read at all.
- ``read_file(corpus_file)`` turns one file into its articles, plus skips for bad records.

Neither ever raises for a bad file: every problem becomes a counted ``Skip``.

NOTE: this is a minimal placeholder (plain .txt only) that the full readers replace.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.models import Article, Skip, SkipReason


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A candidate file: absolute path, corpus-relative POSIX path, size and mtime (ns)."""

    path: Path
    rel: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)


def discover(root: Path) -> Iterator[CorpusFile | Skip]:
    root = root.resolve()
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    base = root.parent if root.is_file() else root
    for path in files:
        st = path.stat()
        yield CorpusFile(path, path.relative_to(base).as_posix(), st.st_size, st.st_mtime_ns)


def read_file(corpus_file: CorpusFile) -> ReadResult:
    text = corpus_file.path.read_bytes().decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ReadResult(skips=[Skip(corpus_file.rel, SkipReason.EMPTY)])
    title, body = lines[0].strip(), "\n\n".join(lines[1:])
    return ReadResult(articles=[Article(id=corpus_file.rel, path=corpus_file.rel, title=title, body=body, original=text)])
