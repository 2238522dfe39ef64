"""Plain text: the first line that is not boilerplate is the title, the rest the body.

A file may open with front matter (``---`` lines around ``key: value`` pairs, as
static-site generators write it); its ``title``, ``date``, ``author``, ``source`` and ``url``
are used, other keys are kept as metadata. Only flat ``key: value`` lines are read: front
matter with nested YAML keeps its scalar lines and ignores the rest.
"""

from __future__ import annotations

import re

from index.cleaning import sanitize
from index.ingest.dates import parse_date
from index.ingest.extract import extract, normalize_title
from index.ingest.reader import ReadResult
from index.models import Article, Skip, SkipReason

_FRONT_MATTER = re.compile(r"---[ \t]*\n(.{0,8000}?)\n---[ \t]*(?:\n|$)", re.DOTALL)
_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_ARTICLE_FIELDS = frozenset(("title", "date", "author", "source", "url"))


class TextReader:
    """Reads ``.txt`` files: one article per file, with its id the file's path."""

    def read(self, rel: str, text: str) -> ReadResult:
        original = sanitize(text)
        fields, content = front_matter(original)
        extracted = extract(self.prose(content), normalize_title(fields.get("title", "")) or None)
        if extracted is None:
            return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "nothing but blank or boilerplate lines")])
        article = Article(
            id=rel,
            path=rel,
            title=extracted.title,
            body=extracted.body,
            original=original,
            source=fields.get("source") or extracted.source,
            author=fields.get("author") or extracted.author,
            date=parse_date(fields.get("date", "")) or extracted.date,
            url=fields.get("url"),
            metadata={key: value for key, value in fields.items() if key not in _ARTICLE_FIELDS},
        )
        return ReadResult(articles=[article])

    def prose(self, content: str) -> str:
        """The text after the front matter as a reader reads it: plain text already is."""
        return content


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` pairs of a leading ``---`` block, and the text after it."""
    block = _FRONT_MATTER.match(text)
    if block is None:
        return {}, text
    fields = {}
    for line in block[1].split("\n"):
        field = _FIELD.fullmatch(line)
        if field and (value := field[2].strip().strip("\"'").strip()):
            fields[field[1].lower()] = value
    return fields, text[block.end() :]
