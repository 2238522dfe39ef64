"""Export of every hit of a query, streamed a page at a time: CSV, JSON, JSON Lines or a Markdown
dossier. ``Library.export`` makes the ``Export``; ``write_export`` writes it in a format."""

from index.export.formats import ExportFormat, write_export, write_export_file
from index.export.header import ExportHeader
from index.export.rows import Export, ExportRow, export_row

__all__ = [
    "Export",
    "ExportFormat",
    "ExportHeader",
    "ExportRow",
    "export_row",
    "write_export",
    "write_export_file",
]
