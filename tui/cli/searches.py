"""``broadsheet searches``: the searches saved in the explorer (ctrl+s): list them, run one as
``broadsheet search`` would, delete one. They are kept in the corpus's notebook, in the user's data
folder."""

from __future__ import annotations

import json
from pathlib import Path

import click

from index.cleaning import sanitize
from tui.cli.options import corpus_option, index_dir_option, json_option, open_library
from tui.cli.search import print_result
from tui.cli.updating import refresh


@click.group("searches")
def searches_group() -> None:
    """The searches saved in the explorer (ctrl+s there): list, run, delete.

    A NAME is a saved search's name as `broadsheet searches list` prints it (case may differ).
    """


@searches_group.command("list")
@corpus_option
@index_dir_option
@json_option
def list_command(corpus: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """List the saved searches, by name.

    JSON: [{"name", "text", "filters": [{"label", "canonical"}], "first_day", "last_day", "sort",
    "collapse", "saved"}], days as YYYY-MM-DD or null.
    """
    from index.notebook.exchange import saved_json

    with open_library(corpus, index_dir) as library:
        searches = library.saved_searches()
    if as_json:
        click.echo(json.dumps([saved_json(search) for search in searches], ensure_ascii=False))
        return
    if not searches:
        click.echo("No saved searches.")
    for search in searches:
        folded = ", copies folded" if search.collapse else ""
        click.echo(
            f"{sanitize(search.name)}: {sanitize(search.shown)}  "
            f"(by {search.query.sort.value}{folded}; saved {search.saved:%Y-%m-%d %H:%M} UTC)"
        )


@searches_group.command("run")
@click.argument("name")
@corpus_option
@index_dir_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to print.")
@json_option
def run_command(name: str, corpus: Path | None, index_dir: Path | None, limit: int, as_json: bool) -> None:
    """Run the search saved as NAME; prints what `broadsheet search` prints (JSON with --json)."""
    from index.notebook.searches import find_saved

    with open_library(corpus, index_dir) as library:
        search = find_saved(name, library.saved_searches())
        refresh(library)
        result = library.search(search.query, limit=limit, collapse=search.collapse)
        print_result(result, as_json=as_json, collapse=search.collapse)


@searches_group.command("delete")
@click.argument("name")
@corpus_option
@index_dir_option
def delete_command(name: str, corpus: Path | None, index_dir: Path | None) -> None:
    """Forget the search saved as NAME."""
    from index.notebook.searches import find_saved

    with open_library(corpus, index_dir) as library:
        search = find_saved(name, library.saved_searches())
        library.delete_saved_search(search.name)
    click.echo(f"Deleted the saved search {sanitize(repr(search.name))}.")
