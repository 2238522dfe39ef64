"""``broadsheet entities``: the top entities of each label across the articles matching a query, or
(``--with NAME``) the entities most often mentioned in the same articles as one entity."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from index.cleaning import sanitize
from index.entities.labels import ENTITY_LABELS
from index.models import CoMentions, EntityFilter, Facet
from tui.cli.options import corpus_option, index_dir_option, json_option, open_library
from tui.cli.updating import refresh

if TYPE_CHECKING:
    from index.library import Library

SPARK = "▁▂▃▄▅▆▇█"


@click.command("entities")
@click.argument("query_text", metavar="[QUERY]", required=False)
@corpus_option
@index_dir_option
@click.option("--query", default="*", show_default=True, help="Count entities of the articles matching this.")
@click.option(
    "--with",
    "with_name",
    metavar="NAME",
    help="The entities mentioned in the same articles as this one (with --label if several share it).",
)
@click.option(
    "--label", type=click.Choice(ENTITY_LABELS, case_sensitive=False), help="Only entities of this label."
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Entities per label (with --with: in all).",
)
@json_option
def entities_command(
    query_text: str | None,
    corpus: Path | None,
    index_dir: Path | None,
    query: str,
    with_name: str | None,
    label: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Print the top entities of each label across the articles matching QUERY (or --query).

    Indexes the corpus and extracts its entities first if needed. JSON: [{"canonical", "label",
    "articles", "mentions"}], labels in sidebar order, most frequent first.

    With --with NAME: the --limit entities most often mentioned in the same articles as NAME, and
    NAME's articles per month (per year over more than four years). JSON: {"entity": {"canonical",
    "label"}, "query", "articles", "mentions", "comentioned": [as above, all labels, most articles
    first], "timeline": [{"period", "articles"}]}.
    """
    if query_text is not None and query != "*" and query_text != query:
        raise click.UsageError("Give the query once: as QUERY or as --query.")
    query = query_text if query_text is not None else query
    with open_library(corpus, index_dir) as library:
        refresh(library, entities=True)
        if with_name is not None:
            _print_comentions(_comentions(library, query, with_name, label, limit), query, as_json)
            return
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


def _comentions(library: Library, query: str, name: str, label: str | None, limit: int) -> CoMentions:
    """The co-mentions of the entity called ``name`` as ``entities`` shows it. Raises NotebookError
    naming the nearest names when none is so called."""
    from index.notebook.names import find_entity

    shown = [(facet.canonical, facet.label) for facet in library.facets("*", limit=sys.maxsize)]
    canonical, found_label = find_entity(name, shown, label=label)
    return library.comentions(query, EntityFilter(found_label, canonical), limit=limit)


def _print_comentions(found: CoMentions, query: str, as_json: bool) -> None:
    if as_json:
        entity = {"canonical": found.entity.canonical, "label": found.entity.label}
        timeline = [{"period": period, "articles": count} for period, count in found.timeline]
        answer = {
            "entity": entity,
            "query": query,
            "articles": found.articles,
            "mentions": found.mentions,
            "comentioned": [_facet_json(f) for f in found.comentioned],
            "timeline": timeline,
        }
        click.echo(json.dumps(answer, ensure_ascii=False))
        return
    console = Console(highlight=False, markup=False, emoji=False)
    name = sanitize(found.entity.canonical)
    console.print(Text(f"{name} ({found.entity.label}): {found.articles:,} articles matching {query!r}"))
    if found.timeline:
        first, last = found.timeline[0][0], found.timeline[-1][0]
        console.print(Text(f"{first} {_sparkline([count for _, count in found.timeline])} {last}"))
    table = _facet_table(query, list(found.comentioned))
    table.title = Text(f"Mentioned in the same articles as {name}")
    console.print(table)


def _sparkline(counts: list[int]) -> str:
    """One block character per count, its height in proportion to the largest."""
    top = max(counts, default=0) or 1
    return "".join(SPARK[round(count / top * (len(SPARK) - 1))] for count in counts)
