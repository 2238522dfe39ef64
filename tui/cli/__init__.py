"""The ``broadsheet`` command line: open the TUI, index a corpus, search it, show one article, find entities.

Output contract (tests and outside tools rely on it): JSON shapes as documented on each command,
dates as ISO 8601 or null; exit status 0 on success, 2 for bad usage or a malformed query, 1 for
any other error a user can cause, 130 when interrupted. Errors are one sentence on stderr.
Article text is printed as data: never parsed as Rich markup, control characters removed.

This module is the command group and the edge where errors become an exit status; each command
lives in a module of its own, and ``options`` holds what they share (--corpus, --index-dir, --json).
A command's module is imported only when that command runs, and it imports the index (Whoosh),
spaCy, Rich's tables and Textual only when it needs them: a search starts without loading the rest.
"""

from __future__ import annotations

import importlib
import signal
from pathlib import Path
from typing import Any

import click

from index import BroadsheetError, QueryError
from index.cleaning import sanitize
from tui.cli.options import engine_option, index_dir_option

COMMANDS = {
    "open": ("tui.cli.explorer", "open_command"),
    "index": ("tui.cli.indexing", "index_command"),
    "search": ("tui.cli.search", "search_command"),
    "show": ("tui.cli.show", "show_command"),
    "extract": ("tui.cli.extract", "extract_command"),
    "entities": ("tui.cli.entities", "entities_command"),
    "entity": ("tui.cli.entity", "entity_group"),
    "batch": ("tui.cli.batch", "batch_command"),
    "export": ("tui.cli.export", "export_command"),
    "notebook": ("tui.cli.notebook", "notebook_group"),
    "searches": ("tui.cli.searches", "searches_group"),
    "duplicates": ("tui.cli.duplicates", "duplicates_command"),
    "keys": ("tui.cli.keys", "keys_command"),
}
"""Each command's name, module and function, imported when the command is looked up."""


class _CorpusGroup(click.Group):
    """Commands, where a first argument that is no command is the corpus to open in the TUI.

    Also the edge where errors become one sentence and an exit status.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)  # one added with ``cli.command``
        module, function = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), function)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            return "open", self.get_command(ctx, "open"), args
        return super().resolve_command(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return ["[OPTIONS]", "[PATH | COMMAND [ARGS]...]"]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as error:
            _fail(str(error), 2)
        except BroadsheetError as error:
            _fail(str(error), 1)
        except KeyboardInterrupt:
            # The work has stopped. Should exit still wait (for a thread, a worker), a second
            # Ctrl-C ends the process at once rather than raising a traceback from the wait.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _fail("Interrupted; everything committed so far is kept and the next run completes it.", 130)
        except OSError as error:
            where = f": {error.filename}" if error.filename else ""
            _fail(f"{error.strerror or error}{where}.", 1)


def _fail(message: str, status: int) -> None:
    """One line on stderr: a message may quote user input, so no control character passes."""
    click.echo(f"broadsheet: {' '.join(sanitize(message).split())}", err=True)
    raise click.exceptions.Exit(status)


@click.group(cls=_CorpusGroup, invoke_without_command=True)
@index_dir_option
@engine_option
@click.pass_context
def cli(ctx: click.Context, index_dir: Path | None, engine: str | None) -> None:
    """Explore a folder of news articles: full-text search, a reader and named entities.

    With no command, opens the explorer on PATH (default: the bundled sample articles):
    broadsheet [PATH] [--index-dir DIR] [--engine whoosh|tantivy].
    """
    ctx.obj = {"index_dir": index_dir, "engine": engine}
    if ctx.invoked_subcommand is None:
        from tui.cli.explorer import open_explorer

        ctx.exit(open_explorer(None, index_dir, engine))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="broadsheet")
