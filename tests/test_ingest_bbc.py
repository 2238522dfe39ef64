"""The real BBC corpus: headline on line 1, every word of the body kept, no invented metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest import discover, read_file
from index.models import Article


@pytest.fixture(scope="module")
def bbc(bbc_dir: Path) -> list[tuple[str, Article]]:
    read = []
    for found in discover(bbc_dir):
        result = read_file(found)
        assert result.skips == [], found.rel
        (article,) = result.articles
        read.append((found.path.read_bytes().decode("utf-8", errors="replace"), article))
    return read


def test_every_file_is_one_article(bbc: list[tuple[str, Article]]) -> None:
    assert len(bbc) == 2225


def test_title_is_the_first_line(bbc: list[tuple[str, Article]]) -> None:
    wrong = [article.id for raw, article in bbc if article.title != " ".join(raw.split("\n", 1)[0].split())]
    assert wrong == []


def test_no_word_of_the_body_is_lost_or_added(bbc: list[tuple[str, Article]]) -> None:
    changed = [
        article.id
        for raw, article in bbc
        if article.id != "sport/199.txt" and article.body.split() != raw.split("\n", 1)[1].split()
    ]
    assert changed == []


def test_no_source_author_or_date_is_invented(bbc: list[tuple[str, Article]]) -> None:
    invented = [article.id for _, article in bbc if article.source or article.author or article.date]
    assert invented == []
