"""Export of every hit of a query, streamed a page at a time: CSV, JSON, JSON Lines or a Markdown
dossier. ``Library.export`` makes the ``Export``; ``write_export`` writes it in a format."""

from index.export.formats import ExportFormat, write_export, write_export_file
from index.export.header import ExportHeader
from index.export.rows import PAGE_SIZE, Export, ExportRow, export_row, paged

__all__ = [
    "PAGE_SIZE",
    "Export",
    "ExportFormat",
    "ExportHeader",
    "ExportRow",
    "export_row",
    "paged",
    "write_export",
    "write_export_file",
]
