"""From an article's raw spans to its clean mentions (per article; ``canonical`` does the corpus).

``clean_mentions(body, spans)``:
- trims each span to the name itself: no leading "the"/"a", no title ("Mr", "Queen") before a
  person, no possessive "'s", quotes or brackets, no lower-case word at its end ("New Labour
  through"); a span running past "(" or "'s " is cut there, one running past the end of a quotation
  (`Block H." Labour`) starts after it; double quotes inside a name (`"New" Labour`) are not part
  of its key;
- drops junk: photo credits and page furniture ("Button", "Copyright"), lone punctuation, single
  characters, numbers that are not money, percentages or dates, URLs, lower-case "names", and dates
  that name no date (see ``names_a_date``);
- records the label each mention votes for: the model's, unless the name or its context says
  otherwise (twice as strong): an organisation word in the name ("Ministry", "Foundation") or just
  before it ("the watchdog, Roskomnadzor") votes ORG, an event word at its end ("Awards",
  "Championships") votes EVENT, a common given name at its start ("Alistair Cragg") votes PERSON;
- an organisation that a pattern found ("Nordwind Bremstechnik AG", a club in a results line) is
  an organisation wherever the article names it, also by a shorter name ("Nordwind"), whatever
  the model said there;
- adds the pattern entities (``patterns``: e-mail addresses, phone numbers, URLs, account numbers,
  handles, hashtags), each keyed by its canonical form; a span of the model or the rules that
  overlaps one is dropped ("BBC" inside "news@bbc.co.uk");
- adds the occurrences of the article's names that the model missed (one sense per article),
  surnames of its people and short names of its organisations included;
- resolves a lone surname to the one full PERSON name of the article that ends with it
  ("Navalny" -> "Alexei Navalny"), widening a span the model cut short ("Alexei [Navalny]"), and
  a lone first name that the model calls a person to the one full name that starts with it
  ("Tony" -> "Tony Blair").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from index.entities.extractor import Origin, RawSpan
from index.entities.gazetteer import FIRST_NAMES, GAZETTEER
from index.entities.honorifics import HONORIFIC, LAST_WORDS_OF_HONORIFICS
from index.entities.labels import DATE, EVENT, NUMERIC_LABELS, ORG, OTHER, PERSON, PLACE
from index.entities.organisations import (
    HEAD_WORD,
    is_company,
    keeps_full_stop,
    possessive_in_name,
    short_forms,
)
from index.months import MONTH, MONTH_NAMES

CUE_WEIGHT = 2
"""A mention whose words or context name its kind outweighs a model guess."""
PROPAGATED_WEIGHT = 0
"""Occurrences added by propagation repeat a vote already cast; they do not vote again."""

_WHITESPACE = re.compile(r"\s+")
_DOUBLE_QUOTES = str.maketrans("", "", '"“”')


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LEADING = re.compile(r"(?:[\s\"'“”‘’(\[«-]+|the\s+|The\s+|a\s+|an\s+)+")
_TITLE = re.compile(rf"(?:(?:{HONORIFIC})\.?\s+)+(?=\S)")
_PERSONAL_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Prof)\.?\s+[A-Z]")
"""A title that only a person takes: the model called "Mr Balls" an organisation."""
_CLOSED_QUOTATION = re.compile(r"[.,;:!?][\"“”]\s+")
"""The end of a quotation inside a span: what comes before it is another sentence or title."""
_TRAILING = re.compile(r"(?:[\s\"'“”‘’)\]».,;:!?-]+|['’]s\b)+$")
_INNER_POSSESSIVE = re.compile(r"['’]s\s")
_NAME_LABELS = frozenset({PERSON, ORG, PLACE, EVENT})
_JUNK_WORDS = _words(
    """
    button copyright photo photos photograph image images getty click share subscribe
    comments newsletter skip menu advertisement cookie cookies
    """
)
_ORG_WORDS = _words(
    """
    ministry agency service department council committee commission bank party union
    association foundation institute university corporation inc ltd plc police court parliament
    authority board federation club fc watchdog group
    """
)
PARTIES = _words(
    """
    Democrats Republicans Conservatives Tories Greens Socialists Liberals Communists
    """
) | frozenset({"Liberal Democrats", "Lib Dems", "Social Democrats", "Christian Democrats", "Free Democrats"})
"""Parties named by their members in the plural ("the Tories"): the model's group of people, an
organisation in the gold samples (and in OntoNotes) when the party acts."""
_CLUB_ENDINGS = _words("united rovers wanderers athletic hotspur albion rangers")
"""The last word of a sports club's name ("Manchester United", "Blackburn Rovers"): the small
model calls these people (133 PERSON votes for "Manchester United" across the BBC articles)."""
_EVENT_WORDS = _words(
    """
    awards award championships championship games olympics prix cup festival marathon
    election elections war summit conference
    """
)
_ORG_CUE = re.compile(
    r"\b(?:watchdog|regulator|agency|company|firm|network|platform|app|website|site|broadcaster|"
    r"newspaper|channel|giants?(?: like)?|\w*maker|airline|bank|operator|retailer|ministry|publisher|"
    r"group|label|studio|chain|manufacturer|insurer|carrier|supermarket|band)\s*,?\s*[\"“'(\[]?$",
    re.IGNORECASE,
)
_CUE_WINDOW = 40
_TITLE_AFTER = re.compile(r"\s+(?:Minister|Secretary|Commissioner)\b")
_TITLE_BEFORE = re.compile(r"\b(?:Minister|Secretary|Commissioner)\s+(?:of|for)\s+(?:the\s+)?$")
_TITLES_AND_ARTICLES = LAST_WORDS_OF_HONORIFICS | _words("The A An")
_CAPITALISED_NEXT = re.compile(r" [A-Z]")
_CAPITALISED_BEFORE = re.compile(r"(?:^|\s)([A-Z][\w'’-]*) $")
_FUNCTION_WORDS = _words(
    """
    the a an and or nor but yet so of in on at to for from by with as than then there here
    he she it they we i you him them this that these those his her its our their my your
    what which whom whose when where why how if while after before although though because
    all any both each every some many most no not one none such also however meanwhile
    """
)
"""Words that are never a name on their own, however capitalised (a sentence may start with
"There"), and never the last word of one ("Jerry Springer - The [Opera]"). Written in capitals
they are acronyms ("IT"); "us", "me" and "who" are left out for "US", "ME" and "The Who"."""
_DANGLING_WORD = re.compile(r"[\s\-–—]+(\w+)$")
_LOWERCASE_TAIL = re.compile(r"\s+[a-z]+$")
_NAMED_DATE = re.compile(
    rf"\b(?:{MONTH})\b|\b(?:1[5-9]|20)\d\d(?:s\b|\b(?!\s?(?:GMT|BST|hours|hrs)\b))|['’]\d0s\b"
    r"|\b(?:Christmas|Easter|New Year|Ramadan|Eid|Hanukkah|Thanksgiving|Boxing Day|Halloween|Valentine)\b"
)
"""A month, a year (1500-2099, not a time of day: "1800 GMT") or decade, or a named day."""
_NOT_PROPAGATED = frozenset(MONTH_NAMES) | _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")


@dataclass(frozen=True, slots=True)
class Found:
    """One clean mention of one article, before corpus-wide resolution.

    ``key`` identifies the entity ("N:" for names, "V:" for values such as dates, then the folded
    text; ``PATTERN_KEY`` and the canonical form for a pattern entity); ``vote`` is the label this
    mention votes for, ``weight`` how many votes it casts.
    """

    start: int
    end: int
    text: str
    vote: str
    key: str
    weight: int = 1


PATTERN_KEY = "P:"
"""The key prefix of pattern entities, whose key holds their canonical form: ``P:+442079460958``."""


def squeeze(text: str) -> str:
    """Runs of whitespace as one space (a name broken over lines is still one name)."""
    return _WHITESPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """The matching form of a name: single spaces, straight apostrophes, no double quotes, case-folded."""
    return squeeze(text.replace("’", "'").translate(_DOUBLE_QUOTES)).casefold()


def surface(text: str) -> str:
    """How a name is shown: single spaces, no double quotes (`"New" Labour` is "New Labour")."""
    return squeeze(text.translate(_DOUBLE_QUOTES))


def names_a_date(text: str) -> bool:
    """Whether a date mention names the same period in any article: a month, a year or decade, or
    a named day. "Last week", "Sunday" or "our full-year" mean another period in every article,
    and as one entity they would gather unrelated articles in the sidebar."""
    return _NAMED_DATE.search(text) is not None


def entity_key(text: str, label: str) -> str:
    return ("V:" if label in NUMERIC_LABELS else "N:") + fold(text)


def full_names_by_word(person_keys: Iterable[str], position: int) -> dict[str, list[str]]:
    """The keys of ``person_keys`` that name a person in two words or more, by the word at
    ``position`` (-1 the surname, 0 the first name): "navalny" -> ["N:alexei navalny"]."""
    by_word: dict[str, list[str]] = defaultdict(list)
    for key in person_keys:
        words = key[2:].split(" ")
        if key.startswith("N:") and len(words) > 1:
            by_word[words[position]].append(key)
    return by_word


def clean_mentions(body: str, spans: Iterable[RawSpan], region: str | None = None) -> list[Found]:
    """The article's mentions in body order: trimmed, de-junked, voted, propagated, surnames
    resolved, with its pattern entities (national phone numbers read in ``region``, default
    ``patterns.phone_region()``)."""
    # Imported here: phonenumbers and python-stdnum take 60 ms to load, which the entity store
    # (and so the explorer's facets) would pay for nothing.
    from index.entities.patterns import pattern_matches

    patterns = [
        Found(m.start, m.end, body[m.start : m.end], m.label, PATTERN_KEY + m.canonical)
        for m in pattern_matches(body, region)
    ]
    taken = [(m.start, m.end) for m in patterns]
    found: list[Found] = []
    organisations: dict[str, Found] = {}
    for span in spans:
        if taken and _overlaps(taken, span.start, span.end):
            continue
        mention = _clean(body, span)
        if mention is None:
            continue
        found.append(mention)
        if span.origin is Origin.PATTERN and span.label == ORG:
            for name in (mention.text, *short_forms(mention.text)):
                key = entity_key(name, ORG)
                organisations.setdefault(name, Found(0, 0, name, ORG, key, PROPAGATED_WEIGHT))
    found = [_as_organisation(mention) if mention.text in organisations else mention for mention in found]
    found = sorted(found + patterns, key=lambda m: m.start)
    return _resolve_surnames(body, _propagate(body, found, organisations))


def _as_organisation(mention: Found) -> Found:
    return Found(mention.start, mention.end, mention.text, ORG, mention.key, max(mention.weight, CUE_WEIGHT))


def _clean(body: str, span: RawSpan) -> Found | None:
    if span.label in (ORG, PLACE) and _PERSONAL_TITLE.match(body, span.start):
        span = RawSpan(span.start, span.end, PERSON, span.origin)
    start, end = _trim(body, span.start, span.end, span.label)
    text = body[start:end]
    if _is_junk(text, span.label) or (span.label == ORG and _in_a_title(body, start, end, text)):
        return None
    vote, weight = _vote(body, start, text, span.label)
    return Found(start, end, text, vote, entity_key(text, span.label), weight)


def _trim(body: str, start: int, end: int, label: str) -> tuple[int, int]:
    text = body[start:end]
    if label in NUMERIC_LABELS:
        start += len(text) - len(text.lstrip())
        return start, start + len(text.strip())
    quotations = list(_CLOSED_QUOTATION.finditer(body, start, end))
    if quotations:
        start = quotations[-1].end()
    for pattern in (_LEADING, _TITLE) if label == PERSON else (_LEADING,):
        lead = pattern.match(body, start, end)
        if lead:
            start = lead.end()
    text = body[start:end]
    if "(" in text and ")" not in text:
        end = start + text.index("(")
    possessive = _INNER_POSSESSIVE.search(body, start, end)
    if possessive and not possessive_in_name(body[possessive.end() : end]):
        end = possessive.start()
    return start, _trim_tail(body, start, end)


def _trim_tail(body: str, start: int, end: int) -> int:
    """The end of the name: no trailing punctuation (but the full stop of "Inc."), possessive,
    function word cut off from what it belonged to ("Linda Kasabian - the", "Jerry Springer -
    The"), or lower-case word after a capitalised one ("New Labour through")."""
    while True:
        trail = _TRAILING.search(body, start, end)
        end = trail.start() if trail else end
        dangling = _DANGLING_WORD.search(body, start, end)
        if dangling is not None and _is_function_word(dangling.group(1)):
            end = dangling.start()
            continue
        lowercase = _LOWERCASE_TAIL.search(body, start, end)
        if (
            lowercase is None
            or not any(ch.isupper() for ch in body[start : lowercase.start()])
            or is_company(body[start:end])
        ):
            return end + 1 if body.startswith(".", end) and keeps_full_stop(body[start:end]) else end
        end = lowercase.start()


def _in_a_title(body: str, start: int, end: int, text: str) -> bool:
    """Whether a name is the portfolio of a minister's title ("Finance Minister Ewa Kaminska",
    "Secretary of State Condoleezza Rice"), not an organisation; "Home Office Minister" keeps its
    office."""
    return HEAD_WORD.search(text) is None and (
        _TITLE_AFTER.match(body, end) is not None
        or _TITLE_BEFORE.search(body, max(0, start - _CUE_WINDOW), start) is not None
    )


def _is_junk(text: str, label: str) -> bool:
    if len(text) < 2 or "\n" in text or not any(ch.isalnum() for ch in text):
        return True
    if "://" in text or "www." in text.casefold():
        return True
    if label == DATE:
        return not names_a_date(text)
    if label in NUMERIC_LABELS:
        return False
    if not any(ch.isalpha() for ch in text) or "/" in text:
        return True
    if label != OTHER and not any(ch.isupper() for ch in text):
        return True
    if label == PERSON and any(ch.isdigit() for ch in text):
        return True
    if _is_function_word(text):
        return True
    return any(word in _JUNK_WORDS for word in re.findall(r"\w+", text.casefold()))


def _is_function_word(word: str) -> bool:
    return word.casefold() in _FUNCTION_WORDS and not (len(word) > 1 and word.isupper())


def _vote(body: str, start: int, text: str, label: str) -> tuple[str, int]:
    """The label this mention votes for, and with how many votes."""
    if text in PARTIES and label != ORG:
        return ORG, CUE_WEIGHT
    if label not in _NAME_LABELS or text in GAZETTEER:
        return label, 1
    words = re.findall(r"[\w']+", text.casefold())
    given_name = len(words) > 1 and text.split()[0] in FIRST_NAMES
    # "music publisher Bertelsmann" is a company, "publisher Felix Dennis" a person.
    org_cue = not given_name and _ORG_CUE.search(body, max(0, start - _CUE_WINDOW), start)
    if label != ORG and (
        set(words) & _ORG_WORDS or (len(words) > 1 and words[-1] in _CLUB_ENDINGS) or org_cue
    ):
        return ORG, CUE_WEIGHT
    if words[-1] in _EVENT_WORDS:
        return EVENT, CUE_WEIGHT
    if label != PERSON and given_name and not set(words) & _ORG_WORDS:
        return PERSON, CUE_WEIGHT
    return label, 1


def _propagate(body: str, found: list[Found], organisations: dict[str, Found]) -> list[Found]:
    """Add the unlabelled occurrences of the article's names (and of its people's surnames and its
    organisations' short names)."""
    names: dict[str, Found] = dict(organisations)
    surnames: dict[str, set[str]] = defaultdict(set)
    for mention in found:
        single_word_noise = mention.text in FIRST_NAMES or mention.text in _NOT_PROPAGATED
        if mention.vote in _NAME_LABELS and len(mention.text) > 2 and not single_word_noise:
            names.setdefault(mention.text, mention)
            words = mention.text.split()
            # A surname is a capitalised word: the model has tagged "Linda Kasabian - the".
            if (
                mention.vote == PERSON
                and len(words) > 1
                and len(words[-1]) > 2
                and words[-1][0].isupper()
                and not _is_function_word(words[-1])
            ):
                surnames[words[-1]].add(mention.key)
    for surname, keys in surnames.items():
        if len(keys) == 1 and surname not in names:
            names[surname] = Found(0, 0, surname, PERSON, entity_key(surname, PERSON), 0)
    if not names:
        return found
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)"
    )
    taken = sorted((m.start, m.end) for m in found)
    added = []
    for match in pattern.finditer(body):
        if not _overlaps(taken, match.start(), match.end()) and not _inside_longer_name(body, *match.span()):
            model = names[match.group()]
            added.append(
                Found(match.start(), match.end(), match.group(), model.vote, model.key, PROPAGATED_WEIGHT)
            )
    return sorted(found + added, key=lambda m: m.start)


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in taken)


def _inside_longer_name(body: str, start: int, end: int) -> bool:
    """Whether a capitalised word other than a title runs into the match ("Millennium Exhibition")."""
    if _CAPITALISED_NEXT.match(body, end):
        return True
    before = _CAPITALISED_BEFORE.search(body, max(0, start - _CUE_WINDOW), start)
    return before is not None and before.group(1) not in _TITLES_AND_ARTICLES


def _resolve_surnames(body: str, found: list[Found]) -> list[Found]:
    """A lone surname takes the article's one full PERSON name ending with it; a span the model cut
    short ("Alexei [Navalny]") is widened to the full name when the body spells it out. A lone
    first name that votes PERSON takes the one full PERSON name starting with it."""
    people = {mention.key for mention in found if mention.vote == PERSON}
    by_surname = full_names_by_word(people, -1)
    by_first_name = full_names_by_word(people, 0)
    resolved: list[Found] = []
    for mention in found:
        word = mention.key[2:] if mention.key.startswith("N:") and " " not in mention.key else None
        surnames = set(by_surname.get(word, ())) if word else set()
        first_names = set(by_first_name.get(word, ())) if word and mention.vote == PERSON else set()
        if len(surnames | first_names) == 1:
            [full] = surnames | first_names
            start = mention.start
            if surnames:
                start = mention.end - (len(full) - 2)
                overlaps = bool(resolved) and resolved[-1].end > start
                if start < 0 or overlaps or fold(body[start : mention.end]) != full[2:]:
                    start = mention.start
            mention = Found(start, mention.end, body[start : mention.end], PERSON, full, mention.weight)
        resolved.append(mention)
    return resolved
