"""The titles news writes before a person's name: "Mr", "Prof", "Prime Minister", "Rt Hon".

One list for the three places that read it: the rule that takes the words after a title for a
person ("Prof Chris Whitty"), the trimming of a title off the front of a PERSON span ("Chancellor
Angela Merkel" -> "Angela Merkel"), and the test of whether the capitalised word before a name
runs into it or only titles it ("Chancellor Merkel").

"Saint" is not here: it begins places ("Saint Petersburg", "Saint Lucia") as often as people.
"""

from __future__ import annotations

import re

HONORIFICS: tuple[str, ...] = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Prof",
    "Rev",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Rt Hon",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Crown Prince",
    "Crown Princess",
    "Pope",
    "President",
    "Prime Minister",
    "Chancellor",
    "Senator",
    "Judge",
)

HONORIFIC = "|".join(
    re.escape(title).replace(r"\ ", r"\s+") for title in sorted(HONORIFICS, key=len, reverse=True)
)
"""A regular-expression alternation of the titles, the longest first, without a group or a "."."""

LAST_WORDS_OF_HONORIFICS = frozenset(title.split()[-1] for title in HONORIFICS)
"""The word of a title just before the name: "Minister" in "Prime Minister Johnson"."""
