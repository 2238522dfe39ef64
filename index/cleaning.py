"""Text hygiene on ingest: terminal-safe text, and scraped web boilerplate removed.

Article text is shown in a terminal, so anything a terminal would obey instead of print is
stripped once, here, before it is stored: escape sequences, C0/C1 control characters and the
bidi controls that can make a line display as something other than what it says.

Scraped pages also carry lines that are not the article: navigation ("Skip to content"),
share buttons, photo credits, a "You might also like" list at the end, an agency sign-off.
``strip_boilerplate`` removes them with generic rules (whole-line patterns, line shape and
position), so that every sentence of the article itself is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPE_SEQUENCE = (
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC (titles, hyperlinks), ended by BEL or ST
    r"|\x1b[PX^_][^\x1b\x9c\n]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"  # every other ESC sequence: intermediates, then a final byte
)
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""The bidi embedding, override and isolate controls, as the inside of a regex character class."""
_UNSAFE_CHAR = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
_ESCAPE_OR_CONTROL = re.compile(rf"{_ESCAPE_SEQUENCE}|[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def sanitize(text: str) -> str:
    """Return ``text`` safe to print in a terminal, with ``\\n`` as the only line break.

    Removed: ANSI/ECMA-48 escape sequences (CSI, OSC ended by BEL or ST, DCS/SOS/PM/APC and
    the rest), C0 controls except ``\\n`` and ``\\t``, DEL, C1 controls, and the bidi
    embedding, override and isolate controls U+202A-U+202E and U+2066-U+2069: those let a line
    display in an order other than the stored one (the "Trojan Source" trick), which in a news
    reader could make a quote or a name appear to say something else. ``\\r\\n`` and lone
    ``\\r`` become ``\\n``. A lone surrogate (from a JSON ``"\\ud800"`` escape) cannot be
    encoded to UTF-8 at all, so it becomes U+FFFD. Everything else that is text stays:
    right-to-left scripts, combining marks, zero-width joiners, emoji, Rich or Textual markup.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNSAFE_CHAR.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", _ESCAPE_OR_CONTROL.sub("", text))


class _LazyPattern:
    """A pattern compiled on first use. The boilerplate patterns are only for ingest: compiling them
    cost every command that imports ``sanitize`` (a search) a few milliseconds."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._pattern().fullmatch(text)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._pattern().search(text, pos)


_BULLET = r"(?:\d{1,2}[.)]|[*•·\-–])?\s*"

_NAV_PHRASE = (
    r"skip to [\w ]{1,40}|find us|follow us(?: on [\w ]{1,30})?|share(?: this)?(?: article| story| page)?"
    r"|share on (?:facebook|twitter|whatsapp|linkedin|email|x)|comments?|close button|close"
    r"|(?:sign|log) (?:in|up|out)|subscribe(?: now)?|newsletters?|advertisement|advert|menu|search"
    r"|print|e-?mail|facebook|twitter|whatsapp|linkedin|copy link|show more|load more|back to top"
    r"|cookie settings|accept(?: all)? cookies|listen to (?:this )?article|published on|updated"
)
_NAV_LINE = _LazyPattern(rf"\s*{_BULLET}(?:{_NAV_PHRASE})(?:\s*(?:{_NAV_PHRASE}))*\s*", re.IGNORECASE)
"""A line made only of navigation or share-button labels, e.g. "Share this articleComments"."""

_READ_MORE_LINE = _LazyPattern(
    r"\s*(?:read more|read also|also read|see also)\s*:\s*\S.{0,200}", re.IGNORECASE
)
"""An inline link to another article, e.g. "Read more: Navalny returns to Russia"."""

_RIGHTS_NOTICE = _LazyPattern(
    r"\s*(?:©.{1,150}|(?:Copyright|COPYRIGHT|\([cC]\))\s*©?\s*(?:19|20)\d\d\b.{0,150}"
    r"|.{0,150}\b(?i:all rights reserved)\.?)\s*"
)
"""A copyright notice: "Copyright 2023 The Associated Press. All Rights Reserved." """
_FURNITURE_MAX_CHARS = 160

_CREDIT = _LazyPattern(
    r"(?:^|(?<=[\s.a-z]))(?:(?:Image|Photo|Picture|Photograph|Foto|Bild|Credit)s?\s*:|Copyright\b|©)"
    r"\s*[^\s.!?][^!?]{0,100}$"
)
"""A photo credit at the end of a line: "Copyright AP Photo/Mstyslav Chernov" or a caption
that ends "...calls for protestsImage: Sergei Bobylev/ITAR-TASS/imago images"."""

_CREDIT_MAX_CHARS = 120
_SENTENCE_END = ".!?:;\"'”’)"

_RELATED_HEADING = _LazyPattern(
    r"\s*(?:you (?:might|may) also like|related(?: articles| stories| content| topics| coverage| news)?"
    r"|more on this(?: story| topic)?|more from [\w ]{1,30}|recommended(?: for you)?"
    r"|most (?:read|popular|viewed)|read more|see also|also on [\w ]{1,30})\s*:?\s*",
    re.IGNORECASE,
)
_RELATED_MAX_LINES = 20
_RELATED_MAX_LINE_CHARS = 200

_SIGN_OFF = _LazyPattern(
    r"\s*(?:[a-z]{2,4}(?:\s*[,/]\s*[a-z]{2,4})+(?:\s*\([^()]{1,80}\))?"
    r"|(?:[a-z]{2,4}\s*)?\((?:AFP|AP|dpa|Reuters|KNA|epd|EFE|ANSA|Interfax|TASS)\b[^()]{0,80}\))\s*"
)
"""A wire-style sign-off as the last line: editors' initials and agencies, "rs, kmm/sms (AFP, dpa)"."""


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Lines that remain after boilerplate removal ("" marks a paragraph break), and the page
    furniture among the lines removed.

    Furniture is kept because it still says something about the page: "Skip to more DW sites"
    or "© 2021 Deutsche Welle" names the publisher. (Photo credits and related links are not
    furniture: they name agencies and other stories.)
    """

    lines: list[str]
    furniture: list[str]


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture: navigation, share buttons, a copyright notice."""
    return len(line) <= _FURNITURE_MAX_CHARS and any(
        pattern.fullmatch(line) is not None for pattern in (_NAV_LINE, _READ_MORE_LINE, _RIGHTS_NOTICE)
    )


def is_credit(line: str) -> bool:
    """Whether a line ends in a photo credit (a bare credit, or a caption carrying one)."""
    return _credit_match(line) is not None


def _credit_match(line: str) -> re.Match[str] | None:
    stripped = line.rstrip()
    if not stripped or stripped[-1] in _SENTENCE_END:
        return None
    return _CREDIT.search(stripped, max(0, len(stripped) - _CREDIT_MAX_CHARS))


def strip_boilerplate(lines: list[str]) -> Cleaned:
    """Remove navigation, credits, a trailing related-links list and a sign-off from ``lines``.

    Rules, none tied to one site:
    - a line made only of navigation or share labels, or a copyright notice, goes, wherever it is;
    - a photo credit goes; a caption that carries one keeps its text (a caption states facts a
      reader searches for: who was pictured where), unless it only repeats the line above;
    - a "You might also like" style heading goes with everything after it, but only when what
      follows is a short list of short lines (headlines), so that a heading mid-article can't
      take the story with it;
    - a last line shaped like a wire sign-off ("rs, kmm/sms (AFP, dpa, Interfax)") goes.
    """
    drop = [False] * len(lines)
    kept = list(lines)
    _mark_related_tail(lines, drop)
    _mark_sign_off(lines, drop)
    furniture = []
    for index, line in enumerate(lines):
        if drop[index] or not line.strip():
            continue
        if is_furniture(line):
            drop[index] = True
            furniture.append(line)
        elif (credit := _credit_match(line)) is not None:
            caption = line[: credit.start()].strip()
            above = lines[index - 1].strip() if index > 0 else ""
            if caption and caption != above:
                kept[index] = caption
            else:
                drop[index] = True
    return Cleaned([line for line, dropped in zip(kept, drop, strict=True) if not dropped], furniture)


def _mark_related_tail(lines: list[str], drop: list[bool]) -> None:
    content = [index for index, line in enumerate(lines) if line.strip()]
    tail = content[-(_RELATED_MAX_LINES + 1) :]
    for position, index in enumerate(tail):
        if index == content[0] or _RELATED_HEADING.fullmatch(lines[index]) is None:
            continue
        if all(len(lines[after]) <= _RELATED_MAX_LINE_CHARS for after in tail[position + 1 :]):
            drop[index:] = [True] * (len(lines) - index)
            return


def _mark_sign_off(lines: list[str], drop: list[bool]) -> None:
    last = len(lines) - 1
    while last >= 0 and (drop[last] or not lines[last].strip()):
        last -= 1
    if last > 0 and len(lines[last]) <= 120 and _SIGN_OFF.fullmatch(lines[last]):
        drop[last] = True


def paragraphs(lines: list[str]) -> str:
    """Join lines into text: lines of one paragraph by ``\\n``, paragraphs by one blank line."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return "\n\n".join("\n".join(block) for block in blocks)
