"""Files on disk -> Articles.

Public interface (the store and the CLI use only these):

- ``discover(root)`` walks a corpus folder (or takes a single file) and yields a
  ``CorpusFile`` for every candidate file, or a ``Skip`` for what cannot be read at all.
- ``read_file(corpus_file)`` turns one file into its articles, plus skips for bad records.
- ``source_line(article)`` is the line of its file that holds an article read from JSON Lines.

Neither ever raises for a bad file: every problem becomes a counted ``Skip``. Only a corpus
root that is missing, or neither a folder nor a file, raises ``CorpusError``. A format's size cap is
``index.ingest.formats.size_cap(name)`` (both functions also take ``max_bytes``).

One reader per format (``text``, ``html``, ``jsonl``) implements ``Reader``, ``BinaryReader``
for formats that carry their own encoding (``word``, ``mail``), or ``StreamReader`` for files read a
piece at a time (a mailbox); ``formats``
maps extensions to readers; ``decoding`` turns bytes into text and ``extract`` turns text
into title, body and metadata, with ``index.cleaning`` removing boilerplate.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.ingest.corpus import CorpusFile, discover
    from index.ingest.formats import READERS, reader_for, source_line
    from index.ingest.reader import Reader, ReadResult
    from index.ingest.reading import read_file

_HOMES = {
    "CorpusFile": "corpus",
    "discover": "corpus",
    "READERS": "formats",
    "reader_for": "formats",
    "source_line": "formats",
    "Reader": "reader",
    "ReadResult": "reader",
    "read_file": "reading",
}


def __getattr__(name: str) -> object:
    # The readers pull in markdown-it, charset-normalizer and the HTML extraction: loaded on first
    # use, so that importing one small module of the package (``dates``) does not load them all.
    if name in _HOMES:
        return getattr(importlib.import_module(f"index.ingest.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'index.ingest' has no attribute {name!r}")


__all__ = [
    "READERS",
    "CorpusFile",
    "ReadResult",
    "Reader",
    "discover",
    "read_file",
    "reader_for",
    "source_line",
]
