"""``broadsheet search QUERY``: the matching articles, as a readable list or JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from index import DateFilter, Hit, Query, SearchResult, SortOrder
from index.cleaning import sanitize
from tui.cli.options import corpus_option, index_dir_option, iso, json_option, open_library, sort_option
from tui.cli.updating import refresh
from tui.plural import plural

DAY = click.DateTime(formats=["%Y-%m-%d"])


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.date()


@click.command("search")
@click.argument("query")
@corpus_option
@index_dir_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to print.")
@sort_option
@click.option("--since", type=DAY, help="Only articles dated on or after this day (YYYY-MM-DD).")
@click.option("--until", type=DAY, help="Only articles dated on or before this day (YYYY-MM-DD).")
@click.option("--collapse", is_flag=True, help="Show the copies of one story (wire copies) as one hit.")
@json_option
def search_command(
    query: str,
    corpus: Path | None,
    index_dir: Path | None,
    limit: int,
    sort: str,
    since: dt.datetime | None,
    until: dt.datetime | None,
    collapse: bool,
    as_json: bool,
) -> None:
    """Search the corpus (indexing it first if needed) with Whoosh's query language.

    JSON: {"query", "total", "suggestion", "notes": [...], "hits": [{"id", "path", "title", "source",
    "date", "score", "snippet", "highlights": [[start, end], ...], "entities": [{"canonical",
    "label"}]}]} with highlights as offsets into the article's clean body, and notes saying how the
    query was read (a word before a colon that is no field is searched as a word). With --collapse,
    the copies of one story are one hit, the best-scored (the newest with --sort date), and each
    hit has "similar": how many other matching articles are copies of it.
    """
    with open_library(corpus, index_dir) as library:
        refresh(library)
        dates = None if since is None and until is None else DateFilter(_day(since), _day(until))
        result = library.search(
            Query(query, dates=dates, sort=SortOrder(sort)), limit=limit, collapse=collapse
        )
        print_result(result, as_json=as_json, collapse=collapse)


def print_result(result: SearchResult, *, as_json: bool, collapse: bool) -> None:
    """A search's answer as ``search`` prints it: a readable list, or JSON (see ``search_command``)."""
    if as_json:
        payload = {
            "query": sanitize(result.query),
            "total": result.total,
            "suggestion": sanitize(result.suggestion) if result.suggestion else None,
            "notes": [sanitize(note) for note in result.notes],
            "hits": [_hit_json(hit, collapse) for hit in result.hits],
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        _print_hits(result)


def _hit_json(hit: Hit, collapse: bool) -> dict[str, Any]:
    shown = {
        "id": hit.id,
        "path": hit.path,
        "title": hit.title,
        "source": hit.source,
        "date": iso(hit.date),
        "score": hit.score,
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.highlights],
        "entities": [{"canonical": ref.canonical, "label": ref.label} for ref in hit.entities],
    }
    if collapse:
        shown["similar"] = hit.similar
    return shown


def _print_hits(result: SearchResult) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    header = f"{plural(result.total, 'hit')} for {result.query!r} ({result.elapsed * 1000:.0f} ms)"
    console.print(Text(header, style="bold"), soft_wrap=True)
    for note in result.notes:
        console.print(Text(sanitize(note), style="dim"), soft_wrap=True)
    if result.suggestion:
        console.print(Text(f"Did you mean: {sanitize(result.suggestion)}"), soft_wrap=True)
    for rank, hit in enumerate(result.hits, start=1):
        details = ", ".join(part for part in (hit.source, iso(hit.date, date_only=True)) if part)
        heading = Text(f"{rank:>3}. ")
        heading.append(sanitize(hit.title), style="bold")
        if details:
            heading.append(f"  [{sanitize(details)}]", style="dim")
        if hit.similar:
            heading.append(f"  +{hit.similar} similar", style="dim")
        console.print(heading, soft_wrap=True)
        snippet = Text("     " + hit.snippet.replace("\n", " "))
        for start, end in hit.snippet_highlights:
            snippet.stylize("reverse", start + 5, end + 5)
        console.print(snippet, soft_wrap=True)
        console.print(Text(f"     id: {sanitize(hit.id)}", style="dim"), soft_wrap=True)
