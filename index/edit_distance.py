"""How many edits apart two words are, as fuzzy queries (``word~2``) count them.

Insertions, deletions, substitutions and the transposition of two neighbouring letters each count
one (the optimal string alignment distance): the measure Whoosh's fuzzy terms use, so that both
engines expand ``word~N`` to the same index words.
"""

from __future__ import annotations


def edit_distance(first: str, second: str, limit: int | None = None) -> int:
    """The edits from ``first`` to ``second``; once no alignment can stay within ``limit``, any
    number above it (``limit + 1``) instead of the exact count."""
    before_last: list[int] = []
    last: list[int] = []
    # Each row keeps the column "before the first letter" at its end, so index -1 reads it.
    row: list[int] = [*range(1, len(second) + 1), 0]
    for x, letter in enumerate(first):
        before_last, last, row = last, row, [0] * len(second) + [x + 1]
        for y, other in enumerate(second):
            row[y] = min(last[y] + 1, row[y - 1] + 1, last[y - 1] + (letter != other))
            if x and y and letter == second[y - 1] and first[x - 1] == other and letter != other:
                row[y] = min(row[y], before_last[y - 2] + 1)
        if limit and x > limit and min(row) > limit:
            return limit + 1
    return row[len(second) - 1]
