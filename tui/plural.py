"""Counts in words, so that no message says "1 articles"."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` (with thousands separators) and ``noun``, which takes an "s" (or is ``nouns``)
    unless ``count`` is 1."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {nouns or noun + 's'}"
