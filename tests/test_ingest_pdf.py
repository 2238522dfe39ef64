"""PDF files: the text layer read like any article, pages kept as offsets, and hostile files skipped
with one line each. Every PDF here is written by the test (tests/pdf_support.py)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pdf_support import pdf_bytes, write_pdf

import index.ingest.pdf
from index import Library
from index.ingest import ReadResult, discover, read_file
from index.ingest.pages import page_at, page_starts
from index.ingest.pdf import PdfArticleReader
from index.models import Article, SkipReason

FIRST_PAGE = [
    "Harbour wall opens in Dover",
    "The new sea wall opened on Monday after two years of work.",
    "Officials said it would protect four hundred homes.",
]
SECOND_PAGE = ["The ferry timetable changes in spring.", "Fishermen welcomed the breakwater."]


def read(path: Path) -> ReadResult:
    return PdfArticleReader().read_bytes(path.name, path.read_bytes())


def only_article(result: ReadResult) -> Article:
    assert result.skips == []
    (article,) = result.articles
    return article


def test_a_report_gives_its_title_author_and_date_from_the_metadata(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "report.pdf",
        [FIRST_PAGE, SECOND_PAGE],
        title="Dover's new sea wall",
        author="Jane  Reporter",
        created=dt.datetime(2024, 3, 5, 9, 30),
    )
    article = only_article(read(path))
    assert article.title == "Dover's new sea wall"
    assert article.author == "Jane Reporter"
    assert article.date == dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone.utc)
    assert "four hundred homes" in article.body and "breakwater" in article.body


def test_each_page_starts_where_its_first_words_are_in_the_body(tmp_path: Path) -> None:
    article = only_article(read(write_pdf(tmp_path / "report.pdf", [FIRST_PAGE, [], SECOND_PAGE])))
    starts = page_starts(article)
    assert len(starts) == 3
    assert article.body[starts[2] :].startswith("The ferry timetable")
    breakwater = article.body.index("breakwater")
    four = article.body.index("four hundred")
    assert (page_at(starts, four), page_at(starts, breakwater)) == (1, 3)


def test_without_metadata_the_first_line_is_the_title(tmp_path: Path) -> None:
    article = only_article(read(write_pdf(tmp_path / "report.pdf", [FIRST_PAGE])))
    assert article.title == "Harbour wall opens in Dover"
    assert article.body.startswith("The new sea wall")
    assert (article.author, article.date) == (None, None)


@pytest.mark.parametrize("title", ["Microsoft Word - draft3.docx", "untitled", "scan_0042.pdf", "   "])
def test_a_title_a_program_wrote_gives_way_to_the_first_line(tmp_path: Path, title: str) -> None:
    article = only_article(read(write_pdf(tmp_path / "report.pdf", [FIRST_PAGE], title=title)))
    assert article.title == "Harbour wall opens in Dover"


def test_escape_sequences_in_the_text_layer_are_stripped(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "report.pdf", [["Harbour wall opens", "Red \x1b[31malert\x1b[0m text [b]bold[/b]"]]
    )
    article = only_article(read(path))
    assert "\x1b" not in article.body and "\x1b" not in article.original
    assert "Red alert text [b]bold[/b]" in article.body


def test_a_scan_without_a_text_layer_is_skipped_as_scanned(tmp_path: Path) -> None:
    (skip,) = read(write_pdf(tmp_path / "scan.pdf", [[], []])).skips
    assert skip.reason is SkipReason.SCANNED
    assert skip.reason.value == "no text (scanned?)"


def test_a_pdf_that_needs_a_password_is_skipped_as_encrypted(tmp_path: Path) -> None:
    (skip,) = read(write_pdf(tmp_path / "locked.pdf", [FIRST_PAGE], user_password="secret")).skips
    assert (skip.reason, skip.detail) == (SkipReason.ENCRYPTED, "it needs a password")


def test_a_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    article = only_article(read(write_pdf(tmp_path / "open.pdf", [FIRST_PAGE], user_password="")))
    assert article.title == "Harbour wall opens in Dover"


@pytest.mark.parametrize(
    "data",
    [
        pdf_bytes([FIRST_PAGE])[:300],
        b"%PDF-1.7\n" + os.urandom(4000),
        pdf_bytes([FIRST_PAGE]).replace(b"/Kids [4 0 R]", b"/Kids [2 0 R]"),
    ],
    ids=["truncated", "garbage after the header", "a page tree that contains itself"],
)
def test_a_broken_pdf_is_one_line_of_skip_never_a_traceback(data: bytes) -> None:
    result = PdfArticleReader().read_bytes("broken.pdf", data)
    assert result.articles == []
    (skip,) = result.skips
    assert skip.reason is SkipReason.MALFORMED
    assert "\n" not in skip.detail and "Traceback" not in skip.detail


def test_a_form_that_draws_itself_is_read_once(tmp_path: Path) -> None:
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 40 0 R >> >> "
    data = pdf_bytes([FIRST_PAGE], extra_objects={40: form + b"/Length 6 >>\nstream\n/X1 Do\nendstream"})
    data = data.replace(b"/F1 3 0 R >> >>", b"/F1 3 0 R >> /XObject << /X1 40 0 R >> >>").replace(
        b" ET", b" ET /X1 Do"
    )
    article = only_article(PdfArticleReader().read_bytes("loop.pdf", data))
    assert article.body.count("four hundred homes") == 1


def test_pages_past_the_cap_are_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index.ingest.pdf, "MAX_PAGES", 1)
    article = only_article(read(write_pdf(tmp_path / "long.pdf", [FIRST_PAGE, SECOND_PAGE])))
    assert "four hundred homes" in article.body and "breakwater" not in article.body


def test_a_file_over_its_time_budget_is_skipped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index.ingest.pdf, "SECONDS_PER_FILE", -1.0)  # every file is already late
    (skip,) = read(write_pdf(tmp_path / "slow.pdf", [FIRST_PAGE, SECOND_PAGE])).skips
    assert skip.reason is SkipReason.MALFORMED
    assert skip.detail.startswith("took too long")


def test_a_pdf_in_a_corpus_folder_is_read_by_its_extension(tmp_path: Path) -> None:
    write_pdf(tmp_path / "papers" / "Report.PDF", [FIRST_PAGE])
    (corpus_file,) = discover(tmp_path)
    (article,) = read_file(corpus_file).articles
    assert (article.id, article.title) == ("papers/Report.PDF", "Harbour wall opens in Dover")


@pytest.mark.engines
def test_a_word_on_page_two_is_found_highlighted_and_a_changed_pdf_is_read_again(
    tmp_path: Path, tmp_cache: Path
) -> None:
    corpus = tmp_path / "corpus"
    write_pdf(corpus / "report.pdf", [FIRST_PAGE, SECOND_PAGE], title="Dover's new sea wall")
    with Library.open(corpus) as library:
        library.sync()
        (hit,) = library.search("breakwater").hits
        article = library.article(hit.id)
        assert [article.body[start:end] for start, end in hit.highlights] == ["breakwater"]
        assert page_at(page_starts(article), hit.highlights[0][0]) == 2

        write_pdf(corpus / "report.pdf", [FIRST_PAGE, ["The breakwater was delayed by storms."]])
        report = library.sync()
        assert report.updated == 1
        assert library.search("storms").total == 1
