"""The Whoosh index of one corpus, kept in step with the files on disk.

``Store.sync`` is incremental: files whose size and mtime match the manifest are not read, files
whose content hash matches only get their new stat recorded, and only added, changed and removed
files touch Whoosh. Whoosh is committed in batches and the manifest records a file only after the
commit holding its articles, so a run killed at any moment leaves an index that opens, and the
next run redoes at most one batch. A pending-ids table makes that re-work idempotent: an id that
may already be in the index is deleted before it is added, so no article appears twice.

Large runs read files and build segments in worker processes (see ``segment_workers``); the
parent keeps the lock, does the deletions and commits the workers' segments with its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import re
import shutil
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from whoosh import index as whoosh_index
from whoosh.index import Index, LockError
from whoosh.writing import SegmentWriter

from index import paths
from index.documents import article_from_stored, entity_fields, entity_refs, text_fields
from index.engines.folder import WriteLock
from index.engines.syncing import Tally, open_manifest, write_errors
from index.engines.whoosh.mapped import MappedStorage
from index.engines.whoosh.schema import SCHEMA_VERSION, build_schema
from index.errors import IndexBusyError, IndexUnusable
from index.ingest.corpus import CorpusFile, discover
from index.manifest import CorpusStamp, FileEntry, Manifest, WalkDigest
from index.models import Article, EntityRef, IndexReport, Progress, ProgressCallback, Skip, StopCheck

if TYPE_CHECKING:
    from index.cluster import Cluster
    from index.engines.whoosh.reader import WhooshReader
    from index.engines.whoosh.segment_workers import FileResult, SegmentWorkers

# The segment workers, the codec and the block merge are imported where a sync writes: a sync
# that finds the corpus unchanged (every query runs one first) need not load them.

WHOOSH_DIR = "whoosh"
_TABLE_OF_CONTENTS = re.compile(r"_MAIN_\d+\.toc")
"""Whoosh's name for each generation of the index's table of contents."""

DAMAGED_INDEX = (OSError, EOFError, ValueError, struct.error, pickle.UnpicklingError, whoosh_index.IndexError)
"""What reading a damaged table of contents raises (Whoosh's own IndexError, unpickling errors)."""

UNCHANGED_WALK_IN_MEMORY = 50_000
"""A sync first walks a corpus of up to this many files into memory, to compare with the stamp."""

RESTAT_BATCH = 1000
"""Touched but unchanged files are recorded this many at a time."""


class Store:
    """The Whoosh engine (``index.engines.base.Engine``): one corpus's index folder with the Whoosh
    index, the manifest and the write lock."""

    name: ClassVar[str] = "whoosh"
    format_version: ClassVar[int] = SCHEMA_VERSION

    batch_articles = 5000
    """Commit Whoosh after this many articles..."""
    batch_seconds = 30.0
    """...or after this many seconds, whichever comes first (bounds the re-work after a crash)."""
    parallel_min_files = 400
    """Runs with fewer changed files than this stay in one process (workers take ~1 s to start)."""
    job_files = 40
    """Files per job sent to a worker: small enough for smooth progress and prompt stops."""

    def __init__(self, index_dir: Path, corpus: Path, *, on_commit: Callable[[], None] | None = None) -> None:
        self.index_dir = index_dir
        self.corpus = corpus
        self._on_commit = on_commit or (lambda: None)
        self._write_lock = WriteLock(index_dir, corpus, self.name, SCHEMA_VERSION)
        self._held_index: Any = None
        self._read_index: Index | None = None  # opened once: each reader reads its latest commit

    @property
    def whoosh_dir(self) -> Path:
        return self.index_dir / WHOOSH_DIR

    def exists(self) -> bool:
        """True if a current-version index is there to search (it may be incomplete)."""
        marker = paths.inspect(self.index_dir, self.corpus)
        return (
            marker is not None
            and marker.engine == self.name
            and marker.schema_version == SCHEMA_VERSION
            and self._whoosh_exists()
        )

    def reader(self) -> WhooshReader:
        """A searcher over the index as it is now (``index.engines.base.EngineReader``)."""
        from index.engines.whoosh.reader import WhooshReader

        try:
            if self._read_index is None:
                self._read_index = self.open_index()
            return WhooshReader(self._read_index)
        except DAMAGED_INDEX as error:
            self._read_index = None
            raise self.damaged(error) from error

    def open_index(self) -> Index:
        """Open the index for reading; it must exist (see ``exists``)."""
        try:
            return MappedStorage(str(self.whoosh_dir)).open_index(schema=build_schema())
        except DAMAGED_INDEX as error:
            raise IndexUnusable(f"Cannot open the index in {self.index_dir}: {error}.") from error

    def version(self) -> str | None:
        """Which commit the index is at: changes with every commit, and differs after a rebuild.

        None while there is no index.
        """
        if not self.exists():
            return None
        generation = self.open_index().latest_generation()
        toc = self.whoosh_dir / f"_MAIN_{generation}.toc"
        try:
            return f"{generation}:{toc.stat().st_mtime_ns}"
        except OSError as error:
            raise IndexUnusable(f"Cannot open the index in {self.index_dir}: {error.strerror}.") from error

    def count(self) -> int:
        """How many articles the index holds (0 while there is none), read from a private reader,
        which opens every segment: a damaged segment is reported here as IndexUnusable."""
        if not self.exists():
            return 0
        reader = self._reader()
        try:
            return int(reader.doc_count())
        finally:
            reader.close()

    def articles(self) -> Iterator[Article]:
        """Every indexed article, in index order (for the entity phase).

        Reads a private snapshot of the index, so commits made while iterating (entity writes)
        neither disturb the iteration nor wait for it.
        """
        for stored in self._stored():
            yield article_from_stored(stored)

    def entity_refs(self) -> Iterator[tuple[str, tuple[EntityRef, ...]]]:
        """(article id, the entities its document holds) of every indexed article, from a private
        snapshot as ``articles`` reads: what it yields is the index from before any write made since."""
        for stored in self._stored():
            yield stored["id"], entity_refs(stored)

    def damaged(self, error: BaseException) -> IndexUnusable:
        """The one sentence for an index whose files cannot be read."""
        return IndexUnusable(
            f"The index in {self.index_dir} is damaged ({error}); delete that folder to rebuild it."
        )

    def _stored(self) -> Iterator[Mapping[str, Any]]:
        if not self.exists():
            return
        reader = self._reader()
        try:
            yield from reader.all_stored_fields()
        finally:
            reader.close()

    def _reader(self) -> Any:
        try:
            return self.open_index().reader()
        except DAMAGED_INDEX as error:
            raise self.damaged(error) from error

    def _whoosh_exists(self) -> bool:
        """True if the folder holds a table of contents. (Whoosh's ``exists_in`` opens the index to
        know, unpickling its schema: a sync and the first search paid that three times more.)"""
        try:
            return any(_TABLE_OF_CONTENTS.fullmatch(name) for name in os.listdir(self.whoosh_dir))
        except FileNotFoundError:
            return False
        except OSError as error:
            raise IndexUnusable(f"Cannot open the index in {self.index_dir}: {error.strerror}.") from error

    @contextlib.contextmanager
    def writing(self, *, wait: float = 0.0) -> Iterator[Index]:
        """Hold the write lock of the index folder (re-entrant) and yield the index, created if new."""
        # Files (Whoosh segments, SQLite journals, worker output) are private whatever the umask.
        with self._write_lock.held(wait=wait) as outermost:
            try:
                if outermost:
                    # Opened once per hold of the lock: opening reads and unpickles the table of
                    # contents, and nothing else can change the index while the lock is held.
                    self._held_index = self._open_for_writing()
                yield self._held_index
            finally:
                if outermost:
                    self._held_index = None

    def _open_for_writing(self) -> Index:
        """The index, rebuilt if its schema version is not ours; call with the lock held.

        The marker is read again under the lock: another process may have rebuilt meanwhile.
        """
        marker = paths.inspect(self.index_dir, self.corpus)
        try:
            if marker is None or marker.schema_version != SCHEMA_VERSION:
                shutil.rmtree(self.whoosh_dir, ignore_errors=True)
                with open_manifest(self.index_dir) as manifest:
                    manifest.clear()
                paths.write_marker(self.index_dir, self.corpus, self.name, SCHEMA_VERSION)
            if self._whoosh_exists():
                _remove_temp_folders(self.whoosh_dir)
                return self.open_index()
            with open_manifest(self.index_dir) as manifest:
                manifest.clear()  # it can only describe the index that is gone
            self.whoosh_dir.mkdir(mode=paths.PRIVATE_MODE, exist_ok=True)
            whoosh_index.create_in(str(self.whoosh_dir), build_schema())
            # Reopened through MappedStorage: the plain storage create_in returns copies every file
            # of a segment it merges into memory (490 MB at a time in a first build of a million).
            return self.open_index()
        except OSError as error:
            raise IndexUnusable(f"Cannot write the index in {self.index_dir}: {error.strerror}.") from error

    def sync(
        self,
        *,
        wait: float = 0.0,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
        cluster: Cluster | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus; see the module docstring for the guarantees.

        A ``cluster`` is not used: Whoosh analyses a document as its writer adds it, so the writing
        processes must do the analysis, and the caller alone would be the bottleneck (8 ms an
        article, bench/README.md); this machine's segment workers do it in parallel instead."""
        started = time.perf_counter()
        with (
            self.writing(wait=wait) as ix,
            open_manifest(self.index_dir) as manifest,
            write_errors(self.index_dir),
        ):
            run = _SyncRun(self, ix, manifest, progress or (lambda _: None), should_stop or (lambda: False))
            tally = run.execute()
        return tally.report(started)

    def write_entities(self, batch: Mapping[str, Sequence[EntityRef]], *, wait: float = 0.0) -> int:
        """Rewrite the given articles' documents with their entity fields; return how many were found.

        An empty sequence clears an article's entities. Ids no longer in the index are ignored.
        """
        if not batch:
            return 0
        with self.writing(wait=wait) as ix, write_errors(self.index_dir):
            writer = _SegmentsWriter(ix)
            try:
                with writer.searcher() as searcher:
                    documents = _rewritten(writer, searcher, batch)
                    workers = self._workers_for(len(batch))
                    if workers is not None:
                        found = self._add_in_workers(workers, writer, documents)
                    else:
                        found = 0
                        for fields in documents:
                            writer.add_document(**fields)
                            found += 1
                writer.commit()
            except BaseException:
                _abandon(writer)
                raise
        self._on_commit()
        return found

    def _workers_for(self, jobs: int) -> SegmentWorkers | None:
        """Worker processes for this many files or documents, or None to do the work here.

        Small jobs are not worth the workers' start-up; a machine that cannot start them (one
        core, no memory to spare) still indexes, only slower.
        """
        cores = os.cpu_count() or 1
        if jobs < self.parallel_min_files or cores < 2:
            return None
        from index.engines.whoosh.segment_workers import SegmentWorkers

        try:
            return SegmentWorkers(self.whoosh_dir, min(cores, 4))
        except OSError:
            return None

    def _add_in_workers(
        self, workers: SegmentWorkers, writer: _SegmentsWriter, documents: Iterator[dict[str, Any]]
    ) -> int:
        """Analyse and write documents in worker processes; their segments join ``writer``'s commit."""
        try:
            idle, added = set(range(len(workers))), 0
            while chunk := list(itertools.islice(documents, self.job_files)):
                if not idle:
                    idle.add(workers.receive()[0])
                workers.send_documents(idle.pop(), chunk)
                added += len(chunk)
            while len(idle) < len(workers):
                idle.add(workers.receive()[0])
            writer.worker_segments.extend(workers.finish())
        finally:
            workers.close()
        return added


class _SegmentsWriter(SegmentWriter):
    """A segment writer that also commits segments built by worker processes."""

    def __init__(self, ix: Index) -> None:
        from index.engines.whoosh.codec import writing_codec
        from index.engines.whoosh.merge import BlockMerge
        from index.engines.whoosh.segment_workers import use_own_temp_folder

        try:
            super().__init__(ix, codec=writing_codec())
        except LockError as error:
            raise IndexBusyError(
                "The index is being written by another process; try again when it finishes."
            ) from error
        except BaseException:
            # Whoosh takes the lock first and lets it go only when the half-made writer is garbage
            # collected: after a full disk here the next sync of this process found the index "busy".
            _release_lock(self)
            raise
        try:
            use_own_temp_folder(self, ix)
        except BaseException:
            _abandon(self)
            raise
        self.worker_segments: list[Any] = []
        self.beside_workers = False
        """True when worker processes keep writing segments while this writer commits."""
        self._block_merge = BlockMerge()

    def _merge_segments(self, mergetype: Any, optimize: Any, merge: Any) -> list[Any]:
        return [*super()._merge_segments(mergetype, optimize, merge), *self.worker_segments]

    def stop_merging(self) -> None:
        """Make a merge in progress (in another thread) raise ``MergeStopped`` at its next check."""
        self._block_merge.stop.set()

    def add_reader(self, reader: Any) -> None:
        """Merge a segment block by block (see ``merge``) instead of through the sorting pool."""
        self._check_state()
        self._block_merge.add(self, reader)
        self._added = True

    def _flush_segment(self) -> None:
        if not self._block_merge:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        try:
            self._block_merge.write(self, self.pool.iter_postings())
        finally:
            self._block_merge.close()
        self.fieldwriter.close()

    def _close_segment(self) -> None:
        self._block_merge.close()
        super()._close_segment()

    def _commit_toc(self, segments: list[Any]) -> None:
        """Write the new table of contents; delete the files of the segments merged away.

        Whoosh deletes every segment file the new table does not list, which would take the
        segments that worker processes are writing beside an overlapped commit (see
        ``_SyncRun._commit``). Those commits delete only the segments they merged; the sync's
        last commit, with every worker finished, cleans up as Whoosh does.
        """
        if not self.beside_workers:
            super()._commit_toc(segments)
            return
        from whoosh.index import TOC

        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        merged = {s.segment_id() for s in self.segments} - {s.segment_id() for s in segments}
        pattern = TOC._segment_pattern(self.indexname)
        for filename in list(self.storage):
            found = pattern.match(filename)
            if found and found.group(1) in merged:
                with contextlib.suppress(OSError):
                    self.storage.delete_file(filename)


class _SyncRun:
    """One sync: plan from the manifest, then write Whoosh in batches and record each batch."""

    def __init__(
        self, store: Store, ix: Index, manifest: Manifest, progress: ProgressCallback, should_stop: StopCheck
    ) -> None:
        self.store = store
        self.ix = ix
        self.manifest = manifest
        self.progress = progress
        self.should_stop = should_stop
        self.tally = Tally()
        self.walk = WalkDigest()
        """What the walk found, to compare with the last complete sync's stamp."""
        self.maybe_present: set[str] = set()
        self.replaced: dict[str, tuple[str, ...]] = {}
        """Article ids the manifest has for each file being indexed (the ones its new articles replace)."""
        self.restat: list[FileEntry] = []
        self.done = 0
        self.writer: _SegmentsWriter | None = None
        self.committing: _Committing | None = None
        """A Whoosh commit running beside the workers, and the batch it makes durable."""
        self.queued_segments: list[Any] = []
        """Worker segments of batches indexed while a commit was in flight, for the next commit."""
        self.searcher: Any = None
        self.batch: list[FileEntry] = []
        self.forgotten: list[str] = []
        self.batch_size = 0
        self.batch_started = time.monotonic()

    def execute(self) -> Tally:
        stamp = self.manifest.stamp()
        files: Iterator[CorpusFile] = self._files()
        if stamp is not None:
            # A corpus of up to this many files is walked into memory first: unchanged, it is done
            # without writing the walk into the manifest.
            walked = list(itertools.islice(files, UNCHANGED_WALK_IN_MEMORY + 1))
            if len(walked) <= UNCHANGED_WALK_IN_MEMORY and stamp.walk == self.walk.hexdigest():
                return self._unchanged(stamp)
            files = itertools.chain(walked, files)
        self.manifest.walk(files)
        if stamp is not None and stamp.walk == self.walk.hexdigest():
            return self._unchanged(stamp)
        self.maybe_present = self.manifest.pending()
        total = self._compare_walk()
        try:
            for entry in self.manifest.removed():
                self._delete_ids(entry.ids, counted=True)
                self.forgotten.append(entry.rel)
            workers = self.store._workers_for(total)
            if workers is not None:
                complete = self._index_in_workers(workers, total)
            else:
                complete = self._index_here(total)
            self._record_restat()
            if complete and self.maybe_present:
                claimed = self.manifest.claimed(self.maybe_present)
                claimed.update(i for e in self.batch for i in e.ids)
                self._delete_ids(self.maybe_present - claimed, counted=True)
            self._commit(settled=complete)
        except BaseException:
            self._cancel()
            raise
        if complete:
            articles = self.tally.added + self.tally.updated + self.tally.unchanged
            self.manifest.set_stamp(CorpusStamp(self.walk.hexdigest(), articles, tuple(self.tally.skipped)))
        return self.tally

    def _unchanged(self, stamp: CorpusStamp) -> Tally:
        """The tally of a sync that walked the same files as the last complete one, with no write to
        the manifest since: there is nothing to do."""
        return Tally(unchanged=stamp.articles, skipped=list(stamp.skips))

    def _files(self) -> Iterator[CorpusFile]:
        """The corpus files, for the manifest's walk table; the walk's digest and skips are noted."""
        for item in discover(self.store.corpus):
            self.walk.add(item)
            if isinstance(item, Skip):
                self.tally.skipped.append(item)
            else:
                yield item

    def _compare_walk(self) -> int:
        """Count what the walk found unchanged; returns how many files are new or changed in size
        or mtime (to hash, then index if their content changed)."""
        articles, skips = self.manifest.unchanged()
        self.tally.unchanged += articles
        self.tally.skipped.extend(skips)
        return self.manifest.count_stat_changed()

    def _changed(self) -> Iterator[tuple[CorpusFile, str]]:
        """The files to index, with their content hash. A file whose content is what the manifest
        has (only touched, or copied back) is not: its new size and mtime are recorded instead."""
        for corpus_file, old in self.manifest.stat_changed():
            digest = _file_hash(corpus_file.path)
            if old is not None and digest == old.hash:
                self.restat.append(
                    FileEntry(
                        corpus_file.rel, corpus_file.size, corpus_file.mtime_ns, digest, old.ids, old.skips
                    )
                )
                self.tally.unchanged += len(old.ids)
                self.tally.skipped.extend(old.skips)
                self.done += 1
                if len(self.restat) >= RESTAT_BATCH:
                    self._record_restat()
                continue
            self.replaced[corpus_file.rel] = old.ids if old is not None else ()
            yield corpus_file, digest

    def _record_restat(self) -> None:
        if self.restat:
            self.manifest.record(self.restat)
            self.restat = []

    def _batch_is_full(self) -> bool:
        elapsed = time.monotonic() - self.batch_started
        return self.batch_size >= self.store.batch_articles or elapsed > self.store.batch_seconds

    def _index_here(self, total: int) -> bool:
        """Index the changed files in this process; False if ``should_stop`` cut the run short."""
        from index.engines.whoosh.segment_workers import index_file

        for corpus_file, digest in self._changed():
            if self.should_stop():
                return False
            self.progress(Progress("index", self.done, total, corpus_file.rel))
            self._account(index_file(self._writer(), corpus_file, digest))
            self.done += 1
            if self._batch_is_full():
                self._commit(settled=False)
        self.progress(Progress("index", total, total))
        return True

    def _index_in_workers(self, workers: SegmentWorkers, total: int) -> bool:
        """Index the changed files in worker processes; False if ``should_stop`` cut the run short."""
        self.progress(Progress("index", self.done, total))
        jobs = self._jobs(self._changed())
        job = next(jobs, None)
        try:
            idle, stopping = set(range(len(workers))), False
            while True:
                while job and idle and not stopping and not self._batch_is_full():
                    workers.send(idle.pop(), job)
                    job = next(jobs, None)
                if len(idle) == len(workers):
                    self.queued_segments.extend(workers.finish())
                    last = stopping or not job
                    if not last and self._still_committing():
                        self._queue_batch()
                        continue
                    if self.queued_segments:
                        self._writer().worker_segments.extend(self.queued_segments)
                        self.queued_segments = []
                    # While the commit merges, the workers go on with the next batch.
                    self._commit(settled=False, beside_workers=not last)
                    if last:
                        break
                    continue
                worker, results = workers.receive()
                idle.add(worker)
                for result in results:
                    self._account(result)
                self.done += len(results)
                self.progress(
                    Progress("index", self.done, total, results[-1].corpus_file.rel if results else "")
                )
                stopping = stopping or self.should_stop()
        finally:
            workers.close()
        return job is None

    def _jobs(self, changed: Iterator[tuple[CorpusFile, str]]) -> Iterator[list[tuple[CorpusFile, str]]]:
        """The changed files in jobs for the workers: a file, then twice as many each time up to
        ``job_files``, so that progress shows as soon as the workers have started, not a whole
        job of files later."""
        size = 1
        while job := list(itertools.islice(changed, size)):
            yield job
            size = min(2 * size, self.store.job_files)

    def _still_committing(self) -> bool:
        return self.committing is not None and self.committing.running()

    def _queue_batch(self) -> None:
        """Keep the batch just indexed for the commit after the one in flight, and start the next.

        A merge of a few hundred thousand articles takes minutes, and waiting for it left the
        workers idle half of a million-article build. The queued files are recorded in the
        manifest only with the commit that carries their segments, so a crash loses work (up to
        one merge's worth), never correctness.
        """
        self.batch_size = 0
        self.batch_started = time.monotonic()

    def _account(self, result: FileResult) -> None:
        """Delete what the file's articles replace, count them, and queue the file for the manifest."""
        old_ids = set(self.replaced.pop(result.corpus_file.rel, ()))
        self._delete_ids(old_ids.difference(result.ids), counted=True)
        self._delete_ids([i for i in result.ids if i in old_ids or i in self.maybe_present], counted=False)
        self.manifest.add_pending(result.ids)
        self.tally.updated += sum(1 for i in result.ids if i in old_ids)
        self.tally.added += sum(1 for i in result.ids if i not in old_ids)
        self.tally.skipped.extend(result.skips)
        corpus_file = result.corpus_file
        self.batch.append(
            FileEntry(
                corpus_file.rel,
                corpus_file.size,
                corpus_file.mtime_ns,
                result.digest,
                result.ids,
                result.skips,
            )
        )
        self.batch_size += len(result.ids)

    def _delete_ids(self, ids: Iterable[str], *, counted: bool) -> None:
        for article_id in ids:
            deleted = self._writer().delete_by_term("id", article_id, searcher=self._searcher())
            if counted:
                self.tally.removed += deleted

    def _writer(self) -> _SegmentsWriter:
        if self.writer is None:
            self._settle()  # the commit in flight holds the index lock
            self.writer = _SegmentsWriter(self.ix)
        return self.writer

    def _searcher(self) -> Any:
        """The committed index, opened only once something is to be deleted from it.

        Whoosh copies every segment's terms and postings into memory when it opens a reader
        (about 11 KB an article), so a run that only adds, like a first build, must not open one.
        """
        if self.searcher is None:
            self.searcher = self._writer().searcher()
        return self.searcher

    def _close_searcher(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None

    def _commit(self, *, settled: bool, beside_workers: bool = False) -> None:
        """Commit the batch to Whoosh, then record it in the manifest (in that order: a file is
        done only once its articles are committed).

        ``beside_workers``: the commit runs in a thread while the workers index the next batch,
        and the batch is recorded when it has finished (``_settle``). The parent's merges took
        63% of a million-article build while both workers waited.
        """
        self._settle()
        batch, forgotten = self.batch, self.forgotten
        self.batch, self.forgotten, self.batch_size = [], [], 0
        self.batch_started = time.monotonic()
        if self.writer is not None:
            self._close_searcher()
            writer, self.writer = self.writer, None
            if beside_workers:
                writer.beside_workers = True
                self.committing = _Committing(writer, batch, forgotten)
                return
            _commit_or_abandon(writer)
            self.store._on_commit()
        if batch or forgotten or settled:
            self.manifest.record(batch, forgotten, settled=settled)

    def _settle(self) -> None:
        """Wait for the commit in flight, if any, and record its batch."""
        committing = self.committing
        if committing is None:
            return
        committing.finish()  # interrupted, it stays in flight, and _cancel waits for it again
        self.committing = None
        self.store._on_commit()
        if committing.batch or committing.forgotten:
            self.manifest.record(committing.batch, committing.forgotten, settled=False)

    def _cancel(self) -> None:
        if self.committing is not None:
            self.committing.stop()  # a merge of minutes must not hold up Ctrl-C or an error
        with contextlib.suppress(Exception):
            self._settle()  # a commit that completes is recorded: its batch is in the index
        if self.writer is not None:
            self._close_searcher()
            _abandon(self.writer)
            self.writer = None


class _Committing:
    """A Whoosh commit running in a thread; ``finish`` waits for it and raises what it raised."""

    def __init__(self, writer: _SegmentsWriter, batch: list[FileEntry], forgotten: list[str]) -> None:
        self.batch, self.forgotten = batch, forgotten
        self._writer = writer
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="broadsheet-commit", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            _commit_or_abandon(self._writer)
        except BaseException as error:  # handed to the sync's thread by finish
            self._error = error

    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Make the commit's merge give up (the sync was interrupted): ``finish`` then raises."""
        self._writer.stop_merging()

    def finish(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def _commit_or_abandon(writer: SegmentWriter) -> None:
    try:
        writer.commit()
    except BaseException:
        _abandon(writer)
        raise


def _rewritten(
    writer: SegmentWriter, searcher: Any, batch: Mapping[str, Sequence[EntityRef]]
) -> Iterator[dict[str, Any]]:
    """Delete each indexed article of ``batch`` and yield its document with the new entity fields."""
    for article_id, refs in batch.items():
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            continue
        stored = searcher.stored_fields(docnum)
        writer.delete_document(docnum)
        yield {**text_fields(stored), **entity_fields(refs)}


def _abandon(writer: SegmentWriter) -> None:
    """Cancel a writer, and release Whoosh's lock even if cancelling fails (say, on a full disk)."""
    try:
        writer.cancel()
    except Exception:
        _release_lock(writer)


def _release_lock(writer: SegmentWriter) -> None:
    """Release Whoosh's write lock now, if ``writer`` holds it."""
    if writer.writelock is not None:
        with contextlib.suppress(Exception):  # never acquired: Whoosh says so with a bare Exception
            writer.writelock.release()


def _remove_temp_folders(whoosh_dir: Path) -> None:
    """Temp folders of writers that were killed (Whoosh removes only its segment files)."""
    for folder in whoosh_dir.glob("*.tmp"):
        shutil.rmtree(folder, ignore_errors=True)


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()
