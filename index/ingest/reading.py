"""Reading one corpus file: bytes from disk, decoded, handed to the reader for its format."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from index.ingest.corpus import CorpusFile
from index.ingest.decoding import decode
from index.ingest.formats import reader_for, size_cap
from index.ingest.reader import ReadResult
from index.language import detect_language
from index.models import Skip, SkipReason


def read_file(corpus_file: CorpusFile, max_bytes: int | None = None) -> ReadResult:
    """Read one file into articles, each with its language (``index.language``); never raises for
    a bad file, which becomes a ``Skip``.

    The cap is the format's (``formats.size_cap``) unless ``max_bytes`` is given. It is checked
    again when the file is opened, and on the bytes read, since a file can grow after it was
    listed. A reader that streams (a mailbox) reads the file to its end: a mailbox grows by
    appending, and the reader holds one message at a time.
    """
    result = _read(corpus_file, max_bytes)
    result.articles = [
        dataclasses.replace(article, language=detect_language(article.title, article.body))
        for article in result.articles
    ]
    return result


def _read(corpus_file: CorpusFile, max_bytes: int | None) -> ReadResult:
    rel = corpus_file.rel
    reader = reader_for(rel)
    if reader is None:
        return _skipped(rel, SkipReason.UNSUPPORTED, "no reader for this file type")
    cap = size_cap(rel) if max_bytes is None else max_bytes
    try:
        with _open_regular(corpus_file.path) as file:
            if file is None:
                return _skipped(rel, SkipReason.UNREADABLE, "not a regular file")
            size = os.fstat(file.fileno()).st_size
            if size == 0:
                return _skipped(rel, SkipReason.EMPTY, "0 bytes")
            if size > cap:
                return _too_large(rel, cap)
            if hasattr(reader, "read_stream"):
                return reader.read_stream(rel, file)
            # Asking for cap + 1 bytes would allocate the whole cap for every small file.
            data = file.read(min(size, cap) + 1)
    except PermissionError:
        return _skipped(rel, SkipReason.UNREADABLE, "permission denied")
    except FileNotFoundError:
        return _skipped(rel, SkipReason.UNREADABLE, "the file no longer exists")
    except OSError as error:
        return _skipped(rel, SkipReason.UNREADABLE, error.strerror or str(error))
    if len(data) > cap:
        return _too_large(rel, cap)
    if not data:
        return _skipped(rel, SkipReason.EMPTY, "0 bytes")
    if hasattr(reader, "read_bytes"):
        return reader.read_bytes(rel, data)
    text = decode(data)
    if text is None:
        return _skipped(rel, SkipReason.BINARY, "NUL or control bytes: not a text file")
    if not text or text.isspace():
        return _skipped(rel, SkipReason.EMPTY, "only whitespace")
    return reader.read(rel, text)


@contextmanager
def _open_regular(path: os.PathLike[str]) -> Iterator[BinaryIO | None]:
    """The file opened for reading in binary when it is a regular file, else ``None``; closed on
    leaving the ``with`` block.

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(descriptor, "rb", closefd=True) as file:
        yield file if stat.S_ISREG(os.fstat(descriptor).st_mode) else None


def _too_large(rel: str, cap: int) -> ReadResult:
    return _skipped(rel, SkipReason.TOO_LARGE, f"over the {cap:,}-byte limit")


def _skipped(rel: str, reason: SkipReason, detail: str) -> ReadResult:
    return ReadResult(skips=[Skip(rel, reason, detail)])
