"""Word documents (.docx): made in each test with python-docx, read through the same seam as any file."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from conftest import REPO

from index.ingest import CorpusFile, ReadResult, read_file
from index.models import Article, SkipReason


def read(path: Path) -> ReadResult:
    return read_file(CorpusFile(path, path.name, path.stat().st_size, path.stat().st_mtime_ns))


def only_article(path: Path) -> Article:
    result = read(path)
    assert result.skips == []
    (article,) = result.articles
    return article


def report(folder: Path, *, heading: str | None = "Council keeps the night buses") -> Path:
    """A short council report: a title, paragraphs, a table and the core properties Word fills in."""
    document = docx.Document()
    properties = document.core_properties
    properties.title = "Transport committee minutes"
    properties.author = "Mira Patel"
    properties.subject = "Night buses"
    properties.keywords = "transport, council"
    properties.created = dt.datetime(2024, 2, 29, 9, 30, tzinfo=dt.timezone.utc)
    if heading is not None:
        document.add_heading(heading, level=0)
    document.add_paragraph("The council voted eight to three to keep the night bus routes.")
    document.add_heading("Routes kept", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, (("Route", "Last bus"), ("N1", "03:10"), ("N7", "02:45")), strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("The routes will be reviewed again next spring.")
    path = folder / "minutes.docx"
    document.save(str(path))
    return path


def test_paragraphs_headings_and_table_rows_come_in_document_order(tmp_path: Path) -> None:
    article = only_article(report(tmp_path))
    assert article.id == article.path == "minutes.docx"
    assert article.title == "Council keeps the night buses"
    assert article.body == (
        "The council voted eight to three to keep the night bus routes.\n\n"
        "Routes kept\n\n"
        "Route | Last bus\nN1 | 03:10\nN7 | 02:45\n\n"
        "The routes will be reviewed again next spring."
    )


def test_the_core_properties_give_author_date_and_metadata(tmp_path: Path) -> None:
    article = only_article(report(tmp_path))
    assert article.author == "Mira Patel"
    assert article.date == dt.datetime(2024, 2, 29, 9, 30)  # naive UTC, like every reader's dates
    assert article.metadata == {"subject": "Night buses", "keywords": "transport, council"}


def test_without_an_opening_heading_the_title_property_is_the_title(tmp_path: Path) -> None:
    """The document's one heading names its second section ("Routes kept"), not the document."""
    article = only_article(report(tmp_path, heading=None))
    assert article.title == "Transport committee minutes"
    assert article.body.startswith("The council voted eight to three")


def test_without_a_heading_or_a_title_property_the_first_line_is_the_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("Ferry timetable changes")
    document.add_paragraph("From Monday the first ferry leaves at six.")
    document.save(str(tmp_path / "ferry.docx"))

    article = only_article(tmp_path / "ferry.docx")

    assert (article.title, article.body) == (
        "Ferry timetable changes",
        "From Monday the first ferry leaves at six.",
    )


def test_a_cell_spanning_two_columns_is_written_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Results")
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Turnout"
    table.cell(1, 0).text, table.cell(1, 1).text = "North", "61%"
    document.save(str(tmp_path / "results.docx"))

    assert only_article(tmp_path / "results.docx").body == "Turnout\nNorth | 61%"


def test_bidi_controls_in_a_document_are_stripped(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Budget \u202eyarrow\u202c approved", level=1)
    document.add_paragraph("The budget passed \u2066unopposed\u2069 on Friday.")
    document.save(str(tmp_path / "budget.docx"))

    article = only_article(tmp_path / "budget.docx")

    assert (article.title, article.body) == (
        "Budget yarrow approved",
        "The budget passed unopposed on Friday.",
    )


def test_a_corrupt_word_document_is_skipped_as_malformed_in_one_line(tmp_path: Path) -> None:
    whole = report(tmp_path).read_bytes()
    (tmp_path / "cut.docx").write_bytes(whole[: len(whole) // 2])
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("notes.txt", "a zip, but no Word document inside")
    (tmp_path / "other.docx").write_bytes(not_word.getvalue())

    for name in ("cut.docx", "other.docx"):
        (skip,) = read(tmp_path / name).skips
        assert (skip.path, skip.reason) == (name, SkipReason.MALFORMED)
        assert skip.detail and "\n" not in skip.detail


def test_a_document_that_would_unpack_to_a_thousand_times_its_size_is_not_unpacked(tmp_path: Path) -> None:
    """Its XML ends in 30 MB of spaces (valid XML, which python-docx would read): the zip's
    declared sizes are enough to refuse it."""
    packed = io.BytesIO()
    with zipfile.ZipFile(report(tmp_path), "r") as source, zipfile.ZipFile(packed, "w") as bomb:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "word/document.xml":
                content += b" " * 30_000_000
            bomb.writestr(member.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    (tmp_path / "bomb.docx").write_bytes(packed.getvalue())

    (skip,) = read(tmp_path / "bomb.docx").skips

    assert skip.reason == SkipReason.MALFORMED
    assert "times its size" in skip.detail


def test_a_password_protected_word_document_is_skipped_as_encrypted(tmp_path: Path) -> None:
    """Word encrypts a document into an OLE compound file whose directory names an EncryptedPackage
    stream; an old .doc renamed .docx is OLE without it."""
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (tmp_path / "locked.docx").write_bytes(ole_header + "EncryptedPackage".encode("utf-16-le") + bytes(64))
    (tmp_path / "old.docx").write_bytes(ole_header + "WordDocument".encode("utf-16-le") + bytes(64))

    (locked,) = read(tmp_path / "locked.docx").skips
    (old,) = read(tmp_path / "old.docx").skips

    assert (locked.reason, old.reason) == (SkipReason.ENCRYPTED, SkipReason.MALFORMED)
    assert "Word 97-2003" in old.detail


def test_reading_text_files_loads_neither_python_docx_nor_the_email_parser(tmp_path: Path) -> None:
    """Each format's reader is imported when a file of that format is first read (a fifth of a
    second for these two, in every indexing worker)."""
    (tmp_path / "note.txt").write_text("Harbour bridge reopens\n\nThe bridge reopened on Thursday.\n")
    script = (
        "import sys\nfrom pathlib import Path\nfrom index.ingest import discover, read_file\n"
        f"for found in discover(Path({str(tmp_path)!r})):\n    assert read_file(found).articles\n"
        "print(sorted(name for name in ('docx', 'email.parser', 'index.ingest.text') if name in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    assert run.stdout.split() == ["['index.ingest.text']"]
