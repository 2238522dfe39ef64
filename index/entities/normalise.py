"""From raw spans to clean mentions, and from mentions across a corpus to canonical entities.

Two stages, because the second needs the whole corpus and the first must be saved per article:

1. ``clean_mentions(body, spans)`` (per article): trims each span to the name itself (no leading
   "the", no possessive "'s", no quotes), drops junk (photo credits, page furniture such as
   "Button", lone punctuation, single characters, bare numbers, URLs), records the label the span
   votes for (a preceding "watchdog," or "network," or an organisation word inside the name makes
   a PERSON/PLACE span vote ORG, twice), and resolves a lone surname to the one longer PERSON
   name of the same article that ends with it ("Navalny" -> "Alexei Navalny").
2. ``Resolver`` (corpus): folds each entity key to one canonical name and one label:
   - a lone surname that stage 1 could not resolve maps to the one PERSON name of the corpus that
     ends with it (or the one with three times the mentions of any other), when its own mentions
     vote PERSON at least as often as anything else;
   - the label is the gazetteer's for a gazetteer name, else the weighted majority of all its
     mentions' votes; ties go to the label listed first in ``ENTITY_LABELS`` (PERSON, ORG, PLACE, ...);
   - the canonical name is the most frequent surface form (ties: the longer, then the first in
     alphabetical order).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from index.entities.extractor import RawSpan
from index.entities.gazetteer import GAZETTEER
from index.entities.labels import LABEL_RANK, NUMERIC_LABELS, ORG, PERSON, PLACE

CUE_WEIGHT = 2
"""A mention whose context names its kind ("the watchdog Roskomnadzor") outweighs a model guess."""

_WHITESPACE = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:[\s\"'“”‘’(\[«-]+|the\s+|The\s+)+")
_TRAILING = re.compile(r"(?:[\s\"'“”‘’)\]».,;:!?-]+|['’]s\b)+$")
_JUNK_WORDS = frozenset(
    [
        "button",
        "copyright",
        "photo",
        "photos",
        "photograph",
        "image",
        "images",
        "getty",
        "click",
        "share",
        "subscribe",
        "comments",
        "newsletter",
        "skip",
        "menu",
        "advertisement",
        "cookie",
        "cookies",
    ]
)
_ORG_WORDS = frozenset(
    [
        "ministry",
        "agency",
        "service",
        "department",
        "council",
        "committee",
        "commission",
        "bank",
        "party",
        "union",
        "association",
        "foundation",
        "institute",
        "university",
        "corporation",
        "inc",
        "ltd",
        "plc",
        "police",
        "court",
        "parliament",
        "authority",
        "board",
        "federation",
        "club",
        "fc",
        "watchdog",
    ]
)
_ORG_CUE = re.compile(
    r"\b(?:watchdog|regulator|agency|company|firm|network|platform|app|website|site|broadcaster|"
    r"newspaper|channel|giants? like|maker|airline|bank|operator|retailer|ministry)\s*,?\s*[\"“'(\[]?$",
    re.IGNORECASE,
)
_CUE_WINDOW = 40


@dataclass(frozen=True, slots=True)
class Found:
    """One clean mention of one article, before corpus-wide resolution.

    ``key`` identifies the entity ("N:" for names, "V:" for values such as dates, then the folded
    text); ``vote`` is the label this mention votes for, ``weight`` how many votes it casts.
    """

    start: int
    end: int
    text: str
    vote: str
    key: str
    weight: int = 1


def fold(text: str) -> str:
    """The matching form of a name: single spaces, straight apostrophes, case-folded."""
    return _WHITESPACE.sub(" ", text.replace("’", "'")).strip().casefold()


def entity_key(text: str, label: str) -> str:
    return ("V:" if label in NUMERIC_LABELS else "N:") + fold(text)


def clean_mentions(body: str, spans: Iterable[RawSpan]) -> list[Found]:
    """The article's mentions, trimmed, de-junked, voted and with lone surnames resolved locally."""
    found = [mention for span in spans if (mention := _clean(body, span)) is not None]
    return _resolve_surnames(body, found)


def _clean(body: str, span: RawSpan) -> Found | None:
    start, end = span.start, span.end
    text = body[start:end]
    if span.label not in NUMERIC_LABELS:
        lead = _LEADING.match(text)
        if lead:
            start += lead.end()
        trail = _TRAILING.search(body[start:end])
        if trail:
            end = start + trail.start()
    else:
        stripped = text.strip()
        start += len(text) - len(text.lstrip())
        end = start + len(stripped)
    text = body[start:end]
    if _is_junk(text, span.label):
        return None
    vote, weight = _vote(body, start, text, span.label)
    return Found(start, end, text, vote, entity_key(text, span.label), weight)


def _is_junk(text: str, label: str) -> bool:
    if len(text) < 2 or "\n" in text or not any(ch.isalnum() for ch in text):
        return True
    if "://" in text or "www." in text.casefold():
        return True
    if label in NUMERIC_LABELS:
        return False
    if not any(ch.isalpha() for ch in text) or "/" in text:
        return True
    if label != "OTHER" and not any(ch.isupper() for ch in text):
        return True
    if label == PERSON and any(ch.isdigit() for ch in text):
        return True
    return any(word in _JUNK_WORDS for word in re.findall(r"\w+", text.casefold()))


def _vote(body: str, start: int, text: str, label: str) -> tuple[str, int]:
    """The label this mention votes for: the model's, unless its context or words say organisation."""
    if label not in (PERSON, PLACE) or text in GAZETTEER:
        return label, 1
    words = set(re.findall(r"\w+", text.casefold()))
    if words & _ORG_WORDS or _ORG_CUE.search(body[max(0, start - _CUE_WINDOW) : start]):
        return ORG, CUE_WEIGHT
    return label, 1


def _resolve_surnames(body: str, found: list[Found]) -> list[Found]:
    """A lone surname takes the article's one full PERSON name ending with it; a span the model cut
    short ("Alexei [Navalny]") is widened to the full name when the body spells it out."""
    by_surname: dict[str, set[str]] = defaultdict(set)
    for mention in found:
        words = mention.key[2:].split(" ")
        if mention.vote == PERSON and mention.key.startswith("N:") and len(words) > 1:
            by_surname[words[-1]].add(mention.key)
    resolved = []
    for mention in found:
        names = by_surname.get(mention.key[2:], set()) if mention.key.startswith("N:") else set()
        if len(names) == 1 and " " not in mention.key:
            full = next(iter(names))
            start = mention.end - (len(full) - 2)
            overlaps = bool(resolved) and resolved[-1].end > start
            if start < 0 or overlaps or fold(body[start : mention.end]) != full[2:]:
                start = mention.start
            mention = Found(start, mention.end, body[start : mention.end], PERSON, full, mention.weight)
        resolved.append(mention)
    return resolved


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
            # A surname resolved to a full name votes for it but does not name it.
            self._surfaces[mention.key][_WHITESPACE.sub(" ", mention.text)] += 1

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
            ranked = sorted(candidates, key=lambda name: -sum(self._surfaces[name].values()))
            counts = [sum(self._surfaces[name].values()) for name in ranked]
            if len(ranked) == 1 or counts[0] >= self.dominance * counts[1]:
                targets[key] = ranked[0]
        return targets
