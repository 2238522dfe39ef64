"""Finding the entity a user names (``broadsheet entity hide NAME``) among those shown, or saying in
one sentence that none is so named and which names come nearest."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from index.errors import NotebookError
from index.notebook.curation import Entity

SUGGESTIONS = 3
CUTOFF = 0.6
"""How alike (difflib's ratio) a name must be to be suggested."""


def find_entity(name: str, shown: Iterable[Entity], *, label: str | None = None) -> Entity:
    """The shown entity called ``name`` (exactly, else ignoring case), of ``label`` if given.

    Raises NotebookError when none is, naming the nearest names, or when several labels share the
    name and ``label`` does not say which.
    """
    entities = [entity for entity in shown if label is None or entity[1] == label.upper()]
    found = [entity for entity in entities if entity[0] == name]
    if not found:
        folded = name.casefold()
        found = [entity for entity in entities if entity[0].casefold() == folded]
    if not found:
        raise NotebookError(_none_named(name, label, entities))
    names = sorted({entity[0] for entity in found})
    if len(names) > 1:
        spelt = ", ".join(repr(spelling) for spelling in names)
        raise NotebookError(f"Several entities are named like {name!r} ({spelt}); type the name exactly.")
    if len(found) > 1:
        labels = " and ".join(sorted(entity[1] for entity in found))
        raise NotebookError(f"{names[0]!r} is both {labels}; say which with --label.")
    return found[0]


def _none_named(name: str, label: str | None, entities: list[Entity]) -> str:
    of_label = f" {label.upper()}" if label else ""
    by_folded: dict[str, str] = {}
    for entity_name, _ in entities:
        by_folded.setdefault(entity_name.casefold(), entity_name)
    near = nearest(name.casefold(), list(by_folded))
    if not near:
        return f"No{of_label} entity is named {name!r}; `broadsheet entities` lists them."
    return (
        f"No{of_label} entity is named {name!r}; did you mean {', '.join(repr(by_folded[n]) for n in near)}?"
    )


def nearest(name: str, names: list[str]) -> list[str]:
    """The names most like ``name``, as a whole or by one of their words ("Navalni" finds "Alexei
    Navalny"), best first; difflib's cheap bounds skip most names before the real comparison."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    scored = []
    for candidate in names:
        best = 0.0
        for part in (candidate, *candidate.split()):
            matcher.set_seq1(part)
            if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
                best = max(best, matcher.ratio())
        if best >= CUTOFF:
            scored.append((-best, candidate))
    return [candidate for _, candidate in sorted(scored)[:SUGGESTIONS]]
