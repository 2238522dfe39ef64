"""The typed values of duplicate detection, and the thresholds it accepts."""

from __future__ import annotations

from dataclasses import dataclass

from index.errors import QueryError

FLOOR = 0.5
"""The lowest resemblance (estimated Jaccard similarity of word shingles) a pair is kept at: the
locality-sensitive hashing is tuned for it, so any threshold from here to 1 needs no rebuild."""
DEFAULT_THRESHOLD = 0.6
"""Measured in bench/duplicates.py on the BBC corpus plus synthetic edits: from 0.5 to 0.6 the
recall of the edits holds and ..., see the bench's README line for the table."""


class ThresholdError(QueryError):
    """A resemblance threshold outside [FLOOR, 1]: bad usage, as a malformed query is (exit 2)."""


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Articles that are copies of one story: ids oldest first (dated by date, then the undated,
    each by id); ``exact`` when every member has the very same clean body."""

    ids: tuple[str, ...]
    exact: bool


def check_threshold(threshold: float | None) -> float:
    """``threshold``, or the default when None; raises ThresholdError outside [FLOOR, 1]."""
    if threshold is None:
        return DEFAULT_THRESHOLD
    if not FLOOR <= threshold <= 1.0:
        raise ThresholdError(f"The similarity threshold must be between {FLOOR} and 1 (got {threshold:g}).")
    return threshold
