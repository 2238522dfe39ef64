"""The search engines Broadsheet can keep an index with, and which one a folder holds.

Whoosh (pure Python) is the default; tantivy (compiled) is for large archives. A new index is built
with the engine asked for (``--engine``), else the one ``$BROADSHEET_ENGINE`` names, else Whoosh. An
index folder's marker records the engine that wrote it, and every later command opens what the folder
holds. Engines are imported only when one is opened: starting the explorer loads neither.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from index import paths
from index.errors import IndexUnusable

if TYPE_CHECKING:
    from index.engines.base import Engine

DEFAULT_ENGINE = "whoosh"

_ENGINES = {
    "whoosh": "index.engines.whoosh.store:Store",
    "tantivy": "index.engines.tantivy.engine:TantivyEngine",
}
ENGINE_NAMES = tuple(_ENGINES)
"""What ``--engine`` accepts."""
ENGINE_ENV = "BROADSHEET_ENGINE"
"""Names the engine of a new index when none is asked for (a user's standing choice; the tests run
every command, subprocesses included, once per engine through it)."""


def engine_mismatch(index_dir: Path, built_with: str, asked_for: str) -> str:
    """The one sentence for asking an index folder for an engine other than the one that built it."""
    return (
        f"The index in {index_dir} was built with the {built_with} engine; to rebuild it with "
        f"{asked_for}, delete that folder and index again (or give --index-dir a new folder)."
    )


def default_engine() -> str:
    """The engine of a new index when none is asked for: the one ``$BROADSHEET_ENGINE`` names, else
    ``DEFAULT_ENGINE``. Raises IndexUnusable if the variable names no engine."""
    named = os.environ.get(ENGINE_ENV, "").strip()
    if not named:
        return DEFAULT_ENGINE
    if named not in _ENGINES:
        raise IndexUnusable(
            f"{ENGINE_ENV} names no engine ({named!r}); set it to one of: {', '.join(ENGINE_NAMES)}."
        )
    return named


def chosen_engine(index_dir: Path, corpus: Path, asked_for: str | None) -> str:
    """The engine to open ``index_dir`` with: the one its marker names, else ``asked_for``, else the
    default (``default_engine``). Raises IndexUnusable if the folder holds another engine's index than
    the one asked for, or if the engine asked for or ``$BROADSHEET_ENGINE`` names none."""
    if asked_for is not None and asked_for not in _ENGINES:
        raise IndexUnusable(f"There is no engine {asked_for!r}; choose one of: {', '.join(ENGINE_NAMES)}.")
    default = default_engine()
    marker = paths.inspect(index_dir, corpus)
    if marker is None:
        return asked_for or default
    if marker.engine not in _ENGINES:
        raise IndexUnusable(
            f"The index in {index_dir} was built with an engine this Broadsheet does not know "
            f"({marker.engine}); delete that folder to rebuild it."
        )
    if asked_for is not None and asked_for != marker.engine:
        raise IndexUnusable(engine_mismatch(index_dir, marker.engine, asked_for))
    return marker.engine


def open_engine(
    index_dir: Path, corpus: Path, name: str, *, on_commit: Callable[[], None] | None = None
) -> Engine:
    """The engine ``name`` over this index folder (nothing is read or built yet)."""
    module, _, attribute = _ENGINES[name].partition(":")
    try:
        engine_class = getattr(importlib.import_module(module), attribute)
    except ModuleNotFoundError as error:
        raise IndexUnusable(
            f"The {name} engine needs the Python package {error.name!r}, which is not installed "
            "(tantivy has wheels for Python 3.11 and newer)."
        ) from error
    return cast("Engine", engine_class(index_dir, corpus, on_commit=on_commit))
