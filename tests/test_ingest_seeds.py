"""The two seed pages come out with the exact titles, sources, date and clean bodies the issue asks for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.ingest import discover, read_file
from index.models import Article

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BOILERPLATE = (
    "Find Us",
    "Skip to",
    "Share this article",
    "Close Button",
    "Copyright",
    "Published on",
    "You might also like",
    "Image:",
    "By\u00a0Euronews",
    "rs, kmm/sms",
    "Russia adds Meta",
    "Google fined",
)


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles = {}
    for found in discover(SEEDS):
        result = read_file(found)
        assert result.skips == []
        (article,) = result.articles
        articles[article.id[:3]] = article
    return articles


def test_euronews_seed_has_its_headline_as_title(seeds: dict[str, Article]) -> None:
    assert seeds["000"].title == (
        "Alexei Navalny: Russia says social networks have begun restricting online calls for protest"
    )


def test_dw_seed_has_its_headline_as_title(seeds: dict[str, Article]) -> None:
    assert seeds["001"].title == "Russia pressures TikTok ahead of pro-Navalny rallies"


def test_sources_come_from_byline_and_page_furniture(seeds: dict[str, Article]) -> None:
    assert seeds["000"].source == "Euronews"
    assert seeds["000"].author is None
    assert seeds["001"].source == "DW"


def test_dw_date_line_becomes_the_article_date(seeds: dict[str, Article]) -> None:
    assert seeds["001"].date is not None
    assert seeds["001"].date.date() == dt.date(2021, 1, 22)
    assert seeds["001"].date.tzinfo is None
    assert "January 22, 2021" not in seeds["001"].body


def test_euronews_body_starts_with_the_photo_caption_once_without_its_credit(
    seeds: dict[str, Article],
) -> None:
    caption = "Alexei Navalny pictured in Berlin before his flight to Moscow on Sunday."
    assert seeds["000"].body.startswith(f"{caption}\n\nRussia had ordered TikTok")
    assert seeds["000"].body.count(caption) == 1
    assert "Copyright" not in seeds["000"].body


def test_dw_caption_keeps_its_text_and_loses_its_credit(seeds: dict[str, Article]) -> None:
    assert "Alexei Navalny's arrest has sparked calls for protests\n" in seeds["001"].body
    assert "Bobylev" not in seeds["001"].body


def test_dw_body_starts_with_the_teaser(seeds: dict[str, Article]) -> None:
    assert seeds["001"].body.startswith("TikTok users are posting videos")


@pytest.mark.parametrize("seed", ["000", "001"])
def test_no_boilerplate_line_is_left_in_the_body(seeds: dict[str, Article], seed: str) -> None:
    body = seeds[seed].body
    left = [marker for marker in BOILERPLATE if marker in body]
    assert left == []
    assert seeds[seed].title not in body


@pytest.mark.parametrize(
    ("seed", "sentence"),
    [
        ("000", "Young users on the app have filmed themselves"),
        ("000", "Meanwhile, opposition supporters and independent journalists have been warned"),
        ("000", "The authority also threatened platforms with a fine of up to four million roubles"),
        ("001", "In the wry message"),
        ("001", "Navalny was arrested on his return to Russia from Germany on January 17"),
        (
            "001",
            '"For myself, for him, for our children, for the values and ideals that we share," she said.',
        ),
        ("001", "TikTok pressured to delete pro-Navalny posts"),
    ],
)
def test_article_sentences_are_kept(seeds: dict[str, Article], seed: str, sentence: str) -> None:
    assert sentence in seeds[seed].body


REMOVED = {
    "000": [
        "Find Us",
        "Alexei Navalny pictured in Berlin before his flight to Moscow on Sunday."
        " Copyright\u00a0AP Photo/Mstyslav Chernov",
        "Copyright\u00a0AP Photo/Mstyslav Chernov",
        "By\u00a0Euronews with\u00a0AFP",
        "Published on Updated",
        "Share this articleComments",
        "Share this articleClose Button",
        "Share this articleComments",
        "You might also like",
        "Russia adds Meta to list of 'terrorist and extremist organisations'",
        "Google fined \u20ac162,000 by Russia for failing to remove banned content",
        "Alexei Navalny: no EU agreement for sanctions against Russia over arrest of Kremlin critic",
    ],
    "001": [
        "1. Skip to content",
        "2. Skip to main menu",
        "3. Skip to more DW sites",
        "January 22, 2021",
        "Russian domestic critic Alexei Navalny's arrest has sparked calls for protestsImage: Sergei"
        " Bobylev/ITAR-TASS/imago images",
        "rs, kmm/sms (AFP, dpa, Interfax)",
    ],
}


@pytest.mark.parametrize("seed", ["000", "001"])
def test_exactly_the_boilerplate_lines_are_removed(seeds: dict[str, Article], seed: str) -> None:
    article = seeds[seed]
    source_lines = [line.strip() for line in article.original.split("\n") if line.strip()]
    body_lines = {line.strip() for line in article.body.split("\n")}
    removed = [line for line in source_lines if line not in body_lines and line != article.title]
    assert removed == REMOVED[seed]


def test_original_keeps_the_whole_page(seeds: dict[str, Article]) -> None:
    assert seeds["000"].original.startswith("Find Us\n")
    assert "You might also like" in seeds["000"].original
