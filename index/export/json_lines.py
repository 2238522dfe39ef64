"""JSON Lines: one JSON object a line, one line per article."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from index.export.header import ExportHeader
from index.export.records import record
from index.export.rows import ExportRow


def write_json_lines(rows: Iterable[ExportRow], out: TextIO, header: ExportHeader) -> int:
    written = 0
    for row in rows:
        out.write(json.dumps(record(row, header), ensure_ascii=False))
        out.write("\n")
        written += 1
    return written
