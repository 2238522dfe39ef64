"""Corpus-wide resolution: one canonical name and one label per entity key.

- A lone surname that no article resolved maps to the one PERSON name of the corpus that ends with
  it (or to the one with three times the mentions of any other), when its own mentions vote PERSON
  at least as often as anything else ("Washington" the city never becomes "Denzel Washington").
- The label is the gazetteer's for a gazetteer name, else the weighted majority of all the
  mentions' votes; ties go to the label listed first in ``ENTITY_LABELS`` (PERSON, ORG, PLACE, ...).
- The canonical name is the most frequent surface form (ties: the longer, then the first in
  alphabetical order); a surname resolved to a full name votes for it but does not name it.
- A name the corpus writes in both numbers ("Tory"/"Tories", "Lib Dem"/"Lib Dems", "Oscar"/
  "Oscars") is a group, a party or a thing, never a person: people's names do not take a plural.
  Both forms become one entity named by the plural, labelled by the votes that are not PERSON (or
  OTHER), else GROUP. Names starting with a given name ("William", "Steve Cotterill") or ending
  in a surname of the corpus ("Williams" of "Rowan Williams") keep their numbers apart, as do
  pairs with neither a PERSON nor a GROUP vote ("Time"/"Times").
- A place or group name of several words that ends in an organisation's name of the corpus is
  that organisation ("New Labour": the model reads "New ..." as a place).
- A pattern entity (an e-mail address, a phone number...) is named by its canonical form, which
  its key holds, and labelled by its pattern.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from index.entities.gazetteer import FIRST_NAMES, GAZETTEER
from index.entities.labels import GROUP, LABEL_RANK, ORG, OTHER, PERSON, PLACE
from index.entities.normalise import PATTERN_KEY, Found, fold, full_names_by_word, surface


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
            self._surfaces[mention.key][surface(mention.text)] += 1

    def add_all(self, mentions: Iterable[Found]) -> None:
        for mention in mentions:
            self.add(mention)

    def resolve(self) -> dict[str, Entity]:
        """Entity key -> canonical name and label, for every key seen."""
        entities = {key: Entity(self._canonical(key), self._label(key)) for key in self._votes}
        for singular, plural in self._number_pairs(entities):
            votes = self._votes[singular] + self._votes[plural]
            entities[singular] = entities[plural] = Entity(entities[plural].canonical, _group_label(votes))
        for key, entity in entities.items():
            if entity.label in _ORG_HEADED and _names_an_organisation_at_its_end(key, entities):
                entities[key] = Entity(entity.canonical, ORG)
        for key, target in self._surname_targets(entities).items():
            entities[key] = entities[target]
        return entities

    def _number_pairs(self, entities: dict[str, Entity]) -> list[tuple[str, str]]:
        """(singular, plural) keys of the names written in both numbers that are no person's."""
        given_names = {name.casefold() for name in FIRST_NAMES}
        full_names: dict[str, set[str]] = defaultdict(set)
        for key, entity in entities.items():
            words = key[2:].split(" ")
            if entity.label == PERSON and len(words) > 1:
                full_names[words[-1]].add(key)

        def person_shaped(key: str, pair: set[str]) -> bool:
            words = key[2:].split(" ")
            return words[0] in given_names or bool(full_names.get(words[-1], set()) - pair)

        pairs = []
        for plural in self._votes:
            for singular in _singulars(plural):
                pair = {singular, plural}
                if singular not in self._votes or any(person_shaped(key, pair) for key in pair):
                    continue
                votes = self._votes[singular] + self._votes[plural]
                if votes[PERSON] or votes[GROUP]:
                    pairs.append((singular, plural))
        return pairs

    def _label(self, key: str) -> str:
        surface = self._canonical(key)
        if surface in GAZETTEER and key.startswith("N:"):
            return GAZETTEER[surface]
        votes = self._votes[key]
        return min(votes, key=lambda label: (-votes[label], LABEL_RANK[label]))

    def _canonical(self, key: str) -> str:
        if key.startswith(PATTERN_KEY):
            return key[len(PATTERN_KEY) :]
        surfaces = self._surfaces.get(key) or Counter({key[2:]: 1})
        return min(surfaces, key=lambda text: (-surfaces[text], -len(text), text))

    def _mentions(self, key: str) -> int:
        return sum(self._surfaces[key].values())

    def _surname_targets(self, entities: dict[str, Entity]) -> dict[str, str]:
        full_names = full_names_by_word(
            (key for key, entity in entities.items() if entity.label == PERSON), -1
        )
        targets = {}
        for key, votes in self._votes.items():
            candidates = full_names.get(key[2:]) if key.startswith("N:") else None
            if not candidates or votes[PERSON] < max(votes.values()):
                continue
            ranked = sorted(candidates, key=self._mentions, reverse=True)
            if len(ranked) == 1 or self._mentions(ranked[0]) >= self.dominance * self._mentions(ranked[1]):
                targets[key] = ranked[0]
        return targets


_ORG_HEADED = frozenset({PLACE, GROUP})
"""Labels that an organisation's name at the end of a longer name overrides (not OTHER: a work or
a product often ends in its maker's name, "Windows XP", "Rising Sun")."""


def _singulars(key: str) -> list[str]:
    """The keys a name key would have in the singular ("N:tories" -> "N:tory", "N:torie")."""
    if not key.startswith("N:") or not key.endswith("s") or len(key) < 5:
        return []
    forms = [key[:-1]]
    if key.endswith("ies"):
        forms.append(key[:-3] + "y")
    elif key.endswith("es"):
        forms.append(key[:-2])
    return forms


def _group_label(votes: Counter[str]) -> str:
    """The label of a name written in both numbers: its votes for a kind of thing, else GROUP."""
    kinds = Counter({label: n for label, n in votes.items() if label not in (PERSON, OTHER) and n > 0})
    return min(kinds, key=lambda label: (-kinds[label], LABEL_RANK[label])) if kinds else GROUP


def _names_an_organisation_at_its_end(key: str, entities: dict[str, Entity]) -> bool:
    """Whether a name of several words ends in an organisation's name ("New Labour") and does not
    start with a place's ("Mexico City", where "City" may be a football club)."""
    words = key[2:].split(" ")
    if not key.startswith("N:") or len(words) < 2:
        return False
    head = entities.get("N:" + words[-1])
    modifier = entities.get("N:" + " ".join(words[:-1]))
    return head is not None and head.label == ORG and (modifier is None or modifier.label != PLACE)
