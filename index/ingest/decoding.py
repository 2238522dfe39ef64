"""Bytes of a file -> text, whatever the encoding; ``None`` when the bytes are not text at all.

Order of attempts, cheapest and surest first:

1. A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32).
2. NUL bytes (or mostly control bytes) in the first 8 KB mean a binary file, except in two
   shapes of text: UTF-16 saved without a byte-order mark (every other byte NUL), and text with
   a few stray NULs (a scraper's or editor's slip: four, or 1 in 100 bytes, among UTF-8 or
   printable ASCII with hardly another control byte), whose NULs the cleaning step removes.
3. Strict UTF-8, which nearly every modern file is.
4. Mostly valid UTF-8 with a few stray bytes (a file that mixes encodings), or text whose
   non-ASCII bytes come alone or in pairs ("café", "a £15.8m signing", cp1252 quotes), is
   decoded as UTF-8 where it is valid and as cp1252 where it is not. charset-normalizer is not
   asked about such text because it misreads mostly-ASCII Western text (as cp932 or cp437).
5. charset-normalizer, for the rest (Cyrillic cp1251, Shift-JIS, ...).
6. cp1252 with replacement characters, which always succeeds.

Undecodable bytes become U+FFFD; decoding never fails.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

SNIFF_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_BYTES = bytes([*range(0x20, 0x100), *b"\t\n\r\f\b\x1b"])
_BINARY_CONTROL_SHARE = 0.3
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_WESTERN_MAX_LONG_RUN_SHARE = 0.1
_MIXED_MIN_VALID_PER_INVALID = 4
_UTF16_ZERO_SHARE = 0.9
_STRAY_NUL_SHARE = 0.01
_STRAY_NULS = 4
_PRINTABLE_ASCII = bytes([*range(0x20, 0x7F), *b"\t\n\r\f"])


def _utf8_else_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("broadsheet-cp1252", _utf8_else_cp1252)


def decode(data: bytes) -> str | None:
    """Decode file bytes to text, or return ``None`` if they look binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    sample = data[:SNIFF_BYTES]
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    if looks_binary(sample) and not _text_with_stray_nuls(sample):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data) or _looks_western(data):
        return data.decode("utf-8", errors="broadsheet-cp1252")
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")


def looks_binary(sample: bytes) -> bool:
    """NUL bytes, or a large share of control bytes, in ``sample`` (the start of a file)."""
    if b"\x00" in sample:
        return True
    return bool(sample) and len(sample.translate(None, _TEXT_BYTES)) > _BINARY_CONTROL_SHARE * len(sample)


def _utf16_without_bom(sample: bytes) -> str | None:
    """Which of "utf-16-le" or "utf-16-be" mostly-ASCII UTF-16 text without a byte-order mark is."""
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, text, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= _UTF16_ZERO_SHARE * len(zeros) and not looks_binary(text.replace(b"\x00", b"")):
            return encoding
    return None


def _text_with_stray_nuls(sample: bytes) -> bool:
    nuls = sample.count(0)
    if nuls == 0 or nuls > max(_STRAY_NULS, _STRAY_NUL_SHARE * len(sample)):
        return False
    rest = sample.replace(b"\x00", b"")
    if len(rest.translate(None, _TEXT_BYTES)) > _STRAY_NUL_SHARE * len(rest):
        return False
    try:
        rest.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(rest) - 3:  # not just a character cut by the sample's end
            return len(rest.translate(None, _PRINTABLE_ASCII)) <= 0.05 * len(rest)
    return True


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - invalid >= _MIXED_MIN_VALID_PER_INVALID * invalid


def _looks_western(data: bytes) -> bool:
    # Latin-script languages put an accented letter or a symbol between ASCII letters; a run
    # of three or more high bytes is a multi-byte script or a non-Latin single-byte one.
    runs = _HIGH_RUN.findall(data)
    long_runs = sum(1 for run in runs if len(run) > 2)
    return long_runs <= _WESTERN_MAX_LONG_RUN_SHARE * len(runs)
