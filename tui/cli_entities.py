"""The entity commands of ``broadsheet``: ``extract`` (files, no index) and ``entities`` (facets).

``register(cli)`` adds them to the main command group, whose error handling turns a
BroadsheetError into one sentence and exit status 1 (2 for a malformed query).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from index.errors import CorpusError
from index.models import ENTITY_LABELS, Facet, Mention, Skip


def register(cli: click.Group) -> None:
    """Add ``extract`` and ``entities`` to the ``broadsheet`` group."""
    cli.add_command(extract_command)
    cli.add_command(entities_command)


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def extract_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Print the entities of FILES without touching any index.

    JSON: [{"path", "entities": [{"text", "label", "start", "end", "canonical"}]}], offsets into the
    clean body that `broadsheet show --json` prints (one object per article of a JSON/JSONL file).
    Canonical names and labels are decided across all the given files.
    """
    from index.entities.annotate import annotate

    articles = _read_articles(files)
    mentions = annotate({key: body for key, (_, body) in articles.items()})
    if as_json:
        payload = [
            {"path": path, "entities": [_mention_json(m) for m in mentions[key]]}
            for key, (path, _) in articles.items()
        ]
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    console = Console(highlight=False, markup=False, emoji=False)
    for key, (path, _) in articles.items():
        console.print(_mention_table(path if key == path else f"{path} ({key})", mentions[key]))


def _read_articles(files: tuple[Path, ...]) -> dict[str, tuple[str, str]]:
    """(path, or path#N for a record of a JSON file) -> (path as given, clean body)."""
    from index.ingest import discover, read_file

    articles: dict[str, tuple[str, str]] = {}
    for file in files:
        if not file.is_file():
            raise CorpusError(f"{file} is not a file.")
        for found in discover(file):
            if isinstance(found, Skip):
                raise CorpusError(f"{file} cannot be read ({found.reason.value}).")
            result = read_file(found)
            if not result.articles:
                reason = result.skips[0].reason.value if result.skips else "no articles"
                raise CorpusError(f"{file} holds no article to analyse ({reason}).")
            for article in result.articles:
                record = article.id[len(found.rel) :]
                articles[f"{file}{record}"] = (str(file), article.body)
    return articles


def _mention_json(mention: Mention) -> dict[str, object]:
    return {
        "text": mention.text,
        "label": mention.label,
        "start": mention.start,
        "end": mention.end,
        "canonical": mention.canonical,
    }


def _mention_table(title: str, mentions: list[Mention]) -> Table:
    table = Table(title=Text(title), title_justify="left")
    for column in ("text", "label", "start", "end", "canonical"):
        table.add_column(column, justify="right" if column in ("start", "end") else "left")
    for m in mentions:
        table.add_row(Text(m.text), m.label, str(m.start), str(m.end), Text(m.canonical))
    return table


@click.command("entities")
@click.option(
    "--corpus", type=click.Path(path_type=Path), help="Corpus folder or file (default: the samples)."
)
@click.option("--index-dir", type=click.Path(file_okay=False, path_type=Path), help="Keep the index in DIR.")
@click.option("--query", default="*", show_default=True, help="Count entities of the articles matching this.")
@click.option(
    "--label", type=click.Choice(ENTITY_LABELS, case_sensitive=False), help="Only entities of this label."
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Entities per label."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def entities_command(
    corpus: Path | None, index_dir: Path | None, query: str, label: str | None, limit: int, as_json: bool
) -> None:
    """Print the top entities of each label across the articles matching --query.

    Indexes the corpus and extracts its entities first if needed. JSON: [{"canonical", "label",
    "articles", "mentions"}], labels in sidebar order, most frequent first.
    """
    from tui.cli import library_class, refresh

    with library_class().open(corpus, index_dir=index_dir) as library:
        refresh(library, entities=True)
        facets = library.facets(query, label=label.upper() if label else None, limit=limit)
    if as_json:
        click.echo(json.dumps([_facet_json(f) for f in facets], ensure_ascii=False))
        return
    Console(highlight=False, markup=False, emoji=False).print(_facet_table(query, facets))


def _facet_json(facet: Facet) -> dict[str, object]:
    return {
        "canonical": facet.canonical,
        "label": facet.label,
        "articles": facet.articles,
        "mentions": facet.mentions,
    }


def _facet_table(query: str, facets: list[Facet]) -> Table:
    table = Table(title=Text(f"Entities of the articles matching {query!r}"), title_justify="left")
    for column in ("canonical", "label", "articles", "mentions"):
        table.add_column(column, justify="right" if column in ("articles", "mentions") else "left")
    for facet in facets:
        table.add_row(Text(facet.canonical), facet.label, str(facet.articles), str(facet.mentions))
    return table
