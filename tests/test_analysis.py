"""The news analyser: Whoosh's StemmingAnalyzer tokens and postings, blind to invisible characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.analysis import StemmingAnalyzer
from whoosh.formats import Positions

from index.analysis import FastPositions, NewsAnalyzer, spelling_words

SAMPLES = [
    "Protesters gathered in Moscow's Pushkin Square; police said 3.5 million roubles (€44,600) were seized.",
    "U.S. e-mail ÉLAN naïve café — 38% of I.B.M.'s staff, and don't forget x_y_z or 1,000.50!",
    "",
    "   \n\t ",
    "Ünïcödé ÀÉÎÕÜ straße ΣΊΣΥΦΟΣ İstanbul ﬁnance",
]

OPTIONS = [
    {},
    {"positions": True, "chars": True},
    {"positions": True, "chars": True, "keeporiginal": True, "start_pos": 7, "start_char": 11},
    {"mode": "query", "removestops": False},
    {"no_morph": True, "chars": True},
    {"tokenize": False, "positions": True, "chars": True},
    {"positions": True, "boosts": True, "mode": "index"},
]


def tokens(analyzer, text: str, options: dict) -> list[tuple]:
    return [
        (
            t.text,
            getattr(t, "pos", None),
            getattr(t, "startchar", None),
            getattr(t, "endchar", None),
            getattr(t, "original", None),
            t.boost,
            t.stopped,
        )
        for t in analyzer(text, **options)
    ]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("text", SAMPLES)
def test_same_tokens_as_whoosh(text: str, options: dict) -> None:
    assert tokens(NewsAnalyzer(), text, options) == tokens(StemmingAnalyzer(stoplist=None), text, options)


def test_same_tokens_on_real_news(bbc_dir: Path) -> None:
    fast, whoosh = NewsAnalyzer(), StemmingAnalyzer(stoplist=None)
    for path in sorted(bbc_dir.glob("business/*.txt"))[:60]:
        text = path.read_bytes().decode("utf-8", errors="replace")
        options = {"positions": True, "chars": True}
        assert tokens(fast, text, options) == tokens(whoosh, text, options), path


@pytest.mark.parametrize("boost", [1.0, 2.0])
@pytest.mark.parametrize("text", SAMPLES)
def test_same_postings_as_whoosh(text: str, boost: float) -> None:
    fast = list(FastPositions(field_boost=boost).word_values(text, NewsAnalyzer(), mode="index"))
    whoosh = list(
        Positions(field_boost=boost).word_values(text, StemmingAnalyzer(stoplist=None), mode="index")
    )
    assert fast == whoosh


def test_same_postings_on_real_news(bbc_dir: Path) -> None:
    fast, whoosh = NewsAnalyzer(), StemmingAnalyzer(stoplist=None)
    for path in sorted(bbc_dir.glob("politics/*.txt"))[:60]:
        text = path.read_bytes().decode("utf-8", errors="replace")
        expected = list(Positions().word_values(text, whoosh, mode="index"))
        assert list(FastPositions().word_values(text, fast, mode="index")) == expected, path


def test_invisible_characters_inside_a_word_neither_split_it_nor_show_in_its_token() -> None:
    text = "Alexei Naval\u00adny in Mos\u200bcow, Ber\u2060lin and \u200bKyiv\u00ad."
    found = [(t.text, t.startchar, t.endchar) for t in NewsAnalyzer()(text, chars=True)]
    assert found == [
        ("alexei", 0, 6),
        ("navalni", 7, 15),
        ("in", 16, 18),
        ("moscow", 19, 26),
        ("berlin", 28, 35),
        ("and", 36, 39),
        ("kyiv", 41, 45),
    ]
    postings = dict((w, n) for w, n, _, _ in FastPositions().word_values(text, NewsAnalyzer(), mode="index"))
    assert postings == {"alexei": 1, "navalni": 1, "in": 1, "moscow": 1, "berlin": 1, "and": 1, "kyiv": 1}


def test_it_survives_pickling_as_part_of_a_schema() -> None:
    import pickle

    analyzer = pickle.loads(pickle.dumps(NewsAnalyzer()))
    assert [t.text for t in analyzer("Protests protested")] == ["protest", "protest"]
    assert analyzer == NewsAnalyzer()
    assert analyzer.has_morph()


def test_spelling_words_are_the_reader_s_words_lower_cased_and_unstemmed() -> None:
    assert spelling_words("Elections: Naval\u00adny's GOVERNMENT governs") == {
        "elections",
        "navalny",
        "s",
        "government",
        "governs",
    }
