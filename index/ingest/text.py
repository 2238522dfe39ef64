"""Plain text and Markdown: the first line that is not boilerplate is the title, the rest the body."""

from __future__ import annotations

from index.cleaning import sanitize
from index.ingest.extract import extract
from index.ingest.reader import ReadResult
from index.models import Article, Skip, SkipReason


class TextReader:
    """Reads ``.txt`` and ``.md`` files: one article per file, with its id the file's path."""

    def read(self, rel: str, text: str) -> ReadResult:
        original = sanitize(text)
        extracted = extract(original)
        if extracted is None:
            return ReadResult(skips=[Skip(rel, SkipReason.NO_TEXT, "nothing but blank or boilerplate lines")])
        article = Article(
            id=rel,
            path=rel,
            title=extracted.title,
            body=extracted.body,
            original=original,
            source=extracted.source,
            author=extracted.author,
            date=extracted.date,
        )
        return ReadResult(articles=[article])
