"""Pattern rules: what statistical models miss in news, and a fallback when there is no model.

Money with currency symbols or words ("€44,600", "£15.8m", "four million roubles"), percentages
("38%", "17 per cent"), explicit dates ("January 22, 2021", "22 January"), names from the curated
gazetteer, people introduced by a title ("President Putin"), organisations
whose words give them away (``organisations``: "Nordwind AG", "Ministry of Finance", the clubs of
a results line) and the city of a wire story's dateline ("STUTTGART, March 4 -").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from index.entities.extractor import Origin, RawSpan
from index.entities.gazetteer import GAZETTEER
from index.entities.honorifics import HONORIFIC
from index.entities.labels import DATE, MONEY, PERCENT, PERSON, PLACE
from index.entities.organisations import organisation_spans
from index.months import MONTH

_NUMBER_WORDS = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|several|a few|half a|a half)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = rf"(?:{_DIGITS}|{_NUMBER_WORDS}(?:[- ]{_NUMBER_WORDS})*)"
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|m|k|tn)\b"
_CURRENCY_WORD = (
    r"(?:euros?|dollars?|pounds?(?: sterling)?|roubles?|rubles?|yen|yuan|renminbi|francs?|rupees?|"
    r"pesos?|kroner|krona|kronor|zlotys?|lira|shekels?|dinars?|rand|won|hryvnias?|pence|cents?)\b"
)
_SYMBOL = r"(?:US\$|A\$|C\$|HK\$|[$£€¥₽₹])"

MONEY_PATTERN = re.compile(
    rf"{_SYMBOL}\s?(?:{_DIGITS})(?:\s?{_SCALE})?"
    rf"|\b{_AMOUNT}(?:\s?{_SCALE})?(?:\s{_SCALE})?\s{_CURRENCY_WORD}",
    re.IGNORECASE,
)
PERCENT_PATTERN = re.compile(
    rf"(?:{_DIGITS})\s?(?:%|per\s?cent\b|percent\b)|\b{_AMOUNT}\s(?:per\s?cent|percent)\b",
    re.IGNORECASE,
)
_MONTH = rf"(?:{MONTH})\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE_PATTERN = re.compile(
    rf"\b(?:{_MONTH}\s{_DAY}(?:,?\s\d{{4}})?|{_DAY}\s{_MONTH}(?:,?\s\d{{4}})?|{_MONTH}\s\d{{4}})\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
TITLED_PERSON = re.compile(rf"\b(?:{HONORIFIC})\.?\s((?:[A-Z][a-z'’-]+\s){{0,2}}[A-Z][a-z'’-]+)")
DATELINE = re.compile(
    rf"^[ \t]*(?P<city>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+)*)(?:, (?P<region>[A-Z][a-z]+(?: [A-Z][a-z]+)*))?,"
    rf" (?:{_MONTH}) \d{{1,2}}\b",
    re.MULTILINE,
)
"""The place a wire story was filed from, in capitals, with its region: "SILVER SPRING, Maryland, Oct 30"."""
GAZETTEER_PATTERN = re.compile(
    r"(?<![\w@#-])(?:"
    + "|".join(re.escape(name) for name in sorted(GAZETTEER, key=len, reverse=True))
    + r")(?![\w-])"
)


class RuleExtractor:
    """Regular expressions and the gazetteer; cheap, deterministic, and always run."""

    name = "rules"

    def extract(self, texts: Iterable[str]) -> Iterator[list[RawSpan]]:
        for text in texts:
            yield rule_spans(text)


def rule_spans(text: str) -> list[RawSpan]:
    """Every rule match in ``text``; overlaps are resolved later by ``extractor.merge``."""
    spans = [RawSpan(m.start(), m.end(), MONEY, Origin.PATTERN) for m in MONEY_PATTERN.finditer(text)]
    spans += [RawSpan(m.start(), m.end(), PERCENT, Origin.PATTERN) for m in PERCENT_PATTERN.finditer(text)]
    spans += [RawSpan(m.start(), m.end(), DATE, Origin.PATTERN) for m in DATE_PATTERN.finditer(text)]
    spans += [
        RawSpan(m.start(), m.end(), GAZETTEER[m.group()], Origin.GAZETTEER)
        for m in GAZETTEER_PATTERN.finditer(text)
    ]
    spans += [RawSpan(m.start(1), m.end(1), PERSON, Origin.GAZETTEER) for m in TITLED_PERSON.finditer(text)]
    spans += [RawSpan(start, end, label, Origin.PATTERN) for start, end, label in organisation_spans(text)]
    for dateline in DATELINE.finditer(text):
        spans += [
            RawSpan(dateline.start(part), dateline.end(part), PLACE, Origin.PATTERN)
            for part in ("city", "region")
            if dateline.group(part)
        ]
    return spans
