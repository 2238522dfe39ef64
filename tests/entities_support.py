"""Helpers of the entity tests: a scripted extractor whose labels the test text spells out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from index.entities.extractor import Origin, RawSpan

_TAG = re.compile(r"\[([^|\]]+)\|([A-Z]+)\]")


class TaggedExtractor:
    """Labels exactly the spans written ``[name|LABEL]`` in a text, and counts the texts it saw."""

    name = "tagged"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        for text in texts:
            self.seen.append(text)
            yield [RawSpan(m.start(1), m.end(1), m.group(2), Origin.MODEL) for m in _TAG.finditer(text)]
