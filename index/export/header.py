"""What every export format is told before its rows: the query, how many articles, when, and which
optional columns were asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExportHeader:
    query: str
    """The query as a person reads it."""
    total: int
    exported_at: dt.datetime
    entities: bool = False
    notes: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields of every row, in order (the CSV header, the JSON keys)."""
        optional = (("entities",) if self.entities else ()) + (("notes",) if self.notes else ())
        return (*BASE_COLUMNS, *optional)


BASE_COLUMNS = ("id", "path", "title", "source", "author", "date", "url", "score", "tags")
