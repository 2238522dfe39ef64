"""Opening the explorer: ``broadsheet [PATH]`` (PATH reaches the hidden ``open`` command)."""

from __future__ import annotations

from pathlib import Path

import click

from index import paths
from tui.cli.options import chosen_index_dir, index_dir_option


@click.command("open", hidden=True)
@click.argument("path", type=click.Path(path_type=Path))
@index_dir_option
@click.pass_context
def open_command(ctx: click.Context, path: Path, index_dir: Path | None) -> None:
    """Open the explorer on PATH."""
    ctx.exit(open_explorer(path, chosen_index_dir(index_dir)))


def open_explorer(corpus: Path | None, index_dir: Path | None) -> int:
    """Check the corpus and index folder first, so that their errors are one sentence, not a screen."""
    paths.locate(corpus, index_dir)
    from tui.app import run_app  # Textual loads only when the explorer is wanted

    return run_app(corpus, index_dir)
