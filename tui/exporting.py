"""The explorer's export, apart from the screen that asks for it: where a file goes by default, and
the job a worker thread runs (every hit of the query, with tags, notes and entities)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.export import ExportFormat, write_export_file
from index.models import Query, StopCheck

if TYPE_CHECKING:
    from index.api import LibraryAPI

ExportProgress = Callable[[int, int], None]
"""Told (rows written, total) after each page."""


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the user chose: a format and a file."""

    form: ExportFormat
    path: Path


def default_path(form: ExportFormat, now: dt.datetime, home: Path | None = None) -> Path:
    """``~/broadsheet-export-<timestamp>.<ext>``, or in the current folder when the home folder
    cannot be written."""
    folder = home or Path.home()
    if not (folder.is_dir() and os.access(folder, os.W_OK)):
        folder = Path.cwd()
    return folder / f"broadsheet-export-{now.strftime('%Y%m%d-%H%M%S')}.{form.extension}"


def with_extension(path: Path, form: ExportFormat) -> Path:
    """``path`` with the extension of ``form`` if it has the extension of another format."""
    extensions = {f".{other.extension}" for other in ExportFormat}
    return path.with_suffix(f".{form.extension}") if path.suffix in extensions else path


def run_export(
    library: LibraryAPI, query: Query, choice: ExportChoice, progress: ExportProgress, should_stop: StopCheck
) -> int:
    """Write every hit of ``query`` to the chosen file; returns how many. Raises QueryError,
    ExportError, Cancelled (no file is left behind then)."""
    snippets = choice.form is ExportFormat.MARKDOWN
    with library.export(
        query, entities=True, notes=True, snippets=snippets, should_stop=should_stop
    ) as export:
        total = export.total
        progress(0, total)
        return write_export_file(export, choice.form, choice.path, on_page=lambda done: progress(done, total))
