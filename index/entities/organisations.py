"""Organisation names that their own words give away, where the small model misses most of them.

Wire copy names organisations in a few fixed shapes, each a pattern here:
- a company with a legal suffix: "Nordwind Bremstechnik AG", "Hinode Denki K.K.", "Redgum Resources
  Ltd" (the suffixes are ``cleanco``'s, for some 80 countries);
- a public body or a company by its head word: "Federal Aviation Administration", "Finance and
  Economy Ministry", "Ministry of Finance", "Bank of Spain", "Court of Arbitration for Sport",
  "Menatep Group";
- the clubs of a results line ("Arsenal 2 Chelsea 1", "Real Madrid beat Valencia 3-0"), ORG unless
  they are countries (national teams are places, as in the gold samples).

``short_forms`` gives the names an article uses for such an organisation after its first mention:
"Nordwind" for "Nordwind Bremstechnik AG", "Wolverhampton" for "Wolverhampton Wanderers".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleanco.clean import get_unique_terms

from index.entities.gazetteer import COUNTRIES
from index.entities.labels import ORG, PLACE

_AMBIGUOUS_SUFFIXES = frozenset(
    [
        "at",
        "as",
        "ad",
        "ae",
        "da",
        "ee",
        "ei",
        "ec",
        "ep",
        "et",
        "ev",
        "ij",
        "ik",
        "ks",
        "ky",
        "ok",
        "og",
        "pp",
        "ps",
        "pt",
        "uk",
        "private",
        "company",
    ]
)
"""Legal-suffix terms that are also common words or abbreviations ("UK", "OK", "PT", "as")."""
_LOWER_CASE_SUFFIXES = frozenset({"plc"})
"""Suffixes written in lower case after a name ("Andes Mineral Holdings plc")."""
_SUFFIXES = sorted(
    {term.strip() for term in get_unique_terms() if term.isascii()} - _AMBIGUOUS_SUFFIXES,
    key=len,
    reverse=True,
)
_SUFFIX = "|".join(re.escape(term).replace(r"\ ", r"\s+") for term in _SUFFIXES)

_CAPITALISED = r"(?:[A-Z]\.){2,}|[A-Z][\w'’&-]*"
"""A capitalised word of a name, or initials ("U.S.")."""
_COMPANY_JOINER = r"(?:&|de|del|della|di|do|da|du|des|van|von|der|den|y|e)"
_NAME = rf"(?:{_CAPITALISED})(?:\s+(?:{_COMPANY_JOINER}\s+)?(?:{_CAPITALISED})){{0,5}}"
COMPANY = re.compile(rf"(?<![\w.])({_NAME}),?\s+((?i:{_SUFFIX}))(?![\w&])")
"""A name, then a legal suffix, then no more word: group 1 the name, group 2 the suffix. The name
takes "&" but not "and", which joins two companies more often than it names one, nor "of", which
joins a sentence's subject to one ("Shares of Redgum Resources Ltd")."""
_DOTTED_ABBREVIATION = re.compile(r"(?:\b(?:Inc|Corp|Co)|(?:\b[A-Za-z]{1,2}\.)+[A-Za-z]{1,2})$")
"""A suffix whose full stop belongs to it ("Inc.", "Corp.", "K.K.", "S.p.A."); British style
writes "Ltd" and "plc" without one, so a full stop after them ends the sentence."""

_HEAD_WORDS = (
    "Ministry|Department|Agency|Administration|Authority|Commission|Committee|Council|Bureau|Board|"
    "Office|Directorate|Service|Tribunal|Federation|Association|Institute|Exchange|Foundation|"
    "Adjudicator|Regulator|Inspectorate|Assembly|Parliament|Senate|Police|Party|Club|"
    "Group|Holdings|Partners|Partnerships?|Labs|Laboratories|Industries|Airlines|Airways|Motors|"
    "Pharmaceuticals|Technologies|Studios|Pictures|Records"
)
"""The last word of a public body's, an association's or a company's name ("Food Standards Agency",
"Menatep Group", "Pyra Labs")."""
_OF_HEADS = "Bank|Court|University|House"
"""Words that name a body only when an "of" phrase follows ("Bank of Spain", "Court of Appeal");
at the end of a name they are often places ("West Bank", "Earls Court")."""
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_BODY_NAME = rf"(?:{_CAPITALISED})(?:\s+(?:(?:and|&|of)\s+)?(?:{_CAPITALISED})){{0,5}}"
_OF_PHRASE = rf"\s+(?:of|for|on)\s+(?:the\s+)?(?!{_WEEKDAY}\b)(?:{_BODY_NAME})"
PUBLIC_BODY = re.compile(
    rf"(?<![\w.])(?:(?:{_BODY_NAME})\s+)?"
    rf"(?:(?:{_HEAD_WORDS})(?:{_OF_PHRASE}){{0,2}}|(?:{_OF_HEADS})(?:{_OF_PHRASE}){{1,2}})(?![\w-])"
)
"""A body's name: capitalised words ending in a head word, or a head word and an "of" phrase or
two, or both ("National Bank of Poland", "Court of Arbitration for Sport")."""
_ARTICLE = re.compile(r"(?:The|An|A)\s+")
HEAD_WORD = re.compile(rf"(?:{_HEAD_WORDS})")
_POSSESSIVE = re.compile(r"['’]s\s+")

_TEAM = rf"(?:{_CAPITALISED})(?:\s+(?:of\s+|de\s+)?(?:{_CAPITALISED})){{0,3}}"
RESULT_LINE = re.compile(
    rf"^[ \t]*(?P<home>{_TEAM})[ \t]+\d{{1,3}}[ \t]+(?P<away>{_TEAM})[ \t]+\d{{1,3}}[ \t]*(?:\(.*\))?[ \t]*$",
    re.MULTILINE,
)
"""A line of a results table: "Newcastle United 1 Wolverhampton Wanderers 4", "Wales 27 Scotland 20"."""
RESULT_SENTENCE = re.compile(
    rf"(?<![\w.])(?P<home>{_TEAM})\s+(?:beat|defeated|thrashed|routed|edged|overcame|drew\s+with|"
    rf"lost\s+to|were\s+beaten\s+by|was\s+beaten\s+by)\s+(?P<away>{_TEAM})\s+\d{{1,3}}-\d{{1,3}}\b"
)
"""A result told in a sentence: "Real Madrid beat Valencia 3-0"."""
_NOT_IN_A_TEAM = frozenset(
    [
        "On",
        "In",
        "At",
        "And",
        "But",
        "Then",
        "When",
        "After",
        "As",
        "The",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
)
"""Capitalised words that start a sentence before a team ("On Sunday Real Madrid beat ...")."""
_FIRST_WORD = re.compile(r"(\S+)\s+")

CLUB_ENDINGS = frozenset(
    ["United", "Rovers", "Wanderers", "Athletic", "Hotspur", "Albion", "Rangers", "City"]
)
"""Last words a club drops when it is named again ("Wolverhampton Wanderers" -> "Wolverhampton")."""


def organisation_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, label) of the names in ``text`` that these patterns find; they may overlap."""
    for match in COMPANY.finditer(text):
        if _is_company(match):
            yield match.start(), match.end(), ORG
    for match in PUBLIC_BODY.finditer(text):
        start = _after_owner(text, match.start(), match.end())
        article = _ARTICLE.match(text, start, match.end())
        start = article.end() if article else start
        if " " in text[start : match.end()]:
            yield start, match.end(), ORG
    for pattern in (RESULT_LINE, RESULT_SENTENCE):
        for match in pattern.finditer(text):
            for side in ("home", "away"):
                start, end = _without_sentence_start(text, *match.span(side))
                if start < end:
                    yield start, end, PLACE if text[start:end] in COUNTRIES else ORG


def _after_owner(text: str, start: int, end: int) -> int:
    """Where a body's name starts after a possessive that is not part of it: "India's Ministry of
    Commerce" is the Ministry of Commerce, "Austrian People's Party" keeps its "People's"."""
    for possessive in _POSSESSIVE.finditer(text, start, end):
        if not possessive_in_name(text[possessive.end() : end]):
            start = possessive.end()
    return start


def possessive_in_name(rest: str) -> bool:
    """Whether a possessive followed by ``rest`` belongs to a name: only when ``rest`` is the head
    word that ends it ("People's Party")."""
    return HEAD_WORD.fullmatch(rest) is not None


def _without_sentence_start(text: str, start: int, end: int) -> tuple[int, int]:
    """A team's name without the capitalised words of the sentence before it ("On Sunday")."""
    while (word := _FIRST_WORD.match(text, start, end)) and word.group(1) in _NOT_IN_A_TEAM:
        start = word.end()
    return start, end


def _is_company(match: re.Match[str]) -> bool:
    """Whether a match of COMPANY is one: its suffix written as legal suffixes are, and a comma
    before it only before a longer suffix ("Acme, Inc.", but not "Rod Eddington, BA")."""
    suffix = match.group(2)
    comma = "," in match.group()[len(match.group(1)) : match.start(2) - match.start()]
    return _is_legal_suffix(suffix) and not (comma and len(suffix.replace(".", "")) < 3)


def _is_legal_suffix(suffix: str) -> bool:
    """Whether a suffix matched without regard to case is written as a legal suffix is: "AG",
    "Co", "GmbH", "plc" or "S.p.A.", not "ag" or "Ag"."""
    letters = suffix.replace(".", "").replace(" ", "")
    if suffix.islower():
        return suffix in _LOWER_CASE_SUFFIXES
    if "." not in suffix and len(letters) == 2:
        return letters.isupper() or letters == "Co"
    return suffix[0].isupper()


def _company(name: str) -> re.Match[str] | None:
    """``name`` as a company's name and legal suffix, with or without the suffix's full stop."""
    for candidate in (name, name + ".", name.removesuffix(".")):
        match = COMPANY.fullmatch(candidate)
        if match is not None and _is_company(match):
            return match
    return None


def is_company(name: str) -> bool:
    """Whether ``name`` ends in a legal suffix ("Marwick Stores plc", "Skyline Commuter Inc")."""
    return _company(name) is not None


def keeps_full_stop(name: str) -> bool:
    """Whether a full stop just after ``name`` is part of it ("Skyline Commuter Inc.")."""
    match = _company(name)
    return match is not None and _DOTTED_ABBREVIATION.search(match.group(2).rstrip(".")) is not None


def short_forms(name: str) -> list[str]:
    """The shorter names an article may use for the organisation ``name`` found by a pattern.

    A company is named by its words before the legal suffix and by every leading part of them
    ("Banco Atlantico" of "Banco Atlantico del Norte SA"); a club by its name without its last
    word when that is a club's ending ("Wolverhampton" of "Wolverhampton Wanderers").
    """
    company = _company(name)
    if company is not None:
        words = company.group(1).split()
        return [
            " ".join(words[:n])
            for n in range(len(words), 0, -1)
            if re.fullmatch(_CAPITALISED, words[n - 1]) and len(" ".join(words[:n])) > 2
        ]
    words = name.split()
    if len(words) > 1 and words[-1] in CLUB_ENDINGS:
        return [" ".join(words[:-1])]
    return []
