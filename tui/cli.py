"""The ``broadsheet`` command line: open the TUI, index a corpus, search it, show one article.

Output contract (tests and outside tools rely on it): JSON shapes as documented on each command,
dates as ISO 8601 or null; exit status 0 on success, 2 for bad usage or a malformed query, 1 for
any other error a user can cause, 130 when interrupted. Errors are one sentence on stderr.
Article text is printed as data: never parsed as Rich markup, control characters removed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from index import (
    BroadsheetError,
    Hit,
    IndexBusyError,
    IndexReport,
    Progress,
    QueryError,
    SearchResult,
    SortOrder,
    paths,
)
from tui.plural import plural

if TYPE_CHECKING:
    from index.library import Library

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SKIP_EXAMPLES = 3
"""How many paths the index summary lists for each skip reason."""


class _CorpusGroup(click.Group):
    """Commands, where a first argument that is no command is the corpus to open in the TUI.

    Also the edge where errors become one sentence and an exit status.
    """

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
    click.echo(f"broadsheet: {' '.join(_printable(message).split())}", err=True)
    raise click.exceptions.Exit(status)


_index_dir_option = click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the index in DIR instead of the per-corpus folder in the user's cache.",
)
_corpus_option = click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    help="Corpus folder or file (default: the bundled sample articles).",
)
_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@click.group(cls=_CorpusGroup, invoke_without_command=True)
@click.option(
    "--index-dir",
    "group_index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the index in DIR instead of the per-corpus folder in the user's cache.",
)
@click.pass_context
def cli(ctx: click.Context, group_index_dir: Path | None) -> None:
    """Explore a folder of news articles: full-text search, a reader and named entities.

    With no command, opens the explorer on PATH (default: the bundled sample articles):
    broadsheet [PATH] [--index-dir DIR].
    """
    ctx.obj = {"index_dir": group_index_dir}
    if ctx.invoked_subcommand is None:
        ctx.exit(_open_tui(None, group_index_dir))


@cli.command("open", hidden=True)
@click.argument("path", type=click.Path(path_type=Path))
@_index_dir_option
@click.pass_context
def open_command(ctx: click.Context, path: Path, index_dir: Path | None) -> None:
    """Open the explorer on PATH."""
    ctx.exit(_open_tui(path, _index_dir(ctx, index_dir)))


def _index_dir(ctx: click.Context, given: Path | None) -> Path | None:
    """A command's --index-dir, else the one given before the command (``broadsheet --index-dir D``)."""
    return given or (ctx.find_root().obj or {}).get("index_dir")


def _open_tui(corpus: Path | None, index_dir: Path | None) -> int:
    """Check the corpus and index folder first, so that their errors are one sentence, not a screen."""
    paths.locate(corpus, index_dir)
    from tui.app import run_app  # Textual loads only when the explorer is wanted

    return run_app(corpus, index_dir)


@cli.command("index")
@click.argument("path", type=click.Path(path_type=Path))
@_index_dir_option
@click.option("--no-entities", is_flag=True, help="Stop after the text index; skip entity extraction.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait if another process is indexing this corpus.",
)
@click.pass_context
def index_command(
    ctx: click.Context, path: Path, index_dir: Path | None, no_entities: bool, wait: float
) -> None:
    """Index (or re-index, incrementally) the articles in PATH."""
    # One hold of the (re-entrant) write lock for both phases: a search refreshing the index in
    # between would otherwise make the entity phase fail as busy.
    folder = _index_dir(ctx, index_dir)
    with library_class().open(path, index_dir=folder) as library, library.store.writing(wait=wait):
        with progress_reporter(always=True) as progress:
            report = library.sync(progress=progress)
        click.echo(_summary(library, report))
        if not no_entities:
            with progress_reporter(always=True) as progress:
                analysed = library.extract_entities(progress=progress)
            click.echo(f"Entities: {plural(analysed, 'article')} analysed.")


@cli.command("search")
@click.argument("query")
@_corpus_option
@_index_dir_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to print.")
@click.option(
    "--sort",
    type=click.Choice([order.value for order in SortOrder]),
    default=SortOrder.RELEVANCE.value,
    show_default=True,
    help="Order of the hits.",
)
@_json_option
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    corpus: Path | None,
    index_dir: Path | None,
    limit: int,
    sort: str,
    as_json: bool,
) -> None:
    """Search the corpus (indexing it first if needed) with Whoosh's query language.

    JSON: {"query", "total", "suggestion", "notes": [...], "hits": [{"id", "path", "title", "source",
    "date", "score", "snippet", "highlights": [[start, end], ...], "entities": [{"canonical",
    "label"}]}]} with highlights as offsets into the article's clean body, and notes saying how the
    query was read (a word before a colon that is no field is searched as a word).
    """
    with library_class().open(corpus, index_dir=_index_dir(ctx, index_dir)) as library:
        refresh(library)
        result = library.search(query, limit=limit, sort=SortOrder(sort))
        if as_json:
            payload = {
                "query": _printable(result.query),
                "total": result.total,
                "suggestion": _printable(result.suggestion) if result.suggestion else None,
                "notes": [_printable(note) for note in result.notes],
                "hits": [_hit_json(hit) for hit in result.hits],
            }
            click.echo(json.dumps(payload, ensure_ascii=False))
            return
        _print_hits(result)


@cli.command("show")
@click.argument("article_id", metavar="ID")
@_corpus_option
@_index_dir_option
@_json_option
@click.pass_context
def show_command(
    ctx: click.Context, article_id: str, corpus: Path | None, index_dir: Path | None, as_json: bool
) -> None:
    """Print one article by its id (as search prints it).

    JSON: {"id", "path", "title", "source", "author", "date", "url", "body"}, with body the clean
    text that search highlights index into.
    """
    with library_class().open(corpus, index_dir=_index_dir(ctx, index_dir)) as library:
        if not library.is_indexed:
            refresh(library)
        article = library.article(article_id)
        fields = {
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "source": article.source,
            "author": article.author,
            "date": _iso(article.date),
            "url": article.url,
        }
        if as_json:
            click.echo(json.dumps({**fields, "body": article.body}, ensure_ascii=False))
            return
        click.echo(_printable(article.title))
        click.echo("=" * min(len(article.title), 78))
        for name in ("id", "path", "source", "author", "date", "url"):
            if fields[name]:
                click.echo(f"{name}: {_printable(fields[name])}")
        click.echo()
        click.echo(_printable(article.body))


def refresh(library: Library, *, entities: bool = False) -> None:
    """Bring the index up to date before a query, the entity phase too if asked; an index busy
    elsewhere is used as it is."""
    try:
        with progress_reporter(always=False) as progress:
            library.sync(progress=progress)
            if entities:
                library.extract_entities(progress=progress)
    except IndexBusyError:
        if not library.is_indexed:
            raise
        click.echo(
            "broadsheet: the index is being updated by another process; results may be partial.", err=True
        )


def _hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "source": hit.source,
        "date": _iso(hit.date),
        "score": hit.score,
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "entities": [{"canonical": ref.canonical, "label": ref.label} for ref in hit.entities],
    }


def _print_hits(result: SearchResult) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    header = f"{plural(result.total, 'hit')} for {result.query!r} ({result.elapsed * 1000:.0f} ms)"
    console.print(Text(header, style="bold"), soft_wrap=True)
    for note in result.notes:
        console.print(Text(_printable(note), style="dim"), soft_wrap=True)
    if result.suggestion:
        console.print(Text(f"Did you mean: {_printable(result.suggestion)}"), soft_wrap=True)
    for rank, hit in enumerate(result.hits, start=1):
        details = ", ".join(part for part in (hit.source, _iso(hit.date, date_only=True)) if part)
        heading = Text(f"{rank:>3}. ")
        heading.append(_printable(hit.title), style="bold")
        if details:
            heading.append(f"  [{_printable(details)}]", style="dim")
        console.print(heading, soft_wrap=True)
        snippet = Text("     " + hit.snippet.replace("\n", " "))
        for start, end in hit.snippet_highlights:
            snippet.stylize("reverse", start + 5, end + 5)
        console.print(snippet, soft_wrap=True)
        console.print(Text(f"     id: {_printable(hit.id)}", style="dim"), soft_wrap=True)


def _summary(library: Library, report: IndexReport) -> str:
    rate = (report.added + report.updated) / report.elapsed if report.elapsed else 0.0
    lines = [
        f"Indexed {library.corpus}: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped "
        f"({report.elapsed:.1f} s, {rate:.0f} articles/s); {plural(library.count(), 'article')} in the index."
    ]
    by_reason: dict[str, list[str]] = defaultdict(list)
    for skip in report.skipped:
        by_reason[skip.reason.value].append(skip.path)
    for reason, count in Counter({r: len(p) for r, p in by_reason.items()}).most_common():
        examples = ", ".join(_printable(path) for path in by_reason[reason][:SKIP_EXAMPLES])
        more = ", ..." if count > SKIP_EXAMPLES else ""
        lines.append(f"  skipped ({reason}): {count}: {examples}{more}")
    return "\n".join(lines)


@contextmanager
def progress_reporter(*, always: bool) -> Iterator[Callable[[Progress], None] | None]:
    """A rich progress bar on a terminal; plain lines otherwise (only if ``always``), on stderr."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        tasks: dict[str, Any] = {}

        def update(report: Progress) -> None:
            if report.phase not in tasks:
                tasks[report.phase] = bar.add_task(report.phase, total=report.total)
            bar.update(tasks[report.phase], completed=report.done, total=report.total)

        with bar:
            yield update
    elif always:
        yield _PlainProgress()
    else:
        yield None


class _PlainProgress:
    """One stderr line every few seconds, and one at the end of each phase."""

    interval = 2.0

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, report: Progress) -> None:
        now = time.monotonic()
        finished = report.total is not None and report.done >= report.total
        if not finished and now - self._last < self.interval:
            return
        self._last = now
        of_total = f"/{report.total}" if report.total is not None else ""
        click.echo(f"{report.phase}: {report.done}{of_total}", err=True)


def _iso(moment: dt.datetime | None, *, date_only: bool = False) -> str | None:
    if moment is None:
        return None
    return moment.date().isoformat() if date_only else moment.isoformat()


def _printable(text: str) -> str:
    """Text with control characters (escape sequences included) removed, newlines and tabs kept."""
    return _CONTROL.sub("", text)


def _register_entity_commands() -> None:
    """Add ``extract`` and ``entities``, which live with the rest of the entity code."""
    from tui.cli_entities import register

    register(cli)


_register_entity_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="broadsheet")


def library_class() -> type[Library]:
    """``Library``, imported on first use: Whoosh need not load before the explorer's first frame."""
    from index.library import Library

    return Library
