"""CSV that a spreadsheet opens as it should: UTF-8 (a byte order mark on request, for the
spreadsheets that guess the encoding without one), RFC 4180 quoting, and no cell read as a formula.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or line break, which some
spreadsheets skip before such a sign; rows carry ``\n`` for every kind) is a formula to a
spreadsheet: an article title such as ``=HYPERLINK("http://evil", "click")`` would run when the
file is opened. Such a cell is written with a leading ``'``, which spreadsheets show as text
(OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import TextIO

from index.export.header import ExportHeader
from index.export.rows import ExportRow

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def write_csv(rows: Iterable[ExportRow], out: TextIO, header: ExportHeader, *, bom: bool = False) -> int:
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header.columns)
    written = 0
    for row in rows:
        writer.writerow([guarded(cell) for cell in cells(row, header)])
        written += 1
    return written


def cells(row: ExportRow, header: ExportHeader) -> list[str]:
    """The row's cells in ``header.columns`` order: tags joined by "; ", entities as
    ``LABEL: name, name; LABEL: name``."""
    values = [
        row.id,
        row.path,
        row.title,
        row.source or "",
        row.author or "",
        "" if row.date is None else row.date.isoformat(),
        row.url or "",
        f"{row.score:.6g}",
        "; ".join(row.tags),
    ]
    if header.entities:
        values.append(entity_cell(row.entities or {}))
    if header.notes:
        values.append(row.notes or "")
    return values


def entity_cell(entities: Mapping[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{label}: {', '.join(names)}" for label, names in entities.items())


def guarded(cell: str) -> str:
    """``cell``, with a ``'`` before it if a spreadsheet would read it as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell
