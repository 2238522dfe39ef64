"""The export formats, by name, and writing an export in one of them."""

from __future__ import annotations

import datetime as dt
import os
from contextlib import suppress
from enum import Enum
from pathlib import Path
from typing import TextIO

from index.errors import ExportError
from index.export.dossier import write_dossier
from index.export.header import ExportHeader
from index.export.json_array import write_json_array
from index.export.json_lines import write_json_lines
from index.export.rows import Export, PageCallback
from index.export.spreadsheet import write_csv


class ExportFormat(str, Enum):
    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"
    MARKDOWN = "md"

    @property
    def extension(self) -> str:
        """The file name extension, without the dot."""
        return self.value


def write_export(
    export: Export,
    form: ExportFormat,
    out: TextIO,
    *,
    bom: bool = False,
    exported_at: dt.datetime | None = None,
    on_page: PageCallback | None = None,
) -> int:
    """Write every row of ``export`` to ``out`` as ``form`` (``bom``: CSV only); returns how many
    rows were written. Raises Cancelled if the export's ``should_stop`` says so between pages."""
    header = ExportHeader(
        export.query,
        export.total,
        exported_at or dt.datetime.now(dt.timezone.utc),
        entities=export.entities,
        notes=export.notes,
    )
    rows = export.rows(on_page)
    if form is ExportFormat.CSV:
        return write_csv(rows, out, header, bom=bom)
    if form is ExportFormat.JSONL:
        return write_json_lines(rows, out, header)
    if form is ExportFormat.JSON:
        return write_json_array(rows, out, header)
    return write_dossier(rows, out, header)


def write_export_file(
    export: Export,
    form: ExportFormat,
    path: Path,
    *,
    bom: bool = False,
    exported_at: dt.datetime | None = None,
    on_page: PageCallback | None = None,
) -> int:
    """``write_export`` to the file ``path``, which appears only once it is whole: the rows go to a
    file beside it that replaces it at the end, and is removed if the export fails or is cancelled.
    Raises ExportError if it cannot be written."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            written = write_export(export, form, out, bom=bom, exported_at=exported_at, on_page=on_page)
        partial.replace(path)
    except BaseException as error:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(error, OSError):
            reason = error.strerror or type(error).__name__
            raise ExportError(f"Cannot write the export to {path}: {reason}.") from None
        raise
    return written
