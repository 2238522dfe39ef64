"""Counts in words, so that no message says "1 articles"."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``count`` (with thousands separators) and ``noun``, which takes an "s" unless ``count`` is 1."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"
