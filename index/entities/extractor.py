"""The extractor interface: texts in, raw labelled spans out, one list per text.

Every extractor (the spaCy model, the rules, a larger model later) implements ``Extractor``.
``CombinedExtractor`` runs a model and the rules together and merges their spans; the model, an
English one, reads only the texts in English or of no detected language (``index.language``),
the rules read every text. When no model can be loaded, ``default_extractor`` falls back to the
rules alone, with a one-line warning.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from itertools import islice
from typing import Protocol

from index.entities.labels import MONEY, PERCENT


class Origin(IntEnum):
    """Where a span came from; decides which span survives an overlap (see ``merge``)."""

    GAZETTEER = 0
    MODEL = 1
    PATTERN = 2


@dataclass(frozen=True, slots=True)
class RawSpan:
    """A labelled half-open range ``[start, end)`` of one text, before normalisation."""

    start: int
    end: int
    label: str
    origin: Origin = Origin.MODEL


class Extractor(Protocol):
    """Finds entity spans: yields one list of spans per text, in the order of ``texts``."""

    name: str

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]: ...


class ModelUnavailable(RuntimeError):
    """The statistical model (or spaCy itself) cannot be imported or loaded."""


PATTERN_WINS = frozenset({MONEY, PERCENT})
"""Labels whose patterns are more reliable than the model: "€44,600" is money."""


def merge(model: list[RawSpan], rules: list[RawSpan]) -> list[RawSpan]:
    """One list of non-overlapping spans, in text order.

    Precedence on overlap: a pattern span for money or a percentage beats everything; another
    pattern span (a date, a company by its legal suffix, a public body, a club
    in a results line, a dateline) beats the model's; otherwise the model's span is kept, and
    gazetteer names only fill the gaps the model left.
    """
    ranked = sorted(model + rules, key=_precedence)
    kept: list[RawSpan] = []
    for span in ranked:
        if not any(span.start < other.end and other.start < span.end for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda span: (span.start, span.end))


def _precedence(span: RawSpan) -> tuple[int, int, int]:
    if span.origin is Origin.PATTERN and span.label in PATTERN_WINS:
        tier = 0
    elif span.origin is Origin.PATTERN:
        tier = 1
    elif span.origin is Origin.MODEL:
        tier = 2
    else:
        tier = 3
    return (tier, -(span.end - span.start), span.start)


def english_or_unknown(text: str) -> bool:
    """Whether the English model should read ``text``: English, or too short to tell (see
    ``index.language``; the body alone is read here, which the article's stored language adds its
    title to)."""
    from index.language import detect_language, runs_english_model

    return runs_english_model(detect_language("", text))


class CombinedExtractor:
    """A model and the rules, run over the same texts and merged per text; the model reads only
    the texts that ``model_reads`` accepts (``english_or_unknown``, for the English model)."""

    chunk_texts = 256
    """Texts sorted into the model's and the rest's at a time: the most the extractor holds."""

    def __init__(
        self, model: Extractor, rules: Extractor, *, model_reads: Callable[[str], bool] = english_or_unknown
    ) -> None:
        self.model = model
        self.rules = rules
        self.model_reads = model_reads
        self.name = f"{model.name}+{rules.name}"

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        stream = iter(texts)
        while chunk := list(islice(stream, self.chunk_texts)):
            read = [self.model_reads(text) for text in chunk]
            for_model = [text for text, wanted in zip(chunk, read, strict=True) if wanted]
            model_spans = iter(self.model.extract(for_model) if for_model else ())
            for text, wanted in zip(chunk, read, strict=True):
                rule_spans = next(iter(self.rules.extract([text])))
                yield merge(next(model_spans) if wanted else [], rule_spans)


MODEL_ENV = "BROADSHEET_ENTITY_MODEL"
"""Environment variable naming another spaCy pipeline (package or folder), e.g. a larger model."""

log = logging.getLogger("broadsheet.entities")


def default_extractor(model_name: str | None = None, *, n_process: int = 1) -> Extractor:
    """The model plus the rules: ``model_name``, else $BROADSHEET_ENTITY_MODEL, else the pinned one.

    Loads the model now (a few seconds); falls back to the rules alone with a one-line warning
    when spaCy or the model is missing, so that entity extraction degrades instead of failing.
    """
    from index.entities.rules import RuleExtractor
    from index.entities.spacy_model import DEFAULT_MODEL, SpacyExtractor

    rules = RuleExtractor()
    try:
        model = SpacyExtractor(model_name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL, n_process=n_process)
        model.load()
    except ModelUnavailable as error:
        log.warning("broadsheet: entity model unavailable (%s); using rule-based extraction only.", error)
        return rules
    return CombinedExtractor(model, rules)
