"""The word-level differences of two copies of a story, as spans of each body."""

from __future__ import annotations

import time

import pytest

from index.duplicates.wording import word_diff
from index.errors import Cancelled
from tests.duplicates_support import body, story


def changed(old: str, new: str) -> tuple[list[str], list[str]]:
    diff = word_diff(old, new)
    return [old[s:e] for s, e in diff.deleted], [new[s:e] for s, e in diff.inserted]


def test_a_changed_word_is_deleted_on_one_side_and_inserted_on_the_other():
    old = "The council met on Tuesday.\n\nThe vote was close."
    new = "The council met on Friday.\n\nThe vote was close."
    assert changed(old, new) == (["Tuesday."], ["Friday."])


def test_an_added_paragraph_and_a_dropped_sentence_are_marked_whole():
    one = story(1, 6)
    old = body(one)
    new = body(one[:4] + one[5:]) + "\n\nBy a staff reporter."
    gone, added = changed(old, new)
    assert gone == [one[4]]
    assert added == ["By a staff reporter."]


def test_exact_copies_have_no_differences():
    text = body(story(2))
    assert word_diff(text, text).same


def test_a_megabyte_written_as_one_paragraph_takes_seconds_not_minutes():
    sentences = story(3, 14000)
    old = " ".join(sentences)
    edited = list(sentences)
    for position in range(0, len(edited), 500):
        edited[position] = edited[position].replace(" ", " extra ", 1)
    assert len(old) > 1_000_000
    started = time.perf_counter()
    gone, added = changed(old, " ".join(edited))
    assert time.perf_counter() - started < 5
    assert gone == [] and added == ["extra"] * 28


def test_a_comparison_stops_when_told():
    with pytest.raises(Cancelled):
        word_diff("a b c\nd", "a x c\nd", lambda: True)
