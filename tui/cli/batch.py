"""``broadsheet batch QUERIES.txt``: run a file of queries, one a line, and count each one's hits.

Lines that are blank or start with ``#`` are skipped. A malformed query is reported with its line
number (on stderr, and in the output) and the others still run: the exit status is 0 whenever the
file could be read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click

from index import BroadsheetError, QueryError
from index.cleaning import sanitize
from tui.cli.options import corpus_option, index_dir_option, json_option, open_library
from tui.cli.updating import refresh


@dataclass(frozen=True, slots=True)
class Answer:
    """One query of the file: where it was, what it found (``ids``) or why it could not run."""

    line: int
    query: str
    ids: tuple[str, ...] = ()
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        if self.error is not None:
            return {"line": self.line, "query": self.query, "error": self.error}
        return {"line": self.line, "query": self.query, "total": len(self.ids), "ids": list(self.ids)}


@click.command("batch")
@click.argument("queries_file", metavar="QUERIES.txt", type=click.Path(path_type=Path))
@corpus_option
@index_dir_option
@json_option
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the table or JSON to FILE."
)
def batch_command(
    queries_file: Path, corpus: Path | None, index_dir: Path | None, as_json: bool, out: Path | None
) -> None:
    """Run every query of QUERIES.txt (one a line; blank lines and # comments skipped) and print the
    total hits of each.

    JSON: [{"line", "query", "total", "ids"}], ids of every matching article in id order; a malformed
    query has "error" (one sentence) instead of "total" and "ids".
    """
    lines = list(_queries(queries_file))
    with open_library(corpus, index_dir) as library:
        refresh(library)
        answers = []
        for number, query in lines:
            try:
                answers.append(Answer(number, query, tuple(library.matching_ids(query))))
            except QueryError as error:
                answers.append(Answer(number, query, error=str(error)))
                click.echo(f"broadsheet: line {number}: {' '.join(sanitize(str(error)).split())}", err=True)
    if out is None:
        _print_answers(answers, as_json, None)
        return
    with out.open("w", encoding="utf-8") as stream:
        _print_answers(answers, as_json, stream)


def _queries(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, query) of each line that holds a query. Raises BroadsheetError if the file
    cannot be read as text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise BroadsheetError(f"Cannot read the queries file {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise BroadsheetError(f"The queries file {path} is not UTF-8 text.") from None
    for number, line in enumerate(text.splitlines(), start=1):
        query = line.strip()
        if query and not query.startswith("#"):
            yield number, query


def _print_answers(answers: list[Answer], as_json: bool, stream: IO[str] | None) -> None:
    """The answers as JSON or a table, on ``stream`` (None: standard output)."""
    if as_json:
        click.echo(json.dumps([answer.as_json() for answer in answers], ensure_ascii=False), file=stream)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("line", "query", "total", title=Text("Hits per query"), title_justify="left")
    table.columns[0].justify = table.columns[2].justify = "right"
    for answer in answers:
        total = Text(f"{len(answer.ids):,}") if answer.error is None else Text(sanitize(answer.error))
        table.add_row(str(answer.line), Text(sanitize(answer.query)), total)
    Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=False).print(table)
