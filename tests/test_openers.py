"""Opening an article outside Broadsheet: which file, and the editor's command line at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.models import Article
from tui.openers import article_file, editor_command

STORY = Article(id="a#3", path="2024/storm.txt", title="Storm", body="Wind.")


def test_an_article_of_a_folder_is_its_own_file_and_of_a_one_file_corpus_that_file(tmp_path: Path):
    assert article_file(STORY, tmp_path) == tmp_path / "2024" / "storm.txt"
    single = tmp_path / "news.jsonl"
    single.write_text("{}\n", encoding="utf-8")
    assert article_file(STORY, single) == single


@pytest.mark.parametrize(
    ("editor", "expected", "at_line"),
    [
        ("/usr/bin/vim", ["/usr/bin/vim", "+8", "news.jsonl"], True),
        ("emacsclient -t", ["emacsclient", "-t", "+8", "news.jsonl"], True),
        ("hx", ["hx", "news.jsonl:8"], True),
        ("code --wait", ["code", "--wait", "news.jsonl"], False),  # not known: the file alone
    ],
)
def test_the_editor_opens_a_json_lines_file_at_the_article_s_line_when_it_can(editor, expected, at_line):
    assert editor_command(editor, Path("news.jsonl"), 8) == (expected, at_line)


def test_a_file_of_one_article_opens_at_its_top_in_any_editor():
    assert editor_command("vim", Path("storm.txt"), None) == (["vim", "storm.txt"], False)
