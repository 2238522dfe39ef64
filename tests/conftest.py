"""Shared fixtures: the bundled seeds, the BBC corpus (when present), a private cache folder, a
private data folder, and the engine every new index of a test is built with.

A module marked ``pytestmark = pytest.mark.engines`` (or a test marked ``@pytest.mark.engines``) runs
once per engine in ``ENGINES``, its ids ending ``[whoosh]``, ``[tantivy]``: every ``Library.open`` and
command, in this process or a child, builds a new index with that engine through
``$BROADSHEET_ENGINE``. A test that needs the name asks for the ``engine`` fixture, and so must a
module-scoped fixture that builds an index (else it is built once, with the first engine, and shared).
Other tests build with the default engine, whatever the environment running the tests says.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.engines import DEFAULT_ENGINE, ENGINE_ENV
from index.notebook.location import DATA_ENV
from index.paths import CACHE_ENV
from tui.keymap import CONFIG_ENV

REPO = Path(__file__).resolve().parents[1]
BBC = REPO.parent / "shared" / "corpora" / "bbc"


def _loads(module: str, package: str) -> bool:
    """True if the engine's module imports; False if it or the package it needs is not there. An
    engine that is there but broken (a module of ours it names is missing) fails the whole run."""
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if missing == package or module == missing or module.startswith(f"{missing}."):
            return False
        raise
    return True


_ENGINE_MODULES = {
    "whoosh": ("index.engines.whoosh.store", "whoosh"),
    "tantivy": ("index.engines.tantivy.engine", "tantivy"),
}
ENGINES = tuple(name for name, (module, package) in _ENGINE_MODULES.items() if _loads(module, package))
"""The engines whose code and Python package load here (tantivy has no wheels for Python 3.10)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "engines: run once per engine in ENGINES, with that engine's index")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("engines") is not None:
        metafunc.parametrize("engine", ENGINES, indirect=True, ids=ENGINES, scope="module")


@pytest.fixture(scope="module", autouse=True)
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """The engine new indexes are built with: the test's parameter under ``pytest.mark.engines``,
    else the default. Module-scoped so that a module's shared index is built once per engine."""
    name: str = getattr(request, "param", DEFAULT_ENGINE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENGINE_ENV, name)
        yield name


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


@pytest.fixture(autouse=True)
def tmp_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test reads its keymap from its own (empty) config folder, never the user's."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv(CONFIG_ENV, str(config))
    return config


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
