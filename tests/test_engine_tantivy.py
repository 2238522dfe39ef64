"""The tantivy engine keeps a corpus's index in step with its files: builds, incremental syncs,
removals, skips, the write lock, stopping, entities, and reading it back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, write_article

from index import Library
from index.engines.tantivy import TantivyEngine
from index.errors import ArticleNotFound, IndexBusyError
from index.models import EntityRef, Progress, Query, SortOrder
from index.paths import MARKER_NAME


def _engine(corpus: Path, tmp_path: Path, **batching: int) -> TantivyEngine:
    engine = TantivyEngine(tmp_path / "index", corpus.resolve())
    if batching:
        engine.batching = replace(engine.batching, **batching)
    return engine


def _ids(engine: TantivyEngine, text: str = "*") -> set[str]:
    result = engine.reader().search(Query(text), limit=1000, offset=0, should_stop=lambda: False)
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}


def test_a_first_sync_indexes_every_article_and_a_second_finds_nothing_to_do(
    small_corpus: Path, tmp_path: Path
) -> None:
    engine = _engine(small_corpus, tmp_path)
    assert not engine.exists() and engine.version() is None and engine.count() == 0
    report = engine.sync()
    assert (report.added, report.updated, report.removed) == (3, 0, 0)
    assert engine.exists() and engine.count() == 3
    assert _ids(engine, "protest") == {"a.txt"}
    version = engine.version()
    again = engine.sync()
    assert (again.added, again.unchanged) == (0, 3)
    assert engine.version() == version


def test_changed_removed_and_touched_files_are_synced_incrementally(
    small_corpus: Path, tmp_path: Path
) -> None:
    engine = _engine(small_corpus, tmp_path)
    engine.sync()
    reader = engine.reader()
    write_article(small_corpus, "b.txt", "Markets slump", "Shares fell sharply on Friday.")
    (small_corpus / "sub" / "c.txt").unlink()
    os.utime(small_corpus / "a.txt", ns=(1, 1))  # touched: same content, new mtime
    write_article(small_corpus, "d.txt", "Storm warning", "A storm is coming to the coast.")
    report = engine.sync()
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 1)
    assert not reader.up_to_date()
    assert _ids(engine) == {"a.txt", "b.txt", "d.txt"}
    assert _ids(engine, "slump") == {"b.txt"} and _ids(engine, "rallied") == set()
    assert engine.count() == 3


def test_unreadable_files_are_skipped_and_stay_skipped(small_corpus: Path, tmp_path: Path) -> None:
    (small_corpus / "empty.txt").write_text("", encoding="utf-8")
    (small_corpus / "binary.txt").write_bytes(b"\x00\x01\x02 not text \x00")
    engine = _engine(small_corpus, tmp_path)
    first = engine.sync()
    second = engine.sync()
    assert {skip.path for skip in first.skipped} == {"empty.txt", "binary.txt"}
    assert {skip.path for skip in second.skipped} == {"empty.txt", "binary.txt"}
    assert engine.count() == 3


def test_worker_processes_index_exactly_what_one_process_does(tmp_path: Path) -> None:
    from engine_support import write_corpus

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120)
    here = _engine(corpus, tmp_path / "here")
    there = _engine(corpus, tmp_path / "there", parallel_min_files=1, job_files=3, articles=25)
    progress: list[Progress] = []
    assert here.sync().added == there.sync(progress=progress.append).added == 120
    assert sorted(here.articles(), key=lambda a: a.id) == sorted(there.articles(), key=lambda a: a.id)
    assert progress[-1] == Progress("index", 25, 25)  # 25 files: one JSON Lines file and 24 texts
    assert _ids(here, "regulat* OR govern*") == _ids(there, "regulat* OR govern*")


def test_articles_read_back_as_the_whoosh_engine_stores_them(tmp_path: Path) -> None:
    from engine_support import write_corpus

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 30)
    engine = _engine(corpus, tmp_path)
    engine.sync()
    with Library.open(corpus, index_dir=tmp_path / "whoosh") as library:
        library.sync()
        expected = sorted(library.iter_articles(), key=lambda a: a.id)
    assert sorted(engine.articles(), key=lambda a: a.id) == expected
    reader = engine.reader()
    assert reader.article(expected[0].id) == expected[0]
    assert reader.article("nowhere.txt") is None


def test_entities_are_written_searched_and_read_back(small_corpus: Path, tmp_path: Path) -> None:
    engine = _engine(small_corpus, tmp_path)
    engine.sync()
    refs = (EntityRef("Vladimir Putin", "PERSON", 2), EntityRef("Moscow", "PLACE", 3))
    assert engine.write_entities({"a.txt": refs, "gone.txt": refs}) == 1
    assert _ids(engine, 'person:"vladimir putin"') == {"a.txt"}
    assert _ids(engine, "place:moscow") == {"a.txt"} == _ids(engine, "entity:putin")
    assert dict(engine.entity_refs())["a.txt"] == (refs[1], refs[0])  # most mentioned first
    hit = engine.reader().search(Query("protest"), limit=1, offset=0, should_stop=lambda: False).hits[0]
    assert hit.entities == (refs[1], refs[0])
    engine.write_entities({"a.txt": ()})
    assert _ids(engine, "place:moscow") == set() and _ids(engine, "protest") == {"a.txt"}


def test_a_sync_told_to_stop_keeps_what_it_committed_and_the_next_completes_it(tmp_path: Path) -> None:
    from engine_support import write_corpus

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 100)
    engine = _engine(corpus, tmp_path, articles=10)
    steps: list[Progress] = []

    def stop_after_some() -> bool:
        return len(steps) > 12

    engine.sync(progress=steps.append, should_stop=stop_after_some)
    assert 0 < engine.count() < 100
    report = engine.sync()
    assert engine.count() == 100 == report.added + report.unchanged
    assert len(_ids(engine)) == 100


def test_a_stop_is_honoured_within_a_second_in_worker_processes(bbc_dir: Path, tmp_path: Path) -> None:
    engine = _engine(bbc_dir, tmp_path)
    started = time.monotonic()
    asked: list[float] = []

    def stop_soon() -> bool:
        if time.monotonic() - started > 0.5:
            asked.append(time.monotonic())
            return True
        return False

    engine.sync(should_stop=stop_soon)
    assert time.monotonic() - asked[0] < 1.0
    assert engine.count() < 2225 or not asked


def test_another_process_writing_makes_a_sync_busy(small_corpus: Path, tmp_path: Path) -> None:
    engine = _engine(small_corpus, tmp_path)
    engine.sync()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "index"), str(small_corpus.resolve())],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexBusyError):
            engine.sync()
        assert engine.reader().count() == 3  # reading never waits for the lock
    finally:
        holder.kill()
        holder.wait()
    assert engine.sync(wait=5).unchanged == 3


HOLD_LOCK = """
import sys, time
from pathlib import Path
from index.engines.tantivy import TantivyEngine
with TantivyEngine(Path(sys.argv[1]), Path(sys.argv[2])).writing():
    print("held", flush=True)
    time.sleep(60)
"""


def test_dates_sort_newest_first_with_undated_last_and_count_by_month(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text(
        '{"title": "Old storm", "body": "A storm.", "date": "2004-01-05"}\n'
        '{"title": "New storm", "body": "A storm.", "date": "2005-03-01T10:00:00+02:00"}\n'
        '{"title": "Undated storm", "body": "A storm."}\n'
        '{"title": "Mid storm", "body": "A storm.", "date": "2004-01-20"}\n',
        encoding="utf-8",
    )
    engine = _engine(corpus, tmp_path)
    engine.sync()
    reader = engine.reader()
    result = reader.search(Query("storm", sort=SortOrder.DATE), limit=10, offset=0, should_stop=lambda: False)
    assert [hit.title for hit in result.hits] == ["New storm", "Mid storm", "Old storm", "Undated storm"]
    assert result.hits[0].date is not None and result.hits[0].date.hour == 8  # naive UTC
    assert reader.date_histogram(Query("storm"), lambda: False) == [("2004-01", 2), ("2005-03", 1)]
    assert _ids(engine, "date:[2004-01-10 to 2004-12]") == {"feed.jsonl#4"}


def test_more_like_this_finds_similar_articles_but_never_the_article_itself(
    small_corpus: Path, tmp_path: Path
) -> None:
    write_article(small_corpus, "e.txt", "Moscow protest grows", "The protest in Moscow grew on Sunday.")
    engine = _engine(small_corpus, tmp_path)
    engine.sync()
    reader = engine.reader()
    result = reader.more_like_this("a.txt", limit=5)
    assert result.hits[0].id == "e.txt"
    assert "a.txt" not in {hit.id for hit in result.hits}
    with pytest.raises(ArticleNotFound):
        reader.more_like_this("nowhere.txt", limit=5)


def test_an_index_of_another_format_is_rebuilt(small_corpus: Path, tmp_path: Path) -> None:
    engine = _engine(small_corpus, tmp_path)
    engine.sync()
    marker = engine.index_dir / MARKER_NAME
    marker.write_text(json.dumps({**json.loads(marker.read_text()), "schema_version": 0}))
    assert not engine.exists()
    assert engine.sync().added == 3 and engine.count() == 3


def test_the_entity_phase_runs_over_the_tantivy_engine(tmp_path: Path) -> None:
    from entities_support import TaggedExtractor

    from index.entities.phase import run_entity_phase
    from index.entities.store import DB_NAME

    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Navalny returns", "[Alexei Navalny|PERSON] flew to [Moscow|PLACE].")
    write_article(corpus, "b.txt", "Markets", "Shares rose in [London|PLACE] and [Moscow|PLACE].")
    engine = _engine(corpus, tmp_path)
    engine.sync()
    assert run_entity_phase(engine, tmp_path / "index" / DB_NAME, extractor=TaggedExtractor()) == 2
    assert _ids(engine, "place:moscow") == {"a.txt", "b.txt"}
    assert _ids(engine, 'person:"alexei navalny"') == {"a.txt"}
    assert run_entity_phase(engine, tmp_path / "index" / DB_NAME, extractor=TaggedExtractor()) == 0
