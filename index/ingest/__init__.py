"""Files on disk -> Articles.

Public interface (the store and the CLI use only these):

- ``discover(root)`` walks a corpus folder (or takes a single file) and yields a
  ``CorpusFile`` for every candidate file, or a ``Skip`` for what cannot be read at all.
- ``read_file(corpus_file)`` turns one file into its articles, plus skips for bad records.
- ``source_line(article)`` is the line of its file that holds an article read from JSON Lines.

Neither ever raises for a bad file: every problem becomes a counted ``Skip``. Only a corpus
root that is missing, or neither a folder nor a file, raises ``CorpusError``. The size cap is
``index.ingest.corpus.MAX_FILE_BYTES`` (both functions also take ``max_bytes``).

One reader per format (``text``, ``html``, ``jsonl``) implements ``Reader``; ``formats``
maps extensions to readers; ``decoding`` turns bytes into text and ``extract`` turns text
into title, body and metadata, with ``index.cleaning`` removing boilerplate.
"""

from index.ingest.corpus import CorpusFile, discover
from index.ingest.formats import READERS, reader_for, source_line
from index.ingest.reader import Reader, ReadResult
from index.ingest.reading import read_file

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
