"""Hostile files built at test time: huge lines, deep nesting, unclosed markup, JSON bombs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.ingest import CorpusFile, ReadResult, discover, read_file
from index.models import SkipReason


def read(path: Path, **kwargs: int) -> ReadResult:
    return read_file(CorpusFile(path, path.name, path.stat().st_size, 0), **kwargs)


# The timeouts stop a read that hangs or goes quadratic on these inputs; speed is measured in bench/.


@pytest.mark.timeout(30)
def test_a_50_mb_single_line_is_too_large_and_never_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written
    assert [(s.path, s.reason) for s in discover(tmp_path)] == [("huge.txt", SkipReason.TOO_LARGE)]
    result = read(path)
    assert [s.reason for s in result.skips] == [SkipReason.TOO_LARGE]


@pytest.mark.timeout(60)
def test_a_5_mb_single_line_is_one_article_with_a_short_title(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_text("word " * 1_000_000, encoding="utf-8")
    (article,) = read(path).articles
    assert len(article.title) <= 201 and article.title.endswith("…")
    assert len(article.body.split()) == 1_000_000  # the long line stays in the body


@pytest.mark.timeout(60)
def test_deeply_nested_html_gives_its_text(tmp_path: Path) -> None:
    depth = 100_000
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * depth
        + "<p>Words inside the deepest element.</p>"
        + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )
    (article,) = read(path).articles
    assert (article.title, article.body) == ("Deep", "Words inside the deepest element.")


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "markup",
    ["<" * 300_000, "<!--" * 100_000, "<script>" * 100_000, "<a href='" * 50_000],
    ids=["angles", "comments", "scripts", "attributes"],
)
def test_unclosed_markup_costs_one_pass(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "unclosed.html"
    path.write_text("<title>Unclosed</title><p>Visible text first.</p>" + markup, encoding="utf-8")
    (article,) = read(path, max_bytes=len(markup) + 100).articles
    assert (article.title, article.body.split("\n")[0]) == ("Unclosed", "Visible text first.")


def test_deeply_nested_json_is_malformed_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "bomb.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = read(path)
    assert [(s.reason, s.detail) for s in result.skips] == [(SkipReason.MALFORMED, "nested too deeply")]


def test_jsonl_with_huge_numbers_and_lone_surrogates_is_read(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"title": "Big", "text": "ok", "date": 1' + "0" * 400 + "}\n"
        '{"title": "Surrogate \\ud800", "text": "half a pair \\udc00 here"}\n'
        '{"title": "Escape \\u001b[2J", "text": "clear \\u001b]0;pwn\\u0007 screen"}\n',
        encoding="utf-8",
    )
    result = read(path)
    titles = [article.title for article in result.articles]
    assert titles == ["Big", "Surrogate \ufffd", "Escape"]
    assert result.articles[2].body == "clear  screen"
    assert result.articles[0].date is None


def test_a_file_replaced_by_a_fifo_after_listing_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Title\n\nBody.\n", encoding="utf-8")
    (found,) = discover(tmp_path)
    path.unlink()
    os.mkfifo(path)
    assert [s.reason for s in read_file(found).skips] == [SkipReason.UNREADABLE]
