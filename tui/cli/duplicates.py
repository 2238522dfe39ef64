"""``broadsheet duplicates``: the groups of copies of one story (wire copies, republished
versions), each oldest first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from index.cleaning import sanitize
from index.duplicates import DuplicateGroup
from tui.cli.options import corpus_option, index_dir_option, iso, json_option, open_library
from tui.cli.updating import refresh
from tui.plural import plural

if TYPE_CHECKING:
    from index.library import Library


@click.command("duplicates")
@corpus_option
@index_dir_option
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Share of word shingles two near copies have in common, 0.5 to 1 (default 0.6; 1: exact copies).",
)
@json_option
def duplicates_command(
    corpus: Path | None, index_dir: Path | None, threshold: float | None, as_json: bool
) -> None:
    """List the groups of exact and near copies among the articles (indexing them first if needed).

    JSON: {"groups": [{"ids": [...], "exact": true|false}]}, each group's ids oldest first (dated
    articles by date, then the undated), groups in the order of their oldest member.
    """
    from index.duplicates import check_threshold

    chosen = check_threshold(threshold)
    with open_library(corpus, index_dir) as library:
        refresh(library)
        groups = library.duplicates(chosen)
        if as_json:
            payload = {"groups": [{"ids": list(group.ids), "exact": group.exact} for group in groups]}
            click.echo(json.dumps(payload, ensure_ascii=False))
            return
        _print_groups(library, groups)


def _print_groups(library: Library, groups: list[DuplicateGroup]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    copies = sum(len(group.ids) for group in groups)
    summary = f"{plural(len(groups), 'group')} of copies, {plural(copies, 'article')} in all"
    console.print(Text(summary, style="bold"))
    for number, group in enumerate(groups, start=1):
        kind = "exact copies" if group.exact else "near copies"
        console.print(Text(f"{number:>3}. {plural(len(group.ids), 'article')}, {kind}", style="bold"))
        for article_id in group.ids:
            article = library.article(article_id)
            line = Text(f"     {iso(article.date, date_only=True) or 'undated':<10}  ")
            line.append(sanitize(article.title))
            line.append(f"  {sanitize(article_id)}", style="dim")
            console.print(line, soft_wrap=True)
