"""The Whoosh index of one corpus, kept in step with the files on disk.

``Store.sync`` is incremental: files whose size and mtime match the manifest are not read, files
whose content hash matches only get their new stat recorded, and only added, changed and removed
files touch Whoosh. Whoosh is committed in batches and the manifest records a file only after the
commit holding its articles, so a run killed at any moment leaves an index that opens, and the
next run redoes at most one batch. A pending-ids table makes that re-work idempotent: an id that
may already be in the index is deleted before it is added, so no article appears twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.writing import IndexWriter

from index import paths
from index.errors import IndexBusyError, IndexError_
from index.ingest import CorpusFile, discover, read_file
from index.manifest import FileEntry, Manifest
from index.models import Article, EntityRef, IndexReport, Progress, Skip
from index.schema import ENTITY_FIELDS, SCHEMA_VERSION, build_schema

ENTITY_SEPARATOR = " _ "
"""Joins entity names in a field: ``_`` is a token, so a phrase query cannot span two names."""

WHOOSH_DIR = "whoosh"
MANIFEST_NAME = "manifest.sqlite"
LOCK_NAME = "write.lock"

ProgressCallback = Callable[[Progress], None]
StopCheck = Callable[[], bool]


@dataclass(slots=True)
class _Tally:
    """Counts of one sync run, in articles."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)


@dataclass(slots=True)
class _Plan:
    """What a sync run has to do, decided from stat calls and hashes only."""

    changed: list[tuple[CorpusFile, str]] = field(default_factory=list)
    removed: list[FileEntry] = field(default_factory=list)
    restat: list[FileEntry] = field(default_factory=list)


class Store:
    """One corpus's index folder: the Whoosh index, the manifest and the write lock."""

    batch_articles = 2000
    """Commit Whoosh after this many articles..."""
    batch_seconds = 20.0
    """...or after this many seconds, whichever comes first (bounds the re-work after a crash)."""

    def __init__(self, index_dir: Path, corpus: Path, *, on_commit: Callable[[], None] | None = None) -> None:
        self.index_dir = index_dir
        self.corpus = corpus
        self._on_commit = on_commit or (lambda: None)
        self._lock = FileLock(index_dir / LOCK_NAME)

    @property
    def whoosh_dir(self) -> Path:
        return self.index_dir / WHOOSH_DIR

    def exists(self) -> bool:
        """True if a current-version index is there to search (it may be incomplete)."""
        marker = paths.inspect(self.index_dir, self.corpus)
        return (
            marker is not None
            and marker.schema_version == SCHEMA_VERSION
            and whoosh_index.exists_in(str(self.whoosh_dir))
        )

    def open_index(self) -> Index:
        """Open the index for reading; it must exist (see ``exists``)."""
        try:
            return whoosh_index.open_dir(str(self.whoosh_dir), schema=build_schema())
        except (OSError, whoosh_index.EmptyIndexError) as error:
            raise IndexError_(f"Cannot open the index in {self.index_dir}: {error}.") from error

    @contextlib.contextmanager
    def writing(self, *, wait: float = 0.0) -> Iterator[Index]:
        """Hold the write lock of the index folder (re-entrant) and yield the index, created if new."""
        marker = paths.prepare(self.index_dir, self.corpus)
        try:
            self._lock.acquire(timeout=wait)
        except Timeout:
            raise IndexBusyError(
                f"The index of {self.corpus} is being written by another process; try again when it finishes."
            ) from None
        except OSError as error:
            raise IndexError_(f"Cannot lock the index folder {self.index_dir}: {error.strerror}.") from error
        try:
            yield self._open_for_writing(marker)
        finally:
            self._lock.release()

    def _open_for_writing(self, marker: paths.Marker) -> Index:
        try:
            if marker.schema_version != SCHEMA_VERSION:
                shutil.rmtree(self.whoosh_dir, ignore_errors=True)
                with self._manifest() as manifest:
                    manifest.clear()
                paths.write_marker(self.index_dir, self.corpus)
            if whoosh_index.exists_in(str(self.whoosh_dir)):
                return self.open_index()
            self.whoosh_dir.mkdir(mode=paths.PRIVATE_MODE, exist_ok=True)
            return whoosh_index.create_in(str(self.whoosh_dir), build_schema())
        except OSError as error:
            raise IndexError_(f"Cannot write the index in {self.index_dir}: {error.strerror}.") from error

    @contextlib.contextmanager
    def _manifest(self) -> Iterator[Manifest]:
        manifest = Manifest(self.index_dir / MANIFEST_NAME)
        try:
            yield manifest
        finally:
            manifest.close()

    def sync(
        self,
        *,
        wait: float = 0.0,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> IndexReport:
        """Bring the index in line with the corpus; see the module docstring for the guarantees."""
        started = time.perf_counter()
        with self.writing(wait=wait) as ix, self._manifest() as manifest:
            run = _SyncRun(ix, manifest, progress, should_stop, self._on_commit)
            tally = run.execute(self.corpus)
        return IndexReport(
            added=tally.added,
            updated=tally.updated,
            removed=tally.removed,
            unchanged=tally.unchanged,
            skipped=tuple(tally.skipped),
            elapsed=time.perf_counter() - started,
        )

    def write_entities(self, batch: Mapping[str, Sequence[EntityRef]], *, wait: float = 0.0) -> int:
        """Rewrite the given articles' documents with their entity fields; return how many were found.

        An empty sequence clears an article's entities. Ids no longer in the index are ignored.
        """
        if not batch:
            return 0
        with self.writing(wait=wait) as ix:
            writer = _writer(ix)
            try:
                found = 0
                with writer.searcher() as searcher:
                    for article_id, refs in batch.items():
                        docnum = searcher.document_number(id=article_id)
                        if docnum is None:
                            continue
                        stored = searcher.stored_fields(docnum)
                        writer.delete_document(docnum)
                        writer.add_document(**_restored(stored), **entity_fields(refs))
                        found += 1
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        self._on_commit()
        return found


class _SyncRun:
    """One sync: plan from the manifest, then write Whoosh in batches and record each batch."""

    def __init__(
        self,
        ix: Index,
        manifest: Manifest,
        progress: ProgressCallback | None,
        should_stop: StopCheck | None,
        on_commit: Callable[[], None],
    ) -> None:
        self.ix = ix
        self.manifest = manifest
        self.progress = progress or (lambda _: None)
        self.should_stop = should_stop or (lambda: False)
        self.on_commit = on_commit
        self.tally = _Tally()
        self.writer: IndexWriter | None = None
        self.searcher: Any = None
        self.batch: list[FileEntry] = []
        self.forgotten: list[str] = []
        self.batch_size = 0
        self.batch_started = time.monotonic()

    def execute(self, corpus: Path) -> _Tally:
        known = self.manifest.entries()
        self.maybe_present = self.manifest.pending()
        plan = self._plan(corpus, known)
        if plan.restat:
            self.manifest.record(plan.restat)
        try:
            for entry in plan.removed:
                self._delete_ids(entry.ids, counted=True)
                self.forgotten.append(entry.rel)
            complete = self._index_changed(plan.changed, known)
            if complete and self.maybe_present:
                claimed = {i for e in self.manifest.entries().values() for i in e.ids}
                claimed.update(i for e in self.batch for i in e.ids)
                self._delete_ids(self.maybe_present - claimed, counted=True)
            self._commit(settled=complete)
        except BaseException:
            if self.writer is not None:
                self._close_searcher()
                self.writer.cancel()
            raise
        return self.tally

    def _plan(self, corpus: Path, known: dict[str, FileEntry]) -> _Plan:
        plan = _Plan()
        seen: set[str] = set()
        for item in discover(corpus):
            if isinstance(item, Skip):
                self.tally.skipped.append(item)
                continue
            seen.add(item.rel)
            entry = known.get(item.rel)
            if entry is not None and entry.size == item.size and entry.mtime_ns == item.mtime_ns:
                self._count_unchanged(entry)
                continue
            digest = _file_hash(item.path)
            if entry is not None and digest == entry.hash:
                plan.restat.append(
                    FileEntry(item.rel, item.size, item.mtime_ns, digest, entry.ids, entry.skips)
                )
                self._count_unchanged(entry)
            else:
                plan.changed.append((item, digest))
        plan.removed = [entry for rel, entry in known.items() if rel not in seen]
        return plan

    def _count_unchanged(self, entry: FileEntry) -> None:
        self.tally.unchanged += len(entry.ids)
        self.tally.skipped.extend(entry.skips)

    def _index_changed(self, changed: list[tuple[CorpusFile, str]], known: dict[str, FileEntry]) -> bool:
        """Index the changed files; False if ``should_stop`` cut the run short."""
        total = len(changed)
        for done, (corpus_file, digest) in enumerate(changed):
            if self.should_stop():
                return False
            self.progress(Progress("index", done, total, corpus_file.rel))
            self._index_file(corpus_file, digest, known.get(corpus_file.rel))
            if (
                self.batch_size >= Store.batch_articles
                or time.monotonic() - self.batch_started > Store.batch_seconds
            ):
                self._commit(settled=False)
        self.progress(Progress("index", total, total))
        return True

    def _index_file(self, corpus_file: CorpusFile, digest: str, old: FileEntry | None) -> None:
        result = read_file(corpus_file)
        articles = _unique(result.articles)
        new_ids = [article.id for article in articles]
        old_ids = set(old.ids) if old else set()
        self._delete_ids(old_ids - set(new_ids), counted=True)
        self._delete_ids([i for i in new_ids if i in old_ids or i in self.maybe_present], counted=False)
        self.manifest.add_pending(new_ids)
        writer = self._writer()
        for article in articles:
            writer.add_document(**document(article))
        self.tally.updated += sum(1 for i in new_ids if i in old_ids)
        self.tally.added += sum(1 for i in new_ids if i not in old_ids)
        self.tally.skipped.extend(result.skips)
        self.batch.append(
            FileEntry(
                corpus_file.rel,
                corpus_file.size,
                corpus_file.mtime_ns,
                digest,
                tuple(new_ids),
                tuple(result.skips),
            )
        )
        self.batch_size += len(articles)

    def _delete_ids(self, ids: Iterator[str] | set[str] | list[str], *, counted: bool) -> None:
        for article_id in ids:
            self._writer()
            deleted = self.writer.delete_by_term("id", article_id, searcher=self.searcher)
            if counted:
                self.tally.removed += deleted

    def _writer(self) -> IndexWriter:
        if self.writer is None:
            self.writer = _writer(self.ix)
            self.searcher = self.writer.searcher()
        return self.writer

    def _close_searcher(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None

    def _commit(self, *, settled: bool) -> None:
        if self.writer is not None:
            self._close_searcher()
            try:
                self.writer.commit()
            except OSError as error:
                raise IndexError_(
                    f"Could not write the index ({error.strerror}); "
                    "the index as of the last commit is intact."
                ) from error
            finally:
                self.writer = None
            self.on_commit()
        if self.batch or self.forgotten or settled:
            self.manifest.record(self.batch, self.forgotten, settled=settled)
        self.batch, self.forgotten, self.batch_size = [], [], 0
        self.batch_started = time.monotonic()


def _writer(ix: Index) -> IndexWriter:
    from whoosh.index import LockError

    try:
        return ix.writer()
    except LockError as error:
        raise IndexBusyError(
            "The index is being written by another process; try again when it finishes."
        ) from error


def _unique(articles: list[Article]) -> list[Article]:
    """A file yields each id once; a reader bug must not put the same id twice in the index."""
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def _file_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def document(article: Article) -> dict[str, Any]:
    """The Whoosh fields of an article's text (no entity fields: those come later)."""
    fields: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.body,
    }
    for name in ("source", "author", "url"):
        value = getattr(article, name)
        if value:
            fields[name] = value
    if article.date is not None:
        fields["date"] = _naive_utc(article.date)
    if article.metadata:
        fields["metadata"] = dict(article.metadata)
    return fields


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


def entity_fields(refs: Sequence[EntityRef]) -> dict[str, Any]:
    """Entity query fields and the stored ``entities`` list (most mentioned first)."""
    ordered = sorted(refs, key=lambda ref: (-ref.mentions, ref.canonical))
    fields: dict[str, Any] = {"entities": [[ref.canonical, ref.label, ref.mentions] for ref in ordered]}
    if ordered:
        fields["entity"] = ENTITY_SEPARATOR.join(ref.canonical for ref in ordered)
    for label, name in ENTITY_FIELDS.items():
        names = [ref.canonical for ref in ordered if ref.label == label]
        if names:
            fields[name] = ENTITY_SEPARATOR.join(names)
    return fields


_TEXT_FIELDS = ("id", "path", "title", "body", "source", "author", "date", "url", "metadata")


def _restored(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The text fields of a document, from its stored fields (entity fields are rebuilt apart)."""
    return {name: stored[name] for name in _TEXT_FIELDS if stored.get(name) is not None}


def article_from_stored(stored: Mapping[str, Any]) -> Article:
    """An Article from a document's stored fields (``original`` is not stored: it is left empty)."""
    return Article(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title", ""),
        body=stored.get("body", ""),
        source=stored.get("source"),
        author=stored.get("author"),
        date=stored.get("date"),
        url=stored.get("url"),
        metadata=dict(stored.get("metadata") or {}),
    )


def entity_refs(stored: Mapping[str, Any]) -> tuple[EntityRef, ...]:
    """The entities of a document, most mentioned first, from its stored ``entities`` list."""
    return tuple(
        EntityRef(canonical, label, mentions) for canonical, label, mentions in stored.get("entities") or ()
    )
