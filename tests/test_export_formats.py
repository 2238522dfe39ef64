"""The export formats on rows made here: a spreadsheet never runs a cell, a dossier never renders
article text as Markdown, JSON stays valid when nothing matched, and rows are read lazily."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

from markdown_it import MarkdownIt

from index.export import Export, ExportFormat, ExportRow, export_row, paged, write_export
from index.export.spreadsheet import BOM, guarded
from index.models import ArticleNotes, EntityRef, Hit, SearchResult

EXPORTED_AT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.timezone.utc)


def hit(number: int, title: str = "", snippet: str = "", spans: tuple[tuple[int, int], ...] = ()) -> Hit:
    return Hit(
        id=f"a/{number}.txt",
        path=f"a/{number}.txt",
        title=title or f"Article {number}",
        source="Example Wire",
        date=dt.datetime(2021, 1, number % 28 + 1),
        score=10.0 - number / 100,
        snippet=snippet,
        snippet_highlights=spans,
        entities=(EntityRef("Mara Quell", "PERSON", 3), EntityRef("Harbour Council", "ORG", 1)),
        author="Ann Author",
        url="https://example.org/a",
    )


class PagedHits:
    """``total`` hits served a page at a time, counting the pages asked for."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.pages_read = 0

    def __call__(self, offset: int, limit: int) -> SearchResult:
        self.pages_read += 1
        return SearchResult("protest", len(self.hits), tuple(self.hits[offset : offset + limit]))


def plain_row(found: Hit, noted: ArticleNotes | None = None) -> ExportRow:
    return export_row(found, noted, entities=found.entities, with_notes=True)


def written(hits: list[Hit], form: ExportFormat, *, bom: bool = False, notes: bool = False) -> str:
    export = Export(paged(PagedHits(hits), 3), plain_row, entities=notes, notes=notes)
    out = io.StringIO()
    write_export(export, form, out, bom=bom, exported_at=EXPORTED_AT)
    return out.getvalue()


def test_cells_a_spreadsheet_would_run_as_formulas_start_with_a_quote() -> None:
    hostile = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\n=1"]
    rows = [hit(n, title=title) for n, title in enumerate(hostile, 1)]
    read = list(csv.reader(io.StringIO(written(rows, ExportFormat.CSV), newline="")))
    assert [row[2] for row in read[1:]] == [f"'{title}" for title in hostile]
    assert guarded("\r=1") == "'\r=1"
    assert guarded("Plain title - with a dash") == "Plain title - with a dash"
    assert guarded("2021-01-02") == "2021-01-02"


def test_bom_starts_the_csv_only_when_asked() -> None:
    with_bom = written([hit(1)], ExportFormat.CSV, bom=True)
    assert with_bom.startswith(BOM + "id,path,title,")
    assert written([hit(1)], ExportFormat.CSV).startswith("id,path,title,")
    assert with_bom.encode("utf-8").startswith(b"\xef\xbb\xbfid,")


def test_csv_quotes_commas_quotes_and_line_breaks_as_rfc_4180_says() -> None:
    tricky = 'Quotes "here", commas, and\na line break'
    noted = ArticleNotes("a/1.txt", "hash", EXPORTED_AT, tags=("wire", "to-check"), note="first\nsecond")
    export = Export(paged(PagedHits([hit(1, title=tricky)])), lambda h: plain_row(h, noted), notes=True)
    out = io.StringIO()
    write_export(export, ExportFormat.CSV, out, exported_at=EXPORTED_AT)
    header, row = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert header == ["id", "path", "title", "source", "author", "date", "url", "score", "tags", "notes"]
    assert row[2] == tricky
    assert row[4:7] == ["Ann Author", "2021-01-02T00:00:00", "https://example.org/a"]
    assert row[8] == "wire; to-check"
    assert row[9] == "first\nsecond"


def test_an_empty_result_is_a_header_an_empty_array_and_no_lines() -> None:
    assert written([], ExportFormat.CSV) == "id,path,title,source,author,date,url,score,tags\r\n"
    assert json.loads(written([], ExportFormat.JSON)) == []
    assert written([], ExportFormat.JSONL) == ""
    assert "0 articles" in written([], ExportFormat.MARKDOWN)


def test_json_is_one_array_and_jsonl_one_object_a_line_with_the_same_records() -> None:
    rows = [hit(n) for n in range(1, 8)]
    array = json.loads(written(rows, ExportFormat.JSON, notes=True))
    lines = [json.loads(line) for line in written(rows, ExportFormat.JSONL, notes=True).splitlines()]
    assert array == lines
    assert [record["id"] for record in array] == [row.id for row in rows]
    assert array[0]["entities"] == {"ORG": ["Harbour Council"], "PERSON": ["Mara Quell"]}
    assert array[0]["notes"] == "" and array[0]["tags"] == []


def test_the_dossier_shows_hostile_article_text_literally() -> None:
    title = "# Breaking [click me](javascript:alert(1)) \x1b[31mred\x1b[0m <script>x</script>"
    snippet = "1. *not* a list `code` [x](javascript:alert(2)) said the <b>mayor</b>"
    said = snippet.index("said")
    note = "> quoted?\n- item\n\x1b]0;title\x07"
    noted = ArticleNotes("a/1.txt", "hash", EXPORTED_AT, tags=("#tag",), note=note)
    hostile = hit(1, title=title, snippet=snippet, spans=((said, said + 4),))
    export = Export(paged(PagedHits([hostile])), lambda h: plain_row(h, noted), notes=True)
    out = io.StringIO()
    write_export(export, ExportFormat.MARKDOWN, out, exported_at=EXPORTED_AT)
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<a " not in html and "<script>" not in html and "<b>" not in html
    assert "<code>" not in html and "<ol>" not in html and "<ul>" not in html and "<em>" not in html
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    assert "<h2># Breaking [click me](javascript:alert(1)) red &lt;script&gt;x&lt;/script&gt;</h2>" in html
    assert "<strong>said</strong>" in html
    assert "&gt; quoted?" in html and "- item" in html


def test_the_dossier_heads_with_the_query_the_total_and_the_date() -> None:
    text = written([hit(1), hit(2)], ExportFormat.MARKDOWN)
    assert text.startswith("# Broadsheet export: protest\n\n2 articles, exported 2026-12-07 09:30 UTC.\n")
    assert "## Article 1\n" in text and "2021-01-02 · Example Wire · Ann Author · a/1.txt" in text


def test_rows_are_read_a_page_at_a_time_as_they_are_written() -> None:
    pages = PagedHits([hit(n) for n in range(1, 11)])
    export = Export(paged(pages, 3), plain_row)
    assert pages.pages_read == 1  # the first page tells the total and checks the query
    rows: Iterator[ExportRow] = export.rows()
    assert pages.pages_read == 1  # a generator: nothing more until asked
    first_four = [next(rows) for _ in range(4)]
    assert pages.pages_read == 2
    assert [row.id for row in first_four] == [f"a/{n}.txt" for n in range(1, 5)]
    assert len(list(rows)) == 6
    assert pages.pages_read == 4


def test_progress_is_told_after_each_page() -> None:
    heard: list[int] = []
    export = Export(paged(PagedHits([hit(n) for n in range(1, 8)]), 3), plain_row)
    write_export(export, ExportFormat.JSONL, io.StringIO(), on_page=heard.append)
    assert heard == [3, 6, 7]
