"""Corpus-wide resolution: one canonical name and one label per entity key.

- A lone surname that no article resolved maps to the one PERSON name of the corpus that ends with
  it (or to the one with three times the mentions of any other), when its own mentions vote PERSON
  at least as often as anything else ("Washington" the city never becomes "Denzel Washington").
- The label is the gazetteer's for a gazetteer name, else the weighted majority of all the
  mentions' votes; ties go to the label listed first in ``ENTITY_LABELS`` (PERSON, ORG, PLACE, ...).
- The canonical name is the most frequent surface form (ties: the longer, then the first in
  alphabetical order); a surname resolved to a full name votes for it but does not name it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from index.entities.gazetteer import GAZETTEER
from index.entities.labels import LABEL_RANK, PERSON
from index.entities.normalise import Found, fold, squeeze


@dataclass(frozen=True, slots=True)
class Entity:
    canonical: str
    label: str


class Resolver:
    """Collects every mention of a corpus, then names and labels each entity key once."""

    dominance = 3
    """A surname maps to the corpus's most mentioned full name if it has this many times the next."""

    def __init__(self) -> None:
        self._votes: dict[str, Counter[str]] = defaultdict(Counter)
        self._surfaces: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, mention: Found) -> None:
        self._votes[mention.key][mention.vote] += mention.weight
        if fold(mention.text) == mention.key[2:]:
            self._surfaces[mention.key][squeeze(mention.text)] += 1

    def add_all(self, mentions: Iterable[Found]) -> None:
        for mention in mentions:
            self.add(mention)

    def resolve(self) -> dict[str, Entity]:
        """Entity key -> canonical name and label, for every key seen."""
        entities = {key: Entity(self._canonical(key), self._label(key)) for key in self._votes}
        for key, target in self._surname_targets(entities).items():
            entities[key] = entities[target]
        return entities

    def _label(self, key: str) -> str:
        surface = self._canonical(key)
        if surface in GAZETTEER and key.startswith("N:"):
            return GAZETTEER[surface]
        votes = self._votes[key]
        return min(votes, key=lambda label: (-votes[label], LABEL_RANK[label]))

    def _canonical(self, key: str) -> str:
        surfaces = self._surfaces.get(key) or Counter({key[2:]: 1})
        return min(surfaces, key=lambda text: (-surfaces[text], -len(text), text))

    def _mentions(self, key: str) -> int:
        return sum(self._surfaces[key].values())

    def _surname_targets(self, entities: dict[str, Entity]) -> dict[str, str]:
        full_names: dict[str, list[str]] = defaultdict(list)
        for key, entity in entities.items():
            words = key[2:].split(" ")
            if key.startswith("N:") and entity.label == PERSON and len(words) > 1:
                full_names[words[-1]].append(key)
        targets = {}
        for key, votes in self._votes.items():
            candidates = full_names.get(key[2:]) if key.startswith("N:") else None
            if not candidates or votes[PERSON] < max(votes.values()):
                continue
            ranked = sorted(candidates, key=self._mentions, reverse=True)
            if len(ranked) == 1 or self._mentions(ranked[0]) >= self.dominance * self._mentions(ranked[1]):
                targets[key] = ranked[0]
        return targets
