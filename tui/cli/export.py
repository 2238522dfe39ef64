"""``broadsheet export QUERY``: every matching article (not a page) as CSV, JSON, JSON Lines or a
Markdown dossier, on standard output or in a file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from index import Query, SortOrder
from index.export import Export, ExportFormat, write_export, write_export_file
from tui.cli.options import corpus_option, index_dir_option, open_library, sort_option
from tui.cli.updating import refresh

LONG_EXPORT = 5_000
"""Exports of more articles than this report their progress on a terminal's stderr."""


@click.command("export")
@click.argument("query")
@corpus_option
@index_dir_option
@click.option(
    "--format",
    "form",
    type=click.Choice([form.value for form in ExportFormat]),
    default=ExportFormat.CSV.value,
    show_default=True,
    help="csv, jsonl (one object a line), json (one array) or md (a Markdown dossier).",
)
@sort_option
@click.option("--entities", is_flag=True, help="Add each article's entities (label: names).")
@click.option("--notes", is_flag=True, help="Add the user's note on each article.")
@click.option("--bom", is_flag=True, help="Start a CSV with a UTF-8 byte order mark (for spreadsheets).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
def export_command(
    query: str,
    corpus: Path | None,
    index_dir: Path | None,
    form: str,
    sort: str,
    entities: bool,
    notes: bool,
    bom: bool,
    out: Path | None,
) -> None:
    """Write every article matching QUERY, in the order of a search, with its id, path, title,
    source, author, date, url, score and tags (and entities and notes if asked).

    CSV cells that a spreadsheet would run as a formula (starting = + - @) start with a '. JSON is
    one array, JSON Lines one object a line, each {"id", "path", "title", "source", "author", "date",
    "url", "score", "tags": [...]} plus "entities": {label: [names]} and "notes" when asked. The
    file given to --out appears only once it is complete.
    """
    chosen = ExportFormat(form)
    if bom and chosen is not ExportFormat.CSV:
        raise click.UsageError("--bom applies only to --format csv.")
    with open_library(corpus, index_dir) as library:
        refresh(library)
        wanted = Query(query, sort=SortOrder(sort))
        snippets = chosen is ExportFormat.MARKDOWN  # only the dossier shows them
        with library.export(wanted, entities=entities, notes=notes, snippets=snippets) as export:
            on_page = _progress(export) if sys.stderr.isatty() and export.total > LONG_EXPORT else None
            if out is None:
                write_export(export, chosen, sys.stdout, bom=bom, on_page=on_page)
            else:
                write_export_file(export, chosen, out, bom=bom, on_page=on_page)
            if on_page is not None:
                click.echo(err=True)


def _progress(export: Export) -> Callable[[int], None]:
    def report(done: int) -> None:
        click.echo(f"\rbroadsheet: exported {done:,} of {export.total:,} articles", err=True, nl=False)

    return report
