"""One results file per benchmark, one row per corpus: a run replaces the rows of the corpora it
measured and keeps the others, so that a slow 1M run can join an earlier run of the smaller sizes.
Each row says when it was measured and how loaded the machine was."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


def stamp(row: dict) -> dict:
    """``row`` with the time and the one-minute load average of now."""
    return {**row, "measured": time.strftime("%Y-%m-%d %H:%M"), "load_average": round(os.getloadavg()[0], 2)}


def row_key(row: dict) -> tuple[str, str]:
    """A row is one corpus measured with one engine (rows from before the engines were Whoosh's)."""
    return row["corpus"], row.get("engine", "whoosh")


def save_rows(out: Path, rows: list[dict], **header: object) -> None:
    """Write ``rows`` into ``out``, replacing earlier rows of the same corpus and engine, sorted by size."""
    earlier = json.loads(out.read_text()).get("results", []) if out.exists() else []
    merged = {row_key(row): row for row in earlier}
    merged.update({row_key(row): row for row in rows})
    ordered = sorted(merged.values(), key=lambda row: (row["articles"], row.get("engine", "whoosh")))
    payload = {**header, "results": ordered}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2) + "\n")
