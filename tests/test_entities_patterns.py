"""Pattern entities: e-mail addresses, phone numbers, URLs, account numbers, handles and hashtags,
each in its canonical form, and none found in text that only looks like them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.analysis import CanonicalAnalyzer
from index.entities import annotate as annotate_module
from index.entities.annotate import annotate
from index.entities.extractor import RawSpan
from index.entities.normalise import clean_mentions
from index.entities.patterns import PHONE_REGION_ENV, pattern_matches, phone_region
from index.entities.rules import RuleExtractor

DATA = Path(__file__).parent / "data" / "patterns"


def found(text: str) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.label, m.canonical) for m in pattern_matches(text, "GB")]


def test_every_pattern_entity_of_the_positive_fixture_is_found_with_its_canonical_form() -> None:
    text = (DATA / "positives.txt").read_text(encoding="utf-8")
    expected = [tuple(entry) for entry in json.loads((DATA / "positives.json").read_text(encoding="utf-8"))]
    assert found(text) == expected


def test_text_that_only_looks_like_pattern_entities_gives_none() -> None:
    text = (DATA / "near_misses.txt").read_text(encoding="utf-8")
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to Jane.Doe@Example.ORG.", [("Jane.Doe@Example.ORG", "EMAIL", "jane.doe@example.org")]),
        ("user@localhost or foo@bar", []),
        ("Call 0161 496 0000 now", [("0161 496 0000", "PHONE", "+441614960000")]),
        ("on 12/03/2021 at 10:30", []),
        ("see https://www.BBC.co.uk/news/.", [("https://www.BBC.co.uk/news/", "URL", "bbc.co.uk/news")]),
        ("see (www.reuters.com/world)", [("www.reuters.com/world", "URL", "reuters.com/world")]),
        ("IBAN: GB33BUKB20201555555555", [("GB33BUKB20201555555555", "ACCOUNT", "GB33BUKB20201555555555")]),
        ("IBAN: GB34BUKB20201555555555", []),
        ("Card 5555-5555-5555-4444 used", [("5555-5555-5555-4444", "ACCOUNT", "5555555555554444")]),
        ("Card 5555-5555-5555-4445 used", []),
        ("Hi @TfL!", [("@TfL", "HANDLE", "@tfl")]),
        ("@property\ndef x(self): ...", []),
        ("Trending: #MeToo.", [("#MeToo", "HASHTAG", "#metoo")]),
        ("colour #c0ffee and ticket #404", []),
    ],
)
def test_each_pattern_keeps_real_values_and_drops_look_alikes(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(text) == expected


def test_two_spellings_of_one_number_are_one_phone_entity_with_exact_offsets() -> None:
    bodies = {
        "a": "Call the office on 020 7946 0958 after nine.",
        "b": "From abroad: +44 (0)20 7946 0958, or +44 20 7946 0958.",
    }
    mentions = annotate(bodies, RuleExtractor(), region="GB")
    phones = [(article_id, m) for article_id, ms in mentions.items() for m in ms if m.label == "PHONE"]
    assert len(phones) == 3
    assert {m.canonical for _, m in phones} == {"+442079460958"}
    assert all(bodies[article_id][m.start : m.end] == m.text for article_id, m in phones)


def test_national_numbers_are_read_in_the_region_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Ruf an: 030 901820."
    monkeypatch.setenv(PHONE_REGION_ENV, "de")
    assert phone_region() == "DE"
    assert [m.canonical for m in pattern_matches(text)] == ["+4930901820"]
    monkeypatch.setenv(PHONE_REGION_ENV, "nowhere")
    assert phone_region() == "GB"


def test_a_pattern_entity_replaces_the_model_span_that_overlaps_it() -> None:
    body = "Email news@bbc.co.uk today."
    model = [RawSpan(body.index("bbc"), body.index("bbc") + 3, "ORG")]
    [mention] = clean_mentions(body, model, "GB")
    assert (mention.text, mention.vote, mention.key) == ("news@bbc.co.uk", "EMAIL", "P:news@bbc.co.uk")


@pytest.mark.parametrize(
    ("label", "typed", "word"),
    [
        ("PHONE", "020 7946 0958", "+442079460958"),
        ("EMAIL", "News@BBC.co.uk", "news@bbc.co.uk"),
        ("URL", "https://www.bbc.co.uk/news/", "bbc.co.uk/news"),
        ("ACCOUNT", "gb82 west 1234 5698 7654 32", "gb82west12345698765432"),
        ("HANDLE", "BBCNews", "@bbcnews"),
        ("HASHTAG", "#Brexit", "#brexit"),
    ],
)
def test_a_query_value_is_put_in_the_canonical_form_of_its_field(label: str, typed: str, word: str) -> None:
    assert [token.text for token in CanonicalAnalyzer(label)(typed, mode="query")] == [word]


def test_a_url_field_also_holds_each_address_host() -> None:
    assert CanonicalAnalyzer("URL").words("bbc.co.uk/news _ reuters.com") == [
        "bbc.co.uk/news",
        "bbc.co.uk",
        "reuters.com",
    ]


def test_extract_json_prints_pattern_entities_with_their_canonical_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import cli

    monkeypatch.setattr(annotate_module, "default_extractor", RuleExtractor)
    article = tmp_path / "contacts.txt"
    article.write_text("Contacts\n\nRing 030 901820 or write to Presse@Example.de.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "--json", "--phone-region", "DE", str(article)])
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.output)
    assert [(e["text"], e["label"], e["canonical"]) for e in entry["entities"]] == [
        ("030 901820", "PHONE", "+4930901820"),
        ("Presse@Example.de", "EMAIL", "presse@example.de"),
    ]
    bad = CliRunner().invoke(cli, ["extract", "--phone-region", "XX", str(article)])
    assert bad.exit_code == 2 and "XX" in bad.output
