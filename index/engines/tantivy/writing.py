"""One sync of the tantivy index with the corpus, recorded in the manifest.

The same plan as the Whoosh engine's (``index.engines.whoosh.store._SyncRun``): files whose size and
mtime match the manifest are not read, files whose content hash matches only get their new stat
recorded, and only added, changed and removed files touch the index. Tantivy is committed in batches
(its commits are atomic) and the manifest records a file only after the commit holding its articles,
so a run killed at any moment leaves an index that opens and the next run redoes at most one batch.
An id that may already be in the index (the manifest's pending table) is deleted before it is added
again.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import tantivy

from index.engines.syncing import Tally
from index.engines.tantivy.batching import Batching
from index.engines.tantivy.schema import Analyser, match_count, to_document
from index.errors import ClusterError
from index.ingest.corpus import CorpusFile, discover
from index.manifest import CorpusStamp, FileEntry, Manifest, WalkDigest
from index.models import Progress, ProgressCallback, Skip, StopCheck

if TYPE_CHECKING:
    from index.cluster import Cluster, ClusterWorkers
    from index.engines.tantivy.workers import AnalysisWorkers, FileResult, Job

# The worker processes' module is imported where a sync reads files: a sync that finds the corpus
# unchanged (every search from the command line runs one first) need not load it.

UNCHANGED_WALK_IN_MEMORY = 50_000
"""A sync first walks a corpus of up to this many files into memory, to compare with the stamp."""

RESTAT_BATCH = 1000
"""Touched but unchanged files are recorded this many at a time."""


class SyncRun:
    """One sync: plan from the manifest, then write tantivy in batches and record each batch."""

    def __init__(
        self,
        index: tantivy.Index,
        corpus: os.PathLike[str],
        manifest: Manifest,
        *,
        batching: Batching,
        heap_bytes: int,
        on_commit: Callable[[], None],
        progress: ProgressCallback,
        should_stop: StopCheck,
        cluster: Cluster | None = None,
    ) -> None:
        self.index = index
        self.corpus = corpus
        self.manifest = manifest
        self.batching = batching
        self.heap_bytes = heap_bytes
        self.on_commit = on_commit
        self.progress = progress
        self.should_stop = should_stop
        self.cluster = cluster
        """Where the files are read and analysed, if not in this machine's worker processes."""
        self.lost: ClusterError | None = None
        """The cluster's failure that ended the run, raised once what arrived is committed."""
        self.tally = Tally()
        self.walk = WalkDigest()
        self.maybe_present: set[str] = set()
        self.replaced: dict[str, tuple[str, ...]] = {}
        """Article ids the manifest has for each file being indexed (the ones its new articles replace)."""
        self.restat: list[FileEntry] = []
        self.done = 0
        self.writer: tantivy.IndexWriter | None = None
        self.workers: AnalysisWorkers | None = None
        self.searcher: tantivy.Searcher | None = None
        self.schema = index.schema
        self.batch: list[FileEntry] = []
        self.forgotten: list[str] = []
        self.batch_size = 0
        self.batch_started = time.monotonic()

    def execute(self) -> Tally:
        stamp = self.manifest.stamp()
        files: Iterator[CorpusFile] = self._files()
        if stamp is not None:
            walked = list(itertools.islice(files, UNCHANGED_WALK_IN_MEMORY + 1))
            if len(walked) <= UNCHANGED_WALK_IN_MEMORY and stamp.walk == self.walk.hexdigest():
                return Tally(unchanged=stamp.articles, skipped=list(stamp.skips))
            files = itertools.chain(walked, files)
        self.manifest.walk(files)
        if stamp is not None and stamp.walk == self.walk.hexdigest():
            return Tally(unchanged=stamp.articles, skipped=list(stamp.skips))
        self.maybe_present = self.manifest.pending()
        articles, skips = self.manifest.unchanged()
        self.tally.unchanged += articles
        self.tally.skipped.extend(skips)
        total = self.manifest.count_stat_changed()
        try:
            for entry in self.manifest.removed():
                self._delete_ids(entry.ids, counted=True)
                self.forgotten.append(entry.rel)
            complete = self._index_all(total)
            self._record_restat()
            if complete and self.maybe_present:
                claimed = self.manifest.claimed(self.maybe_present)
                claimed.update(i for e in self.batch for i in e.ids)
                self._delete_ids(self.maybe_present - claimed, counted=True)
            self._commit(settled=complete)
        except BaseException:
            if self.writer is not None:
                self.writer.rollback()
                self.writer = None  # dropping it lets tantivy's own lock go
            raise
        finally:
            if self.workers is not None:
                self.workers.close()
        if self.writer is not None:
            self.writer.wait_merging_threads()
            self.writer = None
        if self.lost is not None:
            raise self.lost
        if complete:
            articles = self.tally.added + self.tally.updated + self.tally.unchanged
            self.manifest.set_stamp(CorpusStamp(self.walk.hexdigest(), articles, tuple(self.tally.skipped)))
        return self.tally

    def _files(self) -> Iterator[CorpusFile]:
        for item in discover(self.corpus):  # type: ignore[arg-type]
            self.walk.add(item)
            if isinstance(item, Skip):
                self.tally.skipped.append(item)
            else:
                yield item

    def _changed(self) -> Iterator[tuple[CorpusFile, str]]:
        """The files to index, with their content hash; a file whose content is what the manifest
        has (only touched, or copied back) only gets its new size and mtime recorded."""
        for corpus_file, old in self.manifest.stat_changed():
            digest = file_hash(corpus_file.path)
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

    def _index_all(self, total: int) -> bool:
        """Index the changed files; False if ``should_stop`` cut the run short."""
        if self.cluster is not None:
            from index.cluster import ClusterWorkers
            from index.engines.tantivy.workers import analyse_job

            cluster_workers = ClusterWorkers(self.cluster, analyse_job)
            try:
                return self._index_in_workers(cluster_workers, total)
            finally:
                cluster_workers.close()
        cores = os.cpu_count() or 1
        if total >= self.batching.parallel_min_files and cores >= 2:
            try:
                from index.engines.tantivy.workers import AnalysisWorkers

                workers = AnalysisWorkers(self.batching.workers)
            except OSError:
                return self._index_here(total)
            try:
                return self._index_in_workers(workers, total)
            finally:
                workers.release()  # they exit while the last commit runs; ``close`` waits for them
                self.workers = workers
        return self._index_here(total)

    def _index_here(self, total: int) -> bool:
        from index.engines.tantivy.workers import analyse_file

        analyser = Analyser()
        for corpus_file, digest in self._changed():
            if self.should_stop():
                return False
            self.progress(Progress("index", self.done, total, corpus_file.rel))
            self._account([analyse_file(analyser, corpus_file, digest)])
            self.done += 1
            self._commit_if_full()
        self.progress(Progress("index", total, total))
        return True

    def _index_in_workers(self, workers: AnalysisWorkers | ClusterWorkers[FileResult], total: int) -> bool:
        self.progress(Progress("index", self.done, total))
        jobs = self._jobs(self._changed())
        job = next(jobs, None)
        idle, stopping = set(range(len(workers))), False
        while True:
            while job and idle and not stopping:
                workers.send(idle.pop(), job)
                job = next(jobs, None)
            if len(idle) == len(workers):
                break
            try:
                worker, results = workers.receive()
            except ClusterError as error:  # what arrived is committed, then the run ends with it
                self.lost = error
                return False
            idle.add(worker)
            self._account(results)
            self.done += len(results)
            self.progress(Progress("index", self.done, total, results[-1].corpus_file.rel if results else ""))
            self._commit_if_full()
            stopping = stopping or self.should_stop()
        if stopping:
            return False
        self.progress(Progress("index", total, total))
        return True

    def _jobs(self, changed: Iterator[tuple[CorpusFile, str]]) -> Iterator[Job]:
        """A file, then twice as many each time up to ``job_files``: progress shows at once."""
        size = 1
        while job := list(itertools.islice(changed, size)):
            yield job
            size = min(2 * size, self.batching.job_files)

    def _commit_if_full(self) -> None:
        elapsed = time.monotonic() - self.batch_started
        if self.batch_size >= self.batching.articles or elapsed > self.batching.seconds:
            self._commit(settled=False)

    def _account(self, results: list[FileResult]) -> None:
        """Note the files' ids as pending, then add each file's articles (see ``_add``)."""
        self.manifest.add_pending(i for result in results for i in result.ids)
        for result in results:
            self._add(result)

    def _add(self, result: FileResult) -> None:
        """Delete what the file's articles replace, add them, and queue the file for the manifest."""
        ids = result.ids
        old_ids = set(self.replaced.pop(result.corpus_file.rel, ()))
        self._delete_ids(old_ids.difference(ids), counted=True)
        self._delete_ids([i for i in ids if i in old_ids or i in self.maybe_present], counted=False)
        writer = self._writer()
        for article in result.articles:
            writer.add_document(to_document(article))
        self.tally.updated += sum(1 for i in ids if i in old_ids)
        self.tally.added += sum(1 for i in ids if i not in old_ids)
        self.tally.skipped.extend(result.skips)
        corpus_file = result.corpus_file
        self.batch.append(
            FileEntry(
                corpus_file.rel, corpus_file.size, corpus_file.mtime_ns, result.digest, ids, result.skips
            )
        )
        self.batch_size += len(ids)

    def _delete_ids(self, ids: Iterable[str], *, counted: bool) -> None:
        for article_id in ids:
            if counted:
                self.tally.removed += self._committed_count(article_id)
            self._writer().delete_documents_by_term("id", article_id)

    def _committed_count(self, article_id: str) -> int:
        """How many committed documents have this id (what a delete of it removes)."""
        if self.searcher is None:
            self.index.reload()
            self.searcher = self.index.searcher()
        query = tantivy.Query.term_query(self.schema, "id", article_id)
        return match_count(self.searcher.search(query, 1))

    def _writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.index.writer(self.heap_bytes, 1)
        return self.writer

    def _commit(self, *, settled: bool) -> None:
        """Commit the batch, then record it in the manifest (in that order: a file is done only once
        its articles are committed)."""
        batch, forgotten = self.batch, self.forgotten
        self.batch, self.forgotten, self.batch_size = [], [], 0
        self.batch_started = time.monotonic()
        if self.writer is not None:
            self.writer.commit()
            self.searcher = None
            self.on_commit()
        if batch or forgotten or settled:
            self.manifest.record(batch, forgotten, settled=settled)


def file_hash(path: os.PathLike[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()
