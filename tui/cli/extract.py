"""``broadsheet extract FILES``: the entities of some files, found without touching any index."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from index.cleaning import sanitize
from index.errors import CorpusError
from index.models import Mention, Skip
from tui.cli.options import json_option


def _region(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    import phonenumbers

    if value is not None and value.upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise click.BadParameter(f"{value} is not a region code (ISO 3166, e.g. GB, DE, US).")
    return None if value is None else value.upper()


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--phone-region",
    callback=_region,
    metavar="CODE",
    help="Read phone numbers written without +country as this region's (default: "
    "$BROADSHEET_PHONE_REGION, else GB).",
)
@json_option
def extract_command(files: tuple[Path, ...], phone_region: str | None, as_json: bool) -> None:
    """Print the entities of FILES without touching any index.

    JSON: [{"path", "entities": [{"text", "label", "start", "end", "canonical"}]}], offsets into the
    clean body that `broadsheet show --json` prints (one object per article of a JSON/JSONL file).
    Canonical names and labels are decided across all the given files; a pattern entity's canonical
    is its normal form (an E.164 number, a lower-cased address).
    """
    from index.entities.annotate import annotate

    articles = _read_articles(files)
    mentions = annotate({key: body for key, (_, body) in articles.items()}, region=phone_region)
    if as_json:
        payload = [
            {"path": sanitize(path), "entities": [_mention_json(m) for m in mentions[key]]}
            for key, (path, _) in articles.items()
        ]
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    console = Console(highlight=False, markup=False, emoji=False)
    for key, (path, _) in articles.items():
        title = path if key == path else f"{path} ({key})"
        console.print(_mention_table(sanitize(title), mentions[key]))


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
