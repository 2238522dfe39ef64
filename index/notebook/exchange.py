"""A notebook as a JSON file, to move it between machines: ``export`` writes one, ``read_file`` reads
and checks one and ``merge_in`` merges what it read into a notebook.

The file is versioned (``EXCHANGE_VERSION``). Importing reads and checks the whole file before it
changes anything, so a malformed file, or one from a newer Broadsheet, is refused in one sentence
with the notebook as it was; then it adds, in one transaction, the operations the notebook does not
hold yet (same operation, entity, result and time), after its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.entities.labels import ENTITY_LABELS
from index.errors import NotebookError
from index.notebook.curation import CurationOp, Operation
from index.notebook.store import Notebook

FORMAT = "broadsheet-notebook"
EXCHANGE_VERSION = 1

MAX_IMPORT_BYTES = 64 * 1024 * 1024
"""A larger file is refused: no notebook a person wrote comes near it."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: operations added, and those the notebook already held."""

    added: int
    present: int


def op_json(op: CurationOp) -> dict[str, str | None]:
    new_name, new_label = op.becomes if op.becomes is not None else (None, None)
    return {
        "operation": op.operation.value,
        "name": op.name,
        "label": op.label,
        "new_name": new_name,
        "new_label": new_label,
        "made": op.made.isoformat(),
    }


def export(notebook: Notebook, corpus: Path, path: Path) -> int:
    """Write ``notebook`` to ``path`` (replaced atomically); returns how many operations it holds."""
    ops = notebook.curation().ops
    payload = {
        "format": FORMAT,
        "version": EXCHANGE_VERSION,
        "corpus": str(corpus),
        "exported": dt.datetime.now(dt.timezone.utc).isoformat(),
        "curation": [op_json(op) for op in ops],
    }
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise NotebookError(f"Cannot write {path}: {error.strerror}.") from None
    return len(ops)


def merge_in(notebook: Notebook, ops: list[CurationOp]) -> ImportReport:
    """Add to ``notebook`` the operations of a file (``read_file``) that it does not hold yet."""
    known = {(op, op.made) for op in notebook.curation().ops}
    new = []
    for op in ops:
        if (op, op.made) not in known:
            new.append(op)
            known.add((op, op.made))
    notebook.add_operations(new)
    return ImportReport(added=len(new), present=len(ops) - len(new))


def read_file(path: Path) -> list[CurationOp]:
    """The operations of a notebook file, all checked. Raises NotebookError."""
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise NotebookError(f"{path} is too large to be a notebook file.")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise NotebookError(f"Cannot read {path}: {error.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NotebookError(f"{path} is not a notebook file: it is not JSON.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise NotebookError(f"{path} is not a notebook file: it lacks the format {FORMAT!r}.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise NotebookError(f"{path} is not a notebook file: its version is missing or not a number.")
    if version > EXCHANGE_VERSION:
        raise NotebookError(
            f"{path} was written by a newer Broadsheet (version {version}); "
            f"this one reads up to version {EXCHANGE_VERSION}."
        )
    entries = data.get("curation", [])
    if not isinstance(entries, list):
        raise NotebookError(f"{path} is not a notebook file: its curation is not a list.")
    return [_op(entry, path, number) for number, entry in enumerate(entries, start=1)]


def _op(entry: Any, path: Path, number: int) -> CurationOp:
    """One operation of the file, checked field by field."""
    where = f"{path} is not a valid notebook file: curation entry {number}"
    if not isinstance(entry, dict):
        raise NotebookError(f"{where} is not an object.")
    try:
        operation = Operation(entry.get("operation"))
        name, label, made = _text(entry, "name"), _text(entry, "label"), _text(entry, "made")
        new_name, new_label = entry.get("new_name"), entry.get("new_label")
        when = dt.datetime.fromisoformat(made)
    except (ValueError, TypeError):
        raise NotebookError(f"{where} lacks an operation, a name, a label or a valid time.") from None
    if label not in ENTITY_LABELS:
        raise NotebookError(f"{where} has the unknown label {label!r}.")
    if operation is Operation.HIDE:
        if new_name is not None or new_label is not None:
            raise NotebookError(f"{where} hides an entity and also gives it a new name or label.")
        return CurationOp(operation, name, label, None, _aware(when))
    if not isinstance(new_name, str) or not new_name or new_label not in ENTITY_LABELS:
        raise NotebookError(f"{where} needs a new name and a known new label.")
    return CurationOp(operation, name, label, (new_name, str(new_label)), _aware(when))


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(key)
    return value


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)
