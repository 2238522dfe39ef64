"""E-mail: .eml messages and .mbox mailboxes, written in each test as a mail client would save them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from index import Library
from index.ingest import CorpusFile, ReadResult, discover, formats, read_file
from index.models import Article, SkipReason

PLAIN = b"""\
From: Jane Doe <jane@example.org>
To: Bob Stone <bob@example.org>, carol@example.org
Cc: desk@example.org
Subject: Harbour bridge reopens on Thursday
Date: Wed, 2 Mar 2022 18:05:00 +0100
Message-ID: <1@example.org>
Content-Type: text/plain; charset=utf-8

The harbour bridge reopens to traffic on Thursday morning.

Engineers replaced two damaged cables.
"""

HTML_ONLY = b"""\
From: "Council press office" <press@council.example>
Subject: Night buses stay
Date: Fri, 1 Mar 2024 09:00:00 +0000
Content-Type: text/html; charset=utf-8

<html><head><style>p { color: red }</style><script>track("open")</script></head>
<body><p>The council voted to keep the <b>night bus</b> routes.</p>
<p>The routes will be reviewed next spring.</p></body></html>
"""

LATIN1_WITH_ATTACHMENT = b"""\
From: =?iso-8859-1?q?Andr=E9_Dupont?= <andre@example.fr>
Subject: =?iso-8859-1?q?Caf=E9_menu_for_the_launch?=
Date: Mon, 4 Mar 2024 12:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cut-here"

--cut-here
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

The caf=E9 will serve cr=E8me br=FBl=E9e at the launch.
--cut-here
Content-Type: application/pdf
Content-Disposition: attachment; filename="menu.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--cut-here
Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
Content-Disposition: attachment; filename="budget.xlsx"
Content-Transfer-Encoding: base64

UEsDBA==
--cut-here--
"""


def message(subject: str, body: str, day: int) -> str:
    return (
        f"From: Reporter <reporter@example.org>\nSubject: {subject}\n"
        f"Date: {day} Jan 2024 08:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    )


def mailbox(*messages: str) -> bytes:
    """An mbox: each message after a "From " line, body lines beginning "From " quoted as ">From "."""
    return "".join(
        f"From reporter@example.org Mon Jan  1 08:00:00 2024\n{text}\n" for text in messages
    ).encode()


THREE_MESSAGES = mailbox(
    message("Flood warning for the valley", "The river rose by half a metre overnight.", 1),
    message(
        "Archive letter",
        "The letter in the archive reads:\n>From the harbour master, greetings.\nIt is dated 1901.",
        2,
    ),
    message("Roads closed", "Two roads were closed near the bridge.", 3),
)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read(folder: Path, name: str, data: bytes) -> ReadResult:
    path = write(folder, name, data)
    return read_file(CorpusFile(path, name, path.stat().st_size, path.stat().st_mtime_ns))


def only_article(folder: Path, name: str, data: bytes) -> Article:
    result = read(folder, name, data)
    assert result.skips == []
    (article,) = result.articles
    return article


def test_a_plain_text_message_gives_subject_sender_date_and_recipients(tmp_path: Path) -> None:
    article = only_article(tmp_path, "bridge.eml", PLAIN)
    assert article.id == article.path == "bridge.eml"
    assert article.title == "Harbour bridge reopens on Thursday"
    assert article.author == "Jane Doe <jane@example.org>"
    assert article.date == dt.datetime(2022, 3, 2, 17, 5)  # naive UTC, like every reader's dates
    assert article.body == (
        "The harbour bridge reopens to traffic on Thursday morning.\n\nEngineers replaced two damaged cables."
    )
    assert article.metadata == {
        "to": "Bob Stone <bob@example.org>, carol@example.org",
        "cc": "desk@example.org",
    }


def test_an_html_only_message_is_read_through_the_html_cleaner(tmp_path: Path) -> None:
    article = only_article(tmp_path, "buses.eml", HTML_ONLY)
    assert article.title == "Night buses stay"
    assert article.author == "Council press office <press@council.example>"
    assert article.body == (
        "The council voted to keep the night bus routes.\n\nThe routes will be reviewed next spring."
    )


def test_a_blank_plain_text_alternative_gives_way_to_the_html_one(tmp_path: Path) -> None:
    data = (
        b'Subject: Night buses stay\nContent-Type: multipart/alternative; boundary="alt"\n\n'
        b"--alt\nContent-Type: text/plain; charset=utf-8\n\n \n"
        b"--alt\nContent-Type: text/html; charset=utf-8\n\n<p>The night bus routes stay.</p>\n--alt--\n"
    )
    assert only_article(tmp_path, "alternative.eml", data).body == "The night bus routes stay."


def test_a_latin1_message_is_decoded_and_its_attachments_are_named(tmp_path: Path) -> None:
    """Attachments end the body as well as the metadata, so that searching "budget.xlsx" finds the
    message that carried it, and the reader shows what came with it."""
    article = only_article(tmp_path, "launch.eml", LATIN1_WITH_ATTACHMENT)
    assert (article.title, article.author) == ("Café menu for the launch", "André Dupont <andre@example.fr>")
    assert article.body == (
        "The café will serve crème brûlée at the launch.\n\nAttachments: menu.pdf, budget.xlsx"
    )
    assert article.metadata == {"attachments": "menu.pdf, budget.xlsx"}


def test_raw_utf8_headers_are_read_as_text(tmp_path: Path) -> None:
    """RFC 6532 lets headers carry UTF-8 as it is, without encoded words."""
    data = (
        "From: André Dupont <andre@example.fr>\nSubject: Crème brûlée for the launch\n"
        "Content-Type: text/plain; charset=utf-8\n\nDessert is settled.\n"
    ).encode()
    article = only_article(tmp_path, "dessert.eml", data)
    assert (article.title, article.author) == (
        "Crème brûlée for the launch",
        "André Dupont <andre@example.fr>",
    )


def test_a_wrong_or_unknown_charset_falls_back_to_reading_the_bytes_as_a_file_is_read(tmp_path: Path) -> None:
    body = "The café opens at nine.".encode()
    for charset in ("x-no-such-charset", "us-ascii"):
        headers = f"Subject: Opening hours\nContent-Type: text/plain; charset={charset}\n\n".encode()
        article = only_article(tmp_path, f"{charset}.eml", headers + body)
        assert article.body == "The café opens at nine."


def test_a_date_that_cannot_be_read_leaves_the_message_undated_not_skipped(tmp_path: Path) -> None:
    data = PLAIN.replace(b"Wed, 2 Mar 2022 18:05:00 +0100", b"the day after the storm")
    article = only_article(tmp_path, "undated.eml", data)
    assert (article.title, article.date) == ("Harbour bridge reopens on Thursday", None)


def test_escape_sequences_and_control_characters_are_stripped_from_headers_and_body(tmp_path: Path) -> None:
    data = (
        b"From: =?utf-8?q?Mallory_=1B[31m?= <m@example.org>\n"
        b"Subject: =?utf-8?q?Urgent=1B]0;pwned=07_notice?=\n"
        b"Content-Type: text/plain; charset=utf-8\n\n"
        b"Pay now\x1b[2J or \x07never.\n"
    )
    article = only_article(tmp_path, "hostile.eml", data)
    assert (article.title, article.author, article.body) == (
        "Urgent notice",
        "Mallory <m@example.org>",
        "Pay now or never.",
    )


def test_a_mailbox_gives_one_article_per_message_and_a_quoted_from_line_stays_in_its_body(
    tmp_path: Path,
) -> None:
    result = read(tmp_path, "desk.mbox", THREE_MESSAGES)
    assert result.skips == []
    assert [(article.id, article.title) for article in result.articles] == [
        ("desk.mbox#1", "Flood warning for the valley"),
        ("desk.mbox#2", "Archive letter"),
        ("desk.mbox#3", "Roads closed"),
    ]
    assert result.articles[1].body == (
        "The letter in the archive reads:\nFrom the harbour master, greetings.\nIt is dated 1901."
    )
    assert {article.path for article in result.articles} == {"desk.mbox"}


def report(number: int) -> str:
    """A message of about 800 bytes, its body naming its number."""
    body = f"Report number {number} from the flood desk. " + "The river is still high. " * 25
    return message(f"Flood report {number}", body, 1 + number % 28)


def test_a_mailbox_is_read_whole_past_the_cap_of_files_that_are_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leaked mailbox is hundreds of megabytes: it is read a message at a time, so its cap is not the
    single-article formats' (here shrunk to 64 KB to keep the files small)."""
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 64 * 1024)
    data = mailbox(*(report(number) for number in range(1, 251)))
    assert len(data) > 200 * 1024
    write(tmp_path, "floods.mbox", data)
    write(tmp_path, "floods.txt", b"Flood reports\n\n" + data)

    found = list(discover(tmp_path))

    (mailbox_file, text_skip) = found
    assert isinstance(mailbox_file, CorpusFile) and mailbox_file.rel == "floods.mbox"
    assert (text_skip.path, text_skip.reason) == ("floods.txt", SkipReason.TOO_LARGE)
    result = read_file(mailbox_file)
    assert result.skips == []
    assert [article.id for article in result.articles] == [f"floods.mbox#{n}" for n in range(1, 251)]
    assert result.articles[-1].title == "Flood report 250"
    text_file = CorpusFile(tmp_path / "floods.txt", "floods.txt", len(data), 0)
    assert [skip.reason for skip in read_file(text_file).skips] == [SkipReason.TOO_LARGE]


def test_a_mailbox_over_its_own_cap_is_skipped_with_a_sentence_naming_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "MAX_MAILBOX_BYTES", 100 * 1024)
    path = write(tmp_path, "floods.mbox", mailbox(*(report(number) for number in range(1, 251))))

    (skip,) = discover(tmp_path)

    assert (skip.reason, skip.detail) == (
        SkipReason.TOO_LARGE,
        f"{path.stat().st_size:,} bytes, over the 102,400-byte limit",
    )
    result = read_file(CorpusFile(path, "floods.mbox", 100, 0))  # listed when it was smaller
    assert [(skip.reason, skip.detail) for skip in result.skips] == [
        (SkipReason.TOO_LARGE, "over the 102,400-byte limit")
    ]


def test_quoted_from_lines_and_separators_that_straddle_a_read_buffer_are_read_as_written(
    tmp_path: Path,
) -> None:
    """The mailbox is read a buffer at a time: wherever a buffer ends, a ">From " line loses one ">"
    and a "From " line starts the next message."""
    quoted = "Quoted:\n>From the harbour master.\n>>From the archive, as quoted.\nEnd.\n"
    for shift in range(-12, 13, 3):
        filler = "x" * (io.DEFAULT_BUFFER_SIZE - 300 + shift) + "\n"
        data = mailbox(
            message("Long letter", filler + quoted + filler, 1), message("Short letter", quoted, 2)
        )

        result = read(tmp_path, f"letters{shift}.mbox", data)

        assert [article.title for article in result.articles] == ["Long letter", "Short letter"]
        for article in result.articles:
            assert "\nFrom the harbour master.\n>From the archive, as quoted.\nEnd." in article.body


def test_a_broken_message_or_one_without_text_skips_only_itself(tmp_path: Path) -> None:
    only_a_picture = (
        "From: camera@example.org\nSubject: Photo\nContent-Type: image/jpeg\n"
        "Content-Transfer-Encoding: base64\n\n/9j/4AAQ\n"
    )
    no_headers = "\nThis message lost its headers.\n"
    data = mailbox(message("Flood warning for the valley", "The river rose.", 1), only_a_picture, no_headers)

    result = read(tmp_path, "mixed.mbox", data)

    assert [article.id for article in result.articles] == ["mixed.mbox#1"]
    assert [(skip.path, skip.reason) for skip in result.skips] == [
        ("mixed.mbox#2", SkipReason.NO_TEXT),
        ("mixed.mbox#3", SkipReason.MALFORMED),
    ]


def test_a_message_nested_deeper_than_python_recurses_is_skipped_in_one_line(tmp_path: Path) -> None:
    nesting = "".join(f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n' for n in range(1500))
    data = f"Subject: Nested\n{nesting}Content-Type: text/plain\n\nThe innermost part.\n".encode()

    (skip,) = read(tmp_path, "nested.eml", data).skips

    assert skip.reason == SkipReason.MALFORMED
    assert skip.detail and "\n" not in skip.detail


def test_files_that_are_not_mail_are_skipped_as_malformed(tmp_path: Path) -> None:
    (not_a_mailbox,) = read(tmp_path, "notes.mbox", b"Shopping list\n\nmilk\n").skips
    (not_a_message,) = read(tmp_path, "notes.eml", b"\nShopping list: milk, eggs\n").skips
    assert (not_a_mailbox.reason, not_a_message.reason) == (SkipReason.MALFORMED, SkipReason.MALFORMED)


@pytest.mark.engines
def test_changing_one_message_of_a_mailbox_updates_its_article_on_the_next_sync(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "desk.mbox", THREE_MESSAGES)
    with Library.open(corpus) as library:
        library.sync()
        assert {hit.id for hit in library.search("overnight").hits} == {"desk.mbox#1"}

        write(corpus, "desk.mbox", THREE_MESSAGES.replace(b"overnight", b"before dawn"))
        library.sync()

        assert library.search("overnight").total == 0
        assert {hit.id for hit in library.search("dawn").hits} == {"desk.mbox#1"}
        assert library.count() == 3


@pytest.mark.engines
def test_a_word_in_a_message_body_is_highlighted_where_it_stands(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus, "launch.eml", LATIN1_WITH_ATTACHMENT)
    write(corpus, "desk.mbox", THREE_MESSAGES)
    with Library.open(corpus) as library:
        library.sync()
        (hit,) = library.search("brûlée").hits
        body = library.article(hit.id).body
        assert hit.id == "launch.eml"
        assert [body[start:end] for start, end in hit.highlights] == ["brûlée"]
        (hit,) = library.search("budget.xlsx").hits
        assert hit.id == "launch.eml"
