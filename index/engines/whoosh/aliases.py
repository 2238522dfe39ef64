"""Entity clauses of a query tree widened to every name the user's curation made one entity.

After "Navalny" is merged into "Alexei Navalny", the index still holds each article's entities as
the entity phase named them. So ``person:navalny`` (typed) or the chip ``person:"Alexei Navalny"``
(a filter) must also find the articles stored under the other names of the same entity: each
entity-field word or phrase that occurs, as consecutive words, in one of a group's names becomes
"this, or any name of the group" (``Query.aliases``). Done on the engine-independent tree, so every
engine gets it; clauses only widen, so nothing the user typed finds less than before.
"""

from __future__ import annotations

import dataclasses

from whoosh.fields import Schema

from index import query_tree as qt
from index.entities.labels import ENTITY_FIELDS
from index.models import EntityFilter

Groups = tuple[tuple[EntityFilter, ...], ...]

ANY_LABEL_FIELD = "entity"
"""The field that holds every entity, whatever its label."""

ENTITY_QUERY_FIELDS = frozenset({*ENTITY_FIELDS.values(), ANY_LABEL_FIELD})


def with_aliases(schema: Schema, tree: qt.Node, groups: Groups) -> qt.Node:
    """``tree`` with each entity clause that names one of a group's entities widened to the group."""
    if not groups:
        return tree
    return _Widener(schema, groups).widen(tree)


class _Widener:
    def __init__(self, schema: Schema, groups: Groups) -> None:
        self._schema = schema
        self._groups = groups

    def widen(self, node: qt.Node) -> qt.Node:
        if isinstance(node, (qt.Term, qt.Phrase)):
            return self._clause(node)
        if isinstance(node, (qt.And, qt.Or)):
            return dataclasses.replace(node, children=tuple(self.widen(child) for child in node.children))
        if isinstance(node, qt.Not):
            return dataclasses.replace(node, child=self.widen(node.child))
        if isinstance(node, qt.AndNot):
            return dataclasses.replace(
                node, positive=self.widen(node.positive), negative=self.widen(node.negative)
            )
        if isinstance(node, qt.AndMaybe):
            return dataclasses.replace(
                node, required=self.widen(node.required), optional=self.widen(node.optional)
            )
        if isinstance(node, qt.Require):
            return dataclasses.replace(
                node, scored=self.widen(node.scored), required=self.widen(node.required)
            )
        return node

    def _clause(self, node: qt.Term | qt.Phrase) -> qt.Node:
        if node.field not in ENTITY_QUERY_FIELDS:
            return node
        words = (node.text,) if isinstance(node, qt.Term) else node.words
        others: list[qt.Node] = []
        for group in self._groups:
            shown = group[0]
            if node.field != ANY_LABEL_FIELD and ENTITY_FIELDS.get(shown.label) != node.field:
                continue
            if not any(_contains(self._words(node.field, name.canonical), words) for name in group):
                continue
            for name in group:
                field = ANY_LABEL_FIELD if node.field == ANY_LABEL_FIELD else _field(name)
                name_words = self._words(field, name.canonical)
                if field == node.field and _contains(name_words, words):
                    continue  # the clause itself finds every article of this name
                other = _phrase(field, name_words)
                if other is not None and other not in others:
                    others.append(other)
        return qt.Or((node, *others), boost=node.boost) if others else node

    def _words(self, field: str, name: str) -> tuple[str, ...]:
        return tuple(self._schema[field].process_text(name, mode="query"))


def _field(name: EntityFilter) -> str:
    return ENTITY_FIELDS.get(name.label, ANY_LABEL_FIELD)


def _phrase(field: str, words: tuple[str, ...]) -> qt.Node | None:
    if not words:
        return None
    return qt.Term(field, words[0]) if len(words) == 1 else qt.Phrase(field, words)


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` occurs in ``words`` as consecutive words."""
    size = len(part)
    return size > 0 and any(words[start : start + size] == part for start in range(len(words) - size + 1))
