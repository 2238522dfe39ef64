"""The one interface every format reader implements, and what reading a file produces."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from index.cleaning import sanitize
from index.models import Article, Skip


@dataclass(slots=True)
class ReadResult:
    """The articles read from one file, and the file or records that were skipped."""

    articles: list[Article] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)

    @classmethod
    def collect(cls, results: Iterable[Article | Skip]) -> ReadResult:
        """The articles and skips of ``results`` (a file's records), each list in their order."""
        read = cls()
        for result in results:
            if isinstance(result, Article):
                read.articles.append(result)
            else:
                read.skips.append(result)
        return read


class Reader(Protocol):
    """Turns the decoded text of one file into articles; a bad file or record becomes a ``Skip``.

    ``rel`` is the corpus-relative path, the id of the file's article (or the prefix of its
    records' ids). ``text`` is decoded but not yet sanitised: formats with escapes of their own
    (JSON's ``\\u001b``) must sanitise after parsing.
    """

    def read(self, rel: str, text: str) -> ReadResult: ...


class BinaryReader(Protocol):
    """Turns the raw bytes of one file into articles, for formats that carry their own encoding
    (PDF, Word, e-mail); a bad file or record becomes a ``Skip``. What it returns is sanitised
    text, as for ``Reader``: these formats decode and clean their own text."""

    def read_bytes(self, rel: str, data: bytes) -> ReadResult: ...


class StreamReader(Protocol):
    """Turns one file, read from its open binary file object, into articles, for formats whose files
    may be far larger than memory should hold at once (a mailbox): the reader reads the file a piece
    at a time and keeps only what it is parsing. What it returns is sanitised text, as for ``Reader``."""

    def read_stream(self, rel: str, file: BinaryIO) -> ReadResult: ...


def error_line(error: BaseException) -> str:
    """What a parser said of a bad file, as one terminal-safe line (its first, cut at 200 characters),
    or the error's type when it said nothing: hostile files put their own bytes in such messages."""
    text = sanitize(str(error)).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
