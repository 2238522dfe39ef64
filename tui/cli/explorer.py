"""Opening the explorer: ``broadsheet [PATH]`` (PATH reaches the hidden ``open`` command)."""

from __future__ import annotations

from pathlib import Path

import click

from index import paths
from index.engines import chosen_engine
from tui.cli.options import chosen_index_dir, engine_option, index_dir_option


@click.command("open", hidden=True)
@click.argument("path", type=click.Path(path_type=Path))
@index_dir_option
@engine_option
@click.pass_context
def open_command(ctx: click.Context, path: Path, index_dir: Path | None, engine: str | None) -> None:
    """Open the explorer on PATH."""
    chosen = engine or (ctx.find_root().obj or {}).get("engine")
    ctx.exit(open_explorer(path, chosen_index_dir(index_dir), chosen))


def open_explorer(corpus: Path | None, index_dir: Path | None, engine: str | None = None) -> int:
    """Check the corpus, index folder and engine first, so that their errors are one sentence, not a
    screen."""
    corpus_path, folder = paths.locate(corpus, index_dir)
    chosen_engine(folder, corpus_path, engine)
    from tui.app import run_app  # Textual loads only when the explorer is wanted

    return run_app(corpus, index_dir, engine)
