"""Where two copies of a story differ, word by word, as character spans of each clean body.

The bodies are matched line by line first (paragraphs: copies share most of them), then the
sentences of each changed run of lines, then the words of each changed run of sentences: each
matching compares few units, so that a 1 MB body written as one paragraph takes a second rather
than minutes. A span covers a run of words that one copy has and the other has not; offsets index
into the bodies, so that a reader styles them on its own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from index.errors import Cancelled
from index.models import Span, StopCheck

_LEVELS = (re.compile(r"[^\n]+"), re.compile(r"[^.!?\n]+[.!?]*"), re.compile(r"\S+"))
"""Lines, sentences, words: each level matches the units of the changed runs of the one before."""


@dataclass(frozen=True, slots=True)
class WordDiff:
    """What only the one copy has (``deleted``, spans of its body) and only the other has
    (``inserted``, spans of its body), each in body order."""

    deleted: tuple[Span, ...]
    inserted: tuple[Span, ...]

    @property
    def same(self) -> bool:
        return not self.deleted and not self.inserted


def word_diff(old: str, new: str, should_stop: StopCheck = lambda: False) -> WordDiff:
    """The word-level differences between ``old`` and ``new``. Raises Cancelled when
    ``should_stop`` returns True (checked at every changed run)."""
    deleted: list[Span] = []
    inserted: list[Span] = []
    _diff(old, (0, len(old)), new, (0, len(new)), 0, (deleted, inserted), should_stop)
    return WordDiff(tuple(sorted(deleted)), tuple(sorted(inserted)))


def _diff(
    old: str,
    old_region: Span,
    new: str,
    new_region: Span,
    level: int,
    found: tuple[list[Span], list[Span]],
    should_stop: StopCheck,
) -> None:
    pattern = _LEVELS[level]
    a = [m.span() for m in pattern.finditer(old, *old_region)]
    b = [m.span() for m in pattern.finditer(new, *new_region)]
    matcher = SequenceMatcher(None, [old[s:e].strip() for s, e in a], [new[s:e].strip() for s, e in b])
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if should_stop():
            raise Cancelled
        gone, added = _region(old, a[i1:i2]), _region(new, b[j1:j2])
        if tag == "replace" and level + 1 < len(_LEVELS) and gone and added:
            _diff(old, gone, new, added, level + 1, found, should_stop)
            continue
        if gone:
            found[0].append(gone)
        if added:
            found[1].append(added)


def _region(text: str, units: list[Span]) -> Span | None:
    """The span from the first unit's first word to the last unit's last word (None: no words)."""
    if not units:
        return None
    start, end = units[0][0], units[-1][1]
    stripped = text[start:end]
    if not stripped.strip():
        return None
    start += len(stripped) - len(stripped.lstrip())
    end -= len(stripped) - len(stripped.rstrip())
    return start, end
