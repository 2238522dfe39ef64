"""Bylines and publisher names: who wrote an article and for whom."""

from __future__ import annotations

import pytest

from index.ingest.publishers import Byline, canonical_publisher, parse_byline, publisher_in


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By\u00a0Euronews with\u00a0AFP", Byline(None, "Euronews")),
        ("By Jane Doe, Reuters", Byline("Jane Doe", "Reuters")),
        ("By Jane Doe for the BBC", Byline("Jane Doe", "BBC")),
        ("By Jane Doe for BBC News", Byline("Jane Doe", "BBC")),
        ("By JOHN DOE and JANE ROE", Byline("JOHN DOE and JANE ROE", None)),
        ("By Ursula von der Leyen", Byline("Ursula von der Leyen", None)),
    ],
)
def test_bylines(line: str, byline: Byline) -> None:
    assert parse_byline(line) == byline


@pytest.mark.parametrize(
    "line",
    [
        "By early 2005 the net could have two new domain names.",
        "By 2025, 40% of the UK's population will still be without internet access at home, says a study.",
        "By contrast Netcraft's four monitoring stations in the US managed to view the site.",
        "Byelection called",
    ],
)
def test_prose_starting_with_by_is_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None


def test_publisher_spellings_and_domains_are_made_canonical() -> None:
    assert canonical_publisher("deutsche welle") == "DW"
    assert canonical_publisher("www.dw.com") == "DW"
    assert canonical_publisher("The Daily Chronicle") is None


def test_publisher_named_in_page_furniture() -> None:
    assert publisher_in(["1. Skip to content", "3. Skip to more DW sites"]) == "DW"
    assert publisher_in(["see https://example.com/dw/story"]) is None  # lower-case short names don't count
    assert publisher_in(["Skip to content"]) is None
