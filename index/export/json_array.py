"""JSON: one array of objects, written one object at a time (``[]`` when nothing matched)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from index.export.header import ExportHeader
from index.export.records import record
from index.export.rows import ExportRow


def write_json_array(rows: Iterable[ExportRow], out: TextIO, header: ExportHeader) -> int:
    written = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if written else "\n")
        out.write(json.dumps(record(row, header), ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written
