"""The query fields of the user's notebook: ``starred:yes``, ``tag:``, ``note:``.

Stars, tags and notes live in the notebook, not in the index (they must survive deleting it), so
their clauses are answered from ``Query.marks`` and become the ids of the articles they find: an
``id`` clause every engine can run. Each id is one article's, so each adds the same score to its
article: a star does not reorder the hits it keeps. (A boost of 0 would add nothing, but Whoosh then
drops matches of a fresh index's segment.)
``note:`` reads notes the way the body is read (the body field's analyser: ``note:protests`` finds
a note saying "protest"); ``tag:`` compares whole tags, ignoring case; both take ``*`` wildcards.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from whoosh.fields import KEYWORD, TEXT, FieldType, Schema

from index import query_tree as qt
from index.errors import QueryError
from index.models import MarkedArticles

STARRED, TAG, NOTE = "starred", "tag", "note"
YES, NO = "yes", "no"

ID_FIELD = "id"


def notebook_fields(schema: Schema) -> dict[str, FieldType]:
    """The fields of the notebook, as the query parser reads them (never indexed)."""
    return {
        STARRED: KEYWORD(lowercase=True),
        TAG: KEYWORD(lowercase=True),
        NOTE: TEXT(analyzer=schema["body"].analyzer, phrase=True),
    }


def with_marks(schema: Schema, tree: qt.Node, marks: MarkedArticles | None) -> qt.Node:
    """``tree`` with each notebook clause replaced by the articles it finds (none without ``marks``)."""
    return _Marks(schema, marks or MarkedArticles()).replace(tree)


class _Marks:
    def __init__(self, schema: Schema, marks: MarkedArticles) -> None:
        self._schema = schema
        self._marks = marks
        self._note_words: dict[str, tuple[str, ...]] | None = None

    def replace(self, node: qt.Node) -> qt.Node:
        field = getattr(node, "field", None)
        if field in (STARRED, TAG, NOTE):
            return self._clause(field, node)
        if isinstance(node, (qt.And, qt.Or)):
            return type(node)(tuple(self.replace(child) for child in node.children), node.boost)
        if isinstance(node, qt.Not):
            return qt.Not(self.replace(node.child), node.boost)
        if isinstance(node, qt.AndNot):
            return qt.AndNot(self.replace(node.positive), self.replace(node.negative), node.boost)
        if isinstance(node, qt.AndMaybe):
            return qt.AndMaybe(self.replace(node.required), self.replace(node.optional), node.boost)
        if isinstance(node, qt.Require):
            return qt.Require(self.replace(node.scored), self.replace(node.required), node.boost)
        return node

    def _clause(self, field: str, node: qt.Node) -> qt.Node:
        if field == STARRED:
            return self._starred(node)
        if field == TAG:
            return _articles(self._tagged(node))
        return _articles(self._noted(node))

    def _starred(self, node: qt.Node) -> qt.Node:
        if isinstance(node, qt.Term) and node.text in (YES, NO):
            starred = _articles(self._marks.starred)
            return starred if node.text == YES else qt.AndNot(qt.Every(), starred)
        if isinstance(node, qt.Every):
            return qt.Every()
        raise QueryError("starred: takes yes or no (starred:yes, starred:no).")

    def _tagged(self, node: qt.Node) -> Iterable[str]:
        tags = self._marks.tags
        if isinstance(node, qt.Term):
            return tags.get(node.text.casefold(), frozenset())
        pattern = _pattern(node, TAG)
        return (article for tag, ids in tags.items() if pattern.fullmatch(tag) for article in ids)

    def _noted(self, node: qt.Node) -> Iterable[str]:
        notes = self._words()
        if isinstance(node, qt.Term):
            return (article for article, words in notes.items() if node.text in words)
        if isinstance(node, qt.Phrase):
            return (article for article, words in notes.items() if _holds(words, node.words))
        pattern = _pattern(node, NOTE)
        return (article for article, words in notes.items() if any(pattern.fullmatch(w) for w in words))

    def _words(self) -> dict[str, tuple[str, ...]]:
        """Each note's words, analysed as the body's are (once per query)."""
        if self._note_words is None:
            field = self._schema["body"]
            self._note_words = {
                article: tuple(field.process_text(note, mode="index"))
                for article, note in self._marks.notes.items()
            }
        return self._note_words


def _pattern(node: qt.Node, field: str) -> re.Pattern[str]:
    """The words a prefix or wildcard clause stands for, as a pattern; any other clause is refused."""
    if isinstance(node, qt.Prefix):
        return re.compile(re.escape(node.text.casefold()) + ".*", re.DOTALL)
    if isinstance(node, qt.Wildcard):
        return re.compile(fnmatch.translate(node.pattern.casefold()))
    if isinstance(node, qt.Every):
        return re.compile(".+", re.DOTALL)
    raise QueryError(f'{field}: takes words, "phrases" and * wildcards, not ranges or fuzzy words.')


def _holds(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[start : start + size] == phrase for start in range(len(words) - size + 1))


def _articles(ids: Iterable[str]) -> qt.Node:
    """The articles with these ids; ``Nothing`` for none."""
    found = sorted(set(ids))
    if not found:
        return qt.Nothing()
    return qt.Or(tuple(qt.Term(ID_FIELD, article) for article in found))
