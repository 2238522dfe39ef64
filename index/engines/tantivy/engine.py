"""One corpus's tantivy index: its folder, its write lock, its syncs and its readers (``Engine``).

The folder is the Whoosh engine's layout with tantivy's files in ``tantivy/``: the manifest
(``manifest.sqlite``) and the write lock (``write.lock``) beside it, and the same trust rules
(``index.paths``). A file ``tantivy/broadsheet-format`` holds ``format_version``: an index of
another version is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import tantivy

from index import paths
from index.documents import article_from_stored
from index.engines.folder import WriteLock
from index.engines.syncing import open_manifest, write_errors
from index.engines.tantivy.batching import Batching
from index.engines.tantivy.reading import TantivyReader
from index.engines.tantivy.schema import (
    Analyser,
    article_of,
    build_schema,
    refs_of,
    stored_fields,
    to_document,
)
from index.errors import IndexUnusable
from index.models import Article, EntityRef, IndexReport, ProgressCallback, StopCheck

TANTIVY_DIR = "tantivy"
META_NAME = "meta.json"

HEAP_BYTES = 256 * 1024 * 1024
"""Tantivy's writer memory: it flushes a segment when full."""


class TantivyEngine:
    """One corpus's index folder, written and read by tantivy."""

    name: ClassVar[str] = "tantivy"
    format_version: ClassVar[int] = 2
    batching = Batching()

    def __init__(self, index_dir: Path, corpus: Path, *, on_commit: Callable[[], None] | None = None) -> None:
        self.index_dir = index_dir
        self.corpus = corpus
        self._on_commit = on_commit or (lambda: None)
        self._write_lock = WriteLock(index_dir, corpus, self.name, self.format_version)
        self._held: tantivy.Index | None = None

    @property
    def tantivy_dir(self) -> Path:
        return self.index_dir / TANTIVY_DIR

    def exists(self) -> bool:
        return self._current_format(paths.inspect(self.index_dir, self.corpus)) and self._meta_exists()

    def version(self) -> str | None:
        if not self.exists():
            return None
        meta = self.tantivy_dir / META_NAME
        try:
            opstamp = json.loads(meta.read_text(encoding="utf-8")).get("opstamp")
            return f"{opstamp}:{meta.stat().st_mtime_ns}"
        except (OSError, ValueError) as error:
            raise self._damaged(error) from error

    def count(self) -> int:
        if not self.exists():
            return 0
        return self.reader().count()

    def reader(self) -> TantivyReader:
        return TantivyReader(self._open(), self.version(), self.version)

    def articles(self) -> Iterator[Article]:
        for document in self._documents():
            yield article_of(document)

    def entity_refs(self) -> Iterator[tuple[str, tuple[EntityRef, ...]]]:
        for document in self._documents():
            yield document["id"][0], refs_of(document)

    def _documents(self) -> Iterator[dict[str, list[Any]]]:
        """Every stored document, from a searcher opened now (later commits do not disturb it)."""
        if not self.exists():
            return
        index = self._open()
        index.reload()
        searcher = index.searcher()
        found = searcher.search(tantivy.Query.all_query(), max(int(searcher.num_docs), 1))
        for _, address in found.hits:
            yield searcher.doc(address).to_dict()

    def _open(self) -> tantivy.Index:
        try:
            return tantivy.Index(build_schema(), str(self.tantivy_dir), reuse=True)
        except (OSError, ValueError) as error:
            raise self._damaged(error) from error

    def _damaged(self, error: BaseException) -> IndexUnusable:
        return IndexUnusable(
            f"The index in {self.index_dir} is damaged ({error}); delete that folder to rebuild it."
        )

    def _current_format(self, marker: paths.Marker | None) -> bool:
        """True if the folder's marker names this engine at this format version."""
        return (
            marker is not None and marker.engine == self.name and marker.schema_version == self.format_version
        )

    def _meta_exists(self) -> bool:
        return (self.tantivy_dir / META_NAME).is_file()

    @contextlib.contextmanager
    def writing(self, *, wait: float = 0.0) -> Iterator[tantivy.Index]:
        """Hold the write lock of the index folder (re-entrant) and yield the index, created if new."""
        with self._write_lock.held(wait=wait) as outermost:
            try:
                if outermost:
                    self._held = self._open_for_writing()
                assert self._held is not None
                yield self._held
            finally:
                if outermost:
                    self._held = None

    def _open_for_writing(self) -> tantivy.Index:
        """The index, rebuilt if it is of another format; call with the lock held.

        The marker is read again under the lock: another process may have rebuilt meanwhile.
        """
        try:
            if not (self._current_format(paths.inspect(self.index_dir, self.corpus)) and self._meta_exists()):
                shutil.rmtree(self.tantivy_dir, ignore_errors=True)
                with open_manifest(self.index_dir) as manifest:
                    manifest.clear()  # it can only describe the index that is gone
                paths.write_marker(self.index_dir, self.corpus, self.name, self.format_version)
                self.tantivy_dir.mkdir(mode=paths.PRIVATE_MODE)
                return tantivy.Index(build_schema(), str(self.tantivy_dir), reuse=False)
        except OSError as error:
            raise IndexUnusable(f"Cannot write the index in {self.index_dir}: {error.strerror}.") from error
        return self._open()

    def sync(
        self,
        *,
        wait: float = 0.0,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
        cluster: Cluster | None = None,
    ) -> IndexReport:
        started = time.perf_counter()
        with (
            self.writing(wait=wait) as index,
            open_manifest(self.index_dir) as manifest,
            write_errors(self.index_dir, ValueError),
        ):
            from index.engines.tantivy.writing import SyncRun  # a search need not load it

            run = SyncRun(
                index,
                self.corpus,
                manifest,
                batching=self.batching,
                heap_bytes=HEAP_BYTES,
                on_commit=self._on_commit,
                progress=progress or (lambda _: None),
                should_stop=should_stop or (lambda: False),
                cluster=cluster,
            )
            tally = run.execute()
        return tally.report(started)

    def write_entities(self, batch: Mapping[str, Sequence[EntityRef]], *, wait: float = 0.0) -> int:
        """Rewrite the given articles' documents with these entity fields; return how many were found."""
        if not batch:
            return 0
        with self.writing(wait=wait) as index, write_errors(self.index_dir, ValueError):
            index.reload()
            searcher = index.searcher()
            writer = index.writer(HEAP_BYTES, 1)
            analyser, found = Analyser(), 0
            try:
                for article_id, refs in batch.items():
                    hits = searcher.search(tantivy.Query.term_query(index.schema, "id", article_id), 1).hits
                    if not hits:
                        continue
                    stored = stored_fields(searcher.doc(hits[0][1]).to_dict())
                    writer.delete_documents_by_term("id", article_id)
                    writer.add_document(to_document(analyser.prepare(article_from_stored(stored), refs)))
                    found += 1
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
        self._on_commit()
        return found


if TYPE_CHECKING:
    from index.cluster import Cluster
    from index.engines.base import Engine, EngineReader
    from index.entities.phase import IndexedArticles

    # mypy checks that the classes satisfy the seam, and what the entity phase reads and writes
    _ENGINE: type[Engine] = TantivyEngine
    _READER: type[EngineReader] = TantivyReader
    _ENTITY_INDEX: type[IndexedArticles] = TantivyEngine
