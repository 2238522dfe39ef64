"""Entity rules, merging and normalisation, without the statistical model."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
from entities_support import TaggedExtractor

from index.entities import extractor as extractor_module
from index.entities import spacy_model
from index.entities.annotate import annotate
from index.entities.extractor import (
    CombinedExtractor,
    ModelUnavailable,
    Origin,
    RawSpan,
    default_extractor,
    merge,
)
from index.entities.normalise import clean_mentions
from index.entities.rules import RuleExtractor, rule_spans


def labelled(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in rule_spans(text) if s.origin is Origin.PATTERN]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a fine of up to four million roubles (€44,600)",
            [("four million roubles", "MONEY"), ("€44,600", "MONEY")],
        ),
        ("a £15.8m signing", [("£15.8m", "MONEY")]),
        ("a $3bn deal", [("$3bn", "MONEY")]),
        ("fined 162,000 euros", [("162,000 euros", "MONEY")]),
        ("deleted 38% of posts", [("38%", "PERCENT")]),
        ("sales rose 17 per cent", [("17 per cent", "PERCENT")]),
        ("on January 22, 2021 and 17 January", [("January 22, 2021", "DATE"), ("17 January", "DATE")]),
        ("mail me at a@b.com or see #1", []),
    ],
)
def test_rules_find_money_percentages_and_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert labelled(text) == expected


def test_money_pattern_beats_an_overlapping_model_span() -> None:
    text = "a fine of €44,600 today"
    model = [RawSpan(11, 17, "MONEY"), RawSpan(18, 23, "DATE")]
    merged = merge(model, rule_spans(text))
    assert [(text[s.start : s.end], s.label) for s in merged] == [("€44,600", "MONEY"), ("today", "DATE")]


def test_model_span_beats_a_gazetteer_name_inside_it() -> None:
    text = "the Bank of England said"
    merged = merge([RawSpan(4, 19, "ORG")], rule_spans(text))
    assert [(text[s.start : s.end], s.label) for s in merged] == [("Bank of England", "ORG")]


def test_merged_spans_never_overlap() -> None:
    text = "On January 22, 2021 Russia fined Google €162,000 (162,000 euros), or 17 per cent of #23January"
    model = [
        RawSpan(3, 19, "DATE"),
        RawSpan(20, 26, "PLACE"),
        RawSpan(41, 48, "MONEY"),
        RawSpan(33, 48, "ORG"),
    ]
    merged = merge(model, rule_spans(text))
    for first, second in itertools.pairwise(merged):
        assert first.end <= second.start


@pytest.mark.parametrize(
    "junk",
    [
        "Button",
        "Share this article Close Button",
        "AP Photo/Mstyslav Chernov",
        "-",
        "X",
        "1234",
        "www.bbc.intranet",
    ],
)
def test_junk_mentions_are_dropped(junk: str) -> None:
    body = f"Before {junk} after."
    start = body.index(junk)
    assert clean_mentions(body, [RawSpan(start, start + len(junk), "PERSON")]) == []


def test_possessive_quotes_and_leading_the_are_trimmed_with_exact_offsets() -> None:
    body = "“Navalny's” team met the Kremlin’s staff."
    spans = [RawSpan(0, 11, "PERSON"), RawSpan(21, 34, "ORG")]
    found = clean_mentions(body, spans)
    assert [(f.text, body[f.start : f.end]) for f in found] == [
        ("Navalny", "Navalny"),
        ("Kremlin", "Kremlin"),
    ]


def test_surname_and_possessive_merge_into_the_full_name() -> None:
    body = "[Alexei Navalny|PERSON] returned. [Navalny|ORG]'s allies and [Navalny|PLACE] spoke."
    mentions = annotate({"a": body}, TaggedExtractor())["a"]
    assert {(m.text, m.canonical, m.label) for m in mentions} == {
        ("Alexei Navalny", "Alexei Navalny", "PERSON"),
        ("Navalny", "Alexei Navalny", "PERSON"),
    }


def test_a_name_ending_in_a_lowercase_word_does_not_make_that_word_a_surname() -> None:
    """The model once tagged "Linda Kasabian - the" as a person: every "the" became her."""
    body = "Reviews of [Linda Kasabian - the|PERSON] album were mixed. Kasabian said the tour was the best."
    mentions = annotate({"a": body}, TaggedExtractor())["a"]
    assert "the" not in {m.text for m in mentions}


@pytest.mark.parametrize(
    ("tagged", "name"),
    [("Linda Kasabian - the", "Linda Kasabian"), ("Jerry Springer - The", "Jerry Springer")],
)
def test_a_name_never_ends_in_a_dangling_function_word(tagged: str, name: str) -> None:
    """The model tagged "Jerry Springer - The [Opera]": every "The" of the article became him."""
    body = f"[{tagged}|PERSON] Opera opened. The show ran. {name.split()[-1]} was pleased."
    mentions = annotate({"a": body}, TaggedExtractor())["a"]
    assert {m.text for m in mentions} == {name, name.split()[-1]}
    assert {m.canonical for m in mentions} == {name}


@pytest.mark.parametrize("word", ["There", "The", "However", "Meanwhile", "When"])
def test_a_capitalised_function_word_is_never_a_name(word: str) -> None:
    body = f"{word} was a crowd."
    assert clean_mentions(body, [RawSpan(0, len(word), "PERSON")]) == []


@pytest.mark.parametrize("acronym", ["US", "WHO", "IT"])
def test_acronyms_spelled_like_function_words_are_kept(acronym: str) -> None:
    body = f"The {acronym} said so."
    found = clean_mentions(body, [RawSpan(4, 4 + len(acronym), "ORG")])
    assert [f.text for f in found] == [acronym]


def test_surname_alone_in_an_article_maps_to_the_unique_full_name_of_the_corpus() -> None:
    bodies = {
        "full": "[Lyubov Sobol|PERSON] was detained.",
        "short": "[Sobol|PERSON] was released.",
    }
    mentions = annotate(bodies, TaggedExtractor())
    assert [m.canonical for m in mentions["short"]] == ["Lyubov Sobol"]


def test_entity_label_is_the_majority_of_its_mentions_across_the_corpus() -> None:
    bodies = {
        "1": "[Roskomnadzor|ORG] said so.",
        "2": "[Roskomnadzor|ORG] ordered it.",
        "3": "Then [Roskomnadzor|PERSON] added.",
    }
    mentions = annotate(bodies, TaggedExtractor())
    assert {m.label for ms in mentions.values() for m in ms} == {"ORG"}


def test_context_cue_outvotes_the_model() -> None:
    bodies = {"1": "the communications watchdog, [Roskomnadzor|PERSON], and [Roskomnadzor|PERSON] said"}
    mentions = annotate(bodies, TaggedExtractor())["1"]
    assert {m.label for m in mentions} == {"ORG"}


def test_sports_clubs_are_organisations_and_united_places_stay_places() -> None:
    bodies = {
        "1": "[Manchester United|PERSON] beat [Blackburn Rovers|PERSON] in [Manchester|PLACE].",
        "2": "[Manchester United|PERSON] fans in the [United States|PLACE].",
    }
    labels = {(m.canonical, m.label) for ms in annotate(bodies, TaggedExtractor()).values() for m in ms}
    assert labels == {
        ("Manchester United", "ORG"),
        ("Blackburn Rovers", "ORG"),
        ("Manchester", "PLACE"),
        ("United States", "PLACE"),
    }


def test_label_ties_go_to_the_first_label_in_sidebar_order() -> None:
    bodies = {"1": "[Jordan|PLACE] and [Jordan|PERSON]"}
    assert {m.label for m in annotate(bodies, TaggedExtractor())["1"]} == {"PERSON"}


def entities_of(bodies: dict[str, str]) -> set[tuple[str, str]]:
    """(canonical name, label) of every mention of the tagged articles, resolved together."""
    return {(m.canonical, m.label) for ms in annotate(bodies, TaggedExtractor()).values() for m in ms}


def test_a_party_written_in_both_numbers_is_one_organisation_and_never_a_person() -> None:
    """The BBC sidebar listed "Lib Dems" (54 articles) as a person, apart from "Lib Dem"."""
    bodies = {
        "1": "The [Lib Dems|PERSON] said so.",
        "2": "A [Lib Dem|PERSON] candidate and a [Tory|GROUP] one.",
        "3": "The [Tories|GROUP] agreed.",
    }
    assert entities_of(bodies) == {("Lib Dems", "ORG"), ("Tories", "ORG")}


def test_a_party_named_by_its_members_is_an_organisation_not_a_group_of_people() -> None:
    """The model calls "the Social Democrats" a nationality or religious group (NORP), as it does
    "Russians"; the gold samples, like OntoNotes, call a party that wins seats an organisation."""
    bodies = {
        "1": "The [Social Democrats|GROUP] took 29 seats, the [Greens|GROUP] six; [Russians|GROUP] voted."
    }
    assert entities_of(bodies) == {("Social Democrats", "ORG"), ("Greens", "ORG"), ("Russians", "GROUP")}


def test_an_award_written_in_both_numbers_is_not_a_person() -> None:
    bodies = {
        "1": "An [Oscar|PERSON] nominee.",
        "2": "An [Oscar|PERSON] winner.",
        "3": "At the [Oscars|ORG].",
    }
    assert entities_of(bodies) == {("Oscars", "ORG")}


def test_surnames_given_names_and_titles_keep_their_numbers_apart() -> None:
    bodies = {
        "1": "[Rowan Williams|PERSON] spoke. [Williams|PERSON] said no. [Oscar|PERSON] won.",
        "2": "[William|PERSON] arrived. The [Times|ORG] and [Time|ORG] wrote. The [Oscars|ORG] began.",
        "3": "[Steve Cotterill|PERSON] said the [Steve Cotterills|PERSON] of this world were few.",
    }
    assert entities_of(bodies) == {
        ("Rowan Williams", "PERSON"),
        ("William", "PERSON"),
        ("Steve Cotterill", "PERSON"),
        ("Steve Cotterills", "PERSON"),
        ("Times", "ORG"),
        ("Time", "ORG"),
        ("Oscars", "ORG"),
    }


def test_a_first_name_alone_is_the_one_person_of_the_article_with_that_first_name() -> None:
    bodies = {
        "one Tony": "[Tony Blair|PERSON] spoke. Later [Tony|PERSON] said no.",
        "two Tonys": "[Tony Blair|PERSON] met [Tony Martin|PERSON]. [Tony|PERSON] left.",
    }
    mentions = annotate(bodies, TaggedExtractor())
    assert [(m.text, m.canonical) for m in mentions["one Tony"]] == [
        ("Tony Blair", "Tony Blair"),
        ("Tony", "Tony Blair"),
    ]
    assert [m.canonical for m in mentions["two Tonys"]] == ["Tony Blair", "Tony Martin", "Tony"]


def test_double_quotes_inside_a_name_do_not_make_another_entity() -> None:
    """`"New" Labour` was an OTHER entity of its own, and "New Labour through" another."""
    body = 'It is "[New" Labour through|OTHER] and through, said [New Labour|PLACE].'
    mentions = annotate({"a": body}, TaggedExtractor())["a"]
    assert [(m.text, m.canonical) for m in mentions] == [
        ('New" Labour', "New Labour"),
        ("New Labour", "New Labour"),
    ]
    assert all(body[m.start : m.end] == m.text for m in mentions)


def test_a_name_never_runs_back_past_the_end_of_a_quotation() -> None:
    body = 'He watched "Prisoner Cell [Block H." Labour|OTHER] MPs laughed.'
    assert [m.text for m in annotate({"a": body}, TaggedExtractor())["a"]] == ["Labour"]


def test_a_name_that_ends_in_an_organisations_name_is_that_organisation() -> None:
    bodies = {
        "1": "[New Labour|PLACE] won and [Labour|ORG] cheered.",
        "2": "In [Mexico City|PLACE], [City|ORG] fans met [Mexico|PLACE] fans.",
    }
    assert entities_of(bodies) >= {("New Labour", "ORG"), ("Mexico City", "PLACE")}


@pytest.mark.parametrize(
    ("date", "kept"),
    [
        ("our full-year", False),
        ("last week", False),
        ("Sunday", False),
        ("the past 12 months", False),
        ("1800 GMT", False),
        ("11 September", True),
        ("2004", True),
        ("the 1990s", True),
        ("Christmas", True),
    ],
)
def test_a_date_is_kept_only_when_it_names_the_same_period_in_every_article(date: str, kept: bool) -> None:
    body = f"Profits for {date} rose."
    start = body.index(date)
    found = clean_mentions(body, [RawSpan(start, start + len(date), "DATE")])
    assert bool(found) is kept


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("German music publisher [Bertelsmann|PERSON] bought a stake.", "ORG"),
        ("The record label [Domino|PERSON] signed them.", "ORG"),
        ("The publisher [Paul Dacre|PERSON] said so.", "PERSON"),
    ],
)
def test_a_company_word_just_before_a_name_votes_organisation_unless_a_given_name_follows(
    text: str, label: str
) -> None:
    assert {m.label for m in annotate({"a": text}, TaggedExtractor())["a"]} == {label}


def test_rules_alone_when_the_model_cannot_load(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unavailable(model: str) -> None:
        raise ModelUnavailable(f"no {model}")

    monkeypatch.setattr(spacy_model, "load_pipeline", unavailable)
    extractor = default_extractor()
    assert isinstance(extractor, RuleExtractor)
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "rule-based extraction only" in warning and "\n" not in warning
    body = "President Putin met Facebook in Moscow and fined it €44,600, 38% of #profits."
    mentions = annotate({"a": body}, extractor)["a"]
    assert {(m.text, m.label) for m in mentions} == {
        ("Putin", "PERSON"),
        ("Facebook", "ORG"),
        ("Moscow", "PLACE"),
        ("€44,600", "MONEY"),
        ("38%", "PERCENT"),
        ("#profits", "HASHTAG"),
    }
    assert all(body[m.start : m.end] == m.text for m in mentions)


def test_importing_the_entity_package_does_not_import_spacy() -> None:
    code = (
        "import sys, index, index.entities.phase, index.entities.store, tui.cli;print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert extractor_module.default_extractor is default_extractor


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Prof Chris Whitty said the figures were rising.", "Chris Whitty"),
        ("The Rt Hon Theresa May spoke first.", "Theresa May"),
        ("Chancellor Angela Merkel met the press.", "Angela Merkel"),
    ],
)
def test_every_title_introduces_a_person_to_the_rules_and_is_trimmed_off_the_model_s_span(
    text: str, person: str
) -> None:
    titled = [text[s.start : s.end] for s in rule_spans(text) if s.label == "PERSON"]
    assert titled == [person]
    model_span = RawSpan(0, text.index(person) + len(person), "PERSON")
    found = clean_mentions(text, [model_span])
    assert [(f.text, text[f.start : f.end]) for f in found] == [(person, person)]


def test_a_surname_after_a_title_is_found_again_in_the_same_article() -> None:
    body = "Angela Merkel arrived. Later Chancellor Merkel spoke."
    found = clean_mentions(body, [RawSpan(0, len("Angela Merkel"), "PERSON")])
    assert [(f.text, f.key) for f in found] == [
        ("Angela Merkel", "N:angela merkel"),
        ("Merkel", "N:angela merkel"),
    ]


def entities_with_rules(text: str) -> set[tuple[str, str]]:
    """(text, label) of the mentions of one article, the model's answers tagged in it, rules run too."""
    mentions = annotate({"a": text}, CombinedExtractor(TaggedExtractor(), RuleExtractor()))["a"]
    return {(m.text, m.label) for m in mentions}


def test_a_company_named_with_its_legal_suffix_is_an_organisation_also_by_its_short_name() -> None:
    """Wire copy names a company in full once ("Nordwind Bremstechnik AG") and by its first word
    after that; the small model saw an unknown word and called "Nordwind" a person."""
    text = "Orders at Nordwind Bremstechnik AG rose. Shares in [Nordwind|PERSON] gained, and Nordwind hired."
    assert entities_with_rules(text) == {("Nordwind Bremstechnik AG", "ORG"), ("Nordwind", "ORG")}


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("It bought Hinode Denki K.K. for cash.", "Hinode Denki K.K."),
        ("It was operated by Skyline Commuter Inc. and grounded.", "Skyline Commuter Inc."),
        ("It was advised by Lazard Ltd. Shares rose.", "Lazard Ltd"),
        ("The rival grocer Marwick Stores plc said no.", "Marwick Stores plc"),
        ("A deal with Assicurazioni Lombarde S.p.A. was signed.", "Assicurazioni Lombarde S.p.A."),
        ("Banco Atlantico del Norte SA agreed to merge.", "Banco Atlantico del Norte SA"),
    ],
)
def test_a_legal_suffix_keeps_its_full_stop_only_when_it_is_an_abbreviation(text: str, company: str) -> None:
    assert (company, "ORG") in entities_with_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "said Rod Eddington, BA chief executive, of Redgum Resources Ltd.",
        "Sales of Redgum Resources Ltd in the UK and AT home rose.",
        "Redgum Resources Ltd is a limited company ag in capitals.",
    ],
)
def test_abbreviations_that_look_like_legal_suffixes_make_no_company(text: str) -> None:
    """cleanco's suffixes include "BA", "UK" and "at"; only a suffix written as one counts."""
    assert {name for name, label in entities_with_rules(text) if label == "ORG"} == {"Redgum Resources Ltd"}


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("The Federal Aviation Administration ordered checks.", "Federal Aviation Administration"),
        ("the Ministry of Finance cut its forecast", "Ministry of Finance"),
        ("India's Ministry of Commerce and Industry said", "Ministry of Commerce and Industry"),
        ("the Finance and Economy Ministry said", "Finance and Economy Ministry"),
        ("an appeal to the Court of Arbitration for Sport failed", "Court of Arbitration for Sport"),
        ("A South Wales Police spokeswoman said", "South Wales Police"),
        ("behind the Austrian People's Party on 31 percent", "Austrian People's Party"),
        ("The Bank of Spain backed the deal.", "Bank of Spain"),
    ],
)
def test_ministries_agencies_and_parties_are_found_by_their_head_word(text: str, body: str) -> None:
    assert {name for name, label in entities_with_rules(text) if label == "ORG"} == {body}


@pytest.mark.parametrize(
    "text",
    [
        "Settlers in the West Bank wrote to the Ministry of Defence.",
        "Transport Commissioner Jacques Barrot wrote to the Ministry of Defence.",
        "The Council wrote to the Ministry of Defence.",
        "Police wrote to the Ministry of Defence.",
    ],
)
def test_a_head_word_alone_or_a_place_ending_in_bank_is_no_public_body(text: str) -> None:
    assert {name for name, label in entities_with_rules(text) if label == "ORG"} == {"Ministry of Defence"}


def test_the_clubs_of_a_results_table_are_organisations_and_national_teams_places() -> None:
    """The model read "Newcastle United 1 Wolverhampton Wanderers 4" as one organisation and missed
    most clubs; after the table, the story names a club without its "Wanderers"."""
    text = (
        "Results on Saturday:\n\nArsenal 2 Chelsea 1\nNewcastle United 1 Wolverhampton Wanderers 4\n"
        "Wales 27 Scotland 20\n\nA late goal for [Wolverhampton|PERSON] settled it. Arsenal lead."
    )
    assert entities_with_rules(text) == {
        ("Arsenal", "ORG"),
        ("Chelsea", "ORG"),
        ("Newcastle United", "ORG"),
        ("Wolverhampton Wanderers", "ORG"),
        ("Wolverhampton", "ORG"),
        ("Wales", "PLACE"),
        ("Scotland", "PLACE"),
    }


def test_a_result_told_in_a_sentence_names_two_clubs() -> None:
    text = "On Sunday Real Madrid beat Valencia 3-0 at home."
    assert entities_with_rules(text) == {("Real Madrid", "ORG"), ("Valencia", "ORG")}


def test_the_city_of_a_dateline_is_a_place_not_an_organisation() -> None:
    """The model takes a city written in capitals for an organisation ("STUTTGART")."""
    text = "STUTTGART, March 4 - Sales rose.\n\nSILVER SPRING, Maryland, Oct 30 - It approved a drug."
    merged = merge([RawSpan(0, len("STUTTGART"), "ORG")], rule_spans(text))
    assert [(text[s.start : s.end], s.label) for s in merged if s.label != "DATE"] == [
        ("STUTTGART", "PLACE"),
        ("SILVER SPRING", "PLACE"),
        ("Maryland", "PLACE"),
    ]


def test_a_company_pattern_cuts_a_model_span_that_runs_past_the_legal_suffix() -> None:
    text = "A rival bid came from Hanwha Aerospace Co Ltd of Seoul."
    start = text.index("Hanwha")
    merged = merge([RawSpan(start, len(text) - 1, "ORG")], rule_spans(text))
    assert [(text[s.start : s.end], s.label) for s in merged] == [
        ("Hanwha Aerospace Co Ltd", "ORG"),
        ("Seoul", "PLACE"),
    ]


def test_a_company_named_by_its_head_word_is_an_organisation() -> None:
    """The model called "Pyra Labs" a person and missed "Menatep Group"."""
    text = "Google bought [Pyra Labs|PERSON]. Menatep Group owns a stake in Sony Pictures."
    assert {name for name, label in entities_with_rules(text) if label == "ORG"} == {
        "Google",
        "Pyra Labs",
        "Menatep Group",
        "Sony Pictures",
    }


def test_the_portfolio_in_a_minister_s_title_is_no_organisation() -> None:
    """ "Finance Minister Ewa Kaminska": the model made "Finance" an organisation, and "State" of
    "Secretary of State"; the office in "Home Office Minister" is one."""
    body = "Finance Minister Ewa Kaminska met Secretary of State Condoleezza Rice and a Home Office Minister."
    spans = [
        RawSpan(body.index(name), body.index(name) + len(name), "ORG")
        for name in ("Finance", "State", "Home Office")
    ]
    assert [found.text for found in clean_mentions(body, spans)] == ["Home Office"]


def test_a_name_after_mr_is_a_person_whatever_the_model_called_it() -> None:
    """The model called "Mr Balls" an organisation and "Mr Stone" a place."""
    body = "Mr Balls said so, and Mr Stone agreed."
    spans = [RawSpan(0, 8, "ORG"), RawSpan(22, 30, "PLACE")]
    assert [(found.text, found.vote) for found in clean_mentions(body, spans)] == [
        ("Balls", "PERSON"),
        ("Stone", "PERSON"),
    ]
