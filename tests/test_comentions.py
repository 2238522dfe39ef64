"""Co-mentions: who appears with an entity in the articles of a result, and when, once per engine;
the user's curation applies; ``broadsheet entities --with``; the periods a timeline is shown by."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from entities_support import TaggedExtractor

from index.library import Library
from index.models import CoMentions, DateFilter, EntityFilter, Facet
from index.notebook.curation import hide, merge
from index.periods import by_period, period_filter

pytestmark = pytest.mark.engines

RECORDS = [
    (
        "2021-01-05",
        "Storm",
        "[Mara Quell|PERSON] met [Jonas Brisk|PERSON] of the [Harbour Council|ORG] in "
        "[Port Amsel|PLACE]. [Mara Quell|PERSON] spoke first.",
    ),
    ("2021-01-20", "Storm again", "[Mara Quell|PERSON] thanked the [Harbour Council|ORG]."),
    ("2021-03-02", "Flood", "[Mara Quell|PERSON] toured [Veldt|PLACE] after the rain."),
    ("2021-03-09", "Storm damage", "[Jonas Brisk|PERSON] counted the damage in [Port Amsel|PLACE]."),
    ("2021-03-30", "Board", "[Mara Quell|PERSON] wrote to the [Harbour Board|ORG] in the storm."),
    ("", "Undated", "[Mara Quell|PERSON] walked to [Gull Point|PLACE] in the storm."),
]
MARA = EntityFilter("PERSON", "Mara Quell")
COUNCIL = ("Harbour Council", "ORG")
BOARD = ("Harbour Board", "ORG")


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"title": title, "text": text, **({"date": date} if date else {})})
        for date, title, text in RECORDS
    ]
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    monkeypatch.setattr("index.entities.phase.default_extractor", lambda: TaggedExtractor())
    with Library.open(write_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index") as opened:
        opened.update()
        yield opened


def _listed(found: CoMentions) -> list[tuple[str, int, int]]:
    return [(facet.canonical, facet.articles, facet.mentions) for facet in found.comentioned]


def test_the_entities_beside_one_are_counted_over_the_articles_that_mention_both(library: Library) -> None:
    found = library.comentions("*", MARA)
    assert (found.entity, found.articles, found.mentions) == (MARA, 5, 6)
    assert _listed(found) == [
        ("Harbour Council", 2, 2),
        ("Gull Point", 1, 1),
        ("Harbour Board", 1, 1),
        ("Jonas Brisk", 1, 1),
        ("Port Amsel", 1, 1),
        ("Veldt", 1, 1),
    ]
    assert found.timeline == (("2021-01", 2), ("2021-02", 0), ("2021-03", 2)), "the undated one left out"


def test_only_the_articles_of_the_result_count_and_the_limit_cuts_the_list(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_second_search(*_: object, **__: object) -> None:
        raise AssertionError("the dates of the result's articles need no second search")

    monkeypatch.setattr(Library, "date_histogram", no_second_search)
    found = library.comentions("storm", MARA, limit=2)
    assert found.articles == 4
    assert _listed(found) == [("Harbour Council", 2, 2), ("Gull Point", 1, 1)]
    assert found.timeline == (("2021-01", 2), ("2021-02", 0), ("2021-03", 1))


def test_an_entity_no_article_of_the_result_mentions_has_no_co_mentions(library: Library) -> None:
    assert library.comentions("damage", MARA) == CoMentions(MARA, 0, 0)
    assert library.comentions("*", EntityFilter("PERSON", "Nobody")) == CoMentions(
        EntityFilter("PERSON", "Nobody"), 0, 0
    )


def test_merged_names_count_as_their_canonical_and_hidden_entities_are_left_out(library: Library) -> None:
    library.notebook().curate(merge(BOARD, COUNCIL))
    library.notebook().curate(hide(("Veldt", "PLACE")))
    found = library.comentions("*", MARA)
    assert _listed(found) == [
        ("Harbour Council", 3, 3),
        ("Gull Point", 1, 1),
        ("Jonas Brisk", 1, 1),
        ("Port Amsel", 1, 1),
    ]
    council = library.comentions("*", EntityFilter("ORG", *COUNCIL[:1]))
    assert (council.articles, council.timeline) == (3, (("2021-01", 2), ("2021-02", 0), ("2021-03", 1)))
    assert library.comentions("*", EntityFilter("ORG", "Harbour Board")).articles == 0


def test_entities_with_prints_the_co_mentions_as_json_and_names_the_nearest_for_an_unknown_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import cli

    monkeypatch.setattr("index.entities.phase.default_extractor", lambda: TaggedExtractor())
    corpus = write_corpus(tmp_path / "corpus")
    where = ["--corpus", str(corpus), "--index-dir", str(tmp_path / "ix")]
    result = CliRunner().invoke(
        cli, ["entities", "--with", "mara quell", "storm", *where, "--json", "--limit", "1"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "entity": {"canonical": "Mara Quell", "label": "PERSON"},
        "query": "storm",
        "articles": 4,
        "mentions": 5,
        "comentioned": [{"canonical": "Harbour Council", "label": "ORG", "articles": 2, "mentions": 2}],
        "timeline": [
            {"period": "2021-01", "articles": 2},
            {"period": "2021-02", "articles": 0},
            {"period": "2021-03", "articles": 1},
        ],
    }
    unknown = CliRunner().invoke(cli, ["entities", "--with", "Mara Quel", *where])
    assert unknown.exit_code == 1
    assert "did you mean 'Mara Quell'" in unknown.output


def test_a_long_timeline_is_shown_per_year_and_a_period_is_its_days() -> None:
    months = [("2001-03", 2), ("2001-07", 1), ("2006-02", 4)]
    assert by_period(months) == [("2001", 3), ("2002", 0), ("2003", 0), ("2004", 0), ("2005", 0), ("2006", 4)]
    assert by_period([("2020-11", 1), ("2021-01", 2)]) == [("2020-11", 1), ("2020-12", 0), ("2021-01", 2)]
    assert period_filter("2024-02") == DateFilter(dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_filter("2005", "2003") == DateFilter(dt.date(2003, 1, 1), dt.date(2005, 12, 31))


def test_facets_of_a_result_count_what_co_mentions_count(library: Library) -> None:
    facets = library.facets("storm", label="ORG")
    assert facets == [Facet("Harbour Council", "ORG", 2, 2), Facet("Harbour Board", "ORG", 1, 1)]
