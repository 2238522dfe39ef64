"""Reading one corpus file: bytes from disk, decoded, handed to the reader for its format."""

from __future__ import annotations

import os
import stat

from index.ingest import corpus
from index.ingest.corpus import CorpusFile
from index.ingest.decoding import decode
from index.ingest.formats import reader_for
from index.ingest.reader import ReadResult
from index.models import Skip, SkipReason


def read_file(corpus_file: CorpusFile, max_bytes: int | None = None) -> ReadResult:
    """Read one file into articles; never raises for a bad file, which becomes a ``Skip``.

    The size cap is checked again on the bytes read, since a file can grow after it was listed.
    """
    rel = corpus_file.rel
    reader = reader_for(rel)
    if reader is None:
        return _skipped(rel, SkipReason.UNSUPPORTED, "no reader for this file type")
    cap = corpus.MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        data = _read_bytes(corpus_file.path, cap)
    except PermissionError:
        return _skipped(rel, SkipReason.UNREADABLE, "permission denied")
    except FileNotFoundError:
        return _skipped(rel, SkipReason.UNREADABLE, "the file no longer exists")
    except OSError as error:
        return _skipped(rel, SkipReason.UNREADABLE, error.strerror or str(error))
    if data is None:
        return _skipped(rel, SkipReason.UNREADABLE, "not a regular file")
    if len(data) > cap:
        return _skipped(rel, SkipReason.TOO_LARGE, f"over the {cap:,}-byte limit")
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


def _read_bytes(path: os.PathLike[str], cap: int) -> bytes | None:
    """Up to ``cap + 1`` bytes of a regular file (more than ``cap`` means too large), or ``None``
    for anything else.

    O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(descriptor, "rb", buffering=0, closefd=True) as file:
        file_stat = os.fstat(descriptor)
        if not stat.S_ISREG(file_stat.st_mode):
            return None
        # Asking for cap + 1 bytes would allocate the whole cap for every small file.
        return file.read(min(file_stat.st_size, cap) + 1)


def _skipped(rel: str, reason: SkipReason, detail: str) -> ReadResult:
    return ReadResult(skips=[Skip(rel, reason, detail)])
