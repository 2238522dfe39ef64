"""Each format reader, on small fixture files written for the purpose (tests/data/ingest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.ingest import CorpusFile, ReadResult, discover, read_file, source_line
from index.ingest.markdown import MARKDOWN_MAX_CHARS, MarkdownReader
from index.models import Article, SkipReason

DATA = Path(__file__).resolve().parent / "data" / "ingest"


def read(name: str) -> ReadResult:
    path = DATA / name
    return read_file(CorpusFile(path, name, path.stat().st_size, path.stat().st_mtime_ns))


def only_article(name: str) -> Article:
    result = read(name)
    assert result.skips == []
    (article,) = result.articles
    return article


def test_text_file_title_byline_date_and_clean_body() -> None:
    article = only_article("article.txt")
    assert article.id == article.path == "article.txt"
    assert article.title == "Harbour bridge reopens after storm repairs"
    assert (article.author, article.source) == ("Jane Doe", "Reuters")
    assert article.date == dt.datetime(2022, 3, 3)
    assert article.body == (
        "The harbour bridge reopened to traffic on Thursday after three weeks of repairs.\n\n"
        "Engineers replaced two damaged cables and resurfaced the eastern lane.\n"
        "The work finished two days early, the city council said."
    )


def test_text_file_original_keeps_everything_for_display() -> None:
    article = only_article("article.txt")
    assert "You might also like" in article.original
    assert article.original.startswith("Skip to main content\n")


def test_markdown_heading_becomes_the_title_and_the_body_reads_as_prose() -> None:
    article = only_article("notes.md")
    assert article.title == "Field notes from the valley"
    assert article.body == (
        "The river rose by half a metre overnight.\n\nLater\n\n"
        "• Farmers moved livestock to higher ground.\n• Two roads were closed."
    )


def test_markdown_front_matter_gives_title_date_author_and_metadata() -> None:
    article = only_article("front-matter.md")
    assert article.title == "Council votes to keep the night buses"
    assert (article.date, article.author) == (dt.datetime(2024, 2, 29), "Mira Patel")
    assert article.metadata == {"tags": "[transport, council]", "layout": "post"}
    assert (
        article.body == "Night buses stay\n\nThe council voted eight to three to keep the night bus routes."
    )


def test_markdown_emphasis_links_lists_and_code_lose_their_marks_and_keep_their_words() -> None:
    article = only_article("styled.md")
    assert article.title == "Keeper's log from Gull Point"
    assert article.body == (
        "The old keeper climbed to the lantern room at dusk, as the\n"
        "harbour notice had asked.\n\n"
        "What was checked\n\n"
        "• The fog horn and its compressor\n"
        "• Two spare bulbs\n"
        "  1. one in the store\n"
        "  2. one in the tower\n\n"
        "Nothing was amiss, wrote the keeper.\n\n"
        "LOG 21:40 **all clear**\n\n"
        "The lantern at dusk"
    )
    assert article.original.startswith("# Keeper's log from Gull Point\n\nThe *old* keeper")


def test_markdown_tables_become_rows_and_character_references_cannot_smuggle_bidi_controls() -> None:
    markdown = (
        "# Tide table\n\n"
        "| Port | High water |\n|---|---|\n| Port Amsel | 06:12 |\n\n"
        "Fish &amp; chips, &#x202E;reversed&#x202C; in the source.\n"
    )
    (article,) = MarkdownReader().read("tides.md", markdown).articles
    assert article.body == "Port | High water\nPort Amsel | 06:12\n\nFish & chips, reversed in the source."


def test_markdown_too_long_to_convert_quickly_is_read_as_plain_text() -> None:
    paragraph = "The **lantern** was lit at dusk.\n\n"
    markdown = "# Keeper's long log\n\n" + paragraph * (MARKDOWN_MAX_CHARS // len(paragraph) + 1)
    (article,) = MarkdownReader().read("long-log.md", markdown).articles
    assert article.title == "Keeper's long log"
    assert article.body.startswith("The **lantern** was lit at dusk.")


def test_html_main_text_and_metadata_come_from_the_page() -> None:
    article = only_article("page.html")
    assert article.title == "Library opens late-night reading room"
    assert article.author == "Amal Haddad"
    assert article.source == "The Daily Chronicle"
    assert article.url == "https://chronicle.example/library-reading-room"
    assert article.date is not None and article.date.date() == dt.date(2023, 5, 14)
    assert article.body.startswith("The central library will keep its reading room open until midnight")
    assert "paid for by a grant from the regional arts fund." in article.body
    assert "Home" not in article.body and "All rights reserved" not in article.body
    assert article.original.startswith("<!DOCTYPE html>")


def test_html_fragment_without_main_text_still_gives_an_article() -> None:
    article = only_article("fragment.html")
    assert article.title == "Short note about the weather"


def test_json_object_is_one_article_with_known_fields_and_metadata() -> None:
    article = only_article("story.json")
    assert article.id == "story.json"
    assert article.title == "Tram line extension approved"
    assert (
        article.body
        == "The regional council approved the tram extension on Tuesday.\n\nConstruction starts in autumn."
    )
    assert article.date == dt.datetime(2021, 6, 1, 7, 15)  # 09:15+02:00 as naive UTC
    assert article.author == "Ana Lima, Tom Berg"
    assert article.url == "https://news.example/tram"
    assert article.source == "DW"  # a known publisher's spelling is made canonical
    assert article.metadata == {"section": "Transport", "word_count": "14"}  # the tag list is not a scalar


def test_json_array_gives_one_article_per_object_and_skips_the_rest() -> None:
    result = read("stories.json")
    assert [a.id for a in result.articles] == ["stories.json#1", "stories.json#4"]
    first, untitled = result.articles
    assert first.title == "Museum returns looted statue"
    assert first.path == "stories.json"
    assert first.date == dt.datetime(2021, 6, 1)  # a Unix timestamp
    assert untitled.title == "A record without a title line."
    assert untitled.body == "Its second paragraph."
    assert [(s.path, s.reason) for s in result.skips] == [
        ("stories.json#2", SkipReason.MALFORMED),
        ("stories.json#3", SkipReason.NO_TEXT),
    ]


def test_jsonl_broken_line_is_skipped_with_its_number_and_the_rest_is_read() -> None:
    result = read("records.jsonl")
    assert [a.id for a in result.articles] == [
        "records.jsonl#1",
        "records.jsonl#2",
        "records.jsonl#4",
        "records.jsonl#6",
    ]
    (skip,) = result.skips
    assert skip.path == "records.jsonl#3"
    assert skip.reason is SkipReason.MALFORMED
    assert skip.detail.startswith("line 3:")


def test_a_jsonl_article_knows_its_line_and_other_articles_have_none() -> None:
    assert [source_line(a) for a in read("records.jsonl").articles] == [1, 2, 4, 6]
    assert [source_line(a) for a in read("stories.json").articles] == [None, None]
    assert source_line(only_article("article.txt")) is None


def test_jsonl_fields_dates_and_metadata() -> None:
    first, second, fourth, sixth = read("records.jsonl").articles
    assert first.source == "Example Wire"
    assert first.date == dt.datetime(2022, 1, 5)
    assert second.metadata == {"lang": "en", "priority": "2", "draft": "false"}
    assert fourth.author == "Li Wei"
    assert sixth.date == dt.datetime(2021, 1, 22)  # 22/01/2021 read day first


def test_escape_sequences_are_stripped_from_title_and_body() -> None:
    article = only_article("escapes.txt")
    assert article.title == "Title with a red word"
    assert article.body == "Body link text with a bell and  clear.\nSecond line\nThird line reversed end."
    for text in (article.title, article.body, article.original):
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text and "\u202e" not in text


def test_rich_markup_is_kept_literally_as_text() -> None:
    article = only_article("markup.txt")
    assert article.title == "[bold red]Breaking[/] news: [link=https://evil.example]click[/link]"
    assert article.body == "The council met on Monday.[/]\n[b]Rich markup[/b] stays literal text."


def test_right_to_left_combining_emoji_and_zero_width_text_is_kept() -> None:
    article = only_article("unicode.txt")
    assert article.title == "שלום עולם — مرحبا"
    assert article.body == "Combining: e\u0301 a\u0308; emoji: 🗞️👩🏽\u200d💻; zero width: a\u200bb\u200dc."


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", SkipReason.EMPTY),
        ("blank.txt", SkipReason.EMPTY),
        ("nul.txt", SkipReason.BINARY),
        ("boilerplate-only.txt", SkipReason.NO_TEXT),
    ],
)
def test_files_without_article_text_are_skipped_with_a_reason(name: str, reason: SkipReason) -> None:
    result = read(name)
    assert result.articles == []
    assert [(s.path, s.reason) for s in result.skips] == [(name, reason)]


def test_unsupported_extension_is_a_skip_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    result = read_file(CorpusFile(path, "photo.jpg", 3, 0))
    assert [s.reason for s in result.skips] == [SkipReason.UNSUPPORTED]


def test_the_whole_fixture_folder_reads_into_articles_and_counted_skips() -> None:
    articles, skips = [], []
    for found in discover(DATA):
        assert isinstance(found, CorpusFile)
        result = read_file(found)
        articles += result.articles
        skips += result.skips
    reasons = sorted(skip.reason.value for skip in skips)
    assert reasons == ["binary", "empty", "empty", "malformed", "malformed", "no text", "no text"]
    assert len(articles) == len({article.id for article in articles}) == 21
