"""The user's corrections of the entities the machine found, as a value: a log of operations and
what it makes of each entity the entity phase stored.

Every operation takes one entity, as it was shown when the user chose it (name and label), and
either hides it or makes it another: a merge makes the alias its canonical, a rename gives it a new
name, a relabel a new label. Applying the log in order to a stored entity gives the entity shown;
undo drops the last operation. Nothing here reads the index or the notebook's file: the library
hands a ``Curation`` to where entities are read (mentions, facets, hits) and the groups of names it
joined to the query reader (``Query.aliases``), so that ``person:ALIAS`` finds the canonical's
articles on any engine.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum

from index.entities.labels import ENTITY_LABELS
from index.errors import NotebookError
from index.models import EntityFilter, EntityRef, Mention

Entity = tuple[str, str]
"""An entity as stored or shown: (canonical name, label)."""


class Operation(str, Enum):
    HIDE = "hide"
    MERGE = "merge"
    RENAME = "rename"
    RELABEL = "relabel"


@dataclass(frozen=True, slots=True)
class CurationOp:
    """One correction: the entity ``(name, label)`` is hidden (``becomes`` None) or shown as ``becomes``."""

    operation: Operation
    name: str
    label: str
    becomes: Entity | None
    made: dt.datetime = field(compare=False)

    @property
    def entity(self) -> Entity:
        return (self.name, self.label)

    @property
    def described(self) -> str:
        """The operation in words, quoting names as data (``repr``): they may hold anything."""
        old = f"{self.name!r} ({self.label})"
        if self.becomes is None:
            return f"hide {old}"
        name, label = self.becomes
        if self.operation is Operation.MERGE:
            return f"merge {old} into {name!r} ({label})"
        if self.operation is Operation.RENAME:
            return f"rename {old} to {name!r}"
        return f"relabel {old} as {label}"


@dataclass(frozen=True)
class Curation:
    """A log of operations, oldest first, and what it makes of stored entities."""

    ops: tuple[CurationOp, ...] = ()
    _steps: dict[Entity, list[int]] = field(init=False, repr=False, compare=False)
    """Per entity, the numbers of the operations on it, ascending."""
    _memo: dict[Entity, Entity | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        steps: defaultdict[Entity, list[int]] = defaultdict(list)
        for number, op in enumerate(self.ops):
            steps[op.entity].append(number)
        object.__setattr__(self, "_steps", dict(steps))
        object.__setattr__(self, "_memo", {})

    def __bool__(self) -> bool:
        return bool(self.ops)

    def shown(self, name: str, label: str) -> Entity | None:
        """The entity a stored one is shown as, None if hidden: each later operation on what it has
        become so far applies in turn (a rename, then a merge of the new name, both count)."""
        entity = (name, label)
        if entity not in self._steps:
            return entity
        if entity not in self._memo:
            self._memo[entity] = self._follow(entity)
        return self._memo[entity]

    def _follow(self, entity: Entity) -> Entity | None:
        current: Entity | None = entity
        after = -1
        while current is not None and current in self._steps:
            numbers = self._steps[current]
            at = bisect.bisect_right(numbers, after)
            if at == len(numbers):
                break
            after = numbers[at]
            current = self.ops[after].becomes
        return current

    def mentions(self, mentions: Iterable[Mention]) -> list[Mention]:
        """These mentions as shown: hidden ones left out, the others named and labelled anew."""
        curated = []
        for mention in mentions:
            shown = self.shown(mention.canonical, mention.label)
            if shown is not None:
                curated.append(replace(mention, canonical=shown[0], label=shown[1]))
        return curated

    def refs(self, refs: Iterable[EntityRef]) -> tuple[EntityRef, ...]:
        """An article's entities as shown: merged ones counted as one, most mentioned first."""
        counts: dict[Entity, int] = {}
        for ref in refs:
            shown = self.shown(ref.canonical, ref.label)
            if shown is not None:
                counts[shown] = counts.get(shown, 0) + ref.mentions
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return tuple(EntityRef(name, label, mentions) for (name, label), mentions in ordered)

    @functools.cached_property
    def aliases(self) -> tuple[tuple[EntityFilter, ...], ...]:
        """Per entity shown in place of others: itself, then every name it stands for (what a query
        for any of them must find; ``Query.aliases``). Worked out once."""
        groups: dict[Entity, list[Entity]] = {}
        for op in self.ops:
            shown = self.shown(*op.entity)
            if shown is not None and shown != op.entity:
                members = groups.setdefault(shown, [shown])
                if op.entity not in members:
                    members.append(op.entity)
        return tuple(
            tuple(EntityFilter(label, name) for name, label in members) for members in groups.values()
        )


def hide(entity: Entity) -> CurationOp:
    """Hide a false entity everywhere entities are shown."""
    return _made(Operation.HIDE, entity, None)


def merge(alias: Entity, canonical: Entity) -> CurationOp:
    """Make ``alias`` one with ``canonical`` (its name and label)."""
    if alias == canonical:
        raise NotebookError(f"{alias[0]!r} ({alias[1]}) cannot be merged into itself.")
    return _made(Operation.MERGE, alias, canonical)


def rename(entity: Entity, new_name: str) -> CurationOp:
    """Give an entity another name (kept as typed, but for the spaces around it)."""
    new_name = new_name.strip()
    if not new_name:
        raise NotebookError("An entity's new name needs at least one character that is not a space.")
    if new_name == entity[0]:
        raise NotebookError(f"{entity[0]!r} ({entity[1]}) already has that name.")
    return _made(Operation.RENAME, entity, (new_name, entity[1]))


def relabel(entity: Entity, label: str) -> CurationOp:
    """Give an entity another label (one of ``ENTITY_LABELS``)."""
    label = label.upper()
    if label not in ENTITY_LABELS:
        raise NotebookError(f"{label!r} is no entity label; use one of {', '.join(ENTITY_LABELS)}.")
    if label == entity[1]:
        raise NotebookError(f"{entity[0]!r} is already labelled {label}.")
    return _made(Operation.RELABEL, entity, (entity[0], label))


def _made(operation: Operation, entity: Entity, becomes: Entity | None) -> CurationOp:
    return CurationOp(operation, entity[0], entity[1], becomes, dt.datetime.now(dt.timezone.utc))
