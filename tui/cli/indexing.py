"""``broadsheet index PATH``: build or refresh the index of a corpus and its entities; say what changed."""

from __future__ import annotations

import contextlib
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from index import IndexReport
from index.cleaning import sanitize
from tui.cli.options import engine_option, index_dir_option, json_option, open_library
from tui.cli.updating import progress_reporter
from tui.plural import plural

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from index.cluster import Cluster
    from index.library import Library

SKIP_EXAMPLES = 3
"""How many paths the index summary lists for each skip reason."""


@click.command("index")
@click.argument("path", type=click.Path(path_type=Path))
@index_dir_option
@engine_option
@click.option("--no-entities", is_flag=True, help="Stop after the text index; skip entity extraction.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait if another process is indexing this corpus.",
)
@click.option(
    "--cluster",
    "cluster_address",
    metavar="ADDRESS",
    help="Read, analyse and extract entities on the workers of the Dask scheduler at ADDRESS "
    "(tcp://HOST:PORT), which must see PATH at the same path, or on N local worker processes (local:N).",
)
@click.option(
    "--send-files",
    is_flag=True,
    help="With --cluster: send each file to the workers, for workers that do not see PATH.",
)
@json_option
def index_command(
    path: Path,
    index_dir: Path | None,
    engine: str | None,
    no_entities: bool,
    wait: float,
    cluster_address: str | None,
    send_files: bool,
    as_json: bool,
) -> None:
    """Index (or re-index, incrementally) the articles in PATH.

    Every file the walk sees is read or skipped with a reason (unsupported format included).
    JSON: {"corpus", "engine", "added", "updated", "removed", "unchanged", "articles", "elapsed",
    "skipped": [{"path", "reason", "detail"}], "entities_analysed"} (null when entities did not run).
    """
    if send_files and cluster_address is None:
        raise click.UsageError("--send-files goes with --cluster.")
    with (
        open_library(path, index_dir, engine) as library,
        _cluster(cluster_address, send_files=send_files) as cluster,
        progress_reporter() as progress,
    ):
        synced: dict[str, object] = {}

        def print_summary(report: IndexReport) -> None:
            progress.clear()
            if as_json:
                synced.update(_report_json(library, report))
            else:
                click.echo(_summary(library, report))

        update = library.update(
            entities=not no_entities, progress=progress, on_synced=print_summary, wait=wait, cluster=cluster
        )
    if as_json:
        click.echo(json.dumps({**synced, "entities_analysed": update.analysed}, ensure_ascii=False))
    elif update.analysed is not None:
        click.echo(f"Entities: {plural(update.analysed, 'article')} analysed.")


def _cluster(address: str | None, *, send_files: bool) -> AbstractContextManager[Cluster | None]:
    """The cluster at ``address``, connected and checked, closed on leaving; none without one."""
    if address is None:
        return contextlib.nullcontext()
    from index.cluster import connect

    cluster = connect(address)
    cluster.send_files = send_files
    return cluster


def _report_json(library: Library, report: IndexReport) -> dict[str, object]:
    return {
        "corpus": sanitize(str(library.corpus)),
        "engine": library.engine_name,
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "articles": library.count(),
        "elapsed": round(report.elapsed, 3),
        "skipped": [
            {"path": sanitize(skip.path), "reason": skip.reason.value, "detail": sanitize(skip.detail)}
            for skip in report.skipped
        ],
    }


def _summary(library: Library, report: IndexReport) -> str:
    rate = (report.added + report.updated) / report.elapsed if report.elapsed else 0.0
    lines = [
        f"Indexed {library.corpus}: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {len(report.skipped)} skipped "
        f"({report.elapsed:.1f} s, {rate:.0f} articles/s); {plural(library.count(), 'article')} in the index "
        f"({library.engine_name})."
    ]
    by_reason: dict[str, list[str]] = defaultdict(list)
    for skip in report.skipped:
        by_reason[skip.reason.value].append(skip.path)
    for reason, count in Counter({r: len(p) for r, p in by_reason.items()}).most_common():
        examples = ", ".join(sanitize(path) for path in by_reason[reason][:SKIP_EXAMPLES])
        more = ", ..." if count > SKIP_EXAMPLES else ""
        lines.append(f"  skipped ({reason}): {count}: {examples}{more}")
    return "\n".join(lines)
