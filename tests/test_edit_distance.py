"""Broadsheet's edit distance counts as Whoosh's does, so that both engines expand fuzzy terms alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from whoosh.support.levenshtein import distance

from index.edit_distance import edit_distance

WORDS = st.text(alphabet="abcde", max_size=9)


@given(WORDS, WORDS, st.one_of(st.none(), st.integers(min_value=0, max_value=4)))
def test_the_distance_is_whooshs_with_and_without_a_limit(first: str, second: str, limit: int | None):
    assert edit_distance(first, second, limit) == distance(first, second, limit)


def test_a_transposition_is_one_edit_and_a_limit_answers_above_it():
    assert edit_distance("blair", "balir") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3 and edit_distance("abc", "") == 3
    assert edit_distance("aaaaaaaa", "bbbbbbbb", limit=2) == 3
