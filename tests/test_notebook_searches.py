"""Saved searches and the history of searches: how the notebook keeps them (and migrates a notebook
from before them), how they move in a notebook file, and ``broadsheet searches``."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from notebook_support import ok, run, tagged_corpus, use_tagged_extractor

from index.errors import NotebookError
from index.models import DateFilter, EntityFilter, Query, SortOrder
from index.notebook import database
from index.notebook.curation import hide
from index.notebook.exchange import merge_in, read_file
from index.notebook.location import notebook_path
from index.notebook.searches import find_saved, saved_search
from index.notebook.store import Notebook

HOSTILE = "\x1b[2J[red]boom[/red]"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_tagged_extractor(monkeypatch)
    return tagged_corpus(tmp_path / "corpus")


def _save(corpus: Path, name: str, query: Query, *, collapse: bool = False) -> None:
    with Notebook.open(corpus) as notebook:
        notebook.save_searches([saved_search(name, query, collapse=collapse)])


def test_a_saved_search_keeps_its_text_filters_dates_sort_and_folding(small_corpus: Path) -> None:
    query = Query(
        "protest",
        (EntityFilter("PLACE", "Moscow"),),
        DateFilter(dt.date(2021, 1, 1), None),
        SortOrder.DATE,
    )
    _save(small_corpus, "  Moscow protests ", query, collapse=True)
    with Notebook.open(small_corpus) as notebook:
        (saved,) = notebook.saved_searches()
    assert saved.name == "Moscow protests"
    assert saved.query == query and saved.collapse
    assert saved.shown == 'protest place:"Moscow" date:[2021-01-01 to]'


def test_saving_under_a_held_name_replaces_and_names_are_listed_ignoring_case(small_corpus: Path) -> None:
    _save(small_corpus, "b", Query("one"))
    _save(small_corpus, "a", Query("two"))
    _save(small_corpus, "B", Query("three"))
    _save(small_corpus, "b", Query("four"))
    with Notebook.open(small_corpus) as notebook:
        assert [(s.name, s.query.text) for s in notebook.saved_searches()] == [
            ("a", "two"),
            ("B", "three"),
            ("b", "four"),
        ]
        assert notebook.delete_saved_search("a") and not notebook.delete_saved_search("a")


def test_a_name_that_no_search_is_saved_as_suggests_the_nearest(small_corpus: Path) -> None:
    _save(small_corpus, "Moscow protests", Query("protest"))
    with Notebook.open(small_corpus) as notebook:
        searches = notebook.saved_searches()
    assert find_saved("moscow PROTESTS", searches).name == "Moscow protests"
    with pytest.raises(NotebookError, match="did you mean 'Moscow protests'"):
        find_saved("Moscow protest", searches)
    with pytest.raises(NotebookError, match="at least one character"):
        saved_search("   ", Query("x"))


def test_history_drops_repeats_in_a_row_keeps_the_latest_and_leaves_the_revision(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.notebook.store.HISTORY_LIMIT", 3)
    with Notebook.open(small_corpus) as notebook:
        revision = notebook.revision()
        for text in ("a", "b", "b", "a", "c", "d"):
            notebook.record_search(text)
        assert notebook.search_history() == ["b", "a", "c", "d"][-3:]
        _save(small_corpus, "x", Query("x"))
        assert notebook.revision() == revision  # the answers the library keeps stay good


def test_a_notebook_of_the_previous_schema_migrates_keeping_its_curation(small_corpus: Path) -> None:
    path = notebook_path(small_corpus)
    Notebook.open(small_corpus).close()
    path.unlink()
    conn = sqlite3.connect(path)  # a notebook as the previous Broadsheet left it
    conn.executescript(database.MIGRATIONS[0])
    conn.execute(
        "INSERT INTO curation (operation, name, label, made) "
        "VALUES ('hide', 'Moscow', 'PLACE', '2026-01-01T00:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Notebook.open(small_corpus) as notebook:
        assert notebook.curation().ops == (hide(("Moscow", "PLACE")),)
        assert notebook.saved_searches() == [] and notebook.search_history() == []
        notebook.record_search("protest")
        assert notebook.search_history() == ["protest"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == database.SCHEMA_VERSION


def test_an_import_adds_the_searches_it_lacks_and_reads_a_version_1_file(
    small_corpus: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "broadsheet-notebook", "version": 1, "curation": []}))
    assert read_file(old).searches == []
    new = tmp_path / "new.json"
    saved = {"name": "rain", "text": "rain", "sort": "date", "saved": "2026-01-01T00:00:00+00:00"}
    new.write_text(json.dumps({"format": "broadsheet-notebook", "version": 2, "saved_searches": [saved]}))
    _save(small_corpus, "sun", Query("sun"))
    with Notebook.open(small_corpus) as notebook:
        assert merge_in(notebook, read_file(new)).searches == 1
        assert merge_in(notebook, read_file(new)).searches == 0
        assert [(s.name, s.query.sort) for s in notebook.saved_searches()] == [
            ("rain", SortOrder.DATE),
            ("sun", SortOrder.RELEVANCE),
        ]


def test_the_library_keeps_searches_and_history_and_reading_them_creates_no_notebook(
    small_corpus: Path, tmp_data: Path
) -> None:
    from index.library import Library

    with Library.open(small_corpus) as library:
        assert library.saved_searches() == [] and library.search_history() == []
        assert not any(tmp_data.iterdir())
        library.record_search("protest")
        library.save_search(saved_search("Protests", Query("protest")))
        assert library.search_history() == ["protest"]
        with pytest.raises(NotebookError, match="did you mean 'Protests'"):
            library.delete_saved_search("Protest")
        library.delete_saved_search("protests")
        assert library.saved_searches() == []


# broadsheet searches ------------------------------------------------------------------------------


def test_searches_run_prints_what_search_prints_and_list_shows_each(corpus: Path) -> None:
    ok("entities", "--corpus", corpus)  # indexes, entities too
    _save(corpus, "Amsel", Query("", (EntityFilter("PLACE", "Port Amsel"),), sort=SortOrder.DATE))
    _save(corpus, HOSTILE, Query("water"))
    ran = json.loads(ok("searches", "run", "amsel", "--corpus", corpus, "--json").stdout)
    searched = json.loads(
        ok("search", 'place:"Port Amsel"', "--sort", "date", "--corpus", corpus, "--json").stdout
    )
    assert ran["total"] == searched["total"] == 2
    assert [hit["id"] for hit in ran["hits"]] == [hit["id"] for hit in searched["hits"]]
    assert "Board meets" in ok("searches", "run", "Amsel", "--corpus", corpus).stdout

    listed = ok("searches", "list", "--corpus", corpus).stdout
    assert 'Amsel: place:"Port Amsel"  (by date; saved' in listed
    assert "\x1b" not in listed and "[red]boom[/red]" in listed
    rows = json.loads(ok("searches", "list", "--corpus", corpus, "--json").stdout)
    assert {row["name"] for row in rows} == {"Amsel", HOSTILE}


def test_searches_delete_forgets_one_and_an_unknown_name_is_one_sentence(corpus: Path) -> None:
    _save(corpus, "Harbour news", Query("harbour"))
    for command in ("run", "delete"):
        result = run("searches", command, "Harbor news", "--corpus", corpus)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [
            "broadsheet: No search is saved as 'Harbor news'; did you mean 'Harbour news'?"
        ]
    assert "Deleted" in ok("searches", "delete", "harbour NEWS", "--corpus", corpus).stdout
    assert ok("searches", "list", "--corpus", corpus).stdout == "No saved searches.\n"
    assert "none is saved yet" in run("searches", "run", "x", "--corpus", corpus).stderr


def test_export_and_import_carry_saved_searches(corpus: Path, tmp_path: Path) -> None:
    _save(corpus, "Harbour news", Query("harbour", sort=SortOrder.DATE), collapse=True)
    exported = tmp_path / "notebook.json"
    ok("notebook", "export", exported, "--corpus", corpus)
    copy = tagged_corpus(tmp_path / "copy")
    assert "and 1 saved search." in ok("notebook", "import", exported, "--corpus", copy).stdout
    (row,) = json.loads(ok("searches", "list", "--corpus", copy, "--json").stdout)
    assert (row["name"], row["text"], row["sort"], row["collapse"]) == (
        "Harbour news",
        "harbour",
        "date",
        True,
    )
