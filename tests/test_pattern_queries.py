"""An investigator's pivots, on each engine: an e-mail address, a phone number in any spelling, a
web site, an account, a handle, a hashtag and a language, each a query field that finds its articles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_article

from index.entities.phase import run_entity_phase
from index.entities.rules import RuleExtractor
from index.entities.store import DB_NAME
from index.library import Library
from index.models import EntityFilter, Query

pytestmark = pytest.mark.engines

ARTICLES = {
    "contacts.txt": (
        "Charity appeal opens",
        "Donations reach the appeal through https://www.dec.org.uk/appeal/ or by phone on "
        "020 7946 0958. Press enquiries: Press.Office@DEC.org.uk, @DECappeal and #HelpNow. "
        "Bank transfers to GB82 WEST 1234 5698 7654 32. The appeal runs for four weeks and will "
        "be reviewed by the trustees in the spring.",
    ),
    "abroad.txt": (
        "Calls from abroad",
        "Callers from outside the United Kingdom should dial +44 20 7946 0958 instead, the "
        "organisers said on Tuesday, adding that the lines would stay open all weekend.",
    ),
    "berlin.txt": (
        "Spendenaufruf in Berlin",
        "Die Hilfsorganisation bittet um Spenden und ist unter presse@hilfe-berlin.de erreichbar. "
        "Der Aufruf läuft vier Wochen lang, teilte der Vorstand am Dienstag in Berlin mit.",
    ),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp(f"patterns-{engine}")
    for name, (title, body) in ARTICLES.items():
        write_article(folder / "corpus", name, title, body)
    opened = Library.open(folder / "corpus", index_dir=folder / "index", engine=engine)
    opened.sync()
    run_entity_phase(opened.engine, opened.index_dir / DB_NAME, extractor=RuleExtractor())
    with opened:
        yield opened


def found(library: Library, query: str) -> set[str]:
    return {hit.id for hit in library.search(query).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("email:press.office@dec.org.uk", {"contacts.txt"}),
        ("email:Press.Office@DEC.org.uk", {"contacts.txt"}),
        ("phone:+442079460958", {"contacts.txt", "abroad.txt"}),
        ('phone:"020 7946 0958"', {"contacts.txt", "abroad.txt"}),
        ("url:dec.org.uk/appeal", {"contacts.txt"}),
        ("url:dec.org.uk", {"contacts.txt"}),
        ("account:GB82WEST12345698765432", {"contacts.txt"}),
        ("handle:@decappeal", {"contacts.txt"}),
        ("hashtag:helpnow", {"contacts.txt"}),
        ("email:presse@hilfe-berlin.de AND lang:de", {"berlin.txt"}),
        ("lang:de", {"berlin.txt"}),
        ("lang:EN", {"contacts.txt", "abroad.txt"}),
        ("email:*@dec.org.uk", {"contacts.txt"}),
        ("phone:+441614960000", set()),
    ],
)
def test_a_pattern_or_language_field_finds_its_articles(
    library: Library, query: str, expected: set[str]
) -> None:
    assert found(library, query) == expected


def test_a_phone_number_is_one_entity_in_the_sidebar_whatever_its_spelling(library: Library) -> None:
    phones = library.facets("*", label="PHONE")
    assert [(f.canonical, f.articles, f.mentions) for f in phones] == [("+442079460958", 2, 2)]


def test_pivoting_on_a_pattern_entity_finds_every_article_that_mentions_it(library: Library) -> None:
    [phone] = library.facets("*", label="PHONE")
    pivot = Query(filters=(EntityFilter(phone.label, phone.canonical),))
    assert {hit.id for hit in library.search(pivot).hits} == {"contacts.txt", "abroad.txt"}
    assert EntityFilter(phone.label, phone.canonical).shown == 'phone:"+442079460958"'


def test_show_json_gives_the_article_language(library: Library) -> None:
    from tui.cli import cli

    args = ["--corpus", str(library.corpus), "--index-dir", str(library.index_dir), "--json"]
    result = CliRunner().invoke(cli, ["show", "berlin.txt", *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["lang"] == "de"
    assert library.article("contacts.txt").language == "en"


def test_a_stored_article_keeps_its_own_web_address_apart_from_the_url_field(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    record = {
        "title": "Linked",
        "body": "A short story without any address in it at all.",
        "url": "https://x.org/a",
    }
    (corpus / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Library.open(corpus, index_dir=tmp_path / "index") as opened:
        opened.sync()
        assert opened.article("feed.jsonl#1").url == "https://x.org/a"
        assert opened.search("url:x.org").total == 0
