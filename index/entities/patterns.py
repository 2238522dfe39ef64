"""Pattern entities: e-mail addresses, phone numbers, URLs, account numbers, @handles and #hashtags.

Each kind is a regular expression that finds candidates and a check that keeps only real ones, and
each entity is written in one canonical form, so that two spellings of it are one entity:

- EMAIL: ``name@domain.tld`` whose top-level domain exists (``user@localhost``, ``foo@bar`` and
  ``icon@2x.png`` are not addresses); lower-cased.
- PHONE: what ``phonenumbers`` finds and holds valid, national numbers read in the default region
  (``phone_region``: $BROADSHEET_PHONE_REGION, else GB); in E.164, ``+442079460958``.
- URL: ``http(s)://`` or ``www.`` addresses whose host has a real top-level domain; written
  without scheme, ``www.``, fragment or final slash, host lower-cased: ``bbc.co.uk/news``.
- ACCOUNT: IBANs that ``python-stdnum`` validates (country, length, check digits), compact and
  upper-case; card numbers written in groups (``4111 1111 1111 1111``) with a card issuer's
  prefix and a valid Luhn digit, as their digits. Bare digit runs are never taken for cards.
- HANDLE and HASHTAG: ``@name`` and ``#tag`` with a letter in them, lower-cased; decorators
  (``@property``), CSS colours (``#fff``), preprocessor lines (``#define``) and issue numbers
  (``#123``) are not.

Precision matters more than recall: ``tests/data/patterns/near_misses.txt`` holds dates, times,
ISBNs, versions, prices and code that must give nothing. Matches never overlap: a URL or an address
wins over the handle or hashtag inside it.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from stdnum import iban, luhn

from index.entities.labels import ACCOUNT, EMAIL, HANDLE, HASHTAG, PHONE, URL

PHONE_REGION_ENV = "BROADSHEET_PHONE_REGION"
"""Environment variable: the region (ISO 3166 code, e.g. ``DE``) of numbers written without ``+``."""
DEFAULT_PHONE_REGION = "GB"

log = logging.getLogger("broadsheet.entities")


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """One pattern entity in a text: its half-open range, label and canonical form."""

    start: int
    end: int
    label: str
    canonical: str


def phone_region() -> str:
    """$BROADSHEET_PHONE_REGION upper-cased when ``phonenumbers`` knows it, else ``DEFAULT_PHONE_REGION``."""
    wanted = os.environ.get(PHONE_REGION_ENV, "").strip().upper()
    if not wanted:
        return DEFAULT_PHONE_REGION
    if wanted not in phonenumbers.SUPPORTED_REGIONS:
        _warn_unknown_region(wanted)
        return DEFAULT_PHONE_REGION
    return wanted


@functools.cache
def _warn_unknown_region(wanted: str) -> None:
    """Once per process and value: the region is read for every article."""
    log.warning("broadsheet: %s=%s is no region; using %s.", PHONE_REGION_ENV, wanted, DEFAULT_PHONE_REGION)


def pattern_matches(text: str, region: str | None = None) -> list[PatternMatch]:
    """Every pattern entity of ``text`` in text order, none overlapping another; national phone
    numbers are read in ``region`` (default: ``phone_region()``)."""
    region = region or phone_region()
    found = [*_urls(text), *_emails(text), *_accounts(text), *_phones(text, region), *_tags(text)]
    kept: list[PatternMatch] = []
    for match in found:  # in order of precedence: a URL before the handle inside it
        if not any(match.start < other.end and other.start < match.end for other in kept):
            kept.append(match)
    return sorted(kept, key=lambda match: match.start)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Top-level domains. Every country's (phonenumbers knows each country code; "uk" is GB's domain),
# less those that are more often file extensions in code (.py, .sh, .md...), and the generic ones
# news quotes; an address or URL at any other domain is not taken.
_CODE_EXTENSIONS = frozenset({"py", "rs", "sh", "md", "pm", "so"})
_GENERIC_DOMAINS = _words(
    """
    com net org edu gov mil int info biz name pro mobi aero coop museum jobs travel tel asia post
    app dev io ai co me tv news online site tech store blog shop cloud email agency media global
    london scot wales eu uk ac
    """
)


@functools.cache
def top_level_domains() -> frozenset[str]:
    countries = {region.lower() for region in phonenumbers.SUPPORTED_REGIONS} - {"gb"}
    return frozenset(countries - _CODE_EXTENSIONS) | _GENERIC_DOMAINS


def _has_real_domain(host: str) -> bool:
    labels = host.lower().split(".")
    return (
        len(labels) >= 2
        and labels[-1] in top_level_domains()
        and all(_HOST_LABEL.fullmatch(label) for label in labels)
    )


_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")

# --- e-mail addresses ---------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+@-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
    r"@(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w@-]|\.[A-Za-z0-9]|:\S)"
)


def email_canonical(text: str) -> str | None:
    """The address lower-cased, or None if it is not one (no real domain, doubled dots)."""
    match = _EMAIL.fullmatch(text.strip())
    if match is None or ".." in text or not _has_real_domain(match.group("host")):
        return None
    return match.group().lower()


def _emails(text: str) -> Iterator[PatternMatch]:
    if "@" not in text:
        return
    for match in _EMAIL.finditer(text):
        canonical = email_canonical(match.group())
        if canonical is not None:
            yield PatternMatch(match.start(), match.end(), EMAIL, canonical)


# --- URLs ---------------------------------------------------------------------------------------

_URL = re.compile(r"(?<![\w@/.-])(?:https?://|www\.)[^\s<>\"'`{}|\\^\[\]]+", re.IGNORECASE)
_URL_START = re.compile(r"[hH][tT][tT][pP][sS]?://|[wW][wW][wW]\.")
_URL_TAIL = ".,;:!?*'\""


def url_canonical(text: str) -> str | None:
    """Host (lower-case, no ``www.``, no default port), path (no final slash) and query; None if
    ``text`` is no web address with a real domain."""
    written = text.strip()
    if not re.match(r"https?://", written, re.IGNORECASE):
        written = "http://" + written
    try:
        parts = urlsplit(written)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if host is None or not _has_real_domain(host) or parts.username is not None:
        return None
    host = host.removeprefix("www.")
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def _urls(text: str) -> Iterator[PatternMatch]:
    if _URL_START.search(text) is None:
        return
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start() and (
            text[end - 1] in _URL_TAIL
            or (
                text[end - 1] == ")"
                and text.count("(", match.start(), end) < text.count(")", match.start(), end)
            )
        ):
            end -= 1
        canonical = url_canonical(text[match.start() : end])
        if canonical is not None:
            yield PatternMatch(match.start(), end, URL, canonical)


# --- account numbers ----------------------------------------------------------------------------

_IBAN = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w-])")
_CARD = re.compile(
    r"(?<![\w.,-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{4}|3[47]\d{2}([ -])\d{6}\2\d{5})(?![\w-]|[.,]\d)"
)
_IBAN_START = re.compile(r"[A-Z]{2}\d\d")
_CARD_START = re.compile(r"\d{4}[ -]\d{4}")
_CARD_ISSUER = re.compile(r"4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6(?:011|5)")
"""Visa, Mastercard, American Express and Discover: the first digits of their numbers."""


def account_canonical(text: str) -> str | None:
    """A valid IBAN, compact and upper-case, or a card number's digits; None for anything else."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact) and iban.is_valid(compact):
        return compact
    if (
        compact.isdigit()
        and len(compact) in (15, 16)
        and _CARD_ISSUER.match(compact)
        and luhn.is_valid(compact)
    ):
        return compact
    return None


def _accounts(text: str) -> Iterator[PatternMatch]:
    if _IBAN_START.search(text):
        yield from _ibans(text)
    if _CARD_START.search(text):
        for match in _CARD.finditer(text):
            canonical = account_canonical(match.group())
            if canonical is not None:
                yield PatternMatch(match.start(), match.end(), ACCOUNT, canonical)


def _ibans(text: str) -> Iterator[PatternMatch]:
    for match in _IBAN.finditer(text):
        written = match.group()
        while written:  # a number that follows the IBAN may have been read as its last group
            canonical = account_canonical(written)
            if canonical is not None:
                yield PatternMatch(match.start(), match.start() + len(written), ACCOUNT, canonical)
                break
            written = written.rpartition(" ")[0]


# --- phone numbers ------------------------------------------------------------------------------

_NOT_BEFORE_PHONE = re.compile(r"(?:[$£€¥₽₹#]|\b(?:ISBN|ISSN|No|no|Nr|nr)\.?:?)\s*$")


def phone_canonical(text: str, region: str | None = None) -> str | None:
    """The number in E.164 (``+442079460958``), or None if ``phonenumbers`` holds it invalid."""
    try:
        number = phonenumbers.parse(text, region or phone_region())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phones(text: str, region: str) -> Iterator[PatternMatch]:
    # ``PhoneNumberMatcher`` over a whole article costs a millisecond; it reads only the runs of
    # seven digits or more here, with a few characters of context (a letter glued to a run voids it).
    for run in _PHONE_RUN.finditer(text):
        if sum(char.isdigit() for char in run.group()) < _MIN_PHONE_DIGITS:
            continue
        offset = max(0, run.start() - _PHONE_CONTEXT)
        window = text[offset : run.end() + _PHONE_CONTEXT]
        for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.VALID):
            start, end = offset + match.start, offset + match.end
            if start < run.start() or end > run.end() or _not_a_phone(text, start, end):
                continue
            canonical = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            yield PatternMatch(start, end, PHONE, canonical)


_PHONE_RUN = re.compile(r"[+(]*\d[\d \t().\-\u2010-\u2013]{5,}\d")
_MIN_PHONE_DIGITS = 7
_PHONE_CONTEXT = 3


def _not_a_phone(text: str, start: int, end: int) -> bool:
    """A number glued to a letter or digit, after a currency sign or "ISBN", or before "%"."""
    touching = text[start - 1 : start].isalnum() or text[end : end + 1].isalnum()
    return (
        touching
        or text.startswith("%", end)
        or _NOT_BEFORE_PHONE.search(text, max(0, start - 8), start) is not None
    )


# --- handles and hashtags -----------------------------------------------------------------------

_HANDLE = re.compile(r"(?<![\w@.+/`&-])@(?=[A-Za-z0-9_]*[A-Za-z])[A-Za-z0-9_]{1,30}(?![\w@/(-]|\.\w)")
_HASHTAG = re.compile(r"(?<![\w&#/@`])#(?=\w*[^\W\d_])\w{1,100}(?![\w#-])")
_DECORATOR_LINE = re.compile(r"[ \t]*@[\w.]+(?:\(.*\))?[ \t]*$")
_CSS_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_CODE_WORDS = _words(
    """
    property staticmethod classmethod dataclass override abstractmethod param return returns throws
    deprecated author since see todo media import keyframes charset supports layer
    define include ifdef ifndef endif pragma region endregion undef elif else if error
    """
)
"""Names that follow "@" in code (decorators, Javadoc tags, CSS at-rules) and "#" (C's preprocessor)."""


def handle_canonical(text: str) -> str | None:
    """``@name`` lower-cased (a name typed without its "@" gets one); None if it is no handle."""
    written = "@" + text.strip().removeprefix("@")
    return written.lower() if _HANDLE.fullmatch(written) and not _is_code_word(written) else None


def hashtag_canonical(text: str) -> str | None:
    """``#tag`` lower-cased (a tag typed without its "#" gets one); None if it is no hashtag."""
    written = "#" + text.strip().removeprefix("#")
    if not _HASHTAG.fullmatch(written) or _CSS_COLOUR.fullmatch(written) or _is_code_word(written):
        return None
    return written.casefold()


def _is_code_word(tag: str) -> bool:
    return tag[1:].casefold() in _CODE_WORDS


def _tags(text: str) -> Iterator[PatternMatch]:
    if "@" in text:
        for match in _HANDLE.finditer(text):
            if _is_code_word(match.group()) or _DECORATOR_LINE.fullmatch(_line_from(text, match.start())):
                continue
            yield PatternMatch(match.start(), match.end(), HANDLE, match.group().lower())
    if "#" in text:
        for match in _HASHTAG.finditer(text):
            canonical = hashtag_canonical(match.group())
            if canonical is not None:
                yield PatternMatch(match.start(), match.end(), HASHTAG, canonical)


def _line_from(text: str, start: int) -> str:
    """The line that holds ``start``, if only blanks come before it there; else ""."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return ""
    line_end = text.find("\n", start)
    return text[line_start : len(text) if line_end < 0 else line_end]


CANONICAL_FORMS: dict[str, Callable[[str], str | None]] = {
    EMAIL: email_canonical,
    PHONE: phone_canonical,
    URL: url_canonical,
    ACCOUNT: account_canonical,
    HANDLE: handle_canonical,
    HASHTAG: hashtag_canonical,
}
"""Label -> the function that writes a value of it in canonical form (None: not such a value)."""
