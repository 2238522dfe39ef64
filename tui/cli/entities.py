"""``broadsheet entities``: the top entities of each label across the articles matching a query."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from index.cleaning import sanitize
from index.entities.labels import ENTITY_LABELS
from index.models import Facet
from tui.cli.options import corpus_option, index_dir_option, json_option, open_library
from tui.cli.updating import refresh


@click.command("entities")
@corpus_option
@index_dir_option
@click.option("--query", default="*", show_default=True, help="Count entities of the articles matching this.")
@click.option(
    "--label", type=click.Choice(ENTITY_LABELS, case_sensitive=False), help="Only entities of this label."
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Entities per label."
)
@json_option
def entities_command(
    corpus: Path | None, index_dir: Path | None, query: str, label: str | None, limit: int, as_json: bool
) -> None:
    """Print the top entities of each label across the articles matching --query.

    Indexes the corpus and extracts its entities first if needed. JSON: [{"canonical", "label",
    "articles", "mentions"}], labels in sidebar order, most frequent first.
    """
    with open_library(corpus, index_dir) as library:
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
        table.add_row(Text(sanitize(facet.canonical)), facet.label, str(facet.articles), str(facet.mentions))
    return table
