"""``broadsheet keys``: every key binding after the user's keymap, and what is wrong with the keymap."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from tui.cli.options import json_option

if TYPE_CHECKING:
    from tui.keymap import KeyRow


@click.command("keys")
@json_option
def keys_command(as_json: bool) -> None:
    """Print every key binding: its id, keys, description and where it works, after the keymap file
    (keymap.toml in the config folder, or in $BROADSHEET_CONFIG_DIR).

    A mistake in the keymap is one line on stderr, with its line number; that binding keeps its
    default key. JSON: [{"id", "keys": [...], "description", "where"}].
    """
    import tui.app  # noqa: F401  (loads every screen and widget, whose bindings are listed)
    from tui.keymap import binding_scopes, key_rows, keymap_path, load_keymap

    path = keymap_path()
    scopes = binding_scopes()
    loaded = load_keymap(path, scopes)
    for problem in loaded.problems:
        click.echo(f"broadsheet: {path} {problem}", err=True)
    rows = key_rows(scopes, loaded.keymap)
    if as_json:
        click.echo(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2))
        return
    widths = [max(len(text) for text in column) for column in zip(*_cells(rows), strict=True)]
    for cells in _cells(rows):
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip())


def _cells(rows: list[KeyRow]) -> list[tuple[str, str, str, str]]:
    header = ("ID", "KEYS", "DESCRIPTION", "WHERE")
    return [header, *((row.id, " ".join(row.keys), row.description, row.where) for row in rows)]
