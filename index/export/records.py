"""An export row as a JSON object, for both JSON formats."""

from __future__ import annotations

from typing import Any

from index.export.header import ExportHeader
from index.export.rows import ExportRow


def record(row: ExportRow, header: ExportHeader) -> dict[str, Any]:
    """The row's fields named by ``header.columns``: dates in ISO 8601 (or null), tags a list,
    entities an object of label -> names, notes a string."""
    fields: dict[str, Any] = {
        "id": row.id,
        "path": row.path,
        "title": row.title,
        "source": row.source,
        "author": row.author,
        "date": None if row.date is None else row.date.isoformat(),
        "url": row.url,
        "score": row.score,
        "tags": list(row.tags),
    }
    if header.entities:
        fields["entities"] = {label: list(names) for label, names in (row.entities or {}).items()}
    if header.notes:
        fields["notes"] = row.notes or ""
    return fields
