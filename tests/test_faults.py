"""Faults: the indexer killed at any moment, a full disk, folders that vanish or cannot be
written, files that change while read, and two processes on one corpus.

A journalist's archive must never be lost or corrupted by any of these: the index always opens
and answers, no article appears twice, and the next run completes the work.
"""

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
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import whoosh.filedb.filestore
from click.testing import CliRunner, Result
from conftest import write_article
from fault_support import KILLABLE_CLI, cli_env, duplicates, facet_table, ids_and_count, news_corpus, run_cli
from filelock import FileLock, Timeout

import index.engines.whoosh.segment_workers
import index.engines.whoosh.store
from index import BroadsheetError, CorpusError, Library
from index.engines.folder import LOCK_NAME
from index.entities.store import DB_NAME, EntityDB
from index.ingest import CorpusFile
from index.paths import CACHE_ENV, MARKER_NAME
from tui.cli import cli

ARTICLES = 240
IN_PROCESS, IN_WORKERS = 10_000, 1
QUERIES = ("*", "flood", "Lisbon", '"Maria Kovacs"', "stor*", "harbour~", "title:storm AND NOT glasgow")


PROGRESS_LINE = re.compile(r"^[a-z]+: \d+(/\d+)?$")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="broadsheet")


def assert_one_sentence_error(result: Result, status: int, *fragments: str) -> None:
    assert result.exit_code == status, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line and not PROGRESS_LINE.match(line)]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return news_corpus(tmp_path_factory.mktemp("news") / "corpus", ARTICLES)


@pytest.fixture(scope="module")
def clean_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list]:
    """The ids and facets of an uninterrupted run of ``broadsheet index`` in its own index folder."""
    base = tmp_path_factory.mktemp("clean")
    done = run_cli(["index", str(corpus), "--index-dir", str(base / "index")], base / "cache")
    assert done.returncode == 0, done.stderr.decode()
    with Library.open(corpus, index_dir=base / "index") as library:
        ids, count = ids_and_count(library)
        assert count == ARTICLES
        return sorted(ids), facet_table(library)


def start_indexer(
    corpus: Path, index_dir: Path, cache: Path, *, parallel_min_files: int
) -> subprocess.Popen[str]:
    """``broadsheet index`` in a child that reports one progress line per step on stderr."""
    command = ["index", str(corpus), "--index-dir", str(index_dir)]
    return subprocess.Popen(
        [sys.executable, "-c", KILLABLE_CLI, str(parallel_min_files), *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=cli_env(cache),
        text=True,
    )


def kill_indexer(corpus: Path, index_dir: Path, cache: Path, kill: Kill) -> int:
    """Start ``broadsheet index`` and SIGKILL it at the kill point; return its exit status.

    The kill point is ``kill.delay`` seconds after the ``kill.lines``-th progress line of
    ``kill.phase`` (or, with ``lines`` None, its first line reporting done == total), or after
    the first line of a later phase if the requested one ended sooner.
    """
    child = start_indexer(corpus, index_dir, cache, parallel_min_files=kill.parallel_min_files)
    assert child.stderr is not None
    seen = 0
    for line in child.stderr:
        assert "Traceback" not in line
        phase, _, counts = line.strip().partition(": ")
        if phase not in PHASES:
            continue
        if phase != kill.phase:
            if PHASES.index(phase) > PHASES.index(kill.phase):
                break
            continue
        seen += 1
        done, _, total = counts.partition("/")
        if (seen >= kill.lines) if kill.lines else done == total:
            break
    time.sleep(kill.delay)
    workers = psutil.Process(child.pid).children(recursive=True)
    child.send_signal(signal.SIGKILL)
    status = child.wait(timeout=30)
    _, lingering = psutil.wait_procs(workers, timeout=10)
    assert not lingering, "worker processes outlived the killed indexer"
    return status


def assert_index_sound(corpus: Path, index_dir: Path) -> int:
    """The index opens, every query answers, no article appears twice; returns the count."""
    with Library.open(corpus, index_dir=index_dir) as library:
        ids, count = ids_and_count(library)
        assert not duplicates(ids)
        assert count <= ARTICLES
        for query in QUERIES:
            assert library.search(query, limit=5).total <= count
        library.facets("*")
        if ids:
            assert library.article(ids[0]).id == ids[0]
        return count


@dataclass(frozen=True)
class Kill:
    phase: str
    lines: int | None
    delay: float = 0.0
    parallel_min_files: int = IN_PROCESS


PHASES = ("index", "entities")

# Chained on one index folder, so each run resumes what the previous kills left. Text-phase kills
# land before, between and during batch commits (20 articles each; two runs in worker processes)
# and during the final commit; entity-phase kills land after the model loads, between and during
# analysis batches (10 articles; a progress line for each article analysed), before the corpus-wide
# resolution and during the entity push.
KILLS = [
    Kill("index", 1, 0.0, IN_WORKERS),
    Kill("index", 2, 0.0, IN_WORKERS),
    Kill("index", 1),
    Kill("index", 7),
    Kill("index", 12),
    Kill("index", 21),
    Kill("index", 23, 0.01),
    Kill("index", 2),
    Kill("index", 41, 0.01),
    Kill("index", None),
    Kill("index", None, 0.01),
    Kill("entities", 1),
    Kill("entities", 12),
    Kill("entities", 25, 0.01),
    Kill("entities", 31),
    Kill("entities", 46, 0.01),
    Kill("entities", None),
    Kill("entities", None, 0.02),
    Kill("entities", None, 0.05),
    Kill("entities", None, 0.1),
    Kill("entities", None, 0.15),
    Kill("entities", None, 0.2),
]


def analysed(index_dir: Path) -> int:
    """How many articles the entity database records as analysed."""
    if not (index_dir / DB_NAME).exists():
        return 0
    with EntityDB(index_dir / DB_NAME) as db:
        return len(db.analysed())


@pytest.mark.timeout(240)
def test_kill_9_at_22_moments_never_corrupts_and_a_rerun_matches_a_clean_run(
    corpus: Path, clean_run: tuple[list[str], list], tmp_path: Path
) -> None:
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    killed, indexed_counts, analysed_counts = [], set(), set()
    for kill in KILLS:
        if kill_indexer(corpus, index_dir, cache, kill) == -signal.SIGKILL:
            killed.append(kill)
        if index_dir.exists():
            indexed_counts.add(assert_index_sound(corpus, index_dir))
            analysed_counts.add(analysed(index_dir))
    assert len(killed) >= 20, killed
    assert {kill.phase for kill in killed} == set(PHASES)
    assert len({n for n in indexed_counts if 0 < n < ARTICLES}) >= 3, indexed_counts
    assert len({n for n in analysed_counts if 0 < n < ARTICLES}) >= 3, analysed_counts

    finished = run_cli(["index", str(corpus), "--index-dir", str(index_dir)], cache)
    assert finished.returncode == 0, finished.stderr.decode()
    clean_ids, clean_facets = clean_run
    with Library.open(corpus, index_dir=index_dir) as library:
        ids, count = ids_and_count(library)
        assert count == ARTICLES
        assert sorted(ids) == clean_ids
        assert facet_table(library) == clean_facets


# --- a full disk -------------------------------------------------------------------------------


def test_disk_full_while_indexing_gives_one_sentence_and_keeps_the_previous_index(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("index", str(small_corpus), "--no-entities").exit_code == 0
    for n in range(5):
        write_article(small_corpus, f"new{n}.txt", f"Late story {n}", "A harbour strike closed the port.")

    def no_space(self: object, name: str, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)

    with monkeypatch.context() as patch:
        patch.setattr(whoosh.filedb.filestore.FileStorage, "create_file", no_space)
        assert_one_sentence_error(run("index", str(small_corpus), "--no-entities"), 1, "space")

    with Library.open(small_corpus) as library:
        assert library.count() == 3
        assert library.search("protest").total == 1
        assert library.search("harbour").total == 0
        library.sync()
        assert library.search("harbour").total == 5


def test_a_writer_that_fails_to_start_lets_the_lock_go_at_once(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh takes its write lock first and, when the writer then fails (a full disk), releases it
    only once the half-made writer is garbage: while the error was still referenced (a traceback
    kept by a caller) the next sync of the same process found its own index "busy"."""
    with Library.open(small_corpus) as library:
        library.sync()
        write_article(small_corpus, "new.txt", "Late story", "A harbour strike closed the port.")

        def no_space(self: object, name: str, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)

        with monkeypatch.context() as patch:
            patch.setattr(whoosh.filedb.filestore.FileStorage, "create_file", no_space)
            with pytest.raises(BroadsheetError) as failure:
                library.sync()
        assert failure.value.__traceback__ is not None  # still referenced, as a caller may keep it
        library.sync()
        assert library.search("harbour").total == 1


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Path:
    """A 1.5 MB tmpfs (real ENOSPC); skipped where mounting is not allowed."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1536k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("entities", [False, True], ids=["text", "entities"])
def test_a_really_full_disk_gives_one_sentence_and_keeps_the_previous_index(
    tmp_path: Path, tiny_disk: Path, entities: bool
) -> None:
    corpus = news_corpus(tmp_path / "corpus", 20)
    index_dir, cache = tiny_disk / "index", tmp_path / "cache"
    flags = [] if entities else ["--no-entities"]
    first = run_cli(["index", str(corpus), "--index-dir", str(index_dir), *flags], cache)
    assert first.returncode == 0, first.stderr.decode()
    rng = random.Random(3)
    words = ["harbour", "strike", "port", "minister", "budget", "river", "storm", "council"]
    for n in range(400):
        body = " ".join(rng.choice(words) + str(rng.randrange(10**6)) for _ in range(800))
        write_article(corpus, f"bulk/{n:03}.txt", f"Bulk report {n}", body)

    full = run_cli(["index", str(corpus), "--index-dir", str(index_dir), *flags], cache)
    stderr = full.stderr.decode()
    assert full.returncode == 1, (full.returncode, stderr)
    assert "Traceback" not in stderr
    message = [line for line in stderr.splitlines() if line.startswith("broadsheet:")]
    assert len(message) == 1 and re.search("space|disk is full", message[0]), stderr

    with Library.open(corpus, index_dir=index_dir) as library:
        ids, count = ids_and_count(library)
        assert not duplicates(ids) and count >= 20
        assert library.search("Lisbon OR Nairobi OR Glasgow OR Osaka OR Montreal").total > 0
        assert library.search('title:"speaks out"').total == 20
        if entities:
            assert library.facets("*")


# --- folders that cannot be written, or vanish --------------------------------------------------


def mount_or_skip(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.decode().strip()}")


@pytest.fixture
def read_only_corpus(small_corpus: Path, tmp_path: Path) -> Path:
    """The small corpus seen through a read-only bind mount (read-only even for root)."""
    view = tmp_path / "read-only"
    view.mkdir()
    mount_or_skip("--bind", str(small_corpus), str(view))
    try:
        mount_or_skip("-o", "remount,bind,ro", str(view))
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_a_read_only_corpus_is_indexed_and_left_untouched(read_only_corpus: Path) -> None:
    with pytest.raises(OSError):
        (read_only_corpus / "probe").write_text("x")
    before = sorted(read_only_corpus.rglob("*"))
    result = run("index", str(read_only_corpus), "--no-entities")
    assert result.exit_code == 0, result.output
    assert sorted(read_only_corpus.rglob("*")) == before
    with Library.open(read_only_corpus) as library:
        assert library.count() == 3
        assert library.search("election").total == 1


@pytest.fixture
def read_only_cache(tmp_path: Path) -> Path:
    """An empty read-only file system (even root cannot write to it)."""
    folder = tmp_path / "ro-cache"
    folder.mkdir()
    mount_or_skip("-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder))
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_read_only_cache_gives_one_sentence_naming_the_way_out(
    small_corpus: Path, read_only_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(read_only_cache))
    result = run("index", str(small_corpus))
    assert_one_sentence_error(result, 1, "index folder", "--index-dir")
    elsewhere = run(
        "index", str(small_corpus), "--no-entities", "--index-dir", str(small_corpus.parent / "idx")
    )
    assert elsewhere.exit_code == 0, elsewhere.output


def test_a_cache_path_under_a_regular_file_gives_one_sentence(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache should be")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    for args in (["index", str(small_corpus)], ["search", "protest", "--corpus", str(small_corpus)]):
        assert_one_sentence_error(run(*args), 1, "index folder")
    assert blocker.read_text() == "a file where the cache should be"


def test_a_missing_cache_folder_is_created_private(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "deep" / "er" / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    result = run("search", "protest", "--corpus", str(small_corpus), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 1
    for folder in (cache, *cache.iterdir()):
        assert folder.stat().st_mode & 0o777 == 0o700


def test_a_corpus_that_disappears_keeps_its_index_searchable_and_sync_refuses(small_corpus: Path) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        shutil.rmtree(small_corpus)
        assert library.search("markets").total == 1
        with pytest.raises(CorpusError, match="does not exist"):
            library.sync()
        assert library.count() == 3
        assert library.article("a.txt").title == "Protest in Moscow"
    assert_one_sentence_error(run("search", "markets", "--corpus", str(small_corpus)), 1, "does not exist")


def test_a_corpus_emptied_while_open_is_reflected_not_fatal(small_corpus: Path) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        for path in list(small_corpus.rglob("*.txt")):
            path.unlink()
        report = library.sync()
        assert (report.removed, library.count(), library.search("*").total) == (3, 0, 0)


# --- files that change while they are indexed ---------------------------------------------------


@pytest.mark.parametrize("change", ["rewrite", "append", "truncate", "delete", "replace-with-folder"])
def test_a_file_changing_between_listing_and_reading_is_settled_by_the_next_run(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    target = small_corpus / "b.txt"
    original_read = index.engines.whoosh.segment_workers.read_file

    def changing_read(corpus_file: CorpusFile) -> object:
        if corpus_file.path == target:
            if change == "rewrite":
                target.write_text("Ferry strike\n\nFerries stopped in the harbour.\n")
            elif change == "append":
                with target.open("a") as out:
                    out.write("Update: ferries stopped too.\n" * 5000)
            elif change == "truncate":
                target.write_bytes(b"")
            elif change == "delete":
                target.unlink()
            else:
                target.unlink()
                target.mkdir()
        return original_read(corpus_file)

    with Library.open(small_corpus) as library:
        with monkeypatch.context() as patch:
            patch.setattr(index.engines.whoosh.segment_workers, "read_file", changing_read)
            library.sync()
        ids, count = ids_and_count(library)
        assert not duplicates(ids) and count <= 3
        library.sync()
        ids, _ = ids_and_count(library)
        assert not duplicates(ids)
        expected = {
            "rewrite": ({"a.txt", "b.txt", "sub/c.txt"}, "ferries", 1),
            "append": ({"a.txt", "b.txt", "sub/c.txt"}, "ferries", 1),
            "truncate": ({"a.txt", "sub/c.txt"}, "markets", 0),
            "delete": ({"a.txt", "sub/c.txt"}, "markets", 0),
            "replace-with-folder": ({"a.txt", "sub/c.txt"}, "markets", 0),
        }[change]
        assert (set(ids), library.search(expected[1]).total) == expected[:1] + expected[2:]
        assert library.sync().unchanged == len(ids)


# --- two processes on one corpus ----------------------------------------------------------------


@pytest.mark.timeout(120)
def test_searches_answer_while_another_process_indexes_and_a_second_indexer_is_told_busy(
    corpus: Path, tmp_path: Path
) -> None:
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    where = ["--corpus", str(corpus), "--index-dir", str(index_dir)]
    indexer = start_indexer(corpus, index_dir, cache, parallel_min_files=IN_PROCESS)
    assert indexer.stderr is not None
    for line in indexer.stderr:
        if line.startswith("index: 30/"):
            break
    busy = run_cli(["index", str(corpus), "--index-dir", str(index_dir)], cache)
    assert busy.returncode == 1
    assert busy.stderr.decode().startswith("broadsheet: ") and "another process" in busy.stderr.decode()
    assert "Traceback" not in busy.stderr.decode()

    totals = []
    while indexer.poll() is None or len(totals) < 2:
        searched = run_cli(["search", "*", "--json", "--limit", "1000", *where], cache)
        assert searched.returncode == 0, searched.stderr.decode()
        assert "Traceback" not in searched.stderr.decode()
        payload = json.loads(searched.stdout)
        ids = [hit["id"] for hit in payload["hits"]]
        assert payload["total"] == len(ids) and not duplicates(ids)
        totals.append(payload["total"])
        if len(totals) == 1:
            entities = run_cli(["entities", "--json", *where], cache)
            assert entities.returncode == 0, entities.stderr.decode()
            assert isinstance(json.loads(entities.stdout), list)
    indexer.stderr.read()
    assert indexer.wait(timeout=60) == 0
    assert totals == sorted(totals) and totals[-1] == ARTICLES, totals


def test_a_search_refreshing_between_the_two_phases_does_not_make_the_indexer_give_up(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ``broadsheet search`` first syncs the text index, holding the write lock briefly. One
    that lands between the text and entity phases of a running ``broadsheet index`` must not make
    the indexer exit as if another indexer were running."""
    real_sync = Library.sync

    def sync_then_a_search_refreshes(library: Library, **kwargs: object) -> object:
        report = real_sync(library, **kwargs)
        grabbed = threading.Event()

        def search_refresh() -> None:
            lock = FileLock(library.index_dir / LOCK_NAME)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                grabbed.set()
                return
            grabbed.set()
            time.sleep(0.5)
            lock.release()

        threading.Thread(target=search_refresh).start()
        grabbed.wait()
        return report

    monkeypatch.setattr(Library, "sync", sync_then_a_search_refreshes)
    result = run("index", str(small_corpus))
    assert result.exit_code == 0, result.output
    assert "Entities: 3 articles analysed." in result.stdout


# --- a damaged index ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damaged", "fragment"),
    [
        ("whoosh/_MAIN_*.toc", "Cannot open the index"),
        ("whoosh/MAIN_*.seg", "damaged"),
        ("manifest.sqlite", "damaged"),
        ("entities.sqlite", "entity database"),
        (MARKER_NAME, "damaged"),
    ],
)
@pytest.mark.parametrize("damage", ["overwrite", "truncate"])
def test_a_damaged_index_file_gives_one_sentence_never_a_traceback(
    small_corpus: Path, damaged: str, fragment: str, damage: str
) -> None:
    """Disk corruption or a half-copied folder: every command says so in one sentence."""
    assert run("index", str(small_corpus)).exit_code == 0
    with Library.open(small_corpus) as library:
        folder = library.index_dir
    files = list(folder.glob(damaged))
    assert files
    for path in files:
        if damage == "overwrite":
            path.write_bytes(bytes(range(7, 47)))
        else:  # a copy that stopped halfway
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    where = ["--corpus", str(small_corpus)]
    for args in (["index", str(small_corpus)], ["search", "protest", *where], ["entities", *where]):
        result = run(*args)
        if damaged == "entities.sqlite" and args[0] == "search":
            assert result.exit_code == 0, result.output
            continue
        assert_one_sentence_error(result, 1, fragment)
