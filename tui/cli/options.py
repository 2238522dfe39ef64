"""What every command of ``broadsheet`` shares: the --corpus, --index-dir and --json options, opening
the library they name, and printing text and dates as data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from index.engines import ENGINE_NAMES
from index.models import SortOrder

if TYPE_CHECKING:
    from index.library import Library

index_dir_option = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the index in DIR instead of the per-corpus folder in the user's cache.",
)
corpus_option = click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    help="Corpus folder or file (default: the bundled sample articles).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
sort_option = click.option(
    "--sort",
    type=click.Choice([order.value for order in SortOrder]),
    default=SortOrder.RELEVANCE.value,
    show_default=True,
    help="Order of the articles: by relevance, or newest first.",
)
engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default=None,
    help="Search engine of a new index (default: $BROADSHEET_ENGINE, else whoosh; tantivy for large "
    "archives). "
    "An existing index keeps the engine it was built with.",
)


def chosen_index_dir(given: Path | None) -> Path | None:
    """A command's --index-dir, else the one given before the command (``broadsheet --index-dir D``)."""
    return given or (click.get_current_context().find_root().obj or {}).get("index_dir")


def open_library(corpus: Path | None, index_dir: Path | None, engine: str | None = None) -> Library:
    """The library of --corpus, its index where --index-dir (before or after the command) says."""
    chosen = engine or (click.get_current_context().find_root().obj or {}).get("engine")
    return library_class().open(corpus, index_dir=chosen_index_dir(index_dir), engine=chosen)


def library_class() -> type[Library]:
    """``Library``, imported on first use: Whoosh need not load before the explorer's first frame."""
    from index.library import Library

    return Library


def iso(moment: dt.datetime | None, *, date_only: bool = False) -> str | None:
    if moment is None:
        return None
    return moment.date().isoformat() if date_only else moment.isoformat()
