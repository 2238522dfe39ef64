"""Shared fixtures: the bundled seeds, the BBC corpus (when present), a private cache folder and a
private data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.notebook.location import DATA_ENV
from index.paths import CACHE_ENV

REPO = Path(__file__).resolve().parents[1]
BBC = REPO.parent / "shared" / "corpora" / "bbc"


@pytest.fixture(autouse=True)
def tmp_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test indexes into its own cache folder, never the user's."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.fixture(autouse=True)
def tmp_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its notebooks in its own data folder, never the user's."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_ENV, str(data))
    return data


@pytest.fixture
def seeds_dir() -> Path:
    return REPO / "seeds"


@pytest.fixture(scope="session")
def bbc_dir() -> Path:
    """The BBC corpus beside the repository. CI always has it, so there a missing corpus fails the
    tests that need it instead of skipping them unseen; elsewhere they are skipped."""
    if not BBC.is_dir():
        missing = f"the BBC corpus is not at {BBC}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true: the tests that read it must run)")
        pytest.skip(missing)
    return BBC


def write_article(folder: Path, name: str, title: str, body: str) -> Path:
    """A plain-text article: headline, blank line, body (the BBC layout)."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Three short articles in a fresh folder that a test may edit."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "a.txt", "Protest in Moscow", "Thousands joined a protest in Moscow on Saturday.")
    write_article(corpus, "b.txt", "Markets rally", "Shares rose as markets rallied on Friday.")
    write_article(corpus, "sub/c.txt", "Election news", "Voters went to the polls in a tight election.")
    return corpus
