"""E-mail through the standard library's ``email`` package: ``.eml`` files hold one message,
``.mbox`` mailboxes many; each message is one article.

The subject is the title, From the author (display name and address), Date the date (a date
that cannot be read leaves the article undated). The body is the text/plain part, else the
text/html part read as the HTML reader reads a page; a part is decoded by its declared charset,
or, when that charset is unknown or wrong, as a file of unknown encoding is. To, Cc and the names
of attachments are kept as metadata, and the attachments are also named in a last paragraph of
the body ("Attachments: report.pdf, budget.xlsx"), so that searching for a file name finds the
message that carried it and the reader shows what came with it.

A mailbox is read a line at a time and split on its "From " lines; one message's bytes at a time
are held and parsed, never the whole file's, so a mailbox may be far larger than other files
(``formats.MAX_MAILBOX_BYTES``). Record ids are ``rel#N``, N the message's 1-based place in the
mailbox, so appending messages (the way a mailbox grows) keeps every id. Body lines that the
mailbox quoted as ">From " (mboxrd) lose one ">".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from index.cleaning import sanitize
from index.ingest.dates import naive_utc
from index.ingest.decoding import decode
from index.ingest.extract import extract, normalize_title
from index.ingest.html import main_text
from index.ingest.reader import ReadResult, error_line
from index.models import Article, Skip, SkipReason

_PARSER = BytesParser(policy=policy.default)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_QUOTED_FROM = re.compile(rb">+From ")


class EmailReader:
    """Reads ``.eml`` files: one message, with its id the file's path."""

    def read_bytes(self, rel: str, data: bytes) -> ReadResult:
        return ReadResult.collect([_record(data, rel, rel)])


class MailboxReader:
    """Reads ``.mbox`` files, a line at a time: one article per message, ids ``rel#N``."""

    def read_stream(self, rel: str, file: BinaryIO) -> ReadResult:
        lines = iter(file)
        first = next((line for line in lines if not line.isspace()), b"")
        if not first.startswith(b"From "):
            return ReadResult(
                skips=[
                    Skip(rel, SkipReason.MALFORMED, "does not begin with a 'From ' line, as a mailbox does")
                ]
            )
        return ReadResult.collect(
            _record(message, f"{rel}#{number}", rel)
            for number, message in enumerate(_messages(lines), start=1)
        )


def _messages(lines: Iterator[bytes]) -> Iterator[bytes]:
    """Each message of a mailbox whose first "From " line has been read, one at a time: without its
    "From " line, and with one ">" taken from each quoted ">From " line of its body."""
    message: list[bytes] = []
    for line in lines:
        if line.startswith(b"From "):
            yield b"".join(message)
            message = []
        elif line.startswith(b">") and _QUOTED_FROM.match(line):
            message.append(line[1:])
        else:
            message.append(line)
    yield b"".join(message)


def _record(data: bytes, record_id: str, rel: str) -> Article | Skip:
    try:
        return _article(_PARSER.parsebytes(data), record_id, rel)
    except Exception as error:  # the parser is lenient; what it still trips on is this message's problem
        return Skip(record_id, SkipReason.MALFORMED, error_line(error))


def _article(message: EmailMessage, record_id: str, rel: str) -> Article | Skip:
    if not message.keys():
        return Skip(record_id, SkipReason.MALFORMED, "no e-mail headers")
    subject = _header(message, "subject") or None
    for subtype in ("plain", "html"):
        part = message.get_body(preferencelist=(subtype,))
        text = _part_text(part) if part is not None else None
        if text is None:
            continue
        if subtype == "html":
            page = main_text(sanitize(text))
            extracted = extract(page.text, subject or page.title, line_paragraphs=True)
        else:
            extracted = extract(sanitize(text), subject)
        if extracted is not None:
            break
    else:
        return Skip(record_id, SkipReason.NO_TEXT, "no text in a text/plain or text/html part")
    attachments = ", ".join(_attachments(message, part))
    fields = {"to": _addresses(message, "to"), "cc": _addresses(message, "cc"), "attachments": attachments}
    return Article(
        id=record_id,
        path=rel,
        title=extracted.title,
        body=f"{extracted.body}\n\nAttachments: {attachments}" if attachments else extracted.body,
        original=sanitize(text),
        source=extracted.source,
        author=_addresses(message, "from") or extracted.author,
        date=_date(_header(message, "date")),
        metadata={name: value for name, value in fields.items() if value},
    )


def _part_text(part: Message) -> str | None:
    """A text part's content: by its declared charset, else (unknown or wrong) as any file's bytes."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        return None
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(payload)


def _attachments(message: EmailMessage, body: Message | None) -> Iterator[str]:
    """The file names of the parts that are not the body: attached, or named inline (images)."""
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        name = normalize_title(sanitize(part.get_filename() or ""))
        if name:
            yield name
        elif isinstance(part, EmailMessage) and part.is_attachment():
            yield f"unnamed {part.get_content_type()}"


def _header(message: EmailMessage, name: str) -> str:
    """A header as one line of text; "" when it is missing or cannot be read."""
    value = _parsed_header(message, name)
    return _one_line_text(str(value)) if value is not None else ""


def _addresses(message: EmailMessage, name: str) -> str:
    """An address header as "Name <address>, address": names unquoted, each part sanitised (a
    header that quotes a control character in a name would otherwise keep the quotes around a gap)."""
    value = _parsed_header(message, name)
    addresses = getattr(value, "addresses", None)
    if not isinstance(addresses, tuple):
        return _header(message, name)
    written = []
    for address in addresses:
        display_name = _one_line_text(address.display_name)
        addr_spec = _one_line_text(address.addr_spec)
        written.append(
            f"{display_name} <{addr_spec}>" if display_name and addr_spec else display_name or addr_spec
        )
    return ", ".join(filter(None, written))


def _one_line_text(value: str) -> str:
    """Header text as one sanitised line. Raw 8-bit bytes in a header (UTF-8, as RFC 6532 allows,
    or a legacy charset) reach us as surrogate escapes, which are decoded as a file's bytes are."""
    if _ESCAPED_BYTE.search(value):
        value = decode(value.encode("utf-8", "surrogateescape")) or ""
    return normalize_title(sanitize(value))


def _parsed_header(message: EmailMessage, name: str) -> object:
    try:
        return message.get(name)
    except Exception:  # the header parsers have raised IndexError or TypeError on odd values
        return None


def _date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return naive_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
