"""The Library API: opening corpora, where the index lives and which index folders it trusts, once per
engine."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from conftest import write_article

from index import (
    ArticleNotFound,
    Cancelled,
    CorpusError,
    IndexBusyError,
    IndexReport,
    IndexUnusable,
    Library,
    Query,
    SortOrder,
)
from index.engines import ENGINE_ENV, ENGINE_NAMES
from index.paths import MARKER_NAME, default_index_dir

pytestmark = pytest.mark.engines

CHECK_EVERY = {"whoosh": "index.engines.whoosh.search.CHECK_EVERY"}
"""How many matches each engine reads between two questions to ``should_stop`` (a test asks at
every one). An engine without a line asks before and after its one native call (tantivy's searches
cannot be interrupted; they take milliseconds)."""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_open_without_a_corpus_uses_the_bundled_seeds_and_builds_nothing(seeds_dir: Path) -> None:
    with Library.open() as library:
        assert library.corpus == seeds_dir.resolve()
        assert not library.is_indexed
        assert library.count() == 0
        assert not library.index_dir.exists()
        assert library.search("navalny").total == 0


def test_seeds_index_and_answer_queries(seeds_dir: Path) -> None:
    with Library.open() as library:
        library.sync()
        assert library.is_indexed
        assert library.count() == 2
        result = library.search(Query("tiktok", sort=SortOrder.DATE))
        assert result.total == 2
        assert result.hits[0].id == "001_3b75d46e5ed62af3.txt"
        assert library.date_histogram("navalny") == [("2021-01", 1)]
        assert {hit.id for hit in library.more_like_this("001_3b75d46e5ed62af3.txt").hits} == {
            "000_ae602e2a24637091.txt"
        }


def test_a_missing_corpus_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        Library.open(tmp_path / "nowhere")


def test_an_unknown_article_id_is_article_not_found(small_corpus: Path) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        with pytest.raises(ArticleNotFound, match="nope"):
            library.article("nope")


def test_index_folders_are_private_to_the_user(small_corpus: Path, tmp_cache: Path) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        assert library.index_dir.parent == tmp_cache
        assert library.index_dir == default_index_dir(small_corpus)
        folders = [path for path in library.index_dir.rglob("*") if path.is_dir()]
        assert [mode(folder) for folder in [library.index_dir, *folders]] == [0o700] * (1 + len(folders))
        assert folders, "the engine keeps its index in a folder of its own"
        assert json.loads((library.index_dir / MARKER_NAME).read_text())["corpus"] == str(small_corpus)


def test_a_new_cache_root_is_created_private(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "fresh" / "cache"
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(root))
    with Library.open(small_corpus) as library:
        library.sync()
    assert mode(root) == 0o700


def test_index_dir_inside_the_corpus_is_refused(small_corpus: Path) -> None:
    with pytest.raises(IndexUnusable, match="inside the corpus"):
        Library.open(small_corpus, index_dir=small_corpus / ".index")


def test_a_non_empty_folder_without_a_marker_is_refused(small_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "someone-elses"
    folder.mkdir(mode=0o700)
    (folder / "_MAIN_1.toc").write_bytes(b"not ours")
    with pytest.raises(IndexUnusable, match="not created by Broadsheet"):
        Library.open(small_corpus, index_dir=folder)


def test_a_folder_others_can_write_is_refused(small_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    with Library.open(small_corpus, index_dir=folder) as library:
        library.sync()
    os.chmod(folder, 0o777)
    with pytest.raises(IndexUnusable, match="writable by other users"):
        Library.open(small_corpus, index_dir=folder)


def test_an_index_of_another_corpus_is_refused(small_corpus: Path, seeds_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    with Library.open(small_corpus, index_dir=folder) as library:
        library.sync()
    with pytest.raises(IndexUnusable, match="another corpus"):
        Library.open(seeds_dir, index_dir=folder)


def test_an_empty_index_dir_is_adopted_and_made_private(small_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    os.chmod(folder, 0o755)
    with Library.open(small_corpus, index_dir=folder) as library:
        library.sync()
        assert library.count() == 3
    assert (folder / MARKER_NAME).is_file()
    assert mode(folder) == 0o700


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_an_unwritable_cache_gives_a_clear_error(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    monkeypatch.setenv("BROADSHEET_CACHE_DIR", str(locked / "cache"))
    with Library.open(small_corpus) as library, pytest.raises(IndexUnusable, match="Cannot create"):
        library.sync()


def test_searches_on_other_threads_run_while_sync_writes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(60):
        (corpus / f"{n:02}.txt").parent.mkdir(exist_ok=True)
        (corpus / f"{n:02}.txt").write_text(f"Headline {n}\n\nThe river flooded the town {n}.\n")
    errors: list[BaseException] = []
    totals: list[int] = []

    with Library.open(corpus) as library:

        def search_while_indexing(_: object) -> None:
            worker = threading.Thread(target=lambda: totals.append(library.search("river").total))
            worker.start()
            worker.join()

        try:
            library.sync(progress=search_while_indexing)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        assert not errors
        assert totals and all(0 <= total <= 60 for total in totals)
        assert library.search("river").total == 60


def test_iter_articles_yields_every_stored_article(small_corpus: Path) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        articles = {article.id: article for article in library.iter_articles()}
    assert set(articles) == {"a.txt", "b.txt", "sub/c.txt"}
    assert articles["sub/c.txt"].title == "Election news"


@pytest.fixture
def river_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str):
    """Forty articles that all match "river", with ``should_stop`` asked at every match (where the
    engine asks between matches)."""
    if engine in CHECK_EVERY:
        monkeypatch.setattr(CHECK_EVERY[engine], 1)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(40):
        body = f"January {n % 28 + 1}, 2005\n\nThe river rose {n}."
        (corpus / f"{n:02}.txt").write_text(f"Headline {n}\n\n{body}\n")
    with Library.open(corpus) as library:
        library.sync()
        yield library


def stop_after(calls: int) -> tuple[list[int], object]:
    asked: list[int] = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) >= calls

    return asked, should_stop


@pytest.mark.parametrize(
    "ask",
    [
        lambda library, stop: library.search("river", should_stop=stop),
        lambda library, stop: library.search(Query("river", sort=SortOrder.DATE), should_stop=stop),
        lambda library, stop: library.search("", should_stop=stop),
        lambda library, stop: library.date_histogram("river", should_stop=stop),
    ],
    ids=["ranked", "by date", "everything", "histogram"],
)
def test_a_search_stops_as_soon_as_the_caller_says_and_the_library_answers_the_next(
    river_library: Library, ask, engine: str
) -> None:
    # Whoosh asks between matches: it stops at the third of forty. tantivy asks before its search.
    calls = 3 if engine in CHECK_EVERY else 1
    asked, stop = stop_after(calls)
    with pytest.raises(Cancelled):
        ask(river_library, stop)
    assert len(asked) == calls
    assert river_library.search("river").total == 40
    assert ask(river_library, lambda: False)


def test_facets_stop_when_the_caller_says(river_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROADSHEET_ENTITY_MODEL", "no-such-model-in-tests")
    river_library.extract_entities()
    asked, stop = stop_after(2)
    with pytest.raises(Cancelled):
        river_library.facets("river", should_stop=stop)
    assert len(asked) == 2


def test_update_runs_both_phases_under_one_hold_of_the_write_lock(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the text phase and the entity phase, a second writer (a search refreshing the same
    index from another process) is refused instead of slipping in and making the entity phase busy."""
    monkeypatch.setenv("BROADSHEET_ENTITY_MODEL", "no-such-model-in-tests")
    refused: list[str] = []

    with Library.open(small_corpus) as library, Library.open(small_corpus) as elsewhere:

        def another_writer_tries(report: IndexReport) -> None:
            with pytest.raises(IndexBusyError) as busy:
                elsewhere.sync()
            refused.append(str(busy.value))

        update = library.update(on_synced=another_writer_tries)

    assert len(refused) == 1 and "another process" in refused[0]
    assert update.synced.added == 3
    assert update.analysed == 3


def test_update_skips_the_entity_phase_when_not_asked_or_stopped_as_the_text_phase_ends(
    small_corpus: Path,
) -> None:
    with Library.open(small_corpus) as library:
        assert library.update(entities=False).analysed is None
        write_article(small_corpus, "d.txt", "Harbour wall opens", "The sea wall opened on Monday.")
        quit_pressed: list[bool] = []
        update = library.update(
            on_synced=lambda _: quit_pressed.append(True), should_stop=lambda: bool(quit_pressed)
        )
    assert update.synced.added == 1
    assert update.analysed is None


def test_the_index_folder_records_its_engine_and_later_opens_keep_it(
    small_corpus: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        marker = json.loads((library.index_dir / MARKER_NAME).read_text())
        assert marker["engine"] == library.engine_name == engine
    monkeypatch.setenv(ENGINE_ENV, other_engine(engine))  # the default of new indexes only
    with Library.open(small_corpus) as again:
        assert again.engine_name == engine
        assert again.count() == library.count()


def other_engine(engine: str) -> str:
    return next(name for name in ENGINE_NAMES if name != engine)


def test_asking_an_index_for_another_engine_says_how_to_rebuild(small_corpus: Path, engine: str) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
    other = other_engine(engine)
    with pytest.raises(
        IndexUnusable, match=f"built with the {engine} engine; to rebuild it with {other}, delete"
    ):
        Library.open(small_corpus, engine=other)


def test_a_new_index_is_built_with_the_engine_asked_for_else_the_one_the_environment_names(
    small_corpus: Path, tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENGINE_ENV, engine)
    with Library.open(small_corpus, index_dir=tmp_path / "named") as library:
        assert library.engine_name == engine
    monkeypatch.setenv(ENGINE_ENV, other_engine(engine))
    with Library.open(small_corpus, index_dir=tmp_path / "asked", engine=engine) as library:
        assert library.engine_name == engine
    monkeypatch.delenv(ENGINE_ENV)
    with Library.open(small_corpus, index_dir=tmp_path / "default") as library:
        assert library.engine_name == "whoosh"


def test_an_environment_naming_no_engine_is_refused_in_one_sentence(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENGINE_ENV, "lucene")
    with pytest.raises(
        IndexUnusable, match=r"^BROADSHEET_ENGINE names no engine \('lucene'\); set it to one of"
    ):
        Library.open(small_corpus)


def test_an_index_of_an_engine_unknown_here_is_refused_in_one_sentence(small_corpus: Path) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        marker = library.index_dir / MARKER_NAME
        marker.write_text(json.dumps({**json.loads(marker.read_text()), "engine": "lucene"}))
    with pytest.raises(IndexUnusable, match=r"an engine this Broadsheet does not know \(lucene\)"):
        Library.open(small_corpus)


def test_a_repeated_search_is_answered_from_the_last_results_until_the_next_commit(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(small_corpus) as library:
        library.sync()
        first = library.search("navalny")
        reader_class = type(library._current_reader())
        searched: list[Query] = []
        original = reader_class.search

        def counting(self: object, query: Query, **options: object) -> object:
            searched.append(query)
            return original(self, query, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(reader_class, "search", counting)
        again = library.search("navalny")
        assert searched == [] and again.hits == first.hits and again.total == first.total
        write_article(small_corpus, "new.txt", "Navalny again", "Alexei Navalny was in the news again.")
        library.sync()
        after = library.search("navalny")
        assert len(searched) == 1 and after.total == first.total + 1
