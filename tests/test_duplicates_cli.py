"""``broadsheet duplicates`` and ``broadsheet search --collapse``: their JSON and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.duplicates_support import copies_corpus, story
from tui.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="broadsheet")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copies_corpus(tmp_path / "corpus")


def test_duplicates_json_lists_each_group_oldest_first(corpus: Path, tmp_path: Path) -> None:
    result = run("duplicates", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "groups": [
            {"ids": ["one-early.json", "one-late.json", "one-undated.json"], "exact": True},
            {
                "ids": [
                    "two-byline.json",
                    "two.json",
                    "two-dropped.json",
                    "two-added.json",
                    "two-reordered.json",
                ],
                "exact": False,
            },
        ]
    }


def test_duplicates_prints_each_group_with_its_kind(corpus: Path, tmp_path: Path) -> None:
    result = run("duplicates", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index"))
    assert result.exit_code == 0, result.output
    assert "2 groups of copies, 8 articles in all" in result.stdout
    assert "3 articles, exact copies" in result.stdout
    assert "5 articles, near copies" in result.stdout
    assert "undated" in result.stdout


@pytest.mark.parametrize("threshold", ["0.2", "1.5", "nan"])
def test_a_threshold_out_of_range_exits_2_with_one_sentence(corpus: Path, threshold: str) -> None:
    result = run("duplicates", "--corpus", str(corpus), "--threshold", threshold)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "between 0.5 and 1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_collapse_hits_carry_the_number_of_similar_articles(corpus: Path, tmp_path: Path) -> None:
    phrase = '"' + " ".join(story(2)[0].split()[:3]) + '"'
    index = str(tmp_path / "index")
    result = run("search", phrase, "--corpus", str(corpus), "--index-dir", index, "--collapse", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["total"] == 1
    assert [hit["similar"] for hit in payload["hits"]] == [4]
    plain = json.loads(run("search", phrase, "--corpus", str(corpus), "--index-dir", index, "--json").stdout)
    assert plain["total"] == 5
    assert all("similar" not in hit for hit in plain["hits"])
