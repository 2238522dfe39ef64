"""``broadsheet notebook``: move a corpus's notebook (what the user made of it) between machines as
a JSON file: ``export FILE`` writes it, ``import FILE`` merges one in."""

from __future__ import annotations

from pathlib import Path

import click

from index.cleaning import sanitize
from tui.cli.options import corpus_option, index_dir_option, open_library
from tui.plural import plural


@click.group("notebook")
def notebook_group() -> None:
    """Export a corpus's notebook (entity changes, stars, tags, notes, saved searches) to a JSON file,
    or import one."""


@notebook_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@corpus_option
@index_dir_option
def export_command(file: Path, corpus: Path | None, index_dir: Path | None) -> None:
    """Write the notebook to FILE (JSON, replaced if it exists)."""
    from index.notebook.exchange import export

    with open_library(corpus, index_dir) as library:
        written = export(library.notebook(), library.corpus, file)
    changes = plural(len(written.curation), "entity change")
    searches = plural(len(written.searches), "saved search", "saved searches")
    counts = f"{changes}, {plural(len(written.articles), 'noted article')} and {searches}"
    click.echo(f"Wrote {counts} to {sanitize(str(file))}.")


@notebook_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@corpus_option
@index_dir_option
def import_command(file: Path, corpus: Path | None, index_dir: Path | None) -> None:
    """Merge the notebook FILE into this corpus's notebook (what it already holds is not repeated).

    A malformed file, or one from a newer Broadsheet, is refused and nothing changes.
    """
    from index.notebook.exchange import merge_in, read_file

    read = read_file(file)  # all checked before the notebook is opened, let alone changed
    with open_library(corpus, index_dir) as library:
        report = merge_in(library.notebook(), read)
    click.echo(
        f"Imported {plural(report.added, 'entity change')} ({report.present} already held), "
        f"the notes of {plural(report.articles, 'article')} "
        f"and {plural(report.searches, 'saved search', 'saved searches')}."
    )
