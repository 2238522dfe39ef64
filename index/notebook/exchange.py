"""A notebook as a JSON file, to move it between machines: ``export`` writes one, ``read_file`` reads
and checks one and ``merge_in`` merges what it read into a notebook.

The file is versioned (``EXCHANGE_VERSION``): the entity curation, every article's star, tags and
note, with the hash of the text they were made on, and (since version 2) the saved searches; a
version 1 file is read as one without saved searches. Importing reads and checks the whole file before
it changes anything, so a malformed file, or one from a newer Broadsheet, is refused in one sentence
with the notebook as it was; then it merges, in one transaction: the operations the notebook does
not hold yet (same operation, entity, result and time) after its own, each article's notes, and
each saved search whose name it does not hold (of two under one name, the later saved is kept).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.entities.labels import ENTITY_LABELS
from index.errors import NotebookError
from index.models import ArticleNotes, DateFilter, EntityFilter, Query, SortOrder
from index.notebook.curation import CurationOp, Operation
from index.notebook.searches import SavedSearch, checked_name
from index.notebook.store import Notebook, checked_tag

FORMAT = "broadsheet-notebook"
EXCHANGE_VERSION = 2
"""1: curation and articles; 2: and saved searches."""

MAX_IMPORT_BYTES = 64 * 1024 * 1024
"""A larger file is refused: no notebook a person wrote comes near it."""


@dataclass(frozen=True, slots=True)
class NotebookFile:
    """What a notebook file holds, read and checked."""

    curation: list[CurationOp]
    articles: list[ArticleNotes]
    searches: list[SavedSearch]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: operations added, those the notebook already held, articles merged,
    saved searches added or replaced by a later one."""

    added: int
    present: int
    articles: int
    searches: int = 0


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


def notes_json(noted: ArticleNotes) -> dict[str, object]:
    return {
        "id": noted.article_id,
        "body_hash": noted.body_hash,
        "starred": noted.starred,
        "tags": list(noted.tags),
        "note": noted.note,
        "noted": noted.noted.isoformat(),
    }


def saved_json(search: SavedSearch) -> dict[str, object]:
    dates = search.query.dates or DateFilter()
    return {
        "name": search.name,
        "text": search.query.text,
        "filters": [{"label": f.label, "canonical": f.canonical} for f in search.query.filters],
        "first_day": dates.first.isoformat() if dates.first else None,
        "last_day": dates.last.isoformat() if dates.last else None,
        "sort": search.query.sort.value,
        "collapse": search.collapse,
        "saved": search.saved.isoformat(),
    }


def export(notebook: Notebook, corpus: Path, path: Path) -> NotebookFile:
    """Write ``notebook`` to ``path`` (replaced atomically); returns what it wrote."""
    written = NotebookFile(
        list(notebook.curation().ops), notebook.noted_articles(), notebook.saved_searches()
    )
    payload = {
        "format": FORMAT,
        "version": EXCHANGE_VERSION,
        "corpus": str(corpus),
        "exported": dt.datetime.now(dt.timezone.utc).isoformat(),
        "curation": [op_json(op) for op in written.curation],
        "articles": [notes_json(noted) for noted in written.articles],
        "saved_searches": [saved_json(search) for search in written.searches],
    }
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise NotebookError(f"Cannot write {path}: {error.strerror}.") from None
    return written


def merge_in(notebook: Notebook, read: NotebookFile) -> ImportReport:
    """Add to ``notebook`` what a file (``read_file``) holds: the operations it does not hold yet,
    after its own; each article's star (either), tags (both) and note (both, unless one holds the
    other)."""
    known = {(op, op.made) for op in notebook.curation().ops}
    new = []
    for op in read.curation:
        if (op, op.made) not in known:
            new.append(op)
            known.add((op, op.made))
    merged = [_merged(notebook.article_notes(noted.article_id), noted) for noted in read.articles]
    held = {search.name: search for search in notebook.saved_searches()}
    searches = [
        search
        for search in read.searches
        if search.name not in held or (held[search.name] != search and held[search.name].saved < search.saved)
    ]
    notebook.add_operations(new, merged, searches)
    return ImportReport(
        added=len(new), present=len(read.curation) - len(new), articles=len(merged), searches=len(searches)
    )


def _merged(held: ArticleNotes | None, incoming: ArticleNotes) -> ArticleNotes:
    if held is None:
        return incoming
    note = held.note
    if incoming.note and incoming.note not in note:
        note = incoming.note if not note or note in incoming.note else f"{note}\n\n{incoming.note}"
    return replace(
        held,
        starred=held.starred or incoming.starred,
        tags=tuple(sorted({*held.tags, *incoming.tags})),
        note=note,
        noted=max(held.noted, incoming.noted),
    )


def read_file(path: Path) -> NotebookFile:
    """What a notebook file holds, all checked. Raises NotebookError."""
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
    entries, articles = data.get("curation", []), data.get("articles", [])
    searches = data.get("saved_searches", [])
    if not all(isinstance(part, list) for part in (entries, articles, searches)):
        raise NotebookError(
            f"{path} is not a notebook file: its curation, articles or saved searches are not a list."
        )
    return NotebookFile(
        [_op(entry, path, number) for number, entry in enumerate(entries, start=1)],
        [_notes(entry, path, number) for number, entry in enumerate(articles, start=1)],
        [_saved(entry, path, number) for number, entry in enumerate(searches, start=1)],
    )


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


def _notes(entry: Any, path: Path, number: int) -> ArticleNotes:
    """One article's notes of the file, checked field by field."""
    where = f"{path} is not a valid notebook file: article entry {number}"
    if not isinstance(entry, dict):
        raise NotebookError(f"{where} is not an object.")
    try:
        article_id, body_hash = _text(entry, "id"), _text(entry, "body_hash")
        noted = _aware(dt.datetime.fromisoformat(_text(entry, "noted")))
    except (ValueError, TypeError):
        raise NotebookError(f"{where} lacks an id, a body hash or a valid time.") from None
    starred, tags, note = entry.get("starred", False), entry.get("tags", []), entry.get("note", "")
    if not isinstance(starred, bool) or not isinstance(note, str):
        raise NotebookError(f"{where} has a star that is not true or false, or a note that is not text.")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise NotebookError(f"{where} has tags that are not a list of text.")
    try:
        checked = tuple(sorted({checked_tag(tag) for tag in tags}))
    except NotebookError as error:
        raise NotebookError(f"{where}: {error}") from None
    return ArticleNotes(article_id, body_hash, noted, starred=starred, tags=checked, note=note)


def _saved(entry: Any, path: Path, number: int) -> SavedSearch:
    """One saved search of the file, checked field by field."""
    where = f"{path} is not a valid notebook file: saved search {number}"
    if not isinstance(entry, dict):
        raise NotebookError(f"{where} is not an object.")
    try:
        name, saved = checked_name(_text(entry, "name")), _text(entry, "saved")
        text, filters = entry.get("text", ""), entry.get("filters", [])
        collapse = entry.get("collapse", False)
        if not isinstance(text, str) or not isinstance(collapse, bool) or not isinstance(filters, list):
            raise TypeError(name)
        entities = tuple(EntityFilter(_text(f, "label"), _text(f, "canonical")) for f in filters)
        first, last = (_day(entry.get(key)) for key in ("first_day", "last_day"))
        query = Query(
            text, entities, DateFilter(first, last) if first or last else None, SortOrder(entry.get("sort"))
        )
        when = _aware(dt.datetime.fromisoformat(saved))
    except (ValueError, TypeError, AttributeError, NotebookError):
        raise NotebookError(f"{where} lacks a name, a query, a sort or a valid time.") from None
    if any(entity.label not in ENTITY_LABELS for entity in entities):
        raise NotebookError(f"{where} filters by an unknown label.")
    return SavedSearch(name, query, collapse, when)


def _day(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(value)
    return dt.date.fromisoformat(value)


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(key)
    return value


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)
