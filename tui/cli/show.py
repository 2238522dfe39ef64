"""``broadsheet show ID``: one article, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from index.cleaning import sanitize
from tui.cli.options import corpus_option, index_dir_option, iso, json_option, open_library
from tui.cli.updating import refresh


@click.command("show")
@click.argument("article_id", metavar="ID")
@corpus_option
@index_dir_option
@json_option
def show_command(article_id: str, corpus: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """Print one article by its id (as search prints it).

    JSON: {"id", "path", "title", "source", "author", "date", "url", "lang", "body"}, with body the
    clean text that search highlights index into and lang the detected language (null if unsure).
    """
    with open_library(corpus, index_dir) as library:
        if not library.is_indexed:
            refresh(library)
        article = library.article(article_id)
        fields = {
            "id": article.id,
            "path": article.path,
            "title": article.title,
            "source": article.source,
            "author": article.author,
            "date": iso(article.date),
            "url": article.url,
            "lang": article.language,
        }
        if as_json:
            click.echo(json.dumps({**fields, "body": article.body}, ensure_ascii=False))
            return
        click.echo(sanitize(article.title))
        click.echo("=" * min(len(article.title), 78))
        for name in ("id", "path", "source", "author", "date", "url", "lang"):
            if value := fields[name]:
                click.echo(f"{name}: {sanitize(value)}")
        click.echo()
        click.echo(sanitize(article.body))
