"""The typed values of duplicate detection, and the thresholds it accepts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from index.errors import QueryError

FLOOR = 0.5
"""The lowest resemblance (estimated Jaccard similarity of word shingles) a pair is kept at: the
locality-sensitive hashing is tuned for it, so any threshold from here to 1 needs no rebuild."""
DEFAULT_THRESHOLD = 0.6
"""Measured in bench/duplicates.py (BBC articles plus synthetic edits, a tuning and a held-out draw):
precision is 1.0 at every threshold from 0.5 to 0.9, and recall falls from 0.99 at 0.5 to 0.98 at 0.6,
0.91-0.93 at 0.7 and 0.78 at 0.8 (an "updated" copy, two sentences dropped, a paragraph and a byline
added, is the first to go). 0.6 rather than the floor: the bands find a pair at 0.5 only half the time
(see ``signatures.BANDS``), at 0.6 nine times in ten; the lowest true BBC pair lies at 0.57, and a
margin stays for formulaic texts (market reports, results) that this corpus does not test."""


class ThresholdError(QueryError):
    """A resemblance threshold outside [FLOOR, 1]: bad usage, as a malformed query is (exit 2)."""


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Articles that are copies of one story: ids oldest first (dated by date, then the undated,
    each by id); ``exact`` when every member has the very same clean body."""

    ids: tuple[str, ...]
    exact: bool


@dataclass(frozen=True, slots=True)
class Copy:
    """Where and when one copy of a story appeared: its article's id, path, title, source, date."""

    id: str
    path: str
    title: str
    source: str | None
    date: dt.datetime | None


def check_threshold(threshold: float | None) -> float:
    """``threshold``, or the default when None; raises ThresholdError outside [FLOOR, 1]."""
    if threshold is None:
        return DEFAULT_THRESHOLD
    if not FLOOR <= threshold <= 1.0:
        raise ThresholdError(f"The similarity threshold must be between {FLOOR} and 1 (got {threshold:g}).")
    return threshold
