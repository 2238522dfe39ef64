"""The index store: incremental sync, entity fields, crash safety and the write lock."""

from __future__ import annotations

import errno
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from conftest import REPO, write_article
from filelock import FileLock
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.formats import Positions
from whoosh.qparser import QueryParser

import index.engines.whoosh.merge
import index.engines.whoosh.segment_workers
import index.engines.whoosh.store
import index.manifest
from index import EntityRef, IndexBusyError, IndexUnusable, Library
from index.documents import document
from index.engines.folder import LOCK_NAME, MANIFEST_NAME
from index.engines.whoosh.mapped import MappedFile
from index.engines.whoosh.schema import TITLE_BOOST, build_schema
from index.engines.whoosh.store import Store
from index.manifest import Manifest
from index.paths import MARKER_NAME


def open_library(corpus: Path) -> Library:
    return Library.open(corpus)


def stored_ids(library: Library) -> list[str]:
    return [article.id for article in library.iter_articles()]


def found(library: Library, query: str) -> set[str]:
    return {hit.id for hit in library.search(query, limit=1000).hits}


def test_first_sync_adds_every_article_and_a_second_touches_nothing(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_library(small_corpus) as library:
        first = library.sync()
        assert (first.added, first.updated, first.removed, first.unchanged) == (3, 0, 0, 0)
        assert library.count() == 3

        def must_not_read(*_: object) -> None:
            raise AssertionError("an unchanged file was read")

        monkeypatch.setattr(index.engines.whoosh.segment_workers, "read_file", must_not_read)
        monkeypatch.setattr(index.engines.whoosh.store, "_file_hash", must_not_read)
        second = library.sync()
        assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 3)
        assert library.count() == 3


def test_added_edited_and_deleted_files_are_reflected_in_report_and_results(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        assert found(library, "rallied") == {"b.txt"}
        assert found(library, "election") == {"sub/c.txt"}
        write_article(small_corpus, "d.txt", "Storm warning", "A storm is coming to the coast.")
        write_article(small_corpus, "b.txt", "Markets slump", "Shares fell as markets slumped on Monday.")
        (small_corpus / "sub" / "c.txt").unlink()

        report = library.sync()

        assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
        assert library.count() == 3
        assert found(library, "storm") == {"d.txt"}
        assert found(library, "slumped") == {"b.txt"}
        assert found(library, "rallied") == set()
        assert found(library, "election") == set()
        assert sorted(stored_ids(library)) == ["a.txt", "b.txt", "d.txt"]


def test_a_touched_but_identical_file_is_not_reindexed(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        later = time.time_ns() + 5_000_000_000
        os.utime(small_corpus / "a.txt", ns=(later, later))
        monkeypatch.setattr(
            index.engines.whoosh.segment_workers,
            "read_file",
            lambda *_: pytest.fail("an identical file was re-read"),
        )

        report = library.sync()

        assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
        entry = Manifest(library.index_dir / MANIFEST_NAME).entry("a.txt")
        assert entry is not None and entry.mtime_ns == later


def test_a_sync_of_an_unchanged_corpus_stops_after_its_walk_and_reports_the_same(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every query syncs first: on an unchanged corpus that was a walk written into SQLite, joins and
    a Whoosh writer. The last complete sync's stamp of its walk now settles it after the walk."""
    (small_corpus / "empty.txt").write_bytes(b"")
    with open_library(small_corpus) as library:
        first = library.sync()

        def no_comparison(*_: object) -> None:
            raise AssertionError("an unchanged corpus was compared file by file")

        monkeypatch.setattr(Manifest, "walk", no_comparison)
        monkeypatch.setattr(Manifest, "unchanged", no_comparison)
        second = library.sync()

    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 3)
    assert [skip.path for skip in second.skipped] == [skip.path for skip in first.skipped] == ["empty.txt"]


def test_an_edit_that_keeps_the_size_in_a_subfolder_is_found_after_an_unchanged_sync(
    small_corpus: Path,
) -> None:
    """Editing a file in place changes no folder's mtime: the stamp must see the file's own."""
    with open_library(small_corpus) as library:
        library.sync()
        library.sync()
        before = (small_corpus / "sub" / "c.txt").stat().st_size
        write_article(
            small_corpus, "sub/c.txt", "Election news", "Voters went to the polls in a tight campaign."
        )
        later = time.time_ns() + 5_000_000_000
        os.utime(small_corpus / "sub" / "c.txt", ns=(later, later))
        assert (small_corpus / "sub" / "c.txt").stat().st_size == before

        report = library.sync()

        assert (report.updated, report.unchanged) == (1, 2)
        assert found(library, "campaign") == {"sub/c.txt"}


def test_a_stopped_sync_is_completed_even_when_the_corpus_is_put_back_as_it_was(tmp_path: Path) -> None:
    """The stopped run changed the index; the corpus, copied back with its mtimes, then walks exactly
    as it did at the last complete sync, so the stamp of that sync must be gone."""
    corpus, backup = tmp_path / "corpus", tmp_path / "backup"
    for n in range(10):
        write_article(corpus, f"{n:02}.txt", f"Title {n}", f"Harbour report number {n}.")
    with open_library(corpus) as library:
        library.sync()
        shutil.copytree(corpus, backup)
        (corpus / "00.txt").unlink()
        for n in range(1, 10):
            write_article(corpus, f"{n:02}.txt", f"Title {n}", f"Airport report number {n}.")
        checks = iter(range(100))
        library.sync(should_stop=lambda: next(checks) >= 4)
        shutil.rmtree(corpus)
        shutil.copytree(backup, corpus)

        library.sync()

        assert library.count() == 10
        assert found(library, "harbour") == {f"{n:02}.txt" for n in range(10)}
        assert found(library, "airport") == set()


def test_a_deleted_text_index_is_rebuilt_although_the_corpus_is_unchanged(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
    shutil.rmtree(library.engine.whoosh_dir)

    with open_library(small_corpus) as library:
        report = library.sync()
        assert (report.added, library.count()) == (3, 3)


def test_touching_more_files_than_a_record_batch_reindexes_none(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    count = index.engines.whoosh.store.RESTAT_BATCH + 50
    for n in range(count):
        write_article(corpus, f"{n:04d}.txt", f"Story {n}", f"Report number {n} from the council.")
    with open_library(corpus) as library:
        assert library.sync().added == count
        later = time.time_ns() + 5_000_000_000
        for n in range(count):
            os.utime(corpus / f"{n:04d}.txt", ns=(later, later))
        report = library.sync()
        assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, count)
        again = library.sync()
        assert again.unchanged == count and library.count() == count
        manifest = Manifest(library.index_dir / MANIFEST_NAME)
        assert {manifest.entry(f"{n:04d}.txt").mtime_ns for n in (0, count - 1)} == {later}


def test_search_stems_so_protests_finds_protest(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        assert found(library, "protests") == {"a.txt"}


def test_article_round_trips_through_stored_fields(seeds_dir: Path) -> None:
    with Library.open() as library:
        library.sync()
        dw = library.article("001_3b75d46e5ed62af3.txt")
        assert dw.title == "Russia pressures TikTok ahead of pro-Navalny rallies"
        assert dw.source == "DW"
        assert dw.date is not None and dw.date.date().isoformat() == "2021-01-22"
        assert dw.body.startswith("TikTok users are posting videos")


NAVALNY = EntityRef("Alexei Navalny", "PERSON", 5)
SOBOL = EntityRef("Lyubov Sobol", "PERSON", 2)
MOSCOW = EntityRef("Moscow", "PLACE", 3)


def test_entity_fields_are_searchable_per_name_and_never_across_two_names(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        assert library.engine.write_entities({"a.txt": [SOBOL, MOSCOW, NAVALNY], "gone.txt": [MOSCOW]}) == 1

        assert found(library, 'person:"alexei navalny"') == {"a.txt"}
        assert found(library, 'entity:"lyubov sobol"') == {"a.txt"}
        assert found(library, "place:moscow") == {"a.txt"}
        assert found(library, 'entity:"navalny moscow"') == set()
        assert found(library, 'entity:"sobol alexei"') == set()
        assert found(library, "protest") == {"a.txt"}
        hit = library.search("protest").hits[0]
        assert [ref.canonical for ref in hit.entities] == ["Alexei Navalny", "Moscow", "Lyubov Sobol"]


def test_sync_keeps_entities_of_unchanged_articles_and_drops_those_of_changed_ones(
    small_corpus: Path,
) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        library.engine.write_entities({"a.txt": [NAVALNY], "b.txt": [NAVALNY]})
        write_article(small_corpus, "b.txt", "Markets slump", "Shares fell on Monday.")

        library.sync()

        assert found(library, "person:navalny") == {"a.txt"}


def test_should_stop_commits_what_is_done_and_the_next_run_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(10):
        write_article(corpus, f"{n:02}.txt", f"Title {n}", f"Body number {n}.")
    checks = iter(range(100))
    with open_library(corpus) as library:
        partial = library.sync(should_stop=lambda: next(checks) >= 4)
        assert (partial.added, library.count()) == (4, 4)
        rest = library.sync()
        assert (rest.added, rest.unchanged, library.count()) == (6, 4, 10)


def test_interrupt_keeps_committed_batches_and_the_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    for n in range(12):
        write_article(corpus, f"{n:02}.txt", f"Title {n}", f"Body number {n}.")
    monkeypatch.setattr(Store, "batch_articles", 5)

    def interrupt_at_file_eight(progress: index.Progress) -> None:
        if progress.done == 8:
            raise KeyboardInterrupt

    with open_library(corpus) as library:
        with pytest.raises(KeyboardInterrupt):
            library.sync(progress=interrupt_at_file_eight)
        assert library.count() == 5
        report = library.sync()
        assert (report.added, report.unchanged, library.count()) == (7, 5, 12)


def leave_uncommitted_run_behind(library: Library, manifest: Manifest, article_id: str) -> None:
    """What a run killed between its Whoosh commit and its manifest update leaves behind."""
    manifest.add_pending([article_id])
    with library.engine.writing() as ix:
        writer = ix.writer()
        stale = index.Article(id=article_id, path=article_id, title="Old", body="old")
        writer.add_document(**document(stale))
        writer.commit()


def test_documents_of_a_run_that_died_before_recording_them_are_replaced_not_duplicated(
    small_corpus: Path,
) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        write_article(small_corpus, "new.txt", "Fresh news", "Something happened today.")
        manifest = Manifest(library.index_dir / MANIFEST_NAME)
        leave_uncommitted_run_behind(library, manifest, "new.txt")

        report = library.sync()

        assert sorted(stored_ids(library)) == ["a.txt", "b.txt", "new.txt", "sub/c.txt"]
        assert library.article("new.txt").title == "Fresh news"
        assert report.added == 1
        assert manifest.pending() == set()


def test_pending_documents_of_a_file_deleted_since_are_removed(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        leave_uncommitted_run_behind(library, Manifest(library.index_dir / MANIFEST_NAME), "ghost.txt")

        report = library.sync()

        assert report.removed == 1
        assert sorted(stored_ids(library)) == ["a.txt", "b.txt", "sub/c.txt"]


def test_a_second_writer_gets_a_clear_busy_error(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        with FileLock(library.index_dir / LOCK_NAME), pytest.raises(IndexBusyError, match="another process"):
            library.sync()
        assert library.search("protest").total == 1


def test_an_index_of_another_schema_version_is_rebuilt(small_corpus: Path) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        marker = library.index_dir / MARKER_NAME
        marker.write_text(json.dumps({**json.loads(marker.read_text()), "schema_version": 0}))

    with open_library(small_corpus) as library:
        assert not library.is_indexed
        report = library.sync()
        assert (report.added, library.count()) == (3, 3)
        assert json.loads(marker.read_text())["schema_version"] == index.engines.whoosh.schema.SCHEMA_VERSION


KILL_SCRIPT = """
import sys
from pathlib import Path
from index import Library
from index.engines.whoosh.store import Store
Store.batch_articles = 20
Store.job_files = 5
Store.parallel_min_files = int(sys.argv[2])
Library.open(Path(sys.argv[1])).sync(progress=lambda p: print(p.done, flush=True))
"""

IN_PROCESS, IN_WORKERS = 10_000, 1


def generated_corpus(folder: Path, count: int) -> Path:
    for n in range(count):
        write_article(folder, f"{n:03}.txt", f"Report {n}", f"Protesters gathered in city {n}. " * 20)
    return folder


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("parallel_min_files", "kill_after_files"),
    [(IN_PROCESS, 30), (IN_PROCESS, 95), (IN_PROCESS, 170), (IN_WORKERS, 30), (IN_WORKERS, 120)],
)
def test_kill_9_during_indexing_leaves_an_index_that_answers_and_a_rerun_completes(
    tmp_path: Path, parallel_min_files: int, kill_after_files: int
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 240)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(corpus), str(parallel_min_files)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if int(line) >= kill_after_files:
            break
    workers = psutil.Process(child.pid).children()
    child.send_signal(signal.SIGKILL)
    child.wait()
    _, lingering = psutil.wait_procs(workers, timeout=10)
    assert not lingering, "worker processes outlived the killed indexer"

    with open_library(corpus) as library:
        ids = stored_ids(library)
        assert not [i for i, n in Counter(ids).items() if n > 1]
        assert library.count() == len(ids) <= 240
        assert library.search("protesters").total == len(ids)
        library.sync()
        ids = stored_ids(library)
        assert len(ids) == len(set(ids)) == library.count() == 240
        assert library.search("protesters").total == 240


def index_in_workers(monkeypatch: pytest.MonkeyPatch, *, job_files: int, batch_articles: int) -> None:
    monkeypatch.setattr(Store, "parallel_min_files", IN_WORKERS)
    monkeypatch.setattr(Store, "job_files", job_files)
    monkeypatch.setattr(Store, "batch_articles", batch_articles)


def test_workers_index_the_same_articles_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 60)
    index_in_workers(monkeypatch, job_files=7, batch_articles=25)
    with open_library(corpus) as library:
        report = library.sync()
        assert (report.added, library.count()) == (60, 60)
        assert library.search('"city 42"').total == 1
        write_article(corpus, "007.txt", "Changed", "Nothing to see.")
        (corpus / "008.txt").unlink()
        report = library.sync()
        assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 1, 58)
        assert library.search("protesters").total == 58
        assert sorted(stored_ids(library)) == sorted(f"{n:03}.txt" for n in range(60) if n != 8)


def test_a_build_in_workers_reports_progress_from_its_first_files_before_any_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 60)
    index_in_workers(monkeypatch, job_files=20, batch_articles=1000)
    events: list[int | str] = []
    commit = Library._mark_stale
    monkeypatch.setattr(Library, "_mark_stale", lambda library: (events.append("commit"), commit(library)))
    with open_library(corpus) as library:
        library.sync(progress=lambda progress: events.append(progress.done))
    before_commit = events[: events.index("commit")]
    assert before_commit[0] == 0  # the bar shows its total at once, before the workers have started
    assert 0 < before_commit[1] < 20  # the first files are counted, not only a whole job of 20
    assert before_commit[-1] == 60


def segment_files_are_the_listed_ones(library: Library) -> bool:
    listed = {segment.segment_id() for segment in library.engine.open_index()._segments()}
    names = os.listdir(library.engine.whoosh_dir)
    return {name.split(".")[0] for name in names if re.match(r"MAIN_[0-9a-z]+\.", name)} == listed


def assert_the_next_run_completes(corpus: Path) -> int:
    """After a sync that failed midway: the index holds the committed articles, none twice, and
    the next run adds exactly the rest and leaves no orphaned segment; returns how many it held."""
    with open_library(corpus) as library:
        partial = library.count()
        assert 0 < partial < 240
        assert len(set(stored_ids(library))) == partial  # committed batches only, none twice
        rest = library.sync()
        assert (partial + rest.added, library.count()) == (240, 240)
        assert sorted(stored_ids(library)) == [f"{n:03}.txt" for n in range(240)]
        # The orphaned segments of the lost batches went with the run that completed.
        assert segment_files_are_the_listed_ones(library)
    return partial


def test_commits_run_beside_the_workers_next_batch_and_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 240)
    index_in_workers(monkeypatch, job_files=5, batch_articles=20)
    overlapped: list[int] = []
    start_commit = index.engines.whoosh.store._Committing.__init__

    def recording(self: index.engines.whoosh.store._Committing, writer, batch, forgotten) -> None:
        overlapped.append(len(batch))
        start_commit(self, writer, batch, forgotten)

    monkeypatch.setattr(index.engines.whoosh.store._Committing, "__init__", recording)
    with open_library(corpus) as library:
        report = library.sync()
        assert (report.added, library.count()) == (240, 240)
        assert sorted(stored_ids(library)) == [f"{n:03}.txt" for n in range(240)]
        assert library.search('"city 142"').total == 1
        assert library.sync().unchanged == 240
        # The sync's last commit cleaned up: only the segments its table lists, and one table.
        assert segment_files_are_the_listed_ones(library)
        names = os.listdir(library.engine.whoosh_dir)
        assert len([name for name in names if name.startswith("_MAIN_")]) == 1
    assert len(overlapped) >= 3 and sum(overlapped) < 240  # the last batch is committed alone


class HeldCommit:
    """Hold the first commit beside the workers, like a merge of minutes, until the workers have
    queued ``batches`` batches behind it; ``fail_at`` makes that queueing raise instead, as if
    a worker had died. ``recorded`` lists the files of each batch the manifest records."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, batches: int, fail_at: int | None = None) -> None:
        self.queued = 0
        self.recorded: list[int] = []
        self._released = threading.Event()
        self._held = False
        store = index.engines.whoosh.store
        commit, queue_batch = store._commit_or_abandon, store._SyncRun._queue_batch
        record = index.manifest.Manifest.record

        def held(writer) -> None:
            if writer.beside_workers and not self._held:
                self._held = True
                assert self._released.wait(30), "the workers did not go on while the commit ran"
            commit(writer)

        def queue(run: index.engines.whoosh.store._SyncRun) -> None:
            self.queued += 1
            if self.queued == batches:
                self._released.set()
            if self.queued == fail_at:
                assert run.queued_segments  # the failure strikes with worker segments waiting
                raise IndexUnusable("An indexing worker process died; the last commit is intact.")
            queue_batch(run)

        def recording(manifest, batch, *args, **kwargs) -> None:
            self.recorded.append(len(batch))
            record(manifest, batch, *args, **kwargs)

        monkeypatch.setattr(index.engines.whoosh.store, "_commit_or_abandon", held)
        monkeypatch.setattr(index.engines.whoosh.store._SyncRun, "_queue_batch", queue)
        monkeypatch.setattr(index.manifest.Manifest, "record", recording)


def test_batches_indexed_during_a_long_commit_wait_for_the_next_one_and_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 240)
    index_in_workers(monkeypatch, job_files=5, batch_articles=20)
    held = HeldCommit(monkeypatch, batches=3)
    with open_library(corpus) as library:
        report = library.sync()
        assert (report.added, library.count()) == (240, 240)
        assert sorted(stored_ids(library)) == [f"{n:03}.txt" for n in range(240)]
        # A batch is at most 25 files here (20 articles, jobs of 5 files): the commit after the
        # held one carried the three batches the workers indexed meanwhile.
        assert held.queued >= 3 and max(held.recorded) >= 3 * 20
        assert sum(held.recorded) == 240
        assert library.sync().unchanged == 240
        assert segment_files_are_the_listed_ones(library)


def test_a_failure_with_batches_queued_loses_them_cleanly_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 240)
    index_in_workers(monkeypatch, job_files=5, batch_articles=20)
    with monkeypatch.context() as patch:
        held = HeldCommit(patch, batches=3, fail_at=3)
        with open_library(corpus) as library, pytest.raises(IndexUnusable, match="worker process died"):
            library.sync()
    assert 0 < sum(held.recorded) < 240 - 2 * 20  # the two queued batches were not recorded
    assert assert_the_next_run_completes(corpus) == sum(held.recorded)


def test_an_interrupted_sync_stops_the_merge_in_flight_instead_of_waiting_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 240)
    index_in_workers(monkeypatch, job_files=5, batch_articles=20)
    monkeypatch.setattr(index.engines.whoosh.merge, "CHECK_EVERY", 1)
    merging, interrupted = threading.Event(), threading.Event()
    copied_after_interrupt: list[int] = []
    copy_blocks = index.engines.whoosh.merge._copy_blocks

    def slow_copy(postwriter, blocks) -> None:  # a merge of minutes: 50 ms a term, hundreds of terms
        merging.set()
        if interrupted.is_set():
            copied_after_interrupt.append(1)
        time.sleep(0.05)
        copy_blocks(postwriter, blocks)

    def ctrl_c(run: index.engines.whoosh.store._SyncRun) -> None:  # the user presses Ctrl-C mid-merge
        assert merging.wait(30)
        interrupted.set()
        raise KeyboardInterrupt

    monkeypatch.setattr(index.engines.whoosh.merge, "_copy_blocks", slow_copy)
    with monkeypatch.context() as patch:
        patch.setattr(index.engines.whoosh.store._SyncRun, "_queue_batch", ctrl_c)
        with open_library(corpus) as library, pytest.raises(KeyboardInterrupt):
            library.sync()
    # The merge gave up within a few terms of Ctrl-C (those in flight, more on a loaded machine,
    # where the stop takes a while to reach the merging thread), not after the hundreds it had left.
    assert len(copied_after_interrupt) <= 20
    monkeypatch.setattr(index.engines.whoosh.merge, "_copy_blocks", copy_blocks)
    assert_the_next_run_completes(corpus)


def test_workers_stop_when_asked_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 60)
    monkeypatch.setattr(Store, "parallel_min_files", IN_WORKERS)
    monkeypatch.setattr(Store, "job_files", 5)
    checks = iter(range(1000))
    with open_library(corpus) as library:
        partial = library.sync(should_stop=lambda: next(checks) >= 2)
        assert 0 < partial.added == library.count() < 60
        rest = library.sync()
        assert (rest.added + partial.added, library.count()) == (60, 60)


def test_a_full_disk_gives_a_clear_error_and_keeps_the_last_commit(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_library(small_corpus) as library:
        library.sync()
        write_article(small_corpus, "b.txt", "Markets slump", "Shares fell on Monday.")

        def disk_full(*_: object, **__: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        with monkeypatch.context() as patch:
            patch.setattr(index.engines.whoosh.store._SegmentsWriter, "_commit_toc", disk_full)
            with pytest.raises(IndexUnusable, match=r"No space left on device.*last commit is intact"):
                library.sync()

        assert found(library, "rallied") == {"b.txt"}
        assert found(library, "slump") == set()
        report = library.sync()
        assert (report.updated, report.unchanged) == (1, 2)
        assert found(library, "slump") == {"b.txt"}


def test_a_cache_location_that_cannot_be_a_folder_gives_a_clear_error(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(tmp_path / "file" / "cache"))
    with pytest.raises(IndexUnusable, match=r"index folder .* Not a directory"):
        open_library(small_corpus).sync()


def test_results_and_scores_match_a_plain_whoosh_index(tmp_path: Path) -> None:
    """Our analyser and codec change how fast documents are written, never what a query finds."""
    words = [
        "storm",
        "protest",
        "market",
        "election",
        "police",
        "minister",
        "river",
        "crowd",
        "vote",
        "bank",
        "rally",
        "court",
    ]
    rng = random.Random(7)
    corpus = tmp_path / "corpus"
    for n in range(300):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 120)))
        write_article(corpus, f"{n:03}.txt", f"{rng.choice(words)} {n}", body)
    plain_schema = build_schema()
    for name, boost in (("title", TITLE_BOOST), ("body", 1.0)):
        plain_schema[name].analyzer = StemmingAnalyzer(stoplist=None)
        plain_schema[name].format = Positions(field_boost=boost)
    (tmp_path / "plain").mkdir()
    plain = whoosh_index.create_in(str(tmp_path / "plain"), plain_schema)
    with open_library(corpus) as library:
        library.sync()
        with plain.writer() as writer:
            for article in library.iter_articles():
                writer.add_document(**document(article))
        ours = library.engine.open_index()
        for text in ("storm", "protests AND police", '"river crowd"', "title:vote OR bank", "ralli*"):
            query = QueryParser("body", plain_schema).parse(text)
            with ours.searcher() as mine, plain.searcher() as theirs:
                assert _ranked(mine.search(query, limit=25)) == _ranked(theirs.search(query, limit=25)), text


def _ranked(results: object) -> list[tuple[str, float]]:
    return [(hit["id"], round(hit.score, 9)) for hit in results]


def test_large_entity_batches_are_written_by_workers_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generated_corpus(tmp_path / "corpus", 30)
    with open_library(corpus) as library:
        library.sync()
        monkeypatch.setattr(Store, "parallel_min_files", 10)
        monkeypatch.setattr(Store, "job_files", 4)
        batch = {f"{n:03}.txt": [NAVALNY] if n % 2 else [MOSCOW] for n in range(30)}
        assert library.engine.write_entities({**batch, "missing.txt": [SOBOL]}) == 30
        assert len(found(library, "person:navalny")) == 15
        assert len(found(library, "place:moscow")) == 15
        assert found(library, "protesters") == {f"{n:03}.txt" for n in range(30)}
        assert sorted(stored_ids(library)) == sorted(batch)


def test_indexing_falls_back_to_one_process_when_workers_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot_fork(*_: object) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    corpus = generated_corpus(tmp_path / "corpus", 20)
    monkeypatch.setattr(Store, "parallel_min_files", IN_WORKERS)
    monkeypatch.setattr(index.engines.whoosh.segment_workers, "SegmentWorkers", cannot_fork)
    with open_library(corpus) as library:
        assert library.sync().added == 20
        assert library.engine.write_entities({"001.txt": [MOSCOW]}) == 1
        assert found(library, "place:moscow") == {"001.txt"}


def test_merges_of_a_first_build_read_segments_in_place_not_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whoosh's own storage copies each file of a segment it merges into memory: half a
    # gigabyte at a time when a first build of a million articles merges its large segments.
    corpus = generated_corpus(tmp_path / "corpus", 60)
    monkeypatch.setattr(Store, "batch_articles", 3)
    merged_postings = []
    add_reader = index.engines.whoosh.store._SegmentsWriter.add_reader

    def recording_add_reader(writer: index.engines.whoosh.store._SegmentsWriter, reader) -> None:
        merged_postings.append(reader._storage.open_file(reader._segment.make_filename(".pst")))
        add_reader(writer, reader)

    monkeypatch.setattr(index.engines.whoosh.store._SegmentsWriter, "add_reader", recording_add_reader)
    with open_library(corpus) as library:
        library.sync()
        assert library.count() == 60
    assert merged_postings, "the build should have merged segments"
    assert all(isinstance(postings, MappedFile) for postings in merged_postings)
