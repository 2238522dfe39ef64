"""Who published an article: a small table of news publishers, and bylines.

Scraped text rarely states its publisher in a field; it shows in a byline ("By Euronews with
AFP") or in the page furniture that cleaning removes ("Skip to more DW sites"). Matching a
short table of known publishers against those lines is predictable and fast; the table is
easy to extend, and a publisher not in it is still found in a byline's "By X, Publisher" form
or from an HTML page's site name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PUBLISHERS: dict[str, tuple[str, ...]] = {
    "Euronews": ("Euronews", "euronews.com"),
    "DW": ("DW", "Deutsche Welle", "dw.com"),
    "BBC": ("BBC", "BBC News", "bbc.co.uk", "bbc.com"),
    "Reuters": ("Reuters", "reuters.com"),
    "AFP": ("AFP", "Agence France-Presse"),
    "AP": ("Associated Press", "AP News", "apnews.com"),
    "The Guardian": ("The Guardian", "Guardian", "theguardian.com"),
    "Al Jazeera": ("Al Jazeera", "aljazeera.com"),
    "CNN": ("CNN", "cnn.com"),
    "NPR": ("NPR", "npr.org"),
    "France 24": ("France 24", "france24.com"),
    "RFE/RL": ("RFE/RL", "Radio Free Europe/Radio Liberty", "rferl.org"),
    "The Moscow Times": ("The Moscow Times", "themoscowtimes.com"),
    "Meduza": ("Meduza", "meduza.io"),
    "Bloomberg": ("Bloomberg", "bloomberg.com"),
    "The New York Times": ("The New York Times", "New York Times", "nytimes.com"),
    "The Washington Post": ("The Washington Post", "Washington Post", "washingtonpost.com"),
    "Financial Times": ("Financial Times", "ft.com"),
    "Politico": ("Politico", "politico.com", "politico.eu"),
    "Sky News": ("Sky News", "news.sky.com"),
}
"""Canonical name -> the spellings and domains that name it (matched as whole words)."""

_ALIAS_TO_NAME = {alias.lower(): name for name, aliases in PUBLISHERS.items() for alias in aliases}
_UPPERCASE_ALIASES = {
    alias.lower() for aliases in PUBLISHERS.values() for alias in aliases if alias.isupper()
}
_ALIAS_PATTERN = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(a) for a in sorted(_ALIAS_TO_NAME, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)

_NAME_WORD = r"[A-Z][\w'’.\-]*"
_CONNECTOR = r"(?:with|and|&|in|for|of|de|van|von|der|al|bin|the)"
_BYLINE = re.compile(rf"\s*By\s+(?P<names>{_NAME_WORD}(?:[\s,]+(?:{_NAME_WORD}|{_CONNECTOR}))*)\s*")
_BYLINE_MAX_CHARS = 80


@dataclass(frozen=True, slots=True)
class Byline:
    """Who wrote an article (the author) and for whom (a known publisher, the source)."""

    author: str | None
    source: str | None


def canonical_publisher(name: str) -> str | None:
    """The table's name for a spelling or domain ("the BBC", "www.dw.com"), else ``None``."""
    key = name.strip().lower().removeprefix("www.")
    return _ALIAS_TO_NAME.get(key) or _ALIAS_TO_NAME.get(key.removeprefix("the "))


def publisher_in(lines: list[str]) -> str | None:
    """The first known publisher named, as a whole word, in any of ``lines``."""
    for line in lines:
        for match in _ALIAS_PATTERN.finditer(line):
            # Short names in capitals (DW, BBC) count only in capitals: "dw" in a URL slug is no publisher.
            if match.group().isupper() or match.group().lower() not in _UPPERCASE_ALIASES:
                return _ALIAS_TO_NAME[match.group().lower()]
    return None


def parse_byline(line: str) -> Byline | None:
    """Read "By Name[, Publisher] [with Agency]" -> author and source; ``None`` if not a byline.

    A byline must be short and made of capitalised names, so "By early 2005 the net..." is
    prose, not a byline. A known publisher among the names becomes the source; the rest,
    before any "with" (the wire agencies credited), is the author.
    """
    if len(line) > _BYLINE_MAX_CHARS or (match := _BYLINE.fullmatch(line)) is None:
        return None
    credited = re.split(r"\s+with\s+", match["names"], maxsplit=1)[0]
    parts = [part.strip() for part in re.split(r",|\s+for\s+", credited) if part.strip()]
    source = None
    authors = []
    for part in parts:
        publisher = canonical_publisher(part)
        if publisher and source is None:
            source = publisher
        elif not publisher:
            authors.append(part)
    return Byline(author=", ".join(authors) or None, source=source)
