"""JSON and JSON Lines: one article per object.

A ``.json`` file holds one object or an array of objects; a ``.jsonl`` file one object per
line. Fields read: ``title`` (or ``headline``), ``text`` | ``body`` | ``content``, ``date``
(ISO 8601, a Unix timestamp, or a date as people write it), ``author`` (a string or a list),
``url``, ``source``. Any other scalar field is kept, as a string, in ``Article.metadata``.

Record ids are ``rel#N``: in an array N is the element's 1-based position, in JSON Lines the
1-based line number, so an id stays put when another line is fixed, broken or blank. A line
that is not JSON is skipped (MALFORMED, with its line number) and the rest of the file is read.
"""

from __future__ import annotations

import datetime as dt
import json

from index.cleaning import sanitize
from index.ingest.dates import date_from_timestamp, parse_date
from index.ingest.extract import extract, normalize_title
from index.ingest.publishers import canonical_publisher
from index.ingest.reader import ReadResult
from index.models import Article, Skip, SkipReason

_TITLE_FIELDS = ("title", "headline")
_TEXT_FIELDS = ("text", "body", "content")
_DATE_FIELDS = ("date", "published", "published_at")
_DECODER = json.JSONDecoder(strict=False)  # control characters inside strings are sanitised, not fatal
_KNOWN_FIELDS = frozenset(
    (*_TITLE_FIELDS, *_TEXT_FIELDS, *_DATE_FIELDS, "author", "authors", "url", "source")
)


class JsonReader:
    """Reads ``.json``: one object (id ``rel``) or an array of objects (ids ``rel#N``)."""

    def read(self, rel: str, text: str) -> ReadResult:
        try:
            value = _DECODER.decode(text)
        except (ValueError, RecursionError) as error:
            return ReadResult(skips=[Skip(rel, SkipReason.MALFORMED, _json_error(error))])
        if isinstance(value, dict):
            return ReadResult.collect([_record(value, rel, rel, text)])
        if isinstance(value, list):
            if not value:
                return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "an empty array")])
            records = (_record(item, f"{rel}#{n}", rel, _dump(item)) for n, item in enumerate(value, start=1))
            return ReadResult.collect(records)
        return ReadResult(
            skips=[Skip(rel, SkipReason.MALFORMED, "neither an object nor an array of objects")]
        )


class JsonLinesReader:
    """Reads ``.jsonl``: one object per line, ids ``rel#N`` with N the line number."""

    def read(self, rel: str, text: str) -> ReadResult:
        results: list[Article | Skip] = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            record_id = f"{rel}#{number}"
            try:
                value = _DECODER.decode(line)
            except (ValueError, RecursionError) as error:
                results.append(Skip(record_id, SkipReason.MALFORMED, f"line {number}: {_json_error(error)}"))
                continue
            results.append(_record(value, record_id, rel, line))
        if not results:
            return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "no JSON lines")])
        return ReadResult.collect(results)


def _record(value: object, record_id: str, rel: str, original: str) -> Article | Skip:
    if not isinstance(value, dict):
        return Skip(record_id, SkipReason.MALFORMED, f"a JSON {type(value).__name__}, not an object")
    text = _text(_first(value, _TEXT_FIELDS))
    if not text:
        return Skip(record_id, SkipReason.NO_TEXT, "no text, body or content field")
    title = _text(_first(value, _TITLE_FIELDS))
    extracted = extract(sanitize(text), normalize_title(sanitize(title)) or None)
    if extracted is None:
        return Skip(record_id, SkipReason.NO_TEXT, "nothing but blank or boilerplate text")
    source = _text(value.get("source"))
    return Article(
        id=record_id,
        path=rel,
        title=extracted.title,
        body=extracted.body,
        original=sanitize(original),
        source=(canonical_publisher(source) or sanitize(source).strip()) if source else extracted.source,
        author=_author(value) or extracted.author,
        date=_date(_first(value, _DATE_FIELDS)) or extracted.date,
        url=sanitize(_text(value.get("url"))).strip() or None,
        metadata=_metadata(value),
    )


def _first(record: dict[str, object], names: tuple[str, ...]) -> object:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def _text(value: object) -> str:
    """A field as text: strings as they are, lists of strings as paragraphs, scalars as written."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return "\n\n".join(part for part in map(_text, value) if part)
    return value if isinstance(value, str) else json.dumps(value)


def _author(record: dict[str, object]) -> str | None:
    value = _first(record, ("author", "authors"))
    if isinstance(value, list):
        value = ", ".join(filter(None, map(_text, value)))
    author = normalize_title(sanitize(_text(value)))
    return author or None


def _date(value: object) -> dt.datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return date_from_timestamp(value)
    return parse_date(value.strip()) if isinstance(value, str) else None


def _metadata(record: dict[str, object]) -> dict[str, str]:
    return {
        sanitize(key): sanitize(_text(value))
        for key, value in record.items()
        if key not in _KNOWN_FIELDS and value is not None and not isinstance(value, (dict, list))
    }


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _json_error(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
