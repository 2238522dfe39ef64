"""Wire copies: exact and near copies of a story grouped, kept up to date as articles come and go,
and folded in result lists."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from index.duplicates import DEFAULT_THRESHOLD, FLOOR
from index.duplicates.models import ThresholdError
from index.duplicates.phase import run_duplicates_phase
from index.duplicates.signatures import BANDS, NUM_PERM, ROWS
from index.duplicates.store import DB_NAME
from index.library import Library
from tests.duplicates_support import body, copies_corpus, story, write


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copies_corpus(tmp_path / "corpus")


@pytest.fixture
def library(corpus: Path, tmp_path: Path) -> Library:
    opened = Library.open(corpus, index_dir=tmp_path / "index")
    opened.update(entities=False)
    return opened


def ids(library: Library, threshold: float | None = None) -> list[tuple[tuple[str, ...], bool]]:
    return [(group.ids, group.exact) for group in library.duplicates(threshold)]


def test_exact_copies_are_one_exact_group_oldest_first_and_undated_last(library: Library) -> None:
    assert (("one-early.json", "one-late.json", "one-undated.json"), True) in ids(library)


def test_near_copies_join_their_story_and_no_other(library: Library) -> None:
    groups = ids(library)
    assert (
        ("two-byline.json", "two.json", "two-dropped.json", "two-added.json", "two-reordered.json"),
        False,
    ) in groups
    assert len(groups) == 2
    assert all("three.json" not in members for members, _ in groups)


def test_a_higher_threshold_keeps_the_closest_copies_only(library: Library) -> None:
    strict = ids(library, 0.95)
    assert (("one-early.json", "one-late.json", "one-undated.json"), True) in strict
    assert all("two-added.json" not in members for members, _ in strict)


def test_a_threshold_below_the_floor_or_above_one_is_refused(library: Library) -> None:
    for wrong in (FLOOR - 0.1, 1.5):
        with pytest.raises(ThresholdError, match=r"between 0\.5 and 1"):
            library.duplicates(wrong)


def test_an_article_edited_out_of_its_group_leaves_it(library: Library, corpus: Path) -> None:
    write(corpus, "two-dropped.json", body(story(5)), date="2021-04-02")
    library.update(entities=False)
    members = [group.ids for group in library.duplicates()]
    assert ("two-byline.json", "two.json", "two-added.json", "two-reordered.json") in members
    assert all("two-dropped.json" not in group for group in members)


def test_a_group_whose_members_are_deleted_one_by_one_shrinks_then_goes(
    library: Library, corpus: Path
) -> None:
    (corpus / "one-early.json").unlink()
    library.update(entities=False)
    assert (("one-late.json", "one-undated.json"), True) in ids(library)
    (corpus / "one-late.json").unlink()
    library.update(entities=False)
    assert all("one-undated.json" not in members for members, _ in ids(library))


def test_a_new_copy_alone_is_signed_and_joins_its_group(library: Library, corpus: Path) -> None:
    assert library.find_duplicates() == 0
    write(corpus, "one-again.json", body(story(1)), date="2020-12-31")
    library.sync()
    assert library.find_duplicates() == 1
    assert (("one-again.json", "one-early.json", "one-late.json", "one-undated.json"), True) in ids(library)


def test_a_date_changed_alone_reorders_the_group_without_signing(library: Library, corpus: Path) -> None:
    write(corpus, "one-late.json", body(story(1)), date="2020-01-01")
    library.sync()
    assert library.find_duplicates() == 0
    assert (("one-late.json", "one-early.json", "one-undated.json"), True) in ids(library)


def test_a_stopped_run_resumes_with_the_articles_it_had_not_signed(corpus: Path, tmp_path: Path) -> None:
    library = Library.open(corpus, index_dir=tmp_path / "fresh")
    library.sync()
    db = tmp_path / "fresh" / DB_NAME
    assert run_duplicates_phase(library.engine, db, should_stop=lambda: True, batch_articles=4) == 4
    assert run_duplicates_phase(library.engine, db, batch_articles=4) == 5
    assert len(library.duplicates()) == 2


def test_the_database_is_private(library: Library) -> None:
    assert stat.S_IMODE((library.index_dir / DB_NAME).stat().st_mode) == 0o600


def test_a_collapsed_search_shows_each_story_once_counting_every_copy(library: Library) -> None:
    phrase = '"' + " ".join(story(2)[0].split()[:3]) + '"'
    full = library.search(phrase, limit=50)
    collapsed = library.search(phrase, limit=50, collapse=True)
    assert full.total == 5
    assert collapsed.total == 1
    assert [hit.similar for hit in collapsed.hits] == [4]
    assert collapsed.hits[0].id == full.hits[0].id  # the best-scored copy stands for its group


def test_similar_counts_copies_beyond_the_page_and_pages_follow_each_other(library: Library) -> None:
    every = library.search("*", limit=50, collapse=True)
    assert every.total == 3
    first = library.search("*", limit=1, collapse=True)
    rest = library.search("*", limit=2, offset=1, collapse=True)
    assert [hit.id for hit in (*first.hits, *rest.hits)] == [hit.id for hit in every.hits]
    assert sorted(hit.similar for hit in every.hits) == [0, 2, 4]


def test_bands_are_what_datasketch_chooses_for_the_floor() -> None:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=FLOOR, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)
    assert FLOOR <= DEFAULT_THRESHOLD <= 1


def test_an_edited_or_deleted_article_leaves_no_band_behind(library: Library, corpus: Path) -> None:
    write(corpus, "two-dropped.json", body(story(5)), date="2021-04-02")
    (corpus / "three.json").unlink()
    library.update(entities=False)
    with closing(sqlite3.connect(library.index_dir / DB_NAME)) as db:
        (bands,) = db.execute("SELECT COUNT(*) FROM bands").fetchone()
        (articles,) = db.execute("SELECT COUNT(*) FROM articles").fetchone()
    assert articles == 8
    assert bands == BANDS * articles


def test_copies_say_where_and_when_each_copy_of_a_story_appeared(library: Library) -> None:
    copies = library.copies("one-late.json")
    assert [copy.id for copy in copies] == ["one-early.json", "one-late.json", "one-undated.json"]
    assert [copy.date.day if copy.date else None for copy in copies] == [1, 2, None]
    assert copies[2].title == "Another headline"
    assert library.copies("three.json") == []


def test_an_article_edited_out_of_its_group_has_no_copies_left(library: Library, corpus: Path) -> None:
    write(corpus, "three.json", body(story(9)), date="2021-01-01")
    write(corpus, "one-undated.json", body(story(8)))
    library.update(entities=False)
    assert library.copies("one-undated.json") == []
    assert [copy.id for copy in library.copies("one-early.json")] == ["one-early.json", "one-late.json"]
