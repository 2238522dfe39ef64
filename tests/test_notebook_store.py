"""The notebook's file: where it lives, who may own it, its schema version and its migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from index.errors import NotebookError
from index.notebook.curation import hide
from index.notebook.database import SCHEMA_VERSION
from index.notebook.location import DATA_ENV, SUFFIX, notebook_path
from index.notebook.store import Notebook
from index.paths import CACHE_ENV, default_index_dir


def test_the_notebook_is_a_private_file_in_the_data_folder_named_like_the_index_folder(
    small_corpus: Path, tmp_data: Path
) -> None:
    with Notebook.open(small_corpus) as notebook:
        notebook.curate(hide(("Moscow", "PLACE")))
    path = notebook_path(small_corpus)
    assert path.parent == tmp_data
    assert path.name == default_index_dir(small_corpus).name + SUFFIX
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_data.stat().st_mode) & 0o022 == 0


def test_a_missing_data_folder_is_created_private(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "deep" / "data"
    monkeypatch.setenv(DATA_ENV, str(root))
    Notebook.open(small_corpus).close()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(root.parent.stat().st_mode) == 0o700


def test_reading_a_corpus_nobody_curated_creates_nothing(small_corpus: Path, tmp_data: Path) -> None:
    assert Notebook.existing(small_corpus) is None
    assert not any(tmp_data.iterdir())


def test_a_data_folder_writable_by_others_is_refused(small_corpus: Path, tmp_data: Path) -> None:
    os.chmod(tmp_data, 0o777)
    with pytest.raises(NotebookError, match="writable by other users"):
        Notebook.open(small_corpus)


def test_a_notebook_that_is_a_symlink_is_refused(small_corpus: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "planted.sqlite"
    elsewhere.write_bytes(b"")
    notebook_path(small_corpus).symlink_to(elsewhere)
    with pytest.raises(NotebookError, match="not a regular file"):
        Notebook.open(small_corpus)


def test_a_data_folder_inside_the_corpus_or_the_cache_is_refused(
    small_corpus: Path, tmp_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_ENV, str(small_corpus / ".notes"))
    with pytest.raises(NotebookError, match="inside the corpus"):
        Notebook.open(small_corpus)
    monkeypatch.setenv(DATA_ENV, str(tmp_cache / "data"))
    with pytest.raises(NotebookError, match="inside the cache folder"):
        Notebook.open(small_corpus)
    monkeypatch.setenv(CACHE_ENV, str(small_corpus.parent / "cache2"))
    Notebook.open(small_corpus).close()


def test_the_schema_version_is_recorded_and_a_reopened_notebook_keeps_its_changes(small_corpus: Path) -> None:
    with Notebook.open(small_corpus) as notebook:
        notebook.curate(hide(("Moscow", "PLACE")))
        first = notebook.revision()
    with Notebook.open(small_corpus) as notebook:
        assert [op.name for op in notebook.curation().ops] == ["Moscow"]
        assert notebook.revision() == first
    with sqlite3.connect(notebook_path(small_corpus)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_notebook_from_a_newer_broadsheet_is_refused_untouched(small_corpus: Path) -> None:
    Notebook.open(small_corpus).close()
    path = notebook_path(small_corpus)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(NotebookError, match="newer Broadsheet"):
        Notebook.open(small_corpus)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_a_damaged_notebook_is_one_sentence(small_corpus: Path) -> None:
    Notebook.open(small_corpus).close()
    notebook_path(small_corpus).write_bytes(b"this is not a database" * 100)
    with pytest.raises(NotebookError, match="cannot be opened"):
        Notebook.open(small_corpus)


def test_an_older_notebook_is_migrated_in_place_keeping_what_it_holds(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.notebook import database

    with Notebook.open(small_corpus) as notebook:
        notebook.curate(hide(("Moscow", "PLACE")))
    later = (*database.MIGRATIONS, "CREATE TABLE saved (name TEXT PRIMARY KEY, query TEXT NOT NULL)")
    monkeypatch.setattr(database, "MIGRATIONS", later)
    monkeypatch.setattr(database, "SCHEMA_VERSION", len(later))
    with Notebook.open(small_corpus) as notebook:
        assert [op.name for op in notebook.curation().ops] == ["Moscow"]
    with sqlite3.connect(notebook_path(small_corpus)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later)
        assert conn.execute("SELECT COUNT(*) FROM saved").fetchone()[0] == 0
