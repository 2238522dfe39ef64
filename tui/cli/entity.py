"""``broadsheet entity``: correct the entities the machine found (hide, merge, rename, relabel), undo,
and list the corrections. They are kept in the corpus's notebook, in the user's data folder, and
apply to ``entities``, ``search``, the explorer and every later index."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from index.cleaning import sanitize
from index.entities.labels import ENTITY_LABELS
from tui.cli.options import corpus_option, index_dir_option, json_option, open_library
from tui.cli.updating import refresh

if TYPE_CHECKING:
    from index.library import Library
    from index.notebook.curation import CurationOp, Entity

label_option = click.option(
    "--label",
    type=click.Choice(ENTITY_LABELS, case_sensitive=False),
    help="The entity's label, when several labels share the name.",
)


@click.group("entity")
def entity_group() -> None:
    """Correct the entities found in a corpus: hide, merge, rename, relabel; undo; list.

    A NAME is an entity as `broadsheet entities` prints it (case may differ).
    """


@entity_group.command("hide")
@click.argument("name")
@label_option
@corpus_option
@index_dir_option
def hide_command(name: str, label: str | None, corpus: Path | None, index_dir: Path | None) -> None:
    """Hide a false entity everywhere entities are shown."""
    from index.notebook.curation import hide

    _curate(corpus, index_dir, lambda find: hide(find(name, label)))


@entity_group.command("merge")
@click.argument("alias")
@click.argument("canonical")
@label_option
@corpus_option
@index_dir_option
def merge_command(
    alias: str, canonical: str, label: str | None, corpus: Path | None, index_dir: Path | None
) -> None:
    """Merge ALIAS into CANONICAL: one entity, named and labelled as CANONICAL, found by either name."""
    from index.notebook.curation import merge

    _curate(corpus, index_dir, lambda find: merge(find(alias, label), find(canonical, None)))


@entity_group.command("rename")
@click.argument("old")
@click.argument("new")
@label_option
@corpus_option
@index_dir_option
def rename_command(
    old: str, new: str, label: str | None, corpus: Path | None, index_dir: Path | None
) -> None:
    """Rename the entity OLD to NEW (a query for either name finds it)."""
    from index.notebook.curation import rename

    _curate(corpus, index_dir, lambda find: rename(find(old, label), new))


@entity_group.command("relabel")
@click.argument("name")
@click.argument("new_label", metavar="LABEL", type=click.Choice(ENTITY_LABELS, case_sensitive=False))
@label_option
@corpus_option
@index_dir_option
def relabel_command(
    name: str, new_label: str, label: str | None, corpus: Path | None, index_dir: Path | None
) -> None:
    """Give the entity NAME another LABEL."""
    from index.notebook.curation import relabel

    _curate(corpus, index_dir, lambda find: relabel(find(name, label), new_label))


@entity_group.command("undo")
@corpus_option
@index_dir_option
def undo_command(corpus: Path | None, index_dir: Path | None) -> None:
    """Undo the last entity change."""
    with open_library(corpus, index_dir) as library:
        undone = library.notebook().undo()
    click.echo(f"Undone: {sanitize(undone.described)}.")


@entity_group.command("list")
@corpus_option
@index_dir_option
@json_option
def list_command(corpus: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """List the entity changes in force, oldest first.

    JSON: [{"operation", "name", "label", "new_name", "new_label", "made"}], new_name and new_label
    null for a hidden entity.
    """
    from index.notebook.exchange import op_json

    with open_library(corpus, index_dir) as library:
        ops = library.curation().ops
    if as_json:
        click.echo(json.dumps([op_json(op) for op in ops], ensure_ascii=False))
        return
    if not ops:
        click.echo("No entity changes.")
    for number, op in enumerate(ops, start=1):
        click.echo(f"{number:>3}. {sanitize(op.described)}  ({op.made:%Y-%m-%d %H:%M} UTC)")


Finder = Callable[[str, "str | None"], "Entity"]


def _curate(corpus: Path | None, index_dir: Path | None, make: Callable[[Finder], CurationOp]) -> None:
    """Make an operation from the entities as shown now, keep it in the notebook and say what it did."""
    from index.notebook.names import find_entity

    with open_library(corpus, index_dir) as library:
        refresh(library, entities=True)
        shown = _shown_entities(library)
        op = make(lambda name, label: find_entity(name, shown, label=label))
        library.notebook().curate(op)
    click.echo(f"Done: {sanitize(op.described)}.")


def _shown_entities(library: Library) -> list[Entity]:
    return [(facet.canonical, facet.label) for facet in library.facets("*", limit=sys.maxsize)]
